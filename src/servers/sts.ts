import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { accountOfArn, roleNameOf, type IssuedCredentials, type Ledger } from './ledger.js'
import { headerOf, isoSeconds, xmlEscape, type RecordExtras, type Route, type RouteReply, type RouteRequest } from './http.js'
import type { FetchTag, ServerWorld } from './state.js'
import { parseAmzDate, parseAuthorizationHeader, parseCredentialScope, parseSigningQuery } from '../sigv4.js'

export { parseAmzDate }

/**
 * AWS STS over the query protocol (form-encoded POST, XML answers) as the SDK's nested STS
 * client speaks it: AssumeRole and GetCallerIdentity (SigV4-signed, verified against the
 * world's ledger) and AssumeRoleWithWebIdentity (unsigned, checked against the world's tokens).
 */

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/'
const STS_VERSION = '2011-06-15'
/** Real AWS refuses a signature whose date is more than 15 minutes from its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000

// ---------------------------------------------------------------------------------------------
// SigV4 verification (header-signed requests), shared with any server that checks signatures.

export type SigV4Verdict =
  | { ok: true; issued: IssuedCredentials; region: string; service: string }
  | { ok: false; status: number; code: string; message: string }

interface ParsedAuthorization {
  accessKeyId: string
  date: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
}

/** The parts of an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header, or undefined when malformed. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const header = parseAuthorizationHeader(value)
  if (!header || header.algorithm !== 'AWS4-HMAC-SHA256') return undefined
  const scope = parseCredentialScope(header.credential)
  return scope && { ...scope, signedHeaders: header.signedHeaders, signature: header.signature }
}

const deny = (status: number, code: string, message: string): SigV4Verdict => ({ ok: false, status, code, message })

export interface SigV4VerifyOptions {
  /**
   * Whether the canonical path is the sent path URI-encoded again (SigV4's default, true) or the
   * path exactly as sent (false): S3 signs its paths without double-encoding.
   */
  uriEscapePath?: boolean
}

/**
 * Verifies a header-signed SigV4 request against the credentials the ledger issued: the key must
 * be known, its session token must match, the date must be current, and re-signing exactly the
 * signed headers with the ledger's secret must give the same signature.
 */
export async function verifySigV4(
  request: RouteRequest,
  ledger: Ledger,
  expectedService: string,
  now = Date.now(),
  options: SigV4VerifyOptions = {},
): Promise<SigV4Verdict> {
  const authorization = headerOf(request, 'authorization')
  if (authorization === undefined) return deny(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token')
  const parsed = parseAuthorization(authorization)
  if (!parsed) {
    return deny(400, 'IncompleteSignature', "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256).")
  }
  const issued = ledger.credentialsOf(parsed.accessKeyId)
  if (!issued) return deny(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')

  const sentToken = headerOf(request, 'x-amz-security-token')
  if (issued.sessionToken !== undefined ? sentToken !== issued.sessionToken : sentToken !== undefined) {
    return deny(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
  }
  // Expired instance credentials are still honoured: AWS accepts them while IMDS cannot hand out new
  // ones (the SDKs' static stability relies on it). Every other expired session is refused.
  if (issued.expiration && issued.expiration.getTime() <= now && issued.source !== 'instanceProfile') {
    return deny(403, 'ExpiredToken', 'The security token included in the request is expired')
  }

  const amzDate = headerOf(request, 'x-amz-date')
  const signingDate = parseAmzDate(amzDate)
  if (!signingDate || !parsed.signedHeaders.includes('x-amz-date')) {
    return deny(400, 'IncompleteSignature', 'AWS authentication requires a valid, signed X-Amz-Date header.')
  }
  if (amzDate!.slice(0, 8) !== parsed.date) {
    return deny(403, 'SignatureDoesNotMatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate!.slice(0, 8)}'`)
  }
  if (Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return deny(403, 'SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier or later than the server time by more than 15 minutes.`)
  }
  if (parsed.service !== expectedService) {
    return deny(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${expectedService}'.`)
  }
  if (!parsed.signedHeaders.includes('host')) {
    return deny(403, 'SignatureDoesNotMatch', "'Host' must be a signed header.")
  }

  // Rebuild the request from exactly the headers the client signed. The date, the token and a
  // hex payload hash are regenerated by the signer (from the ledger and the body actually
  // received), so a tampered body or a wrong token cannot match.
  const headers: Record<string, string> = {}
  let applyChecksum = false
  for (const name of parsed.signedHeaders) {
    const value = headerOf(request, name)
    if (value === undefined) return deny(403, 'SignatureDoesNotMatch', `Signed header '${name}' is missing from the request.`)
    if (name === 'x-amz-date' || name === 'x-amz-security-token') continue
    if (name === 'x-amz-content-sha256' && /^[0-9a-f]{64}$/i.test(value)) {
      applyChecksum = true
      continue
    }
    headers[name] = value
  }
  const host = headerOf(request, 'host') ?? ''
  const toSign = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: host.replace(/:\d+$/, ''),
    path: request.path,
    query: parseSigningQuery(request.rawQuery),
    headers,
    body: request.body,
  })
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      ...(parsed.signedHeaders.includes('x-amz-security-token') && issued.sessionToken !== undefined ? { sessionToken: issued.sessionToken } : {}),
    },
    region: parsed.region,
    service: parsed.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum,
    uriEscapePath: options.uriEscapePath ?? true,
  })
  const signed = await signer.sign(toSign, {
    signingDate,
    signingRegion: parsed.region,
    signingService: parsed.service,
    signableHeaders: new Set(parsed.signedHeaders),
  })
  const expected = parseAuthorization(String(signed.headers['authorization'] ?? ''))
  const same =
    expected !== undefined &&
    expected.signedHeaders.join(';') === parsed.signedHeaders.join(';') &&
    expected.signature.length === parsed.signature.length &&
    timingSafeEqual(Buffer.from(expected.signature), Buffer.from(parsed.signature))
  if (!same) {
    return deny(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    )
  }
  return { ok: true, issued, region: parsed.region, service: parsed.service }
}

