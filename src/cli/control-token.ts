/** The control server's token: made per run, or given; compared in constant time. No heavy imports: the container world uses it. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ChainproofError } from '../errors.js'

/** The variable that carries the control token: serve reads it (then never prints it); programs send it. */
export const CONTROL_TOKEN_VARIABLE = 'CHAINPROOF_CONTROL_TOKEN'
/** The variable serve prints with the control server's URL. */
export const CONTROL_URL_VARIABLE = 'CHAINPROOF_CONTROL_URL'

/** A fresh per-run token: 32 random bytes, base64url (43 characters). */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A token given in CHAINPROOF_CONTROL_TOKEN: at least 16 characters a header can carry. */
export function checkGivenToken(token: string): string {
  if (!/^[\x21-\x7e]{16,512}$/.test(token)) {
    throw new ChainproofError(
      `${CONTROL_TOKEN_VARIABLE} must be 16 to 512 printable characters without spaces (it is sent as "Authorization: Bearer <token>"); unset it and serve makes one`,
    )
  }
  return token
}

/** Constant-time comparison of two tokens of any length (both hashed first, so lengths leak nothing). */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}
