import { JS_V3_MODEL_VERSION } from '../chain/model.js'
import { toSource } from '../chain/sources.js'
import { SOURCES, SOURCE_ALIASES, type Source } from '../types.js'
import { EXIT, UsageError, outputFormat, parseCommandArgs } from './args.js'
import { DOCTOR_HELP } from './help.js'
import { inspectMachine } from './inspect.js'
import { type Io, createSpinner } from './io.js'
import { machineLines } from './machine.js'
import { reportJson, reportMarkdown, reportText } from './render.js'
import { type WhoAmI, whoami } from './whoami.js'

/** `--expect` value: a source (or alias), or `none` for "no source resolves". */
export function parseExpectedSource(value: string, command: string): Source | 'none' {
  if (value === 'none') return 'none'
  const source = toSource(value)
  if (!source || source === 'code') {
    throw new UsageError(
      `--expect ${JSON.stringify(value)} is not a chain source; use one of ${SOURCES.filter((s) => s !== 'code').join(', ')}, none (aliases: ${Object.keys(SOURCE_ALIASES).join(', ')})`,
      command,
    )
  }
  return source
}

export async function doctorCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(
    'doctor',
    argv,
    {
      probe: { type: 'boolean' },
      whoami: { type: 'boolean' },
      expect: { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    0,
  )
  if (values.help) {
    io.out(DOCTOR_HELP)
    return EXIT.ok
  }
  const format = outputFormat('doctor', values)
  const expected = values.expect === undefined ? undefined : parseExpectedSource(values.expect, 'doctor')
  const style = io.stdoutStyle(values['no-color'] === true)

  const spinner = createSpinner(io.stderrIsTTY)
  let inspection
  try {
    inspection = await inspectMachine(io.env, { probe: values.probe === true, onStep: (what) => spinner.step(`${what}…`) })
  } finally {
    spinner.stop()
  }
  const { report, summary } = inspection

  let who: WhoAmI | { error: string } | null = null
  if (values.whoami) {
    spinner.step('resolving credentials with the default chain and asking STS GetCallerIdentity…')
    try {
      who = await whoami(io.env)
    } catch (error) {
      who = { error: (error as Error).message }
    } finally {
      spinner.stop()
    }
  }

  const winner = report.winner ?? 'none'
  const expectation = expected === undefined ? null : { source: expected, matched: winner === expected }
  const failed = (expectation !== null && !expectation.matched) || (who !== null && 'error' in who)

  const whoLine = who === null ? undefined : 'error' in who ? `whoami: failed — ${who.error}` : `whoami: ${who.arn} (account ${who.account}), key ${who.accessKeyId}${who.source ? `, from ${who.source} by the SDK's $source codes` : ''} — STS at ${who.endpoint}`
  const expectLine =
    expectation === null ? undefined : expectation.matched ? `✔ expected ${expected}: the winner is ${winner}` : `✘ expected ${expected}, but the winner is ${winner}`

  if (format === 'json') {
    const json = {
      schemaVersion: 1,
      command: 'doctor',
      model: JS_V3_MODEL_VERSION,
      ...reportJson(report, inspection.hints),
      profile: summary.profile,
      variables: summary.variables,
      files: summary.files,
      webIdentity: summary.webIdentity,
      container: summary.container,
      imds: summary.imds,
      probed: values.probe === true,
      expect: expectation,
      whoami: who,
    }
    io.out(JSON.stringify(json, null, 2))
  } else if (format === 'markdown') {
    const notes = [whoLine && `**${whoLine.replace(/^whoami: /, 'whoami:** ')}`, expectLine && `**${expectLine}**`].filter((n): n is string => Boolean(n))
    io.out(reportMarkdown(report, { title: `chainproof doctor — credential chain (${report.sdk})`, extraHints: inspection.hints, notes }))
  } else {
    const lines = [
      style.bold('chainproof doctor — where the AWS SDK for JavaScript v3 finds credentials on this machine'),
      '',
      ...machineLines(summary, io.env, values.probe === true),
      '',
      reportText(report, style, inspection.hints),
    ]
    if (whoLine) lines.push('', 'error' in who! ? style.red(whoLine) : whoLine)
    if (expectLine) lines.push('', expectation!.matched ? style.green(expectLine) : style.red(expectLine))
    io.out(lines.join('\n'))
  }
  return failed ? EXIT.mismatch : EXIT.ok
}
