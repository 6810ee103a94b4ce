import type { SourceName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { identityRows, type Row } from './format.js'
import { expectedSourceOf, matcherError, not, processMatch, type MatchCheck } from './process-match.js'
import type { ResolveFromOptions } from './types.js'

/** `await expect(client).toResolveCredentialsFrom('instanceProfile', { profile? })` */
export function toResolveCredentialsFrom(
  this: MatcherContext,
  received: unknown,
  source: SourceName,
  options?: ResolveFromOptions,
): Promise<MatcherResult> {
  const shape = { name: 'toResolveCredentialsFrom', expected: 'source', ...(options !== undefined ? { secondArgument: 'options' } : {}) }
  const expectedSource = expectedSourceOf(this, shape, source)
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw matcherError(this, shape, `options must be an object like { profile: 'dev' }, got ${this.utils.printReceived(options)}`)
  }
  const profile = options?.profile
  if (profile !== undefined && (typeof profile !== 'string' || profile === '')) {
    throw matcherError(this, shape, `options.profile must be a non-empty profile name, got ${this.utils.printReceived(profile)}`)
  }
  const { printExpected, printReceived } = this.utils

  const check: MatchCheck = {
    ...shape,
    pass: (outcome) =>
      outcome.ok && outcome.resolution.source === expectedSource && (profile === undefined || outcome.resolution.profile === profile),
    rows: (outcome, isNot) => {
      const rows: Row[] = [['Expected source', not(isNot) + printExpected(expectedSource)]]
      if (profile !== undefined) rows.push(['Expected profile', not(isNot) + printExpected(profile)])
      if (!outcome.ok) return [...rows, ['Received error', printReceived(outcome.message)]]
      const { resolution } = outcome
      const received = identityRows(this, resolution, { profile: false })
      // The profile row is shown whenever a profile was used, and always when one was expected.
      if (resolution.profile !== undefined || profile !== undefined) received.splice(1, 0, ['Received profile', printReceived(resolution.profile)])
      return [...rows, ...received]
    },
  }
  return processMatch(this, received, check)
}
