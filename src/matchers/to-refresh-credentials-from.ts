import { maskKeyId } from '../chain/mask.js'
import { credentialsOfTarget } from '../probe/target.js'
import { activeWorld } from '../world/world.js'
import type { Identity, SourceName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { expectedSourceOf, explained, matcherError, matchResult, not, observe } from './process-match.js'
import { probe } from '../probe/probe.js'
import type { Row } from './format.js'

/** Where the matcher puts the clock: inside the SDK's refresh window (5 minutes: @smithy/core EXPIRATION_MS, credential-provider-node), 4 minutes before expiry. */
const INTO_WINDOW_MS = 240_000
/** How long (real ms) the matcher waits before asking the same client again, while its background refresh lands: about 1.3 s in all. */
const PAUSES_MS = [0, 5, 10, 20, 40, 80, 160, 320, 640]

interface Seen {
  accessKeyId: string
  expiration?: Date
  identity?: Identity
  at: Date
}

function describe(seen: Seen, first: Seen | undefined): string {
  const id = seen.identity
  const who = id ? `${id.source}${id.profile !== undefined ? ` (${id.profile})` : ''}, generation ${id.generation ?? '?'}` : 'not issued by this world'
  const expires = seen.expiration ? `expires ${seen.expiration.toISOString()}` : 'never expires'
  const same = first && seen.accessKeyId === first.accessKeyId ? ' — the same credentials' : ''
  return `  ${seen.at.toISOString()}  ${maskKeyId(seen.accessKeyId)}  ${who}, ${expires}${same}`
}

/** The timers as they were when chainproof loaded, before a test could fake them: a runner's fake setTimeout must not hold the matcher. */
const realSetTimeout = globalThis.setTimeout
const realSetImmediate = globalThis.setImmediate
const pause = (ms: number): Promise<void> => new Promise((resolve) => (ms === 0 ? realSetImmediate(resolve) : realSetTimeout(resolve, ms)))

/**
 * `await expect(client).toRefreshCredentialsFrom('instanceProfile')`: moves the world's clock into
 * the client's refresh window (4 minutes before its credentials expire; the SDK refreshes within
 * 5) and asks the same client again — a few times, as the SDK's default chain refreshes in the
 * background and answers with the old credentials meanwhile — until it answers with fresh ones.
 * Passes when they are new credentials from that source, not expired. The clock stays moved.
 */
export async function toRefreshCredentialsFrom(this: MatcherContext, received: unknown, source: SourceName): Promise<MatcherResult> {
  const shape = { name: 'toRefreshCredentialsFrom', expected: 'source' }
  observe(received)
  const expected = expectedSourceOf(this, shape, source)
  const world = activeWorld()
  if (!world) throw matcherError(this, shape, 'needs an active credential world (createCredentialWorld or useCredentialWorld): it moves the world\'s clock')
  const target = await received
  const ask = async (): Promise<Seen | { error: string }> => {
    let found: Awaited<ReturnType<typeof credentialsOfTarget>>
    try {
      found = await credentialsOfTarget(target)
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) }
    }
    if (found.kind === 'credentials') throw matcherError(this, shape, 'received a credentials object: nothing can refresh it; pass the client (or its provider)')
    const { credentials } = found
    const seen: Seen = { accessKeyId: credentials.accessKeyId, at: new Date() }
    if (credentials.expiration) seen.expiration = credentials.expiration
    const identity = world.identityOf(credentials.accessKeyId)
    if (identity) seen.identity = identity
    return seen
  }

  const first = await ask()
  const history: (Seen | { error: string })[] = [first]
  let moved: { from: Date; to: Date } | undefined
  let fresh: Seen | undefined
  if (!('error' in first) && first.expiration) {
    const from = new Date()
    const due = first.expiration.getTime() - INTO_WINDOW_MS - Date.now()
    if (due > 0) await world.clock.advance(due)
    moved = { from, to: new Date() }
    for (const ms of PAUSES_MS) {
      const next = await ask()
      history.push(next)
      if (!('error' in next) && next.accessKeyId !== first.accessKeyId) {
        fresh = next
        break
      }
      await pause(ms)
    }
  }
  const pass =
    fresh !== undefined &&
    fresh.identity?.source === expected &&
    (fresh.expiration === undefined || fresh.expiration.getTime() > Date.now())
  const isNot = this.isNot === true
  const failing = pass === isNot
  const report = failing ? (await explained(async () => { const outcome = await probe(target); return outcome.report() })).text : undefined

  return matchResult(this, shape, pass, () => {
    const { printExpected, printReceived } = this.utils
    const rows: Row[] = [['Expected', `${not(isNot)}fresh credentials from ${printExpected(expected)} after the refresh window`]]
    let verdict: string
    if ('error' in first) verdict = `no credentials at all: ${first.error}`
    else if (!first.expiration) verdict = `credentials that never expire (${first.identity?.source ?? 'not from this world'}): the SDK never refreshes them`
    else if (!fresh) verdict = `the same credentials ${history.length - 1} times after the clock moved into the refresh window`
    else if (fresh.identity?.source !== expected) verdict = `fresh credentials, but from ${fresh.identity?.source ?? 'outside this world'}`
    else verdict = `fresh credentials from ${fresh.identity.source} (generation ${fresh.identity.generation ?? '?'})`
    rows.push(['Received', printReceived(verdict)])
    if (moved) rows.push(['Clock', `moved from ${moved.from.toISOString()} to ${moved.to.toISOString()} (4 minutes before the first credentials expire; the SDK refreshes within 5)`])
    const lines = ['Generations seen (the world\'s clock, key ids masked):', ...history.map((h) => ('error' in h ? `  error: ${h.error}` : describe(h, h === first ? undefined : (first as Seen))))]
    const after = ['', ...lines]
    if (!pass && fresh === undefined && !('error' in first) && first.expiration) {
      after.push('', 'Hints:', '  - A client memoizes its credentials; a provider the client was given (not the default chain) may never refresh, or may refresh only once they have expired.')
    }
    return { rows, report, after }
  })
}
