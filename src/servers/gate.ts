import { randomUUID } from 'node:crypto'
import { headerOf, type RecordExtras, type Route, type RouteReply, type RouteRequest } from './http.js'
import { jsonServices, unmodelledJsonService } from './gate-json.js'
import { evaluateGatePolicy, type GateDecision } from './gate-policy.js'
import { awsQuery, restJson, type GateFailure } from './gate-protocols.js'
import { s3Service } from './gate-s3.js'
import { gateStoreOf, isInvalid, type GateOperation, type GateService } from './gate-service.js'
import type { ServerWorld } from './state.js'
import { parseAuthorization, stsRoutes, verifySigV4, type SigV4Verdict } from './sts.js'

/**
 * The service gate: where an application's AWS calls land in a world (`AWS_ENDPOINT_URL`; STS
 * and SSO keep their own endpoints). For every request it:
 *
 * 1. names the service and operation: the service from the SigV4 credential scope
 *    (`…/region/SERVICE/aws4_request`) and the request's shape, the operation from
 *    `X-Amz-Target` (awsJson), the `Action` parameter (awsQuery) or S3's method, path and
 *    sub-resource;
 * 2. verifies the signature against the world's ledger (unsigned requests are refused): an
 *    unknown key, a wrong session token, an expired session or a bad signature is answered
 *    with the error that protocol's production service sends;
 * 3. decides with the world's `gate` rules (see gate-policy.ts: an explicit deny wins, then an
 *    allow is needed; no rules allow everything) and answers AccessDenied in the protocol's
 *    shape, worded as AWS words it;
 * 4. answers a modelled operation minimally but validly, or 501 NotImplemented in the
 *    protocol's shape for an operation it does not model (after the same checks).
 *
 * Every request is recorded with service, action and, once the signature is verified, the
 * signer's access key id, principal and source.
 *
 * Modelled: S3 (REST-XML) GetObject, PutObject, HeadObject, DeleteObject, ListObjectsV2,
 * HeadBucket; DynamoDB GetItem, PutItem, DeleteItem, Query; SQS SendMessage, SendMessageBatch,
 * ReceiveMessage, DeleteMessage, GetQueueUrl; Secrets Manager GetSecretValue; SSM GetParameter,
 * GetParameters; STS GetCallerIdentity and AssumeRole (served by the STS mock). Any other
 * service is named from its signature and answered 501 (awsJson, awsQuery or restJson1 errors).
 */

// ---------------------------------------------------------------------------------------------
// Services

const stsQueryRoute = stsRoutes.find((route) => route.method === 'POST')!

function queryParams(request: RouteRequest): URLSearchParams {
  const params = new URLSearchParams(request.rawQuery)
  if (request.method === 'POST' && /x-www-form-urlencoded/.test(headerOf(request, 'content-type') ?? '')) {
    for (const [key, value] of new URLSearchParams(request.text)) params.append(key, value)
  }
  return params
}

function queryService(service: string, handlers: GateService['handlers']): GateService {
  return {
    service,
    protocol: awsQuery,
    handlers,
    operation(request) {
      const params = queryParams(request)
      const action = params.get('Action')
      if (!action || !/^[A-Za-z0-9]+$/.test(action)) return { invalid: 'The request must contain the parameter Action.' }
      const resource = action === 'AssumeRole' ? (params.get('RoleArn') ?? '*') : '*'
      return { action, iamAction: `${service}:${action}`, resource }
    },
  }
}

/** STS through the gate (an STS client whose endpoint is the gate): answered by the STS mock itself. */
const stsService = queryService('sts', {
  GetCallerIdentity: ({ request, world }) => stsQueryRoute.handle(request, world),
  AssumeRole: ({ request, world }) => stsQueryRoute.handle(request, world),
})

/** A REST service the gate does not model: its operation cannot be named, so only a blanket allow (`svc:*`, `*`) covers it. */
function unmodelledRestService(service: string): GateService {
  return {
    service,
    protocol: restJson,
    handlers: {},
    operation: () => ({ action: 'Unknown', iamAction: `${service}:*`, resource: '*' }),
  }
}

function looksLikeQuery(request: RouteRequest): boolean {
  if (request.path !== '/') return false
  if (request.method === 'POST' && /x-www-form-urlencoded/.test(headerOf(request, 'content-type') ?? '')) return true
  return request.method === 'GET' && request.query.has('Action')
}

/** Which service a request is for, from its credential scope and its shape. */
export function gateServiceFor(request: RouteRequest): GateService {
  const authorization = headerOf(request, 'authorization')
  const scoped = authorization !== undefined ? parseAuthorization(authorization)?.service : undefined
  if (scoped === 's3') return s3Service
  const target = headerOf(request, 'x-amz-target')
  if (target !== undefined) {
    const prefix = target.slice(0, Math.max(0, target.indexOf('.')))
    return jsonServices.get(prefix) ?? unmodelledJsonService(scoped ?? (prefix.toLowerCase() || 'unknown'), request)
  }
  if (looksLikeQuery(request)) return scoped === undefined || scoped === 'sts' ? stsService : queryService(scoped, {})
  if (scoped === undefined) return s3Service
  return unmodelledRestService(scoped)
}

