/**
 * RecordedRequest.region: the SigV4 signing region, read off the wire (the credential scope of
 * the Authorization header, or X-Amz-Credential of a query-signed request) for every signed
 * request that reaches a world's STS or gate, whichever route or fault answered it. Unsigned
 * requests (AssumeRoleWithWebIdentity, IMDS, SSO's bearer token) carry none.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromTemporaryCredentials, fromWebToken } from '@aws-sdk/credential-providers'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { describe, expect, it } from 'vitest'
import { ServerFaults } from '../../src/servers/faults.js'
import { signingScopeOf } from '../../src/sigv4.js'
import type { IssuedCredentials } from '../../src/servers/ledger.js'
import { useFakeWorlds } from './fake-world.js'

const harness = useFakeWorlds()

const keysOf = (issued: IssuedCredentials) => ({
  accessKeyId: issued.accessKeyId,
  secretAccessKey: issued.secretAccessKey,
  ...(issued.sessionToken ? { sessionToken: issued.sessionToken } : {}),
})

/** A GetCallerIdentity POST to `url`, signed for `region` with the SDK's own signer. */
async function signedStsCall(url: string, credentials: ReturnType<typeof keysOf>, region: string, tamper = false): Promise<number> {
  const target = new URL(url)
  const body = 'Action=GetCallerIdentity&Version=2011-06-15'
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: '/',
    headers: { host: target.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  })
  const signed = await new SignatureV4({ credentials, region, service: 'sts', sha256: Hash.bind(null, 'sha256') }).sign(request)
  const res = await fetch(url + '/', { method: 'POST', headers: signed.headers, body: tamper ? body + '&x=1' : body })
  await res.arrayBuffer()
  return res.status
}

describe('signingScopeOf', () => {
  it('reads the scope of an Authorization header, of X-Amz-Credential (any case), and nothing else', () => {
    expect(signingScopeOf('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/eu-west-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd', '')).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20260102',
      region: 'eu-west-1',
      service: 'sts',
    })
    expect(signingScopeOf(undefined, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fap-south-1%2Fs3%2Faws4_request&X-Amz-Signature=ab')?.region).toBe('ap-south-1')
    expect(signingScopeOf(undefined, 'x-amz-credential=AKIDEXAMPLE%2F20260102%2Fsa-east-1%2Fs3%2Faws4_request')?.region).toBe('sa-east-1')
    expect(signingScopeOf(undefined, 'Action=GetCallerIdentity')).toBeUndefined()
    expect(signingScopeOf('Bearer abc', '')).toBeUndefined()
    expect(signingScopeOf('AWS4-HMAC-SHA256 Credential=AKID/20260102/sts/aws4_request, SignedHeaders=host, Signature=ab', '')).toBeUndefined()
  })
})

describe('RecordedRequest.region on the wire', () => {
  it('records the region of a real STSClient call, signed by a key the world issued (STS and the gate alike)', async () => {
    const world = harness.attach({})
    const alice = keysOf(world.user('alice'))
    await new STSClient({ region: 'eu-north-1', endpoint: harness.servers.urls.sts, credentials: alice }).send(new GetCallerIdentityCommand({}))
    await new STSClient({ region: 'ap-southeast-2', endpoint: harness.servers.urls.gate, credentials: alice }).send(new GetCallerIdentityCommand({}))
    expect(world.requests.map(({ server, action, status, region }) => ({ server, action, status, region }))).toEqual([
      { server: 'sts', action: 'GetCallerIdentity', status: 200, region: 'eu-north-1' },
      { server: 'gate', action: 'GetCallerIdentity', status: 200, region: 'ap-southeast-2' },
    ])
  })

  it('records the region a client signed for even when the signature is refused (a bad body, a key the world never issued)', async () => {
    const world = harness.attach({})
    const alice = keysOf(world.user('alice'))
    expect(await signedStsCall(harness.servers.urls.sts, alice, 'ca-central-1', true)).toBe(403)
    expect(await signedStsCall(harness.servers.urls.gate, { accessKeyId: 'AKIANOTISSUEDBYWORLD', secretAccessKey: 'x' }, 'me-south-1')).toBe(403)
    expect(world.requests.map(({ server, status, region, principal }) => ({ server, status, region, principal }))).toEqual([
      { server: 'sts', status: 403, region: 'ca-central-1', principal: undefined },
      { server: 'gate', status: 403, region: 'me-south-1', principal: undefined },
    ])
  })

  it('records the region of a signed request a fault answered in place of the route (fromTemporaryCredentials, Throttling)', async () => {
    const world = harness.attach({})
    Object.assign(world, { faults: new ServerFaults([{ index: 0, fault: { target: 'sts', kind: 'error', code: 'Throttling', action: 'AssumeRole', times: 1 } }]) })
    const provider = fromTemporaryCredentials({
      masterCredentials: keysOf(world.user('alice')),
      params: { RoleArn: 'arn:aws:iam::123456789012:role/deployer', RoleSessionName: 'ci-run' },
      clientConfig: { region: 'eu-south-2', maxAttempts: 1 },
    })
    await expect(provider()).rejects.toThrow(/Rate exceeded/)
    expect(world.faults!.fired).toHaveLength(1)
    expect(world.requests).toEqual([expect.objectContaining({ server: 'sts', action: 'AssumeRole', status: 400, region: 'eu-south-2' })])
  })

  it('records no region for unsigned requests: AssumeRoleWithWebIdentity from the real SDK, an unsigned query', async () => {
    const token = 'chainproof-web-identity-token'
    const world = harness.attach({ webIdentityTokens: [token] })
    await fromWebToken({ roleArn: 'arn:aws:iam::123456789012:role/pod', webIdentityToken: token, clientConfig: { region: 'eu-west-3' } })()
    const res = await fetch(harness.servers.urls.sts + '/?Action=GetCallerIdentity&Version=2011-06-15')
    await res.arrayBuffer()
    expect(world.requests.map(({ action, status, region }) => ({ action, status, region }))).toEqual([
      { action: 'AssumeRoleWithWebIdentity', status: 200, region: undefined },
      { action: 'GetCallerIdentity', status: 403, region: undefined },
    ])
    expect(world.requests.every((request) => !('region' in request))).toBe(true)
  })
})
