import { SDK_NAMES, isSdkName } from '../chain/sdks/index.js'
import { describeValue } from '../probe/target.js'
import type { ChainReport, SdkName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { matcherError, matchResult, observe } from './process-match.js'

interface ExplainableWorld {
  explain(target?: unknown, options?: { sdk?: SdkName }): Promise<ChainReport>
}

/** What an SDK picks, in words: `env (EnvironmentCredentials('AWS'))`, or why nothing resolves. */
function outcomeOf(report: ChainReport): { outcome: string; words: string; why: string } {
  const won = report.links.find((l) => l.status === 'won')
  if (won && report.winner) return { outcome: report.winner, words: `${report.winner} (${won.name})`, why: won.reason }
  const stopped = report.links.find((l) => l.status === 'failed')
  return { outcome: 'error', words: 'an error', why: stopped ? `${stopped.name}: ${stopped.reason}` : 'no link has credentials' }
}

/**
 * `await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])`: every named SDK's chain picks the
 * same winner in this world (or every one fails) — a migration test. The failure names each
 * SDK's winning link and the reason it won, so the rule behind the difference is on the page.
 */
export async function toAgreeAcrossSdks(this: MatcherContext, received: unknown, sdks: readonly SdkName[]): Promise<MatcherResult> {
  const shape = { name: 'toAgreeAcrossSdks', expected: 'sdks', received: 'world' }
  observe(received)
  if (!Array.isArray(sdks) || sdks.length < 2) throw matcherError(this, shape, `sdks must list at least two SDKs, e.g. ['js-v2', 'js-v3']; received ${this.utils.printReceived(sdks)}`)
  const unknown = sdks.filter((sdk) => !isSdkName(sdk))
  if (unknown.length) throw matcherError(this, shape, `unknown SDK${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => JSON.stringify(s)).join(', ')}; valid names: ${SDK_NAMES.join(', ')}`)
  const world = (await received) as ExplainableWorld | null
  if (typeof world !== 'object' || world === null || typeof world.explain !== 'function') {
    throw matcherError(this, shape, `received value must be a credential world (from createCredentialWorld or useCredentialWorld); received ${describeValue(world)}`)
  }
  const reports = await Promise.all(sdks.map(async (sdk) => ({ sdk, report: await world.explain(undefined, { sdk }) })))
  const outcomes = reports.map(({ sdk, report }) => ({ sdk, ...outcomeOf(report) }))
  const agree = new Set(outcomes.map((o) => o.outcome)).size === 1
  return matchResult(this, shape, agree, () => {
    const width = Math.max(...outcomes.map((o) => o.sdk.length))
    const rows: [string, string][] = [['Expected', agree ? `the SDKs ${sdks.join(', ')} not to agree` : `every SDK of ${sdks.join(', ')} to pick the same source`]]
    rows.push(['Received', agree ? `all pick ${outcomes[0]!.words}` : outcomes.map((o) => o.words).join(' vs ')])
    const report = ['Each SDK, and why its winner won:', ...outcomes.map((o) => `  ${o.sdk.padEnd(width)}  ${o.words} — ${o.why}`)]
    const hints = reports.flatMap(({ sdk, report: r }) => r.hints.filter((h) => !h.startsWith('To use ')).map((h) => `  - ${sdk}: ${h}`))
    return { rows, report: report.join('\n'), after: hints.length ? ['', 'Hints:', ...hints] : [] }
  })
}
