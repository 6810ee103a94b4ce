import type { IssuedCredentials } from '../../servers/ledger.js'

/** What the loopback Signin server knows of one `aws login` session the world wrote. */
export interface LoginSession {
  profile: string
  /** login_session: the signed-in identity's ARN. */
  session: string
  clientId: string
  /** The refresh token the server accepts now (each refresh hands out a new one). */
  refreshToken: string
  /** The DPoP public key (P-256, JWK coordinates) whose private half the cache holds. */
  jwk: { x: string; y: string }
  /** Fresh credentials for a refresh: a new role session of the login's role. */
  refresh(): IssuedCredentials
  /** A `login` fault's refusal: AccessDeniedException with this `error`, or an InternalServerException (HTTP 500) / ValidationException (400). */
  refuse?: { kind: 'accessDenied'; error: string } | { kind: 'unavailable'; status: 400 | 500 }
  /** When the login session ends (ms since the epoch, `sessionExpiresIn`): refreshes are refused from then on, TOKEN_EXPIRED. */
  endsAt?: number
}

export interface LoginServerState {
  sessions: LoginSession[]
  /** DPoP proofs already used (jti): a replayed proof is refused. */
  seen: Set<string>
}

export const loginStateOf = (parts: Readonly<Record<string, unknown>> | undefined): LoginServerState | undefined => parts?.login as LoginServerState | undefined
