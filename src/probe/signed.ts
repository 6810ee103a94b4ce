import { createHash, timingSafeEqual } from 'node:crypto'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { ChainproofError } from '../errors.js'
import { maskKeyId } from '../chain/mask.js'
import type { ChainReport, Identity } from '../types.js'
import { activeWorld } from '../world/world.js'
import { describeValue } from './target.js'
import { type SigningQuery, parseAmzDate, parseAuthorizationHeader, parseCredentialScope, parseSigningQuery } from '../sigv4.js'

export { parseAmzDate, parseAuthorizationHeader, parseCredentialScope, parseSigningQuery }

/**
 * Who signed an artifact: a presigned URL, an RDS IAM auth token or a SigV4-signed request.
 * The access key id names the signer through the world's ledger; the signature is then
 * recomputed with the ledger's secret, so a tampered artifact or one signed with credentials
 * the world never issued is told apart from a genuine one. Parsing and re-signing are pure
 * functions over plain data; only {@link identifySigner} looks at the active world.
 *
 * A URL carries no header values, so a presigned URL that signs headers other than `host`
 * (a presigned PUT with a ContentType, say) can only be verified when those values are given.
 */

export type SignedArtifactKind = 'presignedUrl' | 'rdsAuthToken' | 'signedRequest'

type Query = SigningQuery

/** What a signed artifact says about its signature, parsed; the signature itself is kept only to compare. */
export interface SignedArtifact {
  kind: SignedArtifactKind
  accessKeyId: string
  /** The credential scope: `YYYYMMDD/region/service/aws4_request`. */
  scope: { date: string; region: string; service: string }
  /** X-Amz-Date, as written (`20260102T030405Z`). */
  amzDate: string
  signingDate: Date
  /** X-Amz-Expires in seconds; query-signed artifacts only. */
  expiresIn?: number
  signedHeaders: string[]
  signature: string
  /** The session token the artifact carries, to compare with the ledger's. Never shown. */
  sessionToken?: string
  /** The request as it was before signing (signature parameters removed), to sign again. */
  unsigned: HttpRequest
  /** `host:port` as it appears in the artifact. */
  authority: string
}

/** The part of the ledger's record needed to re-sign: secrets stay inside this module. */
export interface SigningCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** `unverifiable`: the signature covers header values the artifact does not carry (a URL carries none). */
export type SignatureCheck = { ok: true } | { ok: false; detail: string; unverifiable?: true }

/** What may be shown of a signed artifact: no signature, no token, no request. */
export interface ArtifactSummary {
  kind: SignedArtifactKind
  accessKeyId: string
  scope: { date: string; region: string; service: string }
  signingDate: Date
  expiresIn?: number
  signedHeaders: string[]
  authority: string
  /** `a presigned URL for s3 in us-east-1`, `an RDS auth token for db:5432 (rds-db in us-east-1)`… */
  description: string
}

/**
 * What {@link identifySigner} found out, for matchers to judge. Never holds a secret. `report`
 * explains the world's default chain (why that source was the one to sign), on demand.
 */
export type SignerVerdict = { report(): Promise<ChainReport> } & (
  | { status: 'verified'; artifact: ArtifactSummary; identity: Identity }
  | { status: 'unknown-key'; artifact: ArtifactSummary }
  | { status: 'mismatch'; artifact: ArtifactSummary; identity: Identity; detail: string }
  | { status: 'unverifiable'; artifact: ArtifactSummary; identity: Identity; detail: string }
)

const ALGORITHM = 'AWS4-HMAC-SHA256'
const SIGV4A = 'AWS4-ECDSA-P256-SHA256'
/** The query parameters a presign writes (and which are therefore rewritten when signing again). */
const PRESIGN_PARAMS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-signedheaders', 'x-amz-signature', 'x-amz-security-token']

const sha256 = Hash.bind(null, 'sha256')

// ---------------------------------------------------------------------------------------------
// Parsing

/** A query parameter by case-insensitive name, with the name as written. */
function queryEntry(query: Query, name: string): [key: string, value: string] | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(query)) {
    if (key.toLowerCase() === lower) return [key, Array.isArray(value) ? value[0]! : value]
  }
  return undefined
}

