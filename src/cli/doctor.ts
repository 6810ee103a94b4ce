import { JS_V3_MODEL_VERSION } from '../chain/model.js'
import { SDK_NAMES, compareSdks, formatSdkComparison, isSdkName, modelChainFor } from '../chain/sdks/index.js'
import { withSdkFiles } from '../probe/sdk-facts.js'
import type { SdkName } from '../types.js'
import { toSource } from '../chain/sources.js'
import { SOURCES, SOURCE_ALIASES, type Source } from '../types.js'
import { EXIT, UsageError, outputFormat, parseCommandArgs } from './args.js'
import { DOCTOR_HELP } from './help.js'
import { inspectWithProgress } from './inspect.js'
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
      sdk: { type: 'string' },
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
  const sdkOption = values.sdk
  // --sdk a,b: those SDKs side by side (a migration check, e.g. js-v2,js-v3)
  const sdkList = sdkOption?.includes(',') ? sdkOption.split(',').map((name) => name.trim()) : undefined
  for (const name of sdkList ?? (sdkOption === undefined || sdkOption === 'all' ? [] : [sdkOption])) {
    if (!isSdkName(name)) throw new UsageError(`--sdk ${JSON.stringify(name)} is not an SDK; use all, one of ${SDK_NAMES.join(', ')}, or several joined by commas (js-v2,js-v3)`, 'doctor')
  }

  const inspection = await inspectWithProgress(io, values.probe === true)
  const { summary } = inspection
  // --sdk <name>: that SDK's report instead of the JS v3 one; --sdk all: the JS report plus a side-by-side table.
  const sdkFacts = sdkOption === undefined || sdkOption === 'js-v3' ? undefined : await withSdkFiles(inspection.facts)
  const compared = sdkOption === 'all' || sdkList !== undefined
  const report = sdkFacts && !compared ? modelChainFor(sdkOption as SdkName, sdkFacts) : inspection.report
  const comparison = sdkFacts && compared ? compareSdks(sdkFacts, sdkList ? { sdks: sdkList as SdkName[] } : {}) : undefined

  let who: WhoAmI | { error: string } | null = null
  if (values.whoami) {
    const spinner = createSpinner(io.stderrIsTTY)
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
      ...(comparison ? { sdks: comparison } : {}),
    }
    io.out(JSON.stringify(json, null, 2))
  } else if (format === 'markdown') {
    const notes = [whoLine && `**${whoLine.replace(/^whoami: /, 'whoami:** ')}`, expectLine && `**${expectLine}**`].filter((n): n is string => Boolean(n))
    io.out(reportMarkdown(report, { title: `chainproof doctor — credential chain (${report.sdk})`, extraHints: inspection.hints, notes }))
    if (comparison) io.out('\n' + formatSdkComparison(comparison, { format: 'markdown' }))
  } else {
    const lines = [
      style.bold('chainproof doctor — where the AWS SDK for JavaScript v3 finds credentials on this machine'),
      '',
      ...machineLines(summary, io.env, values.probe === true),
      '',
      reportText(report, style, inspection.hints),
    ]
    if (whoLine) lines.push('', 'error' in who! ? style.red(whoLine) : whoLine)
    if (comparison) lines.push('', style.bold('Same machine, other SDKs'), formatSdkComparison(comparison, { format: 'text' }))
    if (expectLine) lines.push('', expectation!.matched ? style.green(expectLine) : style.red(expectLine))
    io.out(lines.join('\n'))
  }
  return failed ? EXIT.mismatch : EXIT.ok
}
