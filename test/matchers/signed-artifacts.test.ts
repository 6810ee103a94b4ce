/**
 * src/probe/signed.ts without a world: parsing presigned URLs, RDS tokens and signed requests,
 * and checking their signatures against given credentials (signed here with SignatureV4 at a
 * fixed date, as the SDK's presigners and signers do).
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { describe, expect, it } from 'vitest'
import {
  checkSignature,
  describeArtifact,
  identifySigner,
  parseAmzDate,
  parseCredentialScope,
  parseSignedArtifact,
  parseSigningQuery,
  splitUrl,
} from '../../src/probe/signed.js'

const user = { accessKeyId: 'AKIAUSERUSERUSERUSER', secretAccessKey: 'user-secret-user-secret-user-secret-0000' }
const session = { accessKeyId: 'ASIASESSIONSESSION01', secretAccessKey: 'session-secret-session-secret-session-00', sessionToken: 'IQoJchainproof-token' }
const signingDate = new Date('2026-01-02T03:04:05Z')
const sha256 = Hash.bind(null, 'sha256')

const escapeUri = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** A presigned request as a URL, the way the SDK's formatUrl writes it (keys sorted, each value escaped). */
function formatUrl(request: HttpRequest): string {
  const query = Object.keys(request.query)
    .sort()
    .map((key) => `${escapeUri(key)}=${escapeUri(String(request.query[key]))}`)
    .join('&')
  return `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}?${query}`
}

/** Presigns like @aws-sdk/rds-signer's getAuthToken(), offline. */
async function rdsToken(credentials: typeof user | typeof session): Promise<string> {
  const signer = new SignatureV4({ service: 'rds-db', region: 'eu-west-1', credentials, sha256 })
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: 'db.example.internal',
    port: 5432,
    query: { Action: 'connect', DBUser: 'app' },
    headers: { host: 'db.example.internal:5432' },
  })
  return formatUrl(await signer.presign(request, { expiresIn: 900, signingDate })).replace('https://', '')
}

/** Presigns like @aws-sdk/s3-request-presigner: path escaped once, UNSIGNED-PAYLOAD, host signed. */
async function s3Url(credentials: typeof user | typeof session, method = 'GET'): Promise<string> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256, uriEscapePath: false })
  const request = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4567,
    path: '/b/a%20b/%C3%BC%2Bc',
    query: { 'x-id': method === 'PUT' ? 'PutObject' : 'GetObject' },
    headers: { host: '127.0.0.1:4567', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  })
  return formatUrl(await signer.presign(request, { expiresIn: 60, signingDate }))
}

async function signedRequest(credentials: typeof user | typeof session): Promise<HttpRequest> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials, sha256 })
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'api.example.internal',
    path: '/prod/orders',
    headers: { host: 'api.example.internal', 'content-type': 'application/json' },
    body: '{"order":1}',
  })
  return (await signer.sign(request, { signingDate })) as HttpRequest
}

describe('splitUrl', () => {
  it('keeps path and query exactly as written, with or without a scheme', () => {
    expect(splitUrl('http://127.0.0.1:4567/b/a%20b?x=1%2B2')).toEqual({ protocol: 'http:', authority: '127.0.0.1:4567', hostname: '127.0.0.1', port: 4567, path: '/b/a%20b', rawQuery: 'x=1%2B2' })
    expect(splitUrl('db.example.internal:5432/?Action=connect')).toEqual({ protocol: 'https:', authority: 'db.example.internal:5432', hostname: 'db.example.internal', port: 5432, path: '/', rawQuery: 'Action=connect' })
    expect(splitUrl('https://[::1]:8443')).toMatchObject({ hostname: '[::1]', port: 8443, path: '/', rawQuery: '' })
    expect(splitUrl('not a url')).toBeUndefined()
  })
})

describe('parseSigningQuery / parseCredentialScope / parseAmzDate', () => {
  it('decodes percent-escapes only, keeping repeated keys', () => {
    expect(parseSigningQuery('a=1+2&b=%2B&a=3&flag')).toEqual({ a: ['1+2', '3'], b: '+', flag: '' })
  })
  it('splits a credential scope, or refuses a malformed one', () => {
    expect(parseCredentialScope('AKID/20260102/us-east-1/s3/aws4_request')).toEqual({ accessKeyId: 'AKID', date: '20260102', region: 'us-east-1', service: 's3' })
    expect(parseCredentialScope('AKID/20260102/us-east-1/s3')).toBeUndefined()
  })
  it('reads X-Amz-Date', () => {
    expect(parseAmzDate('20260102T030405Z')).toEqual(signingDate)
    expect(parseAmzDate('2026-01-02')).toBeUndefined()
  })
})