function headerEntry(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value
  return undefined
}

interface UrlParts {
  protocol: string
  authority: string
  hostname: string
  port?: number
  path: string
  rawQuery: string
}

/**
 * Splits a URL, or an RDS token (a URL without its scheme), without normalising anything: the
 * path and query must stay byte for byte as signed.
 */
export function splitUrl(text: string): UrlParts | undefined {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#\s]+)([^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/i.exec(text.trim())
  if (!match) return undefined
  const authority = match[2]!
  const hostMatch = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority.replace(/^[^@]*@/, ''))
  if (!hostMatch) return undefined
  const parts: UrlParts = {
    protocol: `${(match[1] ?? 'https').toLowerCase()}:`,
    authority: authority.replace(/^[^@]*@/, ''),
    hostname: hostMatch[1]!,
    path: match[3] || '/',
    rawQuery: match[4] ?? '',
  }
  if (hostMatch[2] !== undefined) parts.port = Number(hostMatch[2])
  return parts
}

/** The artifact when it is query-signed (presigned URL, RDS token, presigned HttpRequest). */
function parseQuerySigned(kind: SignedArtifactKind, parts: UrlParts, query: Query, headers: Record<string, string>): SignedArtifact {
  const what = kind === 'signedRequest' ? 'the presigned request' : kind === 'rdsAuthToken' ? 'the RDS auth token' : 'the presigned URL'
  const param = (name: string): string => {
    const found = queryEntry(query, name)
    if (!found || found[1] === '') throw new ChainproofError(`${what} has no ${name} query parameter, so it is not a complete SigV4 presigned URL`)
    return found[1]
  }
  const algorithm = param('X-Amz-Algorithm')
  if (algorithm === SIGV4A) throw new ChainproofError(`${what} is signed with SigV4a (${SIGV4A}), which chainproof cannot verify; sign with SigV4 (${ALGORITHM})`)
  if (algorithm !== ALGORITHM) throw new ChainproofError(`${what} is signed with ${JSON.stringify(algorithm)}, not ${ALGORITHM}`)
  const scope = parseCredentialScope(param('X-Amz-Credential'))
  if (!scope) throw new ChainproofError(`${what} has a malformed X-Amz-Credential (expected AKID/YYYYMMDD/region/service/aws4_request)`)
  const amzDate = param('X-Amz-Date')
  const signingDate = parseAmzDate(amzDate)
  if (!signingDate) throw new ChainproofError(`${what} has a malformed X-Amz-Date ${JSON.stringify(amzDate)} (expected YYYYMMDDTHHMMSSZ)`)
  const expires = param('X-Amz-Expires')
  const expiresIn = Number(expires)
  if (!Number.isInteger(expiresIn) || expiresIn < 1) throw new ChainproofError(`${what} has a malformed X-Amz-Expires ${JSON.stringify(expires)} (expected a number of seconds)`)

  const unsignedQuery: Query = {}
  const unsignedHeaders: Record<string, string> = { ...headers }
  for (const [key, value] of Object.entries(query)) {
    const lower = key.toLowerCase()
    if (PRESIGN_PARAMS.includes(lower)) continue
    // A presign hashes the payload from this header and then hoists it into the query: put it back.
    if (lower === 'x-amz-content-sha256') unsignedHeaders[key] = Array.isArray(value) ? value[0]! : value
    else unsignedQuery[key] = value
  }
  if (headerEntry(unsignedHeaders, 'host') === undefined) unsignedHeaders.host = parts.authority
  const artifact: SignedArtifact = {
    kind,
    accessKeyId: scope.accessKeyId,
    scope: { date: scope.date, region: scope.region, service: scope.service },
    amzDate,
    signingDate,
    expiresIn,
    signedHeaders: param('X-Amz-SignedHeaders').toLowerCase().split(';'),
    signature: param('X-Amz-Signature').toLowerCase(),
    unsigned: new HttpRequest({
      method: 'GET',
      protocol: parts.protocol,
      hostname: parts.hostname,
      ...(parts.port !== undefined ? { port: parts.port } : {}),
      path: parts.path,
      query: unsignedQuery,
      headers: unsignedHeaders,
    }),
    authority: parts.authority,
  }
  const token = queryEntry(query, 'X-Amz-Security-Token')
  if (token) artifact.sessionToken = token[1]
  return artifact
}