// ---------------------------------------------------------------------------------------------
// XML answers

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`
}

function leaf(name: string, value: string | number): string {
  return element(name, xmlEscape(String(value)))
}

function stsResponse(action: string, result: string, requestId: string): RouteReply {
  const body =
    `<${action}Response xmlns="${STS_XMLNS}">\n` +
    `  ${element(`${action}Result`, result)}\n` +
    `  ${element('ResponseMetadata', leaf('RequestId', requestId))}\n` +
    `</${action}Response>\n`
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body }
}

export function stsError(status: number, code: string, message: string, requestId: string = randomUUID()): RouteReply {
  const body =
    `<ErrorResponse xmlns="${STS_XMLNS}">\n` +
    `  ${element('Error', leaf('Type', status >= 500 ? 'Receiver' : 'Sender') + leaf('Code', code) + leaf('Message', message))}\n` +
    `  ${leaf('RequestId', requestId)}\n` +
    `</ErrorResponse>\n`
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body }
}

/** A stable, realistic-looking unique id (`AROA…`, `AIDA…`) for a role or user ARN. */
export function uniqueIdOf(prefix: 'AROA' | 'AIDA', arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const digest = createHash('sha256').update(arn).digest()
  let out = prefix
  for (let i = 0; i < 17; i++) out += alphabet[digest[i]! % alphabet.length]
  return out
}

function credentialsXml(issued: IssuedCredentials): string {
  return element(
    'Credentials',
    leaf('AccessKeyId', issued.accessKeyId) +
      leaf('SecretAccessKey', issued.secretAccessKey) +
      leaf('SessionToken', issued.sessionToken ?? '') +
      leaf('Expiration', isoSeconds(issued.expiration ?? new Date(Date.now() + 3600_000))),
  )
}

function assumedRoleUserXml(issued: IssuedCredentials): string {
  return element(
    'AssumedRoleUser',
    leaf('AssumedRoleId', `${uniqueIdOf('AROA', issued.roleArn ?? issued.principal)}:${issued.sessionName ?? ''}`) + leaf('Arn', issued.principal),
  )
}

// ---------------------------------------------------------------------------------------------
// Parameters and validation

type Params = URLSearchParams

function paramsOf(request: RouteRequest): Params {
  const params = new URLSearchParams(request.rawQuery)
  if (request.method === 'POST' && request.text) for (const [key, value] of new URLSearchParams(request.text)) params.append(key, value)
  return params
}

class ValidationFailure extends Error {}

function validationError(field: string, value: string, constraint: string): never {
  throw new ValidationFailure(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`)
}

