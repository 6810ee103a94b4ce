import type { MatcherContext, MatcherResult } from './context.js'
import { identityRows, type Row } from './format.js'
import { matcherError, not, processMatch, type MatchCheck } from './process-match.js'
import type { AsymmetricMatcherLike } from './types.js'

function isAsymmetricMatcher(value: unknown): value is AsymmetricMatcherLike {
  return typeof value === 'object' && value !== null && typeof (value as AsymmetricMatcherLike).asymmetricMatch === 'function'
}

/** `await expect(client).toResolveToPrincipal('arn:aws:iam::123456789012:user/ci' | /assumed-role\/web\// | expect.stringContaining(…))` */
export function toResolveToPrincipal(
  this: MatcherContext,
  received: unknown,
  principal: string | RegExp | AsymmetricMatcherLike,
): Promise<MatcherResult> {
  const shape = { name: 'toResolveToPrincipal', expected: 'principal' }
  if (typeof principal !== 'string' && !(principal instanceof RegExp) && !isAsymmetricMatcher(principal)) {
    throw matcherError(this, shape, `expected an ARN string, a RegExp or an asymmetric matcher, got ${this.utils.printReceived(principal)}`)
  }
  const matches = (arn: string): boolean =>
    // search() ignores a global RegExp's lastIndex, so repeated assertions agree.
    principal instanceof RegExp ? arn.search(principal) !== -1 : this.equals(arn, principal)
  const { printExpected, printReceived } = this.utils
  const check: MatchCheck = {
    ...shape,
    pass: (outcome) => outcome.ok && matches(outcome.resolution.principal),
    rows: (outcome, isNot) => {
      const rows: Row[] = [['Expected principal', not(isNot) + printExpected(principal)]]
      if (!outcome.ok) return [...rows, ['Received error', printReceived(outcome.message)]]
      return [...rows, ...identityRows(this, outcome.resolution, { role: false })]
    },
  }
  return processMatch(this, received, check)
}
