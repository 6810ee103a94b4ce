import { randomUUID } from 'node:crypto'
import { headerOf, json, type Route, type RouteReply } from '../../servers/http.js'
import type { ServerWorld } from '../../servers/state.js'
import type { IssuedCredentials } from '../../servers/ledger.js'

/**
 * The IAM Identity Center (SSO) portal's GetRoleCredentials, as the SDK's nested SSO client
 * calls it (restJson1): `GET /federation/credentials?role_name=R&account_id=A` with the cached
 * access token in `x-amz-sso_bearer_token`.
 */

const BEARER_HEADER = 'x-amz-sso_bearer_token'
const DEFAULT_SESSION_NAME = 'chainproof-sso'

/** restJson1 errors: the type in `x-amzn-errortype`, the text in `{ message }`. */
function ssoError(status: number, type: string, message: string): RouteReply {
  return json(status, { message }, { 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() })
}

/** The assignment a GetRoleCredentials request asks for: its role and account, granted to its token (the credentials route and its fetch record share it). */
function assignmentOf(request: Parameters<Route['handle']>[0], world: ServerWorld) {
  const token = headerOf(request, BEARER_HEADER)
  const roleName = request.query.get('role_name')
  const accountId = request.query.get('account_id')
  return world.sso?.assignments.find((a) => a.roleName === roleName && a.accountId === accountId && (a.accessToken === undefined || a.accessToken === token))
}

function getRoleCredentials(request: Parameters<Route['handle']>[0], world: ServerWorld): RouteReply {
  const roleName = request.query.get('role_name')
  const accountId = request.query.get('account_id')
  const sso = world.sso
  // The token is a credential: no message repeats it.
  const token = headerOf(request, BEARER_HEADER)
  if (!sso || token === undefined || (token !== sso.accessToken && !sso.assignments.some((a) => a.accessToken === token))) {
    return ssoError(401, 'UnauthorizedException', 'Session token not found or invalid')
  }
  if (!roleName || !accountId) {
    return ssoError(400, 'InvalidRequestException', 'role_name and account_id are required query parameters')
  }
  const assignment = assignmentOf(request, world)
  if (!assignment) return ssoError(403, 'ForbiddenException', 'No access')
  if (assignment.tokenExpiresAt !== undefined && Date.now() >= assignment.tokenExpiresAt) return ssoError(401, 'UnauthorizedException', 'Session token not found or invalid')
  const profile = assignment.profile || undefined
  const issued = world.ledger.issue({
    source: 'sso',
    ...(profile !== undefined ? { profile } : {}),
    principal: {
      kind: 'role',
      name: roleName,
      arn: `arn:aws:iam::${accountId}:role/${roleName}`,
      accountId,
      sessionName: assignment.sessionName ?? profile ?? DEFAULT_SESSION_NAME,
    },
    ...(assignment.lifetimeMs !== undefined ? { lifetimeMs: assignment.lifetimeMs } : {}),
  })
  return withFetch(issued, json(
    200,
    {
      roleCredentials: {
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken ?? '',
        expiration: (issued.expiration ?? new Date(Date.now() + 3600_000)).getTime(),
      },
    },
    { 'x-amzn-requestid': randomUUID() },
  ))
}

function withFetch(issued: IssuedCredentials, reply: RouteReply): RouteReply {
  return { ...reply, record: { fetch: { source: 'sso', ...(issued.profile !== undefined ? { profile: issued.profile } : {}), step: 'credentials', accessKeyId: issued.accessKeyId } } }
}

export const ssoRoutes: readonly Route[] = [
  {
    name: 'sso.getRoleCredentials',
    method: 'GET',
    path: '/federation/credentials',
    fetch(request, world) {
      const assignment = assignmentOf(request, world)
      return { source: 'sso', ...(assignment?.profile ? { profile: assignment.profile } : {}), step: 'credentials' }
    },
    handle(request, world) {
      const reply = getRoleCredentials(request, world)
      return { ...reply, record: { ...reply.record, service: 'sso', action: 'GetRoleCredentials' } }
    },
  },
]