function isHttpRequestLike(value: unknown): value is HttpRequest {
  return typeof value === 'object' && value !== null && HttpRequest.isInstance(value)
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') out[key] = value
  return out
}

function parseHeaderSigned(request: HttpRequest, authorization: string): SignedArtifact {
  const parsed = parseAuthorizationHeader(authorization)
  if (!parsed) throw new ChainproofError('the request\'s Authorization header is not a SigV4 signature (expected "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…")')
  if (parsed.algorithm === SIGV4A) throw new ChainproofError(`the request is signed with SigV4a (${SIGV4A}), which chainproof cannot verify; sign with SigV4 (${ALGORITHM})`)
  if (parsed.algorithm !== ALGORITHM) throw new ChainproofError(`the request is signed with ${parsed.algorithm}, not ${ALGORITHM}`)
  const scope = parseCredentialScope(parsed.credential)
  if (!scope) throw new ChainproofError('the request\'s Authorization header has a malformed Credential (expected AKID/YYYYMMDD/region/service/aws4_request)')
  const headers = stringHeaders(request.headers)
  const amzDate = headerEntry(headers, 'x-amz-date')
  const signingDate = parseAmzDate(amzDate)
  if (!signingDate) throw new ChainproofError('the signed request has no valid X-Amz-Date header (expected YYYYMMDDTHHMMSSZ)')
  const host = headerEntry(headers, 'host')
  const authority = host ?? `${request.hostname}${request.port !== undefined ? `:${request.port}` : ''}`
  const unsignedHeaders: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) {
    // The signer regenerates these: the signature, and the token from the ledger's credentials.
    if (key.toLowerCase() !== 'authorization' && key.toLowerCase() !== 'x-amz-security-token') unsignedHeaders[key] = value
  }
  const artifact: SignedArtifact = {
    kind: 'signedRequest',
    accessKeyId: scope.accessKeyId,
    scope: { date: scope.date, region: scope.region, service: scope.service },
    amzDate: amzDate!,
    signingDate,
    signedHeaders: parsed.signedHeaders,
    signature: parsed.signature,
    unsigned: new HttpRequest({ ...request, headers: unsignedHeaders, query: { ...(request.query ?? {}) } }),
    authority,
  }
  const token = headerEntry(headers, 'x-amz-security-token')
  if (token !== undefined) artifact.sessionToken = token
  return artifact
}

const EXPECTED_ARTIFACT =
  'a presigned URL (a string or URL, e.g. from getSignedUrl), an RDS auth token (from Signer.getAuthToken()), a SigV4-signed HttpRequest, or a promise of one'

/**
 * Parses a signed artifact: a presigned URL (string or URL object), an RDS auth token, or an
 * `HttpRequest` signed in its Authorization header or presigned in its query. Throws a
 * {@link ChainproofError} saying what was expected when the value is none of these.
 */
