import { maskKeyId } from '../chain/mask.js'
import { describeValue } from '../probe/target.js'
import type { CredentialFetch, Source, SourceName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { expectedSourceOf, matcherError, matchResult, not, observe, type MatchShape } from './process-match.js'
import type { Row } from './format.js'
import type { FetchCountOptions } from './types.js'

/** The fetches of a world: a CredentialWorld or useCredentialWorld handle (a `fetches` array). */
async function fetchesOf(ctx: MatcherContext, shape: MatchShape, received: unknown): Promise<readonly CredentialFetch[]> {
  const value = (await received) as { fetches?: unknown } | null | undefined
  if (typeof value === 'object' && value !== null) {
    let fetches = value.fetches
    if (typeof fetches === 'function') fetches = await (fetches as () => unknown).call(value)
    if (Array.isArray(fetches)) return fetches as CredentialFetch[]
  }
  throw matcherError(ctx, shape, `received value must be a credential world (from createCredentialWorld or useCredentialWorld), whose fetches it counts; received ${describeValue(value)}`)
}

function count(n: number, what = 'fetch'): string {
  return `${n} ${what}${n === 1 ? '' : what.endsWith('h') ? 'es' : 's'}`
}

/** `14:05:09.120  GET /latest/meta-data/iam/security-credentials/web  200  ****…WXYZ` — the world's clock, key ids masked. */
function fetchLine(fetch: CredentialFetch): string {
  const time = fetch.at.toISOString().slice(11, 23)
  const who = fetch.profile !== undefined ? `${fetch.source} (${fetch.profile})` : fetch.source
  const status = fetch.what === 'credential_process' ? 'ran' : String(fetch.status)
  return `  ${time}  ${who}  ${fetch.what}  ${status}${fetch.accessKeyId ? `  ${maskKeyId(fetch.accessKeyId)}` : ''}`
}

const MAX_LINES = 20

/**
 * `await expect(world).toHaveFetchedCredentials('instanceProfile', { times?, atMost?, profile? })`:
 * the world saw that source's credentials fetched exactly `times` times, at most `atMost` times, or
 * (with neither) at least once. A fetch is one IMDS credentials GET (its token PUT and role GET are
 * steps of it, listed but not counted), container GET, STS AssumeRole* call, SSO GetRoleCredentials
 * call, credential_process run or login refresh — failed attempts included.
 */
export async function toHaveFetchedCredentials(this: MatcherContext, received: unknown, source: SourceName, options?: FetchCountOptions): Promise<MatcherResult> {
  const shape = { name: 'toHaveFetchedCredentials', expected: 'source', received: 'world', ...(options !== undefined ? { secondArgument: 'options' } : {}) }
  observe(received)
  const expected = expectedSourceOf(this, shape, source)
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw matcherError(this, shape, `options must be an object like { times: 1 } or { atMost: 3 }, got ${this.utils.printReceived(options)}`)
  }
  const known = ['times', 'atMost', 'profile']
  const unknown = Object.keys(options ?? {}).filter((k) => !known.includes(k))
  if (unknown.length) throw matcherError(this, shape, `unknown option ${JSON.stringify(unknown[0])}: options are times, atMost and profile`)
  for (const key of ['times', 'atMost'] as const) {
    const n = options?.[key]
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 0)) throw matcherError(this, shape, `options.${key} must be a whole number, 0 or more, got ${this.utils.printReceived(n)}`)
  }
  if (options?.times !== undefined && options.atMost !== undefined) throw matcherError(this, shape, 'give times or atMost, not both')
  const profile = options?.profile
  if (profile !== undefined && (typeof profile !== 'string' || profile === '')) throw matcherError(this, shape, `options.profile must be a non-empty profile name, got ${this.utils.printReceived(profile)}`)

  const all = await fetchesOf(this, shape, received)
  const ofSource = all.filter((f) => f.source === expected && (profile === undefined || f.profile === profile))
  const fetches = ofSource.filter((f) => f.step === 'credentials')
  const n = fetches.length
  const pass = options?.times !== undefined ? n === options.times : options?.atMost !== undefined ? n <= options.atMost : n > 0
  const isNot = this.isNot === true
  return matchResult(this, shape, pass, () => {
    const { printExpected, printReceived } = this.utils
    const wanted = options?.times !== undefined ? `${count(options.times)}` : options?.atMost !== undefined ? `at most ${count(options.atMost)}` : 'at least 1 fetch'
    const rows: Row[] = [['Expected', `${not(isNot)}${printExpected(wanted)} of ${expected}${profile !== undefined ? ` (profile ${profile})` : ''} credentials`]]
    const failed = fetches.filter((f) => f.status >= 300).length
    const steps = ofSource.filter((f) => f.step !== 'credentials')
    const stepCounts = (['token', 'role'] as const).map((step) => [step, steps.filter((f) => f.step === step).length] as const).filter(([, c]) => c > 0)
    const extra = [failed ? `${failed} failed` : '', ...stepCounts.map(([step, c]) => `${count(c, step === 'token' ? 'token PUT' : 'role-name GET')} besides`)].filter(Boolean)
    rows.push(['Received', `${printReceived(count(n))}${extra.length ? ` (${extra.join('; ')})` : ''}`])
    const others = new Map<Source, number>()
    for (const f of all) if (f.step === 'credentials' && !fetches.includes(f)) others.set(f.source, (others.get(f.source) ?? 0) + 1)
    if (others.size) rows.push(['Other fetches', [...others].map(([s, c]) => `${s} ×${c}`).join(', ')])
    const listed = ofSource.slice(0, MAX_LINES).map(fetchLine)
    if (ofSource.length > MAX_LINES) listed.push(`  … and ${ofSource.length - MAX_LINES} more`)
    const report = ofSource.length ? [`Fetches of ${expected} (the world's clock):`, ...listed].join('\n') : undefined
    const hints = n === 0 && !ofSource.length
      ? ['', 'Hints:', '  - Nothing fetched them: the client may hold credentials it fetched earlier (clients memoize them until they near expiry), or another source won the chain.']
      : []
    return { rows, report, after: hints }
  })
}
