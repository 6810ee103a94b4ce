import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromTemporaryCredentials, fromTokenFile, fromWebToken } from '@aws-sdk/credential-providers'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import { parseAuthorization, uniqueIdOf } from '../../src/servers/sts.js'
import type { IssuedCredentials } from '../../src/servers/ledger.js'
import { fakeWorld, installLoopbackGuard, sandboxEnv, type FakeWorld, type FakeWorldOptions } from './fake-world.js'

let servers: LoopbackServers
let removeGuard: () => void
let env: ReturnType<typeof sandboxEnv>
let attached: FakeWorld | undefined

beforeAll(async () => {
  removeGuard = installLoopbackGuard()
  servers = await startLoopbackServers()
})
afterAll(() => removeGuard())
beforeEach(() => {
  env = sandboxEnv(servers)
})
afterEach(() => {
  if (attached) servers.detach(attached)
  attached = undefined
  env.restore()
})

function attach(options: FakeWorldOptions = {}): FakeWorld {
  attached = fakeWorld(options)
  servers.attach(attached)
  return attached
}

const ROLE_ARN = 'arn:aws:iam::123456789012:role/deployer'
const WEB_TOKEN = 'eyJhbGciOiJub25lIn0.' + Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:default:app', aud: 'sts.amazonaws.com', iss: 'https://oidc.chainproof.local/id/ABC' })).toString('base64url') + '.sig'

function keysOf(issued: IssuedCredentials) {
  return { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, ...(issued.sessionToken ? { sessionToken: issued.sessionToken } : {}) }
}

/** A raw STS query call, signed (or not) by the same SigV4 signer the SDK uses. */
async function stsCall(
  params: Record<string, string>,
  sign?: { credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }; service?: string; tamperBody?: string },
): Promise<{ status: number; text: string }> {
  const url = new URL(servers.urls.sts)
  const body = new URLSearchParams({ Version: '2011-06-15', ...params }).toString()
  let request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  })
  if (sign) {
    const signer = new SignatureV4({ credentials: sign.credentials, region: 'us-east-1', service: sign.service ?? 'sts', sha256: Hash.bind(null, 'sha256') })
    request = (await signer.sign(request)) as HttpRequest
  }
  const res = await fetch(servers.urls.sts + '/', { method: 'POST', headers: request.headers, body: sign?.tamperBody ?? body })
  return { status: res.status, text: await res.text() }
}

function errorCodeOf(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1]
}