// ---------------------------------------------------------------------------------------------
// Decisions in words

function failureOf(verdict: Extract<SigV4Verdict, { ok: false }>, accessKeyId: string | undefined, world: ServerWorld): GateFailure {
  switch (verdict.code) {
    case 'MissingAuthenticationToken':
      return 'missingAuth'
    case 'IncompleteSignature':
      return 'incompleteSignature'
    case 'InvalidClientTokenId':
      return accessKeyId !== undefined && world.ledger.credentialsOf(accessKeyId) ? 'invalidToken' : 'unknownKey'
    case 'ExpiredToken':
      return 'expiredToken'
    default:
      return 'badSignature'
  }
}

/** The action names a call is known by, for the policy: its IAM action first, then `service:Operation`. */
export function actionNamesOf(service: string, operation: Pick<GateOperation, 'action' | 'iamAction'>): string[] {
  const names = [operation.iamAction, `${service}:${operation.action}`]
  return names[0]!.toLowerCase() === names[1]!.toLowerCase() ? [names[0]!] : names
}

/** AccessDenied as AWS words it, naming the principal, the IAM action and the resource. */
export function accessDeniedMessage(service: GateService, operation: GateOperation, principal: string, decision: GateDecision): string {
  const action = service.deniedStyle?.lowerCaseAction ? operation.iamAction.toLowerCase() : operation.iamAction
  const resource = service.deniedStyle?.quoteResource ? `"${operation.resource}"` : operation.resource
  const base = `User: ${principal} is not authorized to perform: ${action} on resource: ${resource}`
  return decision.reason === 'explicitDeny'
    ? `${base} with an explicit deny in a resource-based policy`
    : `${base} because no identity-based policy allows the ${action} action`
}

function notImplementedMessage(service: GateService, action: string): string {
  const modelled = Object.keys(service.handlers)
  return (
    `chainproof's gate does not model ${service.service}:${action}` +
    (modelled.length ? `; for ${service.service} it models ${modelled.join(', ')}` : `; it does not model the ${service.service} service`) +
    '. The call was signed correctly and allowed by the world\'s gate rules.'
  )
}

// ---------------------------------------------------------------------------------------------
// The route

async function handleGate(request: RouteRequest, world: ServerWorld): Promise<RouteReply> {
  const service = gateServiceFor(request)
  const { protocol } = service
  const named = service.operation(request, world)
  const record: RecordExtras = { service: service.service }
  if (named.action !== undefined) record.action = named.action
  const withRecord = (reply: RouteReply): RouteReply => ({ ...reply, record: { ...record, ...reply.record } })

  // 1. Who signed it. Nothing of the request's credentials but the key id ever reaches a reply.
  const authorization = headerOf(request, 'authorization')
  const sentKeyId = authorization !== undefined ? parseAuthorization(authorization)?.accessKeyId : undefined
  const verdict = await verifySigV4(request, world.ledger, service.service, Date.now(), { uriEscapePath: service.uriEscapePath ?? true })
  if (!verdict.ok) {
    return withRecord(protocol.failure(failureOf(verdict, sentKeyId, world), verdict.message, sentKeyId !== undefined ? { accessKeyId: sentKeyId } : {}))
  }
  const caller = verdict.issued
  Object.assign(record, { accessKeyId: caller.accessKeyId, principal: caller.principal, source: caller.source })

  // 2. What it asks for.
  if (isInvalid(named)) return withRecord(protocol.failure('invalidRequest', named.invalid))

  // 3. Whether it may: an explicit deny wins, then an allow is needed.
  const decision = evaluateGatePolicy(world.gate, caller, actionNamesOf(service.service, named))
  if (!decision.allowed) return withRecord(protocol.failure('accessDenied', accessDeniedMessage(service, named, caller.principal, decision)))

  // 4. The answer.
  const handler = Object.hasOwn(service.handlers, named.action) ? service.handlers[named.action] : undefined
  if (!handler) return withRecord(protocol.failure('notImplemented', notImplementedMessage(service, named.action)))
  const reply = await handler({
    request,
    world,
    caller,
    region: verdict.region,
    requestId: randomUUID(),
    operation: named,
    store: gateStoreOf(world),
  })
  return withRecord(reply)
}

export const gateRoutes: readonly Route[] = [{ name: 'gate.service', method: '*', path: /\/.*/, handle: handleGate }]

export { evaluateGatePolicy, gatePolicyProblems, principalNames, type GateDecision, type GatePolicy, type GateSigner } from './gate-policy.js'
export { SECRET_STRING, PARAMETER_VALUE } from './gate-json.js'
