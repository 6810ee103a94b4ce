import type { ResolvedIdentity } from '../probe/outcome.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { identityRows, type Row } from './format.js'
import { matcherError, not, processMatch, type MatchCheck } from './process-match.js'

/** The last path segment of a role ARN's resource, or the bare name itself. */
export function roleNameOf(roleNameOrArn: string): string {
  if (!roleNameOrArn.startsWith('arn:')) return roleNameOrArn
  const resource = roleNameOrArn.split(':').slice(5).join(':')
  return resource.slice(resource.lastIndexOf('/') + 1)
}

function accountOf(arn: string): string | undefined {
  return arn.startsWith('arn:') ? arn.split(':')[4] || undefined : undefined
}

/**
 * Whether a resolved identity is a session of the expected role. A bare name compares role
 * names; an ARN also compares the account (the session's ARN carries no role path, so a
 * path in the expected ARN cannot be checked and is ignored).
 */
export function isSessionOfRole(identity: Pick<ResolvedIdentity, 'role' | 'principal'>, roleNameOrArn: string): boolean {
  if (identity.role === undefined) return false
  if (roleNameOf(identity.role) !== roleNameOf(roleNameOrArn)) return false
  if (!roleNameOrArn.startsWith('arn:')) return true
  const expectedAccount = accountOf(roleNameOrArn)
  return expectedAccount === (accountOf(identity.role) ?? accountOf(identity.principal))
}

/** `await expect(client).toResolveToRole('web')` or `…toResolveToRole('arn:aws:iam::123456789012:role/web')` */
export function toResolveToRole(this: MatcherContext, received: unknown, roleNameOrArn: string): Promise<MatcherResult> {
  const shape = { name: 'toResolveToRole', expected: 'role' }
  if (typeof roleNameOrArn !== 'string' || roleNameOrArn === '') {
    throw matcherError(this, shape, `expected a role name or role ARN (a non-empty string), got ${this.utils.printReceived(roleNameOrArn)}`)
  }
  const { printExpected, printReceived } = this.utils
  const check: MatchCheck = {
    ...shape,
    pass: (outcome) => outcome.ok && isSessionOfRole(outcome.resolution, roleNameOrArn),
    rows: (outcome, isNot) => {
      const rows: Row[] = [['Expected role', not(isNot) + printExpected(roleNameOrArn)]]
      if (!outcome.ok) return [...rows, ['Received error', printReceived(outcome.message)]]
      const received = identityRows(this, outcome.resolution)
      if (outcome.resolution.role === undefined) received.push(['Note', 'these are user credentials, not a role session'])
      return [...rows, ...received]
    },
  }
  return processMatch(this, received, check)
}
