import { maskKeyId } from '../chain/mask.js'
import { describeValue } from '../probe/target.js'
import type { Identity, RecordedRequest, SourceName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { printList } from './format.js'
import { matcherError, matchResult, observe, type MatchShape } from './process-match.js'
import { expectedSignerRows, parseExpectedSigner, REQUEST_SIGNER_FIELDS, signerMatches, type SignerFacts } from './signer.js'
import type { RequestSignerExpectation } from './types.js'

type IdentityLookup = (accessKeyId: string) => Identity | undefined

/** A world's recorded requests and, when it has one, its ledger lookup. */
interface ReceivedWorld {
  requests: readonly RecordedRequest[]
  identityOf?: IdentityLookup
}

/**
 * The requests of a world: a CredentialWorld or useCredentialWorld handle (`requests` array),
 * or anything with a `requests()` function, e.g. a world in a container that fetches them.
 */
async function worldOf(ctx: MatcherContext, shape: MatchShape, received: unknown): Promise<ReceivedWorld> {
  const value = (await received) as { requests?: unknown; identityOf?: unknown } | null | undefined
  if (typeof value === 'object' && value !== null) {
    let requests = value.requests
    if (typeof requests === 'function') requests = await (requests as () => unknown).call(value)
    if (Array.isArray(requests)) {
      const world: ReceivedWorld = { requests }
      if (typeof value.identityOf === 'function') world.identityOf = (id) => (value.identityOf as IdentityLookup).call(value, id)
      return world
    }
  }
  throw matcherError(
    ctx,
    shape,
    `received value must be a credential world (from createCredentialWorld or useCredentialWorld), or an object with a requests array or a requests() function returning recorded requests; received ${describeValue(value)}`,
  )
}

/** `arn:aws:sts::1:assumed-role/web/i-0abc` → `web`. */
function roleOfPrincipal(principal: string | undefined): string | undefined {
  return principal?.match(/:assumed-role\/([^/]+)\//)?.[1]
}

/**
 * Who signed a recorded request. The servers record the principal and source only once the
 * signature verified; a request with a key id alone (a bad signature, a key the world never
 * issued) was signed by no one this world knows, and never matches.
 */
function signerOf(request: RecordedRequest & { accessKeyId: string }, identityOf: IdentityLookup | undefined): SignerFacts & { verified: boolean } {
  const region = request.region
  if (request.principal === undefined && request.source === undefined) return { accessKeyId: request.accessKeyId, region, verified: false }
  let identity: Identity | undefined
  try {
    identity = identityOf?.(request.accessKeyId)
  } catch {
    identity = undefined
  }
  const principal = request.principal ?? identity?.principal
  return {
    verified: true,
    accessKeyId: request.accessKeyId,
    source: request.source ?? identity?.source,
    profile: identity?.profile,
    role: identity?.role ?? roleOfPrincipal(principal),
    principal,
    region,
  }
}

interface SignedRequest {
  request: RecordedRequest & { accessKeyId: string }
  signer: SignerFacts & { verified: boolean }
}

function operationOf(request: RecordedRequest): string {
  if (request.service !== undefined || request.action !== undefined) return `${request.service ?? '?'}:${request.action ?? '?'}`
  return `${request.method} ${request.path}`
}

/**
 * Identical requests counted once: `2 × sts  sts:AssumeRole  200  ****…WXYZ  profile (base)  arn:…`;
 * with `withRegion`, the signing region after the status.
 */
function groupedRows(signed: readonly SignedRequest[], withRegion: boolean): string[][] {
  const groups = new Map<string, { count: number; cells: string[] }>()
  for (const { request, signer } of signed) {
    const source = !signer.verified ? '-' : signer.source === undefined ? '?' : signer.profile !== undefined ? `${signer.source} (${signer.profile})` : signer.source
    const who = signer.verified ? (signer.principal ?? '?') : 'signature not verified (a key this world never issued, or a bad signature)'
    const cells = [request.server, operationOf(request), String(request.status), ...(withRegion ? [request.region ?? '(no region)'] : []), maskKeyId(request.accessKeyId), source, who]
    const key = cells.join('\u0000')
    const group = groups.get(key)
    if (group) group.count++
    else groups.set(key, { count: 1, cells })
  }
  return [...groups.values()].map(({ count, cells }) => [`${count} ×`, ...cells])
}

/** Titled lists of grouped requests, their columns aligned across every list. */
function requestLists(lists: ReadonlyArray<readonly [title: string, signed: readonly SignedRequest[]]>, withRegion: boolean): string {
  const grouped = lists.filter(([, signed]) => signed.length).map(([title, signed]) => [title, groupedRows(signed, withRegion)] as const)
  const all = grouped.flatMap(([, rows]) => rows)
  const widths = all[0]?.map((_, c) => Math.max(...all.map((row) => row[c]!.length))) ?? []
  const pad = (row: string[]) => row.map((cell, c) => (c === row.length - 1 ? cell : c === 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
  const line = (row: string[]) => {
    const [count, ...cells] = pad(row)
    return `  ${count} ${cells.join('  ')}`
  }
  return grouped.flatMap(([title, rows]) => [title, ...rows.map(line)]).join('\n')
}

function unsignedSummary(requests: readonly RecordedRequest[]): string {
  const counts = new Map<string, number>()
  for (const request of requests) {
    const label = request.action !== undefined ? `${request.server} ${operationOf(request)}` : request.server
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  return [...counts].map(([label, count]) => `${label} ×${count}`).join(', ')
}

const NONE_HINT = [
  '',
  'Hints:',
  "  - Signed requests are recorded when they reach the world's service gate (AWS_ENDPOINT_URL) or its STS (AWS_ENDPOINT_URL_STS); an application in another process needs the world's variables (world.env).",
]

/** The signing regions of the signed requests, each once, in the order they were first seen. */
function regionsSeen(signed: readonly SignedRequest[]): string[] {
  return [...new Set(signed.map(({ request }) => request.region ?? '(no region)'))]
}

/**
 * `await expect(world).toHaveReceivedRequestsSignedBy('instanceProfile' | { source?, profile?, role?, principal?, region? })`:
 * at least one request that reached the world (its gate or STS) was signed with such
 * credentials (for that signing region, when given); under `.not`, none was.
 */
export async function toHaveReceivedRequestsSignedBy(this: MatcherContext, received: unknown, signer: SourceName | RequestSignerExpectation): Promise<MatcherResult> {
  const shape = { name: 'toHaveReceivedRequestsSignedBy', expected: 'signer', received: 'world' }
  observe(received)
  const expected = parseExpectedSigner(this, shape, signer, REQUEST_SIGNER_FIELDS)
  const world = await worldOf(this, shape, received)
  const signed: SignedRequest[] = []
  for (const request of world.requests) {
    if (typeof request?.accessKeyId !== 'string') continue
    const withKey = request as RecordedRequest & { accessKeyId: string }
    signed.push({ request: withKey, signer: signerOf(withKey, world.identityOf) })
  }
  const matching = signed.filter(({ signer }) => signer.verified && signerMatches(this, expected, signer))
  const others = signed.filter((entry) => !matching.includes(entry))
  const isNot = this.isNot === true

  return matchResult(this, shape, matching.length > 0, () => {
    const rows = expectedSignerRows(this, expected, isNot)
    const total = world.requests.length
    if (!signed.length) {
      const received = total === 0 ? 'none (no request reached this world)' : `none signed (${total} unsigned: ${unsignedSummary(world.requests)})`
      return { rows: [...rows, ['Received requests', received]], after: NONE_HINT }
    }
    const count = (n: number) => `${n} signed request${n === 1 ? '' : 's'}`
    rows.push(['Received requests', `${count(signed.length)}, ${matching.length ? `${matching.length} by such a signer` : 'none by such a signer'}`])
    const withRegion = expected.region !== undefined
    if (withRegion) rows.push(['Received regions', printList(this.utils.printReceived, regionsSeen(signed))])
    const report = requestLists(
      [
        ['Signed by such a signer:', matching],
        [matching.length ? 'Signed by others:' : 'Signed requests received:', others],
      ],
      withRegion,
    )
    return { rows, report }
  })
}
