import { normalizeSource } from '../chain/sources.js'
import { maskKeyId } from '../chain/mask.js'
import type { Source } from '../types.js'
import type { MatcherContext } from './context.js'
import type { Row } from './format.js'
import { matcherError, not, type MatchShape } from './process-match.js'
import { isSessionOfRole } from './to-resolve-to-role.js'
import type { AsymmetricMatcherLike, SignerExpectation } from './types.js'

/**
 * The expectation shared by `toBeSignedBy` and `toHaveReceivedRequestsSignedBy`: a source
 * name, or `{ source?, profile?, role?, principal? }` (plus `region?` for recorded requests),
 * validated and normalised.
 */
export interface ExpectedSigner {
  /** The argument was a bare source name (the rows then read like `toResolveCredentialsFrom`'s). */
  bare: boolean
  source?: Source
  profile?: string
  role?: string
  principal?: string | RegExp | AsymmetricMatcherLike
  /** The SigV4 signing region, exactly (recorded requests only). */
  region?: string
}

/** What is known of whoever signed: from the ledger, or from a recorded request. */
export interface SignerFacts {
  accessKeyId: string
  source?: Source | undefined
  profile?: string | undefined
  role?: string | undefined
  principal?: string | undefined
  /** The region the request was signed for, when the facts are about a recorded request. */
  region?: string | undefined
}

/** The fields every signer expectation takes. */
export const SIGNER_FIELDS = ['source', 'profile', 'role', 'principal'] as const
/** A recorded request also names its signing region, so `toHaveReceivedRequestsSignedBy` takes `region` as well. */
export const REQUEST_SIGNER_FIELDS = [...SIGNER_FIELDS, 'region'] as const
type SignerField = (typeof REQUEST_SIGNER_FIELDS)[number]

export function isAsymmetricMatcher(value: unknown): value is AsymmetricMatcherLike {
  return typeof value === 'object' && value !== null && typeof (value as AsymmetricMatcherLike).asymmetricMatch === 'function'
}

/** Validates the expected signer, throwing a matcher error that says what is accepted. */
export function parseExpectedSigner(ctx: MatcherContext, shape: MatchShape, value: unknown, fields: readonly SignerField[] = SIGNER_FIELDS): ExpectedSigner {
  const fail = (problem: string) => matcherError(ctx, shape, problem)
  const sourceOf = (name: unknown, where: string): Source => {
    try {
      return normalizeSource(name, where)
    } catch (error) {
      throw fail((error as Error).message)
    }
  }
  if (typeof value === 'string') return { bare: true, source: sourceOf(value, 'source') }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof RegExp) {
    throw fail(`expected a source name or an object like { source: 'instanceProfile', role: 'web' }, got ${ctx.utils.printReceived(value)}`)
  }
  const given = value as Record<string, unknown>
  const unknown = Object.keys(given).filter((key) => !(fields as readonly string[]).includes(key))
  if (unknown.length) throw fail(`unknown signer field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: use ${fields.join(', ')}`)
  const present = fields.filter((key) => given[key] !== undefined)
  if (!present.length) throw fail(`the expected signer names nothing: give at least one of ${fields.join(', ')}`)
  const expected: ExpectedSigner = { bare: false }
  if (given.source !== undefined) expected.source = sourceOf(given.source, 'signer.source')
  for (const key of ['profile', 'role', 'region'] as const) {
    const field = given[key]
    if (field === undefined || !fields.includes(key)) continue
    if (typeof field !== 'string' || field === '') throw fail(`signer.${key} must be a non-empty string, got ${ctx.utils.printReceived(field)}`)
    expected[key] = field
  }
  const principal = given.principal
  if (principal !== undefined) {
    if (typeof principal !== 'string' && !(principal instanceof RegExp) && !isAsymmetricMatcher(principal)) {
      throw fail(`signer.principal must be an ARN string, a RegExp or an asymmetric matcher, got ${ctx.utils.printReceived(principal)}`)
    }
    expected.principal = principal
  }
  return expected
}

/** Whether the signer is the expected one: every field given must match. */
export function signerMatches(ctx: MatcherContext, expected: ExpectedSigner, facts: SignerFacts): boolean {
  if (expected.source !== undefined && facts.source !== expected.source) return false
  if (expected.profile !== undefined && facts.profile !== expected.profile) return false
  if (expected.region !== undefined && facts.region !== expected.region) return false
  if (expected.role !== undefined && !(facts.principal !== undefined && isSessionOfRole({ role: facts.role, principal: facts.principal }, expected.role))) return false
  if (expected.principal !== undefined) {
    if (facts.principal === undefined) return false
    const { principal } = expected
    // search() ignores a global RegExp's lastIndex, so repeated assertions agree.
    if (principal instanceof RegExp ? facts.principal.search(principal) === -1 : !ctx.equals(facts.principal, principal)) return false
  }
  return true
}

/** `Expected source: "env"`, one row per field given; `not ` before each value under `.not`. */
export function expectedSignerRows(ctx: MatcherContext, expected: ExpectedSigner, isNot: boolean): Row[] {
  const { printExpected } = ctx.utils
  const rows: Row[] = []
  for (const key of REQUEST_SIGNER_FIELDS) {
    const value = expected[key]
    if (value !== undefined) rows.push([`Expected ${key}`, not(isNot) + printExpected(value)])
  }
  return rows
}

/** The rows naming who signed; never a secret, the key id masked. */
export function signerRows(ctx: MatcherContext, facts: SignerFacts): Row[] {
  const { printReceived } = ctx.utils
  const rows: Row[] = []
  if (facts.source !== undefined) rows.push(['Received source', printReceived(facts.source)])
  if (facts.profile !== undefined) rows.push(['Received profile', printReceived(facts.profile)])
  if (facts.role !== undefined) rows.push(['Received role', printReceived(facts.role)])
  if (facts.principal !== undefined) rows.push(['Received principal', printReceived(facts.principal)])
  rows.push(['Access key id', maskKeyId(facts.accessKeyId)])
  return rows
}
