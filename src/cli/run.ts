import { createRequire } from 'node:module'
import { ChainproofError } from '../errors.js'
import { EXIT, UsageError } from './args.js'
import { captureCommand } from './capture.js'
import { doctorCommand } from './doctor.js'
import { execCommand } from './exec.js'
import { explainCommand } from './explain.js'
import { TOP_HELP } from './help.js'
import type { Io } from './io.js'
import { maskUrlCredentials } from './served-env.js'
import { serveCommand } from './serve.js'

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  doctor: doctorCommand,
  explain: explainCommand,
  capture: captureCommand,
  serve: serveCommand,
  exec: execCommand,
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 expectation failed, 2 usage or input error). */
export async function runCli(argv: string[], rawIo: Io): Promise<number> {
  // a URL's user and password are masked in everything the CLI prints (an endpoint variable may carry them)
  const io: Io = { ...rawIo, out: (text) => rawIo.out(maskUrlCredentials(text)), err: (text) => rawIo.err(maskUrlCredentials(text)) }
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0])) return runCli([rest[0], '--help'], io)
    io.out(TOP_HELP)
    return command === undefined ? EXIT.usage : EXIT.ok
  }
  if (command === '--version' || command === '-v') {
    io.out(packageVersion())
    return EXIT.ok
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  const style = io.stderrStyle(argv.includes('--no-color'))
  try {
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}; the commands are ${Object.keys(COMMANDS).join(', ')}`)
    return await run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `chainproof ${error.command} --help` : 'chainproof --help'
      io.err(`${style.red('chainproof: ' + error.message)}\nRun \`${help}\` for usage.`)
      return EXIT.usage
    }
    if (error instanceof ChainproofError) {
      io.err(style.red(`chainproof: ${error.message}`))
      return EXIT.usage
    }
    io.err(style.red(`chainproof: unexpected error: ${(error as Error)?.stack ?? String(error)}`))
    return EXIT.usage
  }
}

/** chainproof's version, from its package.json (two levels up from src/cli and dist/cjs alike). */
function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
