/**
 * Models of the default credential chain of other AWS SDKs, over the same facts as the JS v3
 * model: what Java, PHP, Python (botocore/boto3), the AWS CLI v2 and Go would pick on the same
 * machine, in each SDK's own words. botocore, the CLI, JS v2, both JS v3 releases, Ruby v3 and Go v2
 * config 1.17 are checked against the real SDKs in CI; Java, PHP and current Go upstream are
 * modelled from their sources and say so.
 */
import type { SdkName, Source } from '../../types.js'
import type { SdkModelInfo, SdkReport } from './assemble.js'
import { AWS_CLI_V2_MODEL, BOTOCORE_MODEL, type BotocoreOptions, configureListType, modelAwsCliV2, modelBotocore } from './botocore.js'
import type { SdkFacts } from './facts.js'
import { activeProfileOf } from '../facts.js'
import { REGISTRY } from '../../sources/index.js'
import { GO_V2_117_MODEL, GO_V2_MODEL, modelGoV2 } from './go.js'
import { JAVA_V1_MODEL, JAVA_V2_MODEL, modelJavaV1, modelJavaV2 } from './java.js'
import { JS_V3_MODEL, JS_V3_PRE_3616_MODEL, type JsV3Options, isBefore3616, modelJsV3, modelJsV3Before3616 } from './js-v3.js'
import { PHP_V3_MODEL, modelPhpV3 } from './php.js'
import { JS_V2_MODEL, modelJsV2 } from './js-v2.js'
import { RUBY_V3_MODEL, modelRubyV3 } from './ruby.js'

export type { SdkFacts } from './facts.js'
export type { SdkModelInfo, SdkReport } from './assemble.js'
export { configureListType, isBefore3616 }

/** Every SDK name a model exists for, in the order of the comparison table. */
export const SDK_NAMES = ['js-v3', 'js-v3@<3.616', 'js-v2', 'ruby-v3', 'java-v1', 'java-v2', 'php-v3', 'botocore', 'aws-cli-v2', 'go-v2', 'go-v2@1.17'] as const satisfies readonly SdkName[]
/** The SDKs `doctor --sdk all` compares (one row per SDK, its latest modelled release). */
export const COMPARED_SDKS = ['js-v3', 'js-v2', 'ruby-v3', 'java-v1', 'java-v2', 'php-v3', 'botocore', 'aws-cli-v2', 'go-v2'] as const satisfies readonly SdkName[]

export const SDK_MODELS: Readonly<Record<SdkName, SdkModelInfo>> = {
  'js-v3': JS_V3_MODEL,
  'js-v3@<3.616': JS_V3_PRE_3616_MODEL,
  'js-v2': JS_V2_MODEL,
  'ruby-v3': RUBY_V3_MODEL,
  'java-v1': JAVA_V1_MODEL,
  'java-v2': JAVA_V2_MODEL,
  'php-v3': PHP_V3_MODEL,
  botocore: BOTOCORE_MODEL,
  'aws-cli-v2': AWS_CLI_V2_MODEL,
  'go-v2': GO_V2_MODEL,
  'go-v2@1.17': GO_V2_117_MODEL,
}

export function isSdkName(name: unknown): name is SdkName {
  return typeof name === 'string' && (SDK_NAMES as readonly string[]).includes(name)
}

export type ModelOptions = JsV3Options & BotocoreOptions

/**
 * The chain report an SDK would produce from these facts, in that SDK's words, citing the
 * release it models. `version` selects a js-v3 release ("3.600.0" → the pre-3.616 rules);
 * `profileAtConstruction` is AWS_PROFILE when a pre-3.616 provider was created; `profileName`
 * is a profile passed in code to botocore/boto3 (`Session(profile_name=…)`) or `aws --profile`.
 */
export function modelChainFor(sdk: SdkName, facts: SdkFacts, options: ModelOptions = {}): SdkReport {
  return withSupportNotes(sdk, facts, modelOf(sdk, facts, options))
}

/**
 * A source the model's release does not know (its definition's sdkSupport says so), set in the
 * active profile: the model ignores it as that release does, and the report says which release reads it.
 */
