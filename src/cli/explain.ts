import { ChainproofError } from '../errors.js'
import { hasExpectation, loadScenario } from '../world/scenario.js'
import { EXIT, UsageError, outputFormat, parseCommandArgs } from './args.js'
import { EXPLAIN_HELP } from './help.js'
import type { Io } from './io.js'
import { reportJson, reportMarkdown, reportText, safeJson, safeText } from './render.js'
import { checkScenario, modelScenario } from './scenario-model.js'
import { SDK_NAMES, compareSdks, formatSdkComparison, isSdkName } from '../chain/sdks/index.js'
import type { SdkName } from '../types.js'

export async function explainCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'explain',
    argv,
    {
      'no-check': { type: 'boolean' },
      sdk: { type: 'string' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  )
  if (values.help) {
    io.out(EXPLAIN_HELP)
    return EXIT.ok
  }
  const format = outputFormat('explain', values)
  const file = positionals[0]
  if (file === undefined) {
    throw new UsageError(
      'which scenario? give a scenario file, e.g. chainproof explain scenario.json — write one of this machine with `chainproof capture -o scenario.json`, ' +
        'or by hand: {"spec": {"instanceProfile": {"role": "web"}}, "expect": {"source": "instanceProfile"}}',
      'explain',
    )
  }
  const scenario = await loadScenario(file).catch((error: Error) => {
    throw new ChainproofError(
      /^cannot read/.test(error.message)
        ? `${error.message}\nCheck the path; a scenario file is JSON: { "description": "…", "spec": { …WorldSpec }, "expect": { "source": "env" } }, or a bare WorldSpec (then nothing is checked).`
        : error.message,
    )
  })
  // --sdk a,b (or all): those SDKs side by side on the scenario's world, each disagreement with its rule
  const sdkOption = values.sdk
  const sdks = sdkOption === undefined ? undefined : sdkOption === 'all' ? undefined : sdkOption.split(',').map((name) => name.trim())
  for (const name of sdks ?? []) {
    if (!isSdkName(name)) throw new UsageError(`--sdk ${JSON.stringify(name)} is not an SDK; use all, one of ${SDK_NAMES.join(', ')}, or several joined by commas (js-v2,js-v3)`, 'explain')
  }
  const { report, facts, sdkFacts } = await modelScenario(scenario, { otherSdks: sdkOption !== undefined })
  const comparison = sdkFacts === undefined ? undefined : compareSdks(sdkFacts, sdks ? { sdks: sdks as SdkName[] } : {})
  const expects = hasExpectation(scenario)
  const check = checkScenario(scenario, report, facts)
  const checking = values['no-check'] !== true && expects
  const style = io.stdoutStyle(values['no-color'] === true)

  const expectSummary = safeText(
    scenario.expect.fails !== undefined ? `fails ("${scenario.expect.fails}")` : `source ${scenario.expect.source}${scenario.expect.shadowed ? `, shadowed [${scenario.expect.shadowed.join(', ')}]` : ''}${scenario.expect.profile ? `, profile "${scenario.expect.profile}"` : ''}`,
  )
  const name = safeText(scenario.name)
  const mismatches = check.mismatches.map(safeText)
  const verdict = !expects
    ? 'nothing checked: the file expects nothing (a bare WorldSpec, or no "expect"); add "expect": {"source": "…"} to pin what it resolves to'
    : check.matches
      ? `✔ matches the scenario's expect: ${expectSummary}`
      : `✘ does not match the scenario's expect (${expectSummary}):`
  const notChecked = check.notChecked.length ? `(${check.notChecked.join(' and ')} not checked: the static model names no principal; run the scenario in a test for those)` : undefined

  if (format === 'json') {
    const json: Record<string, unknown> = {
      schemaVersion: 1,
      command: 'explain',
      scenario: { name: scenario.name, file: scenario.file ?? null, description: scenario.description ?? null },
      ...reportJson(report),
      expect: expects ? scenario.expect : null,
      matches: expects ? check.matches : null,
      mismatches: check.mismatches,
      notChecked: check.notChecked,
      ...(comparison ? { sdks: comparison } : {}),
    }
    io.out(safeJson(json, 2))
  } else if (format === 'markdown') {
    const notes = [[`**${verdict}**`, ...mismatches.map((m) => `- ${m}`)].join('\n'), ...(notChecked ? [`_${notChecked}_`] : [])]
    io.out(reportMarkdown(report, { title: `chainproof explain — ${name}`, notes }))
    if (comparison) io.out('\n' + formatSdkComparison(comparison, { format: 'markdown' }))
  } else {
    const lines = [style.bold(`chainproof explain — scenario ${name}`)]
    if (scenario.description) lines.push(`  ${safeText(scenario.description)}`)
    lines.push('', reportText(report, style), '', !expects ? style.dim(verdict) : check.matches ? style.green(verdict) : style.red(verdict))
    for (const m of mismatches) lines.push(`  - ${m}`)
    if (notChecked) lines.push(style.dim(notChecked))
    if (comparison) lines.push('', style.bold('The same scenario, other SDKs'), formatSdkComparison(comparison, { format: 'text' }))
    io.out(lines.join('\n'))
  }
  return checking && !check.matches ? EXIT.mismatch : EXIT.ok
}