describe('STS with the real SDK', () => {
  it('GetCallerIdentity (client-sts, endpoint set) returns the signer from the ledger, and the record names it', async () => {
    const world = attach()
    const alice = world.user('alice')
    const client = new STSClient({ region: 'us-east-1', endpoint: servers.urls.sts, credentials: keysOf(alice) })
    const identity = await client.send(new GetCallerIdentityCommand({}))
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice', UserId: uniqueIdOf('AIDA', alice.principal) })
    expect(world.requests).toEqual([
      expect.objectContaining({ server: 'sts', method: 'POST', path: '/', status: 200, service: 'sts', action: 'GetCallerIdentity', accessKeyId: alice.accessKeyId, principal: alice.principal, source: 'env' }),
    ])
  })

  it('fromTemporaryCredentials assumes the role via AWS_ENDPOINT_URL_STS; the session is in the ledger and calls as the role', async () => {
    const world = attach({ sessions: { 'ci-run': { source: 'profile', profile: 'deploy' } } })
    const alice = world.user('alice')
    const provider = fromTemporaryCredentials({
      masterCredentials: keysOf(alice),
      params: { RoleArn: ROLE_ARN, RoleSessionName: 'ci-run', DurationSeconds: 900 },
    })
    const credentials = await provider()
    const identity = world.ledger.identityOf(credentials.accessKeyId)
    expect(identity).toMatchObject({
      source: 'profile',
      profile: 'deploy',
      role: 'deployer',
      roleArn: ROLE_ARN,
      sessionName: 'ci-run',
      principal: 'arn:aws:sts::123456789012:assumed-role/deployer/ci-run',
    })
    expect(credentials.sessionToken).toBe(world.ledger.credentialsOf(credentials.accessKeyId)!.sessionToken)
    // DurationSeconds is honoured (900 s), to the second.
    expect(Math.abs(credentials.expiration!.getTime() - (Date.now() + 900_000))).toBeLessThan(5_000)
    expect(world.requests.at(-1)).toMatchObject({ action: 'AssumeRole', status: 200, accessKeyId: alice.accessKeyId, principal: alice.principal, source: 'env' })

    // A session (with its token) is itself a valid signer.
    const asRole = new STSClient({ region: 'us-east-1', endpoint: servers.urls.sts, credentials })
    const who = await asRole.send(new GetCallerIdentityCommand({}))
    expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/deployer/ci-run')
    expect(who.UserId).toBe(`${uniqueIdOf('AROA', ROLE_ARN)}:ci-run`)
    expect(world.requests.at(-1)).toMatchObject({ action: 'GetCallerIdentity', accessKeyId: credentials.accessKeyId, source: 'profile' })
  })

  it('fromTokenFile assumes the role with the web identity token (unsigned) and attributes it to webIdentity', async () => {
    const world = attach({ webIdentityTokens: [WEB_TOKEN] })
    const file = join(env.home, 'token')
    writeFileSync(file, WEB_TOKEN)
    Object.assign(process.env, { AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: ROLE_ARN, AWS_ROLE_SESSION_NAME: 'pod-1' })
    const credentials = await fromTokenFile()()
    expect(world.ledger.identityOf(credentials.accessKeyId)).toMatchObject({ source: 'webIdentity', role: 'deployer', sessionName: 'pod-1' })
    const entry = world.requests.at(-1)!
    expect(entry).toMatchObject({ server: 'sts', action: 'AssumeRoleWithWebIdentity', status: 200 })
    expect(entry.accessKeyId).toBeUndefined()
  })

  it('fromWebToken rejects a token the world did not write with InvalidIdentityToken, without echoing the token', async () => {
    const world = attach({ webIdentityTokens: [WEB_TOKEN] })
    const error = (await fromWebToken({ roleArn: ROLE_ARN, webIdentityToken: 'forged-token-value', roleSessionName: 'x1' })().catch((e: unknown) => e)) as Error & { name: string }
    expect(error.name).toBe('InvalidIdentityTokenException')
    expect(error.message).not.toContain('forged-token-value')
    expect(world.requests.at(-1)).toMatchObject({ action: 'AssumeRoleWithWebIdentity', status: 400 })
  })

  it('an SDK call with an unknown key fails with InvalidClientTokenId', async () => {
    attach()
    const client = new STSClient({ region: 'us-east-1', endpoint: servers.urls.sts, credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) } })
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } })
  })

  it('an SDK call with the right key but a wrong secret fails with SignatureDoesNotMatch', async () => {
    const world = attach()
    const alice = world.user('alice')
    const client = new STSClient({ region: 'us-east-1', endpoint: servers.urls.sts, credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: 'y'.repeat(40) } })
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' })
    const entry = world.requests.at(-1)!
    expect(entry).toMatchObject({ status: 403, action: 'GetCallerIdentity' })
    expect(entry.accessKeyId).toBeUndefined()
  })
})

