/**
 * The world image's program: `chainproof serve`, and nothing else, as ONE self-contained file
 * (`dist/world-server.cjs`, built by tsup with every runtime dependency inlined: zod, @smithy/*,
 * and the SDK providers the chain report runs), so the image needs no node_modules at all.
 *
 *   node world-server.cjs serve --spec '<json>' --host 127.0.0.1 --port-base N --format json
 *
 * The first argument must be `serve` (the world container passes it), so an image built from
 * this file runs with the same command as one whose entrypoint is the `chainproof` bin.
 */
import { ChainproofError } from '../errors.js'
import { EXIT, UsageError } from '../cli/args.js'
import { exitWhenDone, processIo } from '../cli/io.js'
import { serveCommand } from '../cli/serve.js'

async function main(argv: string[]): Promise<number> {
  const io = processIo()
  const [command, ...rest] = argv
  try {
    if (command !== 'serve') {
      throw new UsageError(`this is chainproof's world server: it runs \`serve\` only (got ${command === undefined ? 'no command' : JSON.stringify(command)}); the full CLI is the chainproof bin`)
    }
    return await serveCommand(rest, io)
  } catch (error) {
    if (error instanceof UsageError || error instanceof ChainproofError) {
      io.err(`chainproof: ${error.message}`)
      return EXIT.usage
    }
    io.err(`chainproof: unexpected error: ${(error as Error)?.stack ?? String(error)}`)
    return EXIT.usage
  }
}

exitWhenDone(main(process.argv.slice(2)))
