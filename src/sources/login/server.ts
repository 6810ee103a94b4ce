import { createPublicKey, randomUUID, verify } from 'node:crypto'
import { headerOf, json, type Route, type RouteReply, type RouteRequest } from '../../servers/http.js'
import type { ServerWorld } from '../../servers/state.js'
import { type LoginSession, loginStateOf } from './state.js'

/**
 * The AWS Sign-In service's CreateOAuth2Token (restJson1, `POST /v1/token`, no SigV4), as the
 * SDK's fromLoginCredentials calls it to refresh an `aws login` session: the body is
 * `{ clientId, refreshToken, grantType: "refresh_token" }` and a `DPoP` header carries an ES256
 * proof (RFC 9449) signed with the key in the login cache. The proof is verified — the key must
 * be the session's, the signature valid, `htm`/`htu` this request, `iat` recent and `jti` new —
 * before a new session is issued.
 */

/** restJson1 errors: the type in `x-amzn-errortype`, `error` and `message` in the body. */
function signinError(status: number, type: string, error: string, message: string): RouteReply {
  return json(status, { error, message }, { 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() })
}

const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Why a DPoP proof is refused, or undefined when it proves possession of the session's key for this request. */
export function dpopProblem(proof: string | undefined, request: RouteRequest, session: LoginSession, seen: Set<string>, now = Date.now()): string | undefined {
  if (!proof) return 'the request carries no DPoP header'
  const parts = proof.split('.')
  if (parts.length !== 3) return 'the DPoP proof is not a compact JWS (header.payload.signature)'
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = b64json(headerPart)
  const payload = b64json(payloadPart)
  if (!header || !payload) return 'the DPoP proof header or payload is not base64url JSON'
  if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256') return `the DPoP proof must be typ "dpop+jwt", alg "ES256" (got ${JSON.stringify(header.typ)}, ${JSON.stringify(header.alg)})`
  const jwk = header.jwk as { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown } | undefined
  if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return 'the DPoP proof header lacks an EC P-256 jwk'
  if (jwk.x !== session.jwk.x || jwk.y !== session.jwk.y) return "the DPoP key is not this session's (the login cache's dpopKey signs refreshes)"
  let valid = false
  try {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' })
    valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signaturePart, 'base64url'))
  } catch {
    valid = false
  }
  if (!valid) return 'the DPoP proof signature does not verify'
  if (payload.htm !== request.method) return `the DPoP proof's htm ${JSON.stringify(payload.htm)} is not this request's method ${request.method}`
  const htu = `http://${headerOf(request, 'host') ?? ''}${request.path}`
  if (payload.htu !== htu) return `the DPoP proof's htu ${JSON.stringify(payload.htu)} is not this request's URL ${htu}`
  if (typeof payload.iat !== 'number' || Math.abs(payload.iat * 1000 - now) > 300_000) return 'the DPoP proof is not recent (iat more than 5 minutes away)'
  if (typeof payload.jti !== 'string' || !payload.jti) return 'the DPoP proof has no jti'
  if (seen.has(payload.jti)) return 'the DPoP proof was already used (jti replayed)'
  seen.add(payload.jti)
  return undefined
}

/** CreateOAuth2Token's input (its `tokenInput`, or the body itself); undefined when the body is not JSON. */
function tokenInputOf(request: RouteRequest): Record<string, unknown> | undefined {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(request.text || '{}') as Record<string, unknown>
  } catch {
    return undefined
  }
  return (typeof body.tokenInput === 'object' && body.tokenInput !== null ? body.tokenInput : body) as Record<string, unknown>
}

function createOAuth2Token(request: RouteRequest, world: ServerWorld): RouteReply {
  const state = loginStateOf(world.parts)
  const input = tokenInputOf(request)
  if (!input) return signinError(400, 'ValidationException', 'INVALID_REQUEST', 'the body is not JSON')
  if (input.grantType !== 'refresh_token') return signinError(400, 'ValidationException', 'INVALID_REQUEST', 'grantType must be "refresh_token"')
  // The refresh token is a credential: no message repeats it.
  const session = state?.sessions.find((s) => s.refreshToken === input.refreshToken && s.clientId === input.clientId)
  if (!state || !session) return signinError(400, 'AccessDeniedException', 'TOKEN_EXPIRED', 'Refresh token not found, expired or revoked: sign in again with aws login')
  const problem = dpopProblem(headerOf(request, 'dpop'), request, session, state.seen)
  if (problem) return { ...signinError(400, 'AccessDeniedException', 'INVALID_DPOP_PROOF', `DPoP proof refused: ${problem}`), record: { source: 'login' } }
  if (session.endsAt !== undefined && Date.now() >= session.endsAt) {
    return signinError(400, 'AccessDeniedException', 'TOKEN_EXPIRED', 'The login session has ended (sessionExpiresIn): sign in again with aws login')
  }
  if (session.refuse?.kind === 'accessDenied') return signinError(400, 'AccessDeniedException', session.refuse.error, 'The refresh was refused (chainproof login fault)')
  if (session.refuse?.kind === 'unavailable') {
    return session.refuse.status === 400
      ? signinError(400, 'ValidationException', 'INVALID_REQUEST', 'The refresh request was rejected (chainproof login fault)')
      : signinError(500, 'InternalServerException', 'SERVER_ERROR', 'The sign-in service is unavailable (chainproof login fault)')
  }
  const issued = session.refresh()
  session.refreshToken = 'chainproof-login-refresh-' + randomUUID()
  const fetch = { source: 'login' as const, profile: session.profile, step: 'credentials' as const, accessKeyId: issued.accessKeyId }
  return { record: { fetch }, ...json(
    200,
    {
      accessToken: { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken ?? '' },
      tokenType: 'aws_sigv4',
      expiresIn: Math.round(((issued.expiration?.getTime() ?? Date.now() + 900_000) - Date.now()) / 1000),
      refreshToken: session.refreshToken,
    },
    { 'x-amzn-requestid': randomUUID() },
  ) }
}

export const signinRoutes: readonly Route[] = [
  {
    name: 'signin.createOAuth2Token',
    method: 'POST',
    path: '/v1/token',
    fetch(request, world) {
      // a body that is not JSON is a fetch all the same, of no profile
      const input = tokenInputOf(request) ?? {}
      const session = loginStateOf(world.parts)?.sessions.find((s) => s.refreshToken === input.refreshToken)
      return { source: 'login', ...(session ? { profile: session.profile } : {}), step: 'credentials' }
    },
    handle(request, world) {
      const reply = createOAuth2Token(request, world)
      return { ...reply, record: { service: 'signin', action: 'CreateOAuth2Token', source: 'login', ...reply.record } }
    },
  },
]
