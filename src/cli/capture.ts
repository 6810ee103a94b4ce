import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ChainproofError } from '../errors.js'
import { parseScenario } from '../world/scenario.js'
import { EXIT, parseCommandArgs } from './args.js'
import { captureScenario } from './capture-spec.js'
import { CAPTURE_HELP } from './help.js'
import { inspectWithProgress } from './inspect.js'
import type { Io } from './io.js'

export async function captureCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(
    'capture',
    argv,
    {
      output: { type: 'string', short: 'o' },
      probe: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    0,
  )
  if (values.help) {
    io.out(CAPTURE_HELP)
    return EXIT.ok
  }
  const inspection = await inspectWithProgress(io, values.probe === true)
  const captured = captureScenario(inspection.facts, inspection.report)
  // What capture writes must load: a capture loadScenario() refuses is a chainproof bug, said plainly.
  try {
    parseScenario(captured, 'captured from this machine')
  } catch (error) {
    throw new ChainproofError(`${(error as Error).message}\nThis is a bug in chainproof capture: please report it with the output of \`chainproof doctor --json\`.`)
  }
  const text = JSON.stringify(captured, null, 2) + '\n'
  if (values.output === undefined) {
    io.out(text)
  } else {
    const file = resolve(values.output)
    try {
      await writeFile(file, text, { mode: 0o644 })
    } catch (error) {
      throw new ChainproofError(`cannot write ${file}: ${(error as Error).message}; choose another -o path`)
    }
    io.err(`chainproof capture: wrote ${file} (${captured.expect && 'source' in captured.expect ? `resolves from ${captured.expect.source}` : 'resolves nothing'}); check it with: chainproof explain ${values.output}`)
  }
  return EXIT.ok
}