export function parseSignedArtifact(value: unknown): SignedArtifact {
  if (value instanceof URL) return parseSignedArtifact(value.href)
  if (typeof value === 'string') {
    const parts = splitUrl(value)
    if (!parts) throw new ChainproofError(`expected ${EXPECTED_ARTIFACT}; received a string that is not a URL`)
    const query = parseSigningQuery(parts.rawQuery)
    if (!queryEntry(query, 'X-Amz-Signature')) {
      throw new ChainproofError(`expected ${EXPECTED_ARTIFACT}; received a URL without an X-Amz-Signature query parameter (${parts.protocol}//${parts.authority}${parts.path}), which is not presigned`)
    }
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())
    const kind: SignedArtifactKind = !hasScheme && queryEntry(query, 'Action')?.[1] === 'connect' ? 'rdsAuthToken' : 'presignedUrl'
    return parseQuerySigned(kind, parts, query, {})
  }
  if (isHttpRequestLike(value)) {
    const headers = stringHeaders(value.headers)
    const authorization = headerEntry(headers, 'authorization')
    if (authorization !== undefined) return parseHeaderSigned(value, authorization)
    const query = value.query ?? {}
    if (queryEntry(query as Query, 'X-Amz-Signature')) {
      const parts: UrlParts = {
        protocol: value.protocol.endsWith(':') ? value.protocol : `${value.protocol}:`,
        authority: headerEntry(headers, 'host') ?? `${value.hostname}${value.port !== undefined ? `:${value.port}` : ''}`,
        hostname: value.hostname,
        path: value.path || '/',
        rawQuery: '',
      }
      if (value.port !== undefined) parts.port = value.port
      const artifact = parseQuerySigned('signedRequest', parts, query as Query, headers)
      artifact.unsigned.method = value.method
      if (value.body !== undefined) artifact.unsigned.body = value.body
      return artifact
    }
    throw new ChainproofError(`expected ${EXPECTED_ARTIFACT}; received an HttpRequest with neither an Authorization header nor an X-Amz-Signature query parameter: sign it first`)
  }
  if (typeof value === 'object' && value !== null && typeof (value as { getAuthToken?: unknown }).getAuthToken === 'function') {
    throw new ChainproofError(`expected ${EXPECTED_ARTIFACT}; received the RDS Signer itself: pass the token, expect(await signer.getAuthToken()), or check the signer's credentials with toResolveCredentialsFrom`)
  }
  throw new ChainproofError(`expected ${EXPECTED_ARTIFACT}; received ${describeValue(value)}`)
}

/** How the artifact reads in a message: `a presigned URL for s3 in us-east-1`. Never a secret. */
export function describeArtifact(artifact: Pick<SignedArtifact, 'kind' | 'scope' | 'authority'>): string {
  const { service, region } = artifact.scope
  switch (artifact.kind) {
    case 'rdsAuthToken':
      return `an RDS auth token for ${artifact.authority} (${service} in ${region})`
    case 'presignedUrl':
      return `a presigned URL for ${service} in ${region}`
    case 'signedRequest':
      return `a signed request to ${service} in ${region}`
  }
}

// ---------------------------------------------------------------------------------------------
// Verification

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

function bodyHash(body: unknown): string | undefined {
  if (body === undefined || body === null) return createHash('sha256').update('').digest('hex')
  if (typeof body === 'string' || body instanceof Uint8Array) return createHash('sha256').update(body).digest('hex')
  return undefined
}

/**
 * Signs the artifact's request again with these credentials and compares the signatures.
 * A presigned artifact is presigned with the same date and expiry; a header-signed one is
 * signed with the same date and signed headers. What an artifact does not record is tried in
 * every variant, each being a genuine signature by these credentials: the method a URL was
 * presigned for, the canonical path escaping (once for S3, twice elsewhere), and the host with
 * or without its port.
 */