describe('STS wire behaviour', () => {
  it('answers AssumeRole in the real XML shape', async () => {
    const world = attach()
    const alice = world.user('alice')
    const { status, text } = await stsCall({ Action: 'AssumeRole', RoleArn: ROLE_ARN, RoleSessionName: 'raw' }, { credentials: keysOf(alice) })
    expect(status).toBe(200)
    expect(text).toMatch(/^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/)
    const accessKeyId = /<AccessKeyId>(ASIA[A-Z2-7]{16})<\/AccessKeyId>/.exec(text)![1]!
    const issued = world.ledger.credentialsOf(accessKeyId)!
    expect(text).toContain(`<SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>`)
    expect(text).toContain(`<AssumedRoleId>${uniqueIdOf('AROA', ROLE_ARN)}:raw</AssumedRoleId>`)
    expect(text).toContain('<Arn>arn:aws:sts::123456789012:assumed-role/deployer/raw</Arn>')
    expect(text).toMatch(/<Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expiration>/)
    expect(text).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata>/)
  })

  it('answers AssumeRoleWithWebIdentity with the claims of the token', async () => {
    attach({ webIdentityTokens: [WEB_TOKEN] })
    const { status, text } = await stsCall({ Action: 'AssumeRoleWithWebIdentity', RoleArn: ROLE_ARN, RoleSessionName: 'pod', WebIdentityToken: WEB_TOKEN })
    expect(status).toBe(200)
    expect(text).toContain('<SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>')
    expect(text).toContain('<Audience>sts.amazonaws.com</Audience>')
    expect(text).toContain('<Provider>oidc.chainproof.local/id/ABC</Provider>')
  })

  it('XML-escapes what it echoes', async () => {
    const world = attach()
    const alice = world.user('alice')
    const { status, text } = await stsCall({ Action: 'AssumeRole', RoleArn: ROLE_ARN, RoleSessionName: '<b>&"' }, { credentials: keysOf(alice) })
    expect(status).toBe(400)
    expect(errorCodeOf(text)).toBe('ValidationError')
    expect(text).toContain('&lt;b&gt;&amp;&quot;')
    expect(text).not.toContain('<b>')
  })

  it('errors: missing auth, unknown key, bad signature, tampered body, wrong token, wrong service', async () => {
    const world = attach()
    const alice = world.user('alice')
    const session = world.ledger.issue({ source: 'profile', principal: { kind: 'role', name: 'r', arn: 'arn:aws:iam::123456789012:role/r', accountId: '123456789012', sessionName: 's' } })
    const call = { Action: 'GetCallerIdentity' }
    const cases: Array<[string, Promise<{ status: number; text: string }>, number, string]> = [
      ['unsigned', stsCall(call), 403, 'MissingAuthenticationToken'],
      ['unknown key', stsCall(call, { credentials: { accessKeyId: 'AKIAXXXXXXXXXXXXXXXX', secretAccessKey: alice.secretAccessKey } }), 403, 'InvalidClientTokenId'],
      ['wrong secret', stsCall(call, { credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: 'wrong' } }), 403, 'SignatureDoesNotMatch'],
      ['tampered body', stsCall(call, { credentials: keysOf(alice), tamperBody: 'Action=GetCallerIdentity&Version=2011-06-15&X=1' }), 403, 'SignatureDoesNotMatch'],
      ['session without token', stsCall(call, { credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey } }), 403, 'InvalidClientTokenId'],
      ['session with wrong token', stsCall(call, { credentials: { ...keysOf(session), sessionToken: 'IQoJwrong' } }), 403, 'InvalidClientTokenId'],
      ['wrong service scope', stsCall(call, { credentials: keysOf(alice), service: 's3' }), 403, 'SignatureDoesNotMatch'],
      ['unknown action', stsCall({ Action: 'GetSessionToken' }, { credentials: keysOf(alice) }), 400, 'InvalidAction'],
      ['bad duration', stsCall({ Action: 'AssumeRole', RoleArn: ROLE_ARN, RoleSessionName: 'ok', DurationSeconds: '60' }, { credentials: keysOf(alice) }), 400, 'ValidationError'],
      ['bad role arn', stsCall({ Action: 'AssumeRole', RoleArn: 'deployer', RoleSessionName: 'ok' }, { credentials: keysOf(alice) }), 400, 'ValidationError'],
      ['wrong web token', stsCall({ Action: 'AssumeRoleWithWebIdentity', RoleArn: ROLE_ARN, RoleSessionName: 'ok', WebIdentityToken: 'not-the-token' }), 400, 'InvalidIdentityToken'],
    ]
    for (const [label, pending, status, code] of cases) {
      const { status: got, text } = await pending
      expect([label, got, errorCodeOf(text)]).toEqual([label, status, code])
      expect(text).toMatch(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error><Type>Sender<\/Type><Code>/)
      expect(text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ErrorResponse>/)
      for (const secret of world.ledger.secrets()) expect(text, label).not.toContain(secret)
      expect(text).not.toContain('not-the-token')
    }
    // Only requests that proved their signature name a signer: here the two refused for bad parameters.
    expect(world.requests.filter((r) => r.accessKeyId !== undefined).map((r) => [r.action, r.status, r.accessKeyId, r.source])).toEqual([
      ['AssumeRole', 400, alice.accessKeyId, 'env'],
      ['AssumeRole', 400, alice.accessKeyId, 'env'],
    ])
    expect(world.requests.every((r) => r.service === 'sts')).toBe(true)
  })

  it('refuses an expired session and a signature dated outside the 15-minute window', async () => {
    const world = attach()
    const expired = world.ledger.issue({
      source: 'profile',
      principal: { kind: 'role', name: 'r', arn: 'arn:aws:iam::123456789012:role/r', accountId: '123456789012', sessionName: 's' },
      lifetimeMs: -1000,
    })
    const stale = await stsCall({ Action: 'GetCallerIdentity' }, { credentials: keysOf(expired) })
    expect([stale.status, errorCodeOf(stale.text)]).toEqual([403, 'ExpiredToken'])

    const alice = world.user('alice')
    const url = new URL(servers.urls.sts)
    const body = 'Action=GetCallerIdentity&Version=2011-06-15'
    const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' }, body })
    const signer = new SignatureV4({ credentials: keysOf(alice), region: 'us-east-1', service: 'sts', sha256: Hash.bind(null, 'sha256') })
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() - 20 * 60_000) })
    const res = await fetch(servers.urls.sts + '/', { method: 'POST', headers: signed.headers, body })
    expect([res.status, errorCodeOf(await res.text())]).toEqual([403, 'SignatureDoesNotMatch'])
  })

  it('parseAuthorization reads the SigV4 header and refuses malformed ones', () => {
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123')).toEqual({
      accessKeyId: 'AKIAX',
      date: '20260101',
      region: 'us-east-1',
      service: 'sts',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc123',
    })
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/sts, SignedHeaders=host, Signature=ab')).toBeUndefined()
    expect(parseAuthorization('Bearer abc')).toBeUndefined()
  })
})
