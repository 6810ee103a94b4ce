import { createHash, generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { accountOfArn, roleNameOf } from '../../servers/ledger.js'
import { type PlanContext, homedirFollowsHome, randomToken } from '../../world/plan-context.js'
import type { LoginProfileSpec } from './spec.js'
import type { LoginServerState, LoginSession } from './state.js'

/** The client id `aws login` registers for a same-device sign-in. */
export const LOGIN_CLIENT_ID = 'arn:aws:signin:::devtools/same-device'

/** The cache file the SDK reads for a login_session: `<directory>/<sha256 hex of the session>.json`. */
export function loginCachePath(directory: string, session: string): string {
  return join(directory, `${createHash('sha256').update(session, 'utf8').digest('hex')}.json`)
}

/**
 * A profile's `login: { role, accountId?, cacheDirectory? }`, as `aws login` leaves a machine:
 * `login_session = <the signed-in identity's ARN>` in the profile, and the token cache the SDK's
 * fromLoginCredentials reads — the session's credentials, a refresh token, and the P-256 DPoP key
 * (SEC1 PEM) that signs each refresh. The loopback Signin server (AWS_ENDPOINT_URL_SIGNIN) knows
 * the public half and the refresh token, and answers CreateOAuth2Token with a new session.
 */
export function planLogin(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void {
  const spec = (profile as { login?: LoginProfileSpec }).login
  if (spec === undefined) return
  const key = ctx.keyOf(name)
  const accountId = spec.accountId ?? accountOfArn(spec.role) ?? ctx.accountId
  const roleName = roleNameOf(spec.role)
  const session = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${key}`
  entries.login_session = session
  const issue = () =>
    ctx.ledger.issue({
      source: 'login',
      profile: name,
      principal: { kind: 'role', name: roleName, arn: `arn:aws:iam::${accountId}:role/${roleName}`, accountId, sessionName: key },
      ...(spec.expiresIn !== undefined ? { lifetimeMs: spec.expiresIn * 1000 } : {}),
    })
  const fault = ctx.fileFault('login', name)
  const issued = issue()
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string }
  const refreshToken = randomToken('chainproof-login-refresh-')
  // a token the SDK must refresh: expired a minute ago (it refreshes within 5 minutes of expiry)
  const mustRefresh = fault?.kind === 'expired' || fault?.kind === 'refreshRefused' || fault?.kind === 'refreshUnavailable'
  const expiresAt = mustRefresh ? new Date(Date.now() - 60_000) : issued.expiration!
  const cache: Record<string, unknown> = {
    accessToken: { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken, accountId, expiresAt: expiresAt.toISOString() },
    tokenType: 'aws_sigv4',
    clientId: LOGIN_CLIENT_ID,
    refreshToken,
    dpopKey: privateKey.export({ format: 'pem', type: 'sec1' }),
  }
  if (fault?.kind === 'invalidCache') {
    const field = fault.field ?? 'dpopKey'
    if (field === 'accountId') delete (cache.accessToken as Record<string, unknown>).accountId
    else delete cache[field]
  }
  let directory = join(ctx.awsDir, 'login', 'cache')
  if (spec.cacheDirectory === 'variable') {
    directory = join(ctx.awsDir, '..', 'login-cache', key)
    ctx.env.AWS_LOGIN_CACHE_DIRECTORY = directory
  } else if (!homedirFollowsHome()) {
    // the SDK's login provider asks os.homedir(), which under Jest never sees the world's HOME: name the directory
    ctx.env.AWS_LOGIN_CACHE_DIRECTORY = directory
  }
  if (fault?.kind !== 'missingCache') ctx.files.push({ path: loginCachePath(directory, session), content: JSON.stringify(cache, null, 2) })
  ctx.env.AWS_ENDPOINT_URL_SIGNIN = ctx.endpoints.signin
  const state = (ctx.server.parts.login ??= { sessions: [], seen: new Set<string>() } satisfies LoginServerState) as LoginServerState
  const entry: LoginSession = { profile: name, session, clientId: LOGIN_CLIENT_ID, refreshToken, jwk: { x: jwk.x, y: jwk.y }, refresh: issue }
  if (spec.sessionExpiresIn !== undefined) entry.endsAt = Date.now() + spec.sessionExpiresIn * 1000
  if (fault?.kind === 'refreshRefused') entry.refuse = { kind: 'accessDenied', error: fault.error ?? 'TOKEN_EXPIRED' }
  if (fault?.kind === 'refreshUnavailable') entry.refuse = { kind: 'unavailable', status: fault.status ?? 500 }
  state.sessions.push(entry)
}