function withSupportNotes(sdk: SdkName, facts: SdkFacts, report: SdkReport): SdkReport {
  const profile = activeProfileOf(facts).name
  const settings = { ...(facts.configFile[profile] ?? {}), ...(facts.credentialsFile[profile] ?? {}) }
  for (const definition of REGISTRY) {
    const support = definition.sdkSupport?.[sdk]
    if (!support || support.modelled) continue
    const branch = definition.profileBranches?.find((b) => b.matches(settings))
    if (!branch) continue
    const where = support.where ? `, ${support.where}` : ''
    report.hints.push(`Profile "${profile}" has ${branch.settings} (${definition.source}), which this model's release ignores: ${sdk} reads it since ${support.since}${where}.`)
  }
  return report
}

function modelOf(sdk: SdkName, facts: SdkFacts, options: ModelOptions): SdkReport {
  switch (sdk) {
    case 'js-v3':
      return options.version !== undefined && isBefore3616(options.version) ? modelJsV3Before3616(facts, options) : modelJsV3(facts)
    case 'js-v3@<3.616':
      return modelJsV3Before3616(facts, options)
    case 'js-v2':
      return modelJsV2(facts)
    case 'ruby-v3':
      return modelRubyV3(facts)
    case 'java-v1':
      return modelJavaV1(facts)
    case 'java-v2':
      return modelJavaV2(facts)
    case 'php-v3':
      return modelPhpV3(facts)
    case 'botocore':
      return modelBotocore(facts, options)
    case 'aws-cli-v2':
      return modelAwsCliV2(facts, options)
    case 'go-v2':
      return modelGoV2(facts)
    case 'go-v2@1.17':
      return modelGoV2(facts, '1.17')
    default:
      throw new Error(`unknown sdk ${JSON.stringify(sdk)}: expected one of ${SDK_NAMES.join(', ')}`)
  }
}

export interface SdkComparisonRow {
  sdk: SdkName
  release: string
  modelledFrom: 'run' | 'source'
  winner?: Source
  /** The winning link in the SDK's own words (EnvironmentVariableCredentialsProvider, shared-credentials-file, …). */
  winningLink?: string
  shadowed: Source[]
  /** Why nothing resolves, when nothing does: the link that stopped the chain, or "no credentials". */
  failure?: string
  report: SdkReport
}

export interface SdkComparison {
  rows: SdkComparisonRow[]
  /** One line per SDK whose pick differs from the majority's, naming both. Empty when all agree. */
  disagreements: string[]
}

const outcomeOf = (row: Pick<SdkComparisonRow, 'winner' | 'failure'>) => row.winner ?? (row.failure ? 'error' : 'nothing')

function rowOf(sdk: SdkName, report: SdkReport): SdkComparisonRow {
  const row: SdkComparisonRow = { sdk, release: report.release, modelledFrom: report.modelledFrom, shadowed: report.shadowed, report }
  const won = report.links.find((l) => l.status === 'won')
  if (report.winner) row.winner = report.winner
  if (won) row.winningLink = won.name
  if (!won) {
    const stopped = report.links.find((l) => l.status === 'failed') ?? report.links.find((l) => l.status === 'unreached')
    row.failure = stopped ? `${stopped.name}: ${stopped.reason}` : 'no link has credentials'
  }
  return row
}

/** The disagreements of a set of rows: every SDK whose outcome differs from the most common one. */
export function disagreementsOf(rows: readonly Pick<SdkComparisonRow, 'sdk' | 'winner' | 'failure' | 'winningLink'>[]): string[] {
  const counts = new Map<string, number>()
  for (const row of rows) counts.set(outcomeOf(row), (counts.get(outcomeOf(row)) ?? 0) + 1)
  if (counts.size <= 1) return []
  const jsRow = rows.find((r) => r.sdk === 'js-v3')
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] === (jsRow && outcomeOf(jsRow)) ? -1 : 1))[0]![0]
  const majoritySdks = rows.filter((r) => outcomeOf(r) === majority).map((r) => r.sdk)
  const describe = (row: (typeof rows)[number]) => (row.winner ? `${row.winner}${row.winningLink ? ` (${row.winningLink})` : ''}` : row.failure ? 'an error' : 'nothing')
  return rows
    .filter((row) => outcomeOf(row) !== majority)
    .map((row) => `${row.sdk} resolves ${describe(row)}, while ${majoritySdks.join(', ')} ${majoritySdks.length > 1 ? 'resolve' : 'resolves'} ${majority === 'error' ? 'an error' : majority}`)
}