function requiredParam(params: Params, name: string): string {
  const value = params.get(name)
  if (value === null || value === '') throw new ValidationFailure(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`)
  return value
}

function roleArnParam(params: Params): string {
  const roleArn = requiredParam(params, 'RoleArn')
  if (roleArn.length < 20 || roleArn.length > 2048 || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)) {
    validationError('roleArn', roleArn, 'Member must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)')
  }
  return roleArn
}

function sessionNameParam(params: Params): string {
  const name = requiredParam(params, 'RoleSessionName')
  if (!/^[\w+=,.@-]{2,64}$/.test(name)) {
    validationError('roleSessionName', name, 'Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64')
  }
  return name
}

function durationParam(params: Params): number {
  const raw = params.get('DurationSeconds')
  if (raw === null || raw === '') return 3600
  const seconds = Number(raw)
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
    validationError('durationSeconds', raw, 'Member must have value between 900 and 43200')
  }
  return seconds
}

/** Real STS only reports PackedPolicySize when session policies or tags were passed. */
function packedPolicySizeXml(params: Params): string {
  const policyText = [...params.entries()].filter(([key]) => key === 'Policy' || key.startsWith('PolicyArns.') || key.startsWith('Tags.')).map(([, v]) => v).join('')
  return policyText ? leaf('PackedPolicySize', Math.min(100, Math.max(1, Math.ceil(policyText.length / 20)))) : ''
}

interface WebIdentityClaims {
  subject: string
  audience: string
  provider: string
}

/** What AssumeRoleWithWebIdentity reports from the token's claims, when it is a JWT. */
function claimsOf(token: string, accountId: string): WebIdentityClaims {
  const fallback: WebIdentityClaims = { subject: 'chainproof-subject', audience: 'sts.amazonaws.com', provider: `arn:aws:iam::${accountId}:oidc-provider/chainproof.local` }
  const parts = token.split('.')
  if (parts.length !== 3) return fallback
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { sub?: unknown; aud?: unknown; iss?: unknown }
    const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud
    return {
      subject: typeof payload.sub === 'string' ? payload.sub : fallback.subject,
      audience: typeof aud === 'string' ? aud : fallback.audience,
      provider: typeof payload.iss === 'string' ? payload.iss.replace(/^https:\/\//, '') : fallback.provider,
    }
  } catch {
    return fallback
  }
}

// ---------------------------------------------------------------------------------------------
// Actions

type Via = 'AssumeRole' | 'AssumeRoleWithWebIdentity'

function issueRoleSession(world: ServerWorld, roleArn: string, sessionName: string, durationSeconds: number, via: Via): IssuedCredentials {
  const origin = world.sts.originOfSession(sessionName, roleArn, via)
  const { source, profile } = origin
  return world.ledger.issue({
    source,
    ...(profile !== undefined ? { profile } : {}),
    principal: {
      kind: 'role',
      name: roleNameOf(roleArn),
      arn: roleArn,
      accountId: accountOfArn(roleArn) ?? world.accountId,
      sessionName,
    },
    lifetimeMs: world.sts.lifetimeOf?.(origin) ?? durationSeconds * 1000,
  })
}

/** The reply, noting which key the fetch handed out. */
function withFetchedKey(issued: IssuedCredentials, reply: RouteReply): RouteReply {
  return { ...reply, record: { ...reply.record, fetch: { source: issued.source, ...(issued.profile !== undefined ? { profile: issued.profile } : {}), step: 'credentials', accessKeyId: issued.accessKeyId } } }
}

interface ActionContext {
  params: Params
  world: ServerWorld
  requestId: string
  caller?: IssuedCredentials
}

interface Action {
  signed: boolean
  run(context: ActionContext): RouteReply
}

const ACTIONS: Record<string, Action> = {
  AssumeRole: {
    signed: true,
    run({ params, world, requestId }) {
      const roleArn = roleArnParam(params)
      const sessionName = sessionNameParam(params)
      const duration = durationParam(params)
      const issued = issueRoleSession(world, roleArn, sessionName, duration, 'AssumeRole')
      return withFetchedKey(issued, stsResponse('AssumeRole', credentialsXml(issued) + assumedRoleUserXml(issued) + packedPolicySizeXml(params), requestId))
    },
  },
  AssumeRoleWithWebIdentity: {
    signed: false,
    run({ params, world, requestId }) {
      const roleArn = roleArnParam(params)
      const sessionName = sessionNameParam(params)
      const token = requiredParam(params, 'WebIdentityToken')
      const duration = durationParam(params)
      // The token is a credential: no message repeats it.
      if (!world.sts.webIdentityTokens.has(token)) {
        return stsError(400, 'InvalidIdentityToken', 'The web identity token is not one this chainproof world issued (check AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file).', requestId)
      }
      const issued = issueRoleSession(world, roleArn, sessionName, duration, 'AssumeRoleWithWebIdentity')
      const claims = claimsOf(token, world.accountId)
      return withFetchedKey(issued, stsResponse(
        'AssumeRoleWithWebIdentity',
        credentialsXml(issued) +
          leaf('SubjectFromWebIdentityToken', claims.subject) +
          assumedRoleUserXml(issued) +
          packedPolicySizeXml(params) +
          leaf('Provider', claims.provider) +
          leaf('Audience', claims.audience),
        requestId,
      ))
    },
  },
  GetCallerIdentity: {
    signed: true,
    run({ caller, requestId }) {
      const identity = caller!
      const userId =
        identity.roleArn !== undefined ? `${uniqueIdOf('AROA', identity.roleArn)}:${identity.sessionName ?? ''}` : uniqueIdOf('AIDA', identity.principal)
      return stsResponse('GetCallerIdentity', leaf('UserId', userId) + leaf('Account', identity.accountId) + leaf('Arn', identity.principal), requestId)
    },
  },
}

async function handleQuery(request: RouteRequest, world: ServerWorld): Promise<RouteReply> {
  const requestId = randomUUID()
  const params = paramsOf(request)
  const actionName = params.get('Action')
  const record: RecordExtras = { service: 'sts' }
  const withRecord = (reply: RouteReply): RouteReply => ({ ...reply, record: { ...record, ...reply.record } })

  if (!actionName) return withRecord(stsError(400, 'MissingAction', 'The request must contain the parameter Action.', requestId))
  record.action = actionName
  const version = params.get('Version')
  const action = Object.hasOwn(ACTIONS, actionName) ? ACTIONS[actionName] : undefined
  if (!action || (version !== null && version !== STS_VERSION)) {
    return withRecord(stsError(400, 'InvalidAction', `Could not find operation ${actionName} for version ${version ?? 'NO_VERSION_SPECIFIED'} (chainproof's STS serves AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity, version ${STS_VERSION}).`, requestId))
  }

  let caller: IssuedCredentials | undefined
  if (action.signed) {
    const verdict = await verifySigV4(request, world.ledger, 'sts')
    if (!verdict.ok) return withRecord(stsError(verdict.status, verdict.code, verdict.message, requestId))
    caller = verdict.issued
    record.accessKeyId = caller.accessKeyId
    record.principal = caller.principal
    record.source = caller.source
  }
  try {
    return withRecord(action.run({ params, world, requestId, ...(caller ? { caller } : {}) }))
  } catch (error) {
    if (error instanceof ValidationFailure) return withRecord(stsError(400, 'ValidationError', error.message, requestId))
    throw error
  }
}

/** AssumeRole and AssumeRoleWithWebIdentity fetch credentials: for the source and profile whose session name and role they carry. */
function stsFetch(request: RouteRequest, world: ServerWorld): FetchTag | undefined {
  const params = paramsOf(request)
  const action = params.get('Action')
  if (action !== 'AssumeRole' && action !== 'AssumeRoleWithWebIdentity') return undefined
  const origin = world.sts.originOfSession(params.get('RoleSessionName') ?? '', params.get('RoleArn') ?? '', action)
  return { source: origin.source, ...(origin.profile !== undefined ? { profile: origin.profile } : {}), step: 'credentials' }
}

export const stsRoutes: readonly Route[] = [
  { name: 'sts.query', method: 'POST', path: '/', handle: handleQuery, fetch: stsFetch },
  { name: 'sts.query', method: 'GET', path: '/', handle: handleQuery, fetch: stsFetch },
]