describe('parseSignedArtifact', () => {
  it('reads a presigned URL, an RDS token and a signed request', async () => {
    expect(parseSignedArtifact(await s3Url(user))).toMatchObject({
      kind: 'presignedUrl',
      accessKeyId: user.accessKeyId,
      scope: { date: '20260102', region: 'us-east-1', service: 's3' },
      signingDate,
      expiresIn: 60,
      signedHeaders: ['host'],
      authority: '127.0.0.1:4567',
    })
    expect(parseSignedArtifact(new URL(await s3Url(user))).kind).toBe('presignedUrl')
    const token = parseSignedArtifact(await rdsToken(session))
    expect(token).toMatchObject({ kind: 'rdsAuthToken', scope: { service: 'rds-db', region: 'eu-west-1' }, authority: 'db.example.internal:5432', sessionToken: session.sessionToken })
    expect(describeArtifact(token)).toBe('an RDS auth token for db.example.internal:5432 (rds-db in eu-west-1)')
    const request = parseSignedArtifact(await signedRequest(user))
    expect(request).toMatchObject({ kind: 'signedRequest', signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date'] })
    expect(describeArtifact(request)).toBe('a signed request to execute-api in eu-west-1')
  })

  it('says what it expected for anything else', async () => {
    expect(() => parseSignedArtifact(42)).toThrowErrorMatchingInlineSnapshot(
      `[ChainproofError: expected a presigned URL (a string or URL, e.g. from getSignedUrl), an RDS auth token (from Signer.getAuthToken()), a SigV4-signed HttpRequest, or a promise of one; received number]`,
    )
    expect(() => parseSignedArtifact(new HttpRequest({ hostname: 'h', path: '/' }))).toThrow('received an HttpRequest with neither an Authorization header nor an X-Amz-Signature query parameter: sign it first')
    const url = await s3Url(user)
    expect(() => parseSignedArtifact(url.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'))).toThrow('is signed with SigV4a (AWS4-ECDSA-P256-SHA256), which chainproof cannot verify')
    expect(() => parseSignedArtifact(url.replace(/X-Amz-Credential=[^&]+/, 'X-Amz-Credential=AKID'))).toThrow('the presigned URL has a malformed X-Amz-Credential')
    expect(() => parseSignedArtifact(url.replace(/&X-Amz-Expires=\d+/, ''))).toThrow('the presigned URL has no X-Amz-Expires query parameter')
  })
})

describe('checkSignature', () => {
  it('accepts the credentials that signed, for every kind of artifact and any method a URL was presigned for', async () => {
    for (const artifact of [await s3Url(user), await s3Url(user, 'PUT'), await s3Url(user, 'DELETE'), await rdsToken(user), await signedRequest(user)]) {
      expect(await checkSignature(parseSignedArtifact(artifact), user)).toEqual({ ok: true })
    }
    for (const artifact of [await s3Url(session), await rdsToken(session), await signedRequest(session)]) {
      expect(await checkSignature(parseSignedArtifact(artifact), session)).toEqual({ ok: true })
    }
  })

  it('refuses another secret, an altered artifact or a wrong token, saying which', async () => {
    const url = await s3Url(user)
    expect(await checkSignature(parseSignedArtifact(url), { ...user, secretAccessKey: 'another-secret' })).toEqual({
      ok: false,
      detail: 'does not match the credentials of ****************USER: the URL was altered after signing, or signed with another secret',
    })
    expect(await checkSignature(parseSignedArtifact(url.replace('/b/a%20b/', '/b/other/')), user)).toMatchObject({ ok: false })
    expect(await checkSignature(parseSignedArtifact((await rdsToken(user)).replace('DBUser=app', 'DBUser=admin')), user)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('the token was altered after signing'),
    })
    const token = await rdsToken(session)
    expect(await checkSignature(parseSignedArtifact(token.replace(/&X-Amz-Security-Token=[^&]+/, '')), session)).toEqual({
      ok: false,
      detail: 'invalid: it carries no session token, but ****************ON01 is a session key, valid only with its token',
    })
    expect(await checkSignature(parseSignedArtifact(token), { ...session, sessionToken: 'another-token' })).toEqual({
      ok: false,
      detail: 'invalid: its session token is not the one issued with ****************ON01',
    })
    const request = await signedRequest(user)
    delete request.headers['content-type']
    expect(await checkSignature(parseSignedArtifact(request), user)).toEqual({ ok: false, detail: 'invalid: it signs the header content-type, which the request no longer carries' })
  })
})

describe('identifySigner', () => {
  it('needs an active world, and says how to get one', async () => {
    await expect(identifySigner(s3Url(user))).rejects.toThrow(
      'identifying who signed an artifact needs an active credential world (its ledger knows every key it issued): create one with createCredentialWorld(spec) or useCredentialWorld()',
    )
  })
})