/** What each SDK would pick on this machine, side by side, with the disagreements spelled out. */
export function compareSdks(facts: SdkFacts, options: ModelOptions & { sdks?: readonly SdkName[] } = {}): SdkComparison {
  const rows = (options.sdks ?? COMPARED_SDKS).map((sdk) => rowOf(sdk, modelChainFor(sdk, facts, options)))
  return { rows, disagreements: disagreementsOf(rows) }
}

/**
 * The side-by-side table `chainproof doctor --sdk all` prints: one row per SDK (winner, the
 * winning link in its own words, shadowed sources, how the model is known), then the
 * disagreements. `markdown` gives a GitHub table for a job summary or an issue.
 */
export function formatSdkComparison(input: SdkComparison | readonly SdkComparisonRow[], options: { format?: 'text' | 'markdown' } = {}): string {
  const rows = Array.isArray(input) ? (input as readonly SdkComparisonRow[]) : (input as SdkComparison).rows
  const disagreements = Array.isArray(input) ? disagreementsOf(rows) : (input as SdkComparison).disagreements
  const majority = new Set(rows.filter((r) => !disagreements.some((d) => d.startsWith(`${r.sdk} `))).map((r) => r.sdk))
  const cells = rows.map((r) => [
    r.sdk,
    r.winner ?? (r.failure ? 'error' : '—'),
    r.winningLink ?? (r.failure ? r.failure.split(':')[0]! : '—'),
    r.shadowed.length ? r.shadowed.join(', ') : '—',
    r.modelledFrom === 'run' ? 'checked against the real SDK' : 'from source, not run',
    majority.has(r.sdk) ? '' : '≠',
  ])
  const header = ['sdk', 'winner', 'link', 'shadowed', 'model', '']
  const lines: string[] = []
  // the rule behind each side of a disagreement: each differing SDK's deciding link, and the majority's
  const reference = rows.find((r) => majority.has(r.sdk))
  const why = disagreements.length ? [...(reference ? [reference] : []), ...rows.filter((r) => !majority.has(r.sdk))].map((r) => `${r.sdk}: ${ruleOf(r)}`) : []
  if (options.format === 'markdown') {
    lines.push('| SDK | winner | link | shadowed | model | |', '| --- | --- | --- | --- | --- | --- |')
    for (const c of cells) lines.push(`| ${c[0]} | ${c[1] === 'error' ? '**error**' : `\`${c[1]}\``} | ${c[2] === '—' ? '—' : `\`${c[2]}\``} | ${c[3]} | ${c[4]} | ${c[5] ? '**≠**' : ''} |`)
    if (disagreements.length) {
      lines.push('', `**${disagreements.length} SDK${disagreements.length > 1 ? 's' : ''} disagree${disagreements.length > 1 ? '' : 's'}:**`, '')
      for (const d of disagreements) lines.push(`- ${d}`)
      lines.push('', '**Why:**', '')
      for (const w of why) lines.push(`- ${w}`)
    } else lines.push('', 'All SDKs agree.')
    return lines.join('\n')
  }
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const row = (c: string[]) => '  ' + c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  lines.push('Same machine, different SDKs', row(header), row(widths.map((w) => '-'.repeat(w))))
  for (const c of cells) lines.push(row(c))
  if (disagreements.length) {
    lines.push(`Disagreements (${disagreements.length}):`)
    for (const d of disagreements) lines.push(`  ≠ ${d}`)
    lines.push('Why:')
    for (const w of why) lines.push(`  ${w}`)
  } else lines.push('All SDKs agree.')
  return lines.join('\n')
}

/** The rule that decided one SDK's outcome: its winning link and why it won, or the link that stopped its chain. */
function ruleOf(row: SdkComparisonRow): string {
  const won = row.report.links.find((l) => l.status === 'won')
  if (won) return `${won.name} won — ${won.reason}`
  return row.failure ?? 'no link has credentials'
}