export async function checkSignature(artifact: SignedArtifact, credentials: SigningCredentials): Promise<SignatureCheck> {
  const key = maskKeyId(credentials.accessKeyId)
  if (artifact.accessKeyId !== credentials.accessKeyId) return { ok: false, detail: `invalid: it names ${maskKeyId(artifact.accessKeyId)}, not ${key}` }
  if (artifact.amzDate.slice(0, 8) !== artifact.scope.date) {
    return { ok: false, detail: `invalid: its credential scope date ${artifact.scope.date} is not the date of X-Amz-Date ${artifact.amzDate}` }
  }
  if (credentials.sessionToken !== undefined && artifact.sessionToken === undefined) {
    return { ok: false, detail: `invalid: it carries no session token, but ${key} is a session key, valid only with its token` }
  }
  if (artifact.sessionToken !== undefined && artifact.sessionToken !== credentials.sessionToken) {
    return { ok: false, detail: `invalid: its session token is not the one issued with ${key}` }
  }
  if (artifact.kind === 'signedRequest' && artifact.expiresIn === undefined) {
    const declared = headerEntry(stringHeaders(artifact.unsigned.headers), 'x-amz-content-sha256')
    const actual = bodyHash(artifact.unsigned.body)
    if (declared !== undefined && /^[0-9a-f]{64}$/i.test(declared) && actual !== undefined && declared.toLowerCase() !== actual) {
      return { ok: false, detail: `invalid: its body does not hash to the signed x-amz-content-sha256 (the body was changed after signing)` }
    }
  }
  const carried = stringHeaders(artifact.unsigned.headers)
  // The host comes from the URL; the date and the token are regenerated (the token was checked above).
  const regenerated = ['host', 'x-amz-date', 'x-amz-security-token']
  const missing = artifact.signedHeaders.filter((name) => !regenerated.includes(name) && headerEntry(carried, name) === undefined)
  if (missing.length) {
    const names = missing.join(', ')
    if (artifact.kind === 'signedRequest') return { ok: false, detail: `invalid: it signs the header${missing.length > 1 ? 's' : ''} ${names}, which the request no longer carries` }
    return {
      ok: false,
      unverifiable: true,
      detail: `not verifiable: it signs the header${missing.length > 1 ? 's' : ''} ${names}, whose value${missing.length > 1 ? 's' : ''} ${artifact.kind === 'rdsAuthToken' ? 'a token' : 'a URL'} does not carry: pass ${missing.length > 1 ? 'them' : 'it'} to check the signature, e.g. toBeSignedBy(signer, { headers: { '${missing[0]}': '…' } })`,
    }
  }
  for (const candidate of candidatesOf(artifact)) {
    const signature = await signatureOf(candidate, artifact, credentials).catch(() => undefined)
    if (signature !== undefined && sameHex(signature, artifact.signature)) return { ok: true }
  }
  return { ok: false, detail: `does not match the credentials of ${key}: the ${artifact.kind === 'signedRequest' ? 'request' : artifact.kind === 'rdsAuthToken' ? 'token' : 'URL'} was altered after signing, or signed with another secret` }
}

interface Candidate {
  request: HttpRequest
  uriEscapePath: boolean
}

const URL_METHODS = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST']

/** A URL does not say which method it was presigned for; S3's `x-id=PutObject` hints at it. */
function methodsOf(artifact: SignedArtifact): string[] {
  if (artifact.kind === 'signedRequest') return [artifact.unsigned.method]
  const operation = queryEntry(artifact.unsigned.query as Query, 'x-id')?.[1] ?? ''
  const hinted = /^(Put|Upload|Create|Complete)/.test(operation) ? 'PUT' : /^Delete/.test(operation) ? 'DELETE' : /^Head/.test(operation) ? 'HEAD' : 'GET'
  return [hinted, ...URL_METHODS.filter((method) => method !== hinted)]
}

function* candidatesOf(artifact: SignedArtifact): Generator<Candidate> {
  const hosts = [artifact.authority]
  const bare = artifact.authority.replace(/:\d+$/, '')
  if (bare !== artifact.authority) hosts.push(bare)
  const escapes = artifact.scope.service === 's3' ? [false, true] : [true, false]
  for (const method of methodsOf(artifact)) {
    for (const host of hosts) {
      for (const uriEscapePath of escapes) {
        const request = HttpRequest.clone(artifact.unsigned)
        request.method = method
        const headers = stringHeaders(request.headers)
        for (const name of Object.keys(headers)) if (name.toLowerCase() === 'host') delete headers[name]
        if (artifact.signedHeaders.includes('host')) headers.host = host
        request.headers = headers
        yield { request, uriEscapePath }
      }
    }
  }
}

