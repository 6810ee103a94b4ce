import type { IssuedCredentials } from './ledger.js'

/**
 * A source's credentials over time, as EC2 and ECS hand them out: the current generation until
 * {@link renewsAt} (15 minutes before it expires, or half its lifetime when that is shorter), then
 * a new one; `rotate` starts a new one at once. Old generations stay valid until they expire.
 */
export interface CredentialStream {
  current(): IssuedCredentials
  rotate(): IssuedCredentials
}

/** When a generation is followed by the next: 15 minutes before it expires, or halfway through a shorter life. */
export function renewsAt(issued: IssuedCredentials): number | undefined {
  if (!issued.expiration) return undefined
  const expires = issued.expiration.getTime()
  const lifetime = expires - (issued.issuedAt?.getTime() ?? expires)
  return expires - Math.min(15 * 60_000, lifetime / 2)
}

export function renewing(issue: () => IssuedCredentials): CredentialStream {
  let current: IssuedCredentials | undefined
  return {
    current() {
      const renew = current && renewsAt(current)
      if (!current || (renew !== undefined && Date.now() >= renew)) current = issue()
      return current
    },
    rotate() {
      return (current = issue())
    },
  }
}
