import type { MatcherContext, MatcherResult } from './context.js'
import { identityRows, type Row } from './format.js'
import { matcherError, not, processMatch, type MatchCheck } from './process-match.js'

/** `await expect(client).toFailToResolveCredentials()` or `…('Could not load credentials' | /timed out/)` */
export function toFailToResolveCredentials(this: MatcherContext, received: unknown, message?: string | RegExp): Promise<MatcherResult> {
  const shape = { name: 'toFailToResolveCredentials', expected: message === undefined ? '' : 'message' }
  if (message !== undefined && typeof message !== 'string' && !(message instanceof RegExp)) {
    throw matcherError(this, shape, `expected message must be a string or a RegExp, got ${this.utils.printReceived(message)}`)
  }
  const messageMatches = (text: string): boolean =>
    message === undefined || (typeof message === 'string' ? text.includes(message) : text.search(message) !== -1)
  const { printExpected, printReceived } = this.utils
  const expectedLabel = message instanceof RegExp ? 'Expected pattern' : 'Expected message'

  const check: MatchCheck = {
    ...shape,
    pass: (outcome) => !outcome.ok && messageMatches(outcome.message),
    rows: (outcome, isNot) => {
      const rows: Row[] =
        message === undefined
          ? [['Expected', isNot ? 'credentials to resolve' : 'credential resolution to fail']]
          : [[expectedLabel, not(isNot) + printExpected(message)]]
      if (!outcome.ok) return [...rows, ['Received message', printReceived(outcome.message)]]
      return [...rows, ...identityRows(this, outcome.resolution)]
    },
  }
  return processMatch(this, received, check)
}