async function signatureOf({ request, uriEscapePath }: Candidate, artifact: SignedArtifact, credentials: SigningCredentials): Promise<string | undefined> {
  const { region, service } = artifact.scope
  const signedHeaders = new Set(artifact.signedHeaders)
  const signingCredentials = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    // A header-signed request carries its token in a header the signer adds only when it was signed.
    ...(credentials.sessionToken !== undefined && (artifact.expiresIn !== undefined || signedHeaders.has('x-amz-security-token'))
      ? { sessionToken: credentials.sessionToken }
      : {}),
  }
  if (artifact.expiresIn !== undefined) {
    const signer = new SignatureV4({ credentials: signingCredentials, region, service, sha256, uriEscapePath })
    const presigned = await signer.presign(request, {
      signingDate: artifact.signingDate,
      expiresIn: artifact.expiresIn,
      signingRegion: region,
      signingService: service,
      signableHeaders: signedHeaders,
    })
    const got = queryEntry(presigned.query as Query, 'X-Amz-SignedHeaders')?.[1]
    if (got !== artifact.signedHeaders.join(';')) return undefined
    return queryEntry(presigned.query as Query, 'X-Amz-Signature')?.[1]
  }
  // Sign exactly the headers that were signed: the date and token are regenerated by the signer.
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(stringHeaders(request.headers))) {
    const lower = name.toLowerCase()
    if (!signedHeaders.has(lower) || lower === 'x-amz-date' || lower === 'x-amz-security-token') continue
    headers[name] = value
  }
  request.headers = headers
  const signer = new SignatureV4({
    credentials: signingCredentials,
    region,
    service,
    sha256,
    uriEscapePath,
    applyChecksum: signedHeaders.has('x-amz-content-sha256'),
  })
  const signed = await signer.sign(request, { signingDate: artifact.signingDate, signingRegion: region, signingService: service, signableHeaders: signedHeaders })
  const parsed = parseAuthorizationHeader(String(headerEntry(stringHeaders(signed.headers), 'authorization') ?? ''))
  if (!parsed || parsed.signedHeaders.join(';') !== artifact.signedHeaders.join(';')) return undefined
  return parsed.signature
}

export function summarizeArtifact(artifact: SignedArtifact): ArtifactSummary {
  const summary: ArtifactSummary = {
    kind: artifact.kind,
    accessKeyId: artifact.accessKeyId,
    scope: { ...artifact.scope },
    signingDate: artifact.signingDate,
    signedHeaders: [...artifact.signedHeaders],
    authority: artifact.authority,
    description: describeArtifact(artifact),
  }
  if (artifact.expiresIn !== undefined) summary.expiresIn = artifact.expiresIn
  return summary
}

/** The active world, or a ChainproofError saying how to get one. */
function requireActiveWorld() {
  const world = activeWorld()
  if (!world) {
    throw new ChainproofError(
      'identifying who signed an artifact needs an active credential world (its ledger knows every key it issued): create one with createCredentialWorld(spec) or useCredentialWorld() from chainproof/vitest or chainproof/jest, and sign inside it.',
    )
  }
  return world
}

/**
 * Who signed a presigned URL, RDS auth token or signed request (or a promise of one), by the
 * active world's ledger, with the signature verified against the ledger's secret. Throws a
 * {@link ChainproofError} when the value is not a signed artifact or no world is active.
 */
export async function identifySigner(value: unknown, options: { headers?: Record<string, string> } = {}): Promise<SignerVerdict> {
  const parsed = parseSignedArtifact(await value)
  const world = requireActiveWorld()
  if (options.headers) {
    // Values of signed headers the artifact does not carry (a presigned PUT's content-type, say).
    const headers = stringHeaders(parsed.unsigned.headers)
    for (const [name, value] of Object.entries(options.headers)) if (headerEntry(headers, name) === undefined) headers[name.toLowerCase()] = value
    parsed.unsigned.headers = headers
  }
  const artifact = summarizeArtifact(parsed)
  const report = () => world.explain()
  const issued = world.ledger.credentialsOf(parsed.accessKeyId)
  if (!issued) return { status: 'unknown-key', artifact, report }
  const identity = world.identityOf(parsed.accessKeyId)!
  const check = await checkSignature(parsed, issued)
  if (check.ok) return { status: 'verified', artifact, identity, report }
  return { status: check.unverifiable ? 'unverifiable' : 'mismatch', artifact, identity, detail: check.detail, report }
}
