import net from 'node:net'
import { STSClient } from '@aws-sdk/client-sts'
import { fromInstanceMetadata } from '@smithy/credential-provider-imds'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseTokenTtl } from '../../src/sources/instanceProfile/server.js'
import { startLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import { installLoopbackGuard, useFakeWorlds } from './fake-world.js'

const harness = useFakeWorlds()
const { attach } = harness

const TOKEN_PATH = '/latest/api/token'
const CREDS_PATH = '/latest/meta-data/iam/security-credentials/'

async function token(ttl = '21600'): Promise<Response> {
  return fetch(`${harness.servers.urls.imds}${TOKEN_PATH}`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } })
}

describe('IMDS with the real fromInstanceMetadata', () => {
  it('resolves the instance role over IMDSv2 (token, role name, credentials)', async () => {
    const world = attach({ instanceProfile: { role: 'web' } })
    const credentials = await fromInstanceMetadata()()
    const issued = world.instanceProfile!.credentials()
    expect(credentials.accessKeyId).toBe(issued.accessKeyId)
    expect(credentials.secretAccessKey).toBe(issued.secretAccessKey)
    expect(credentials.sessionToken).toBe(issued.sessionToken)
    expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now())
    expect(credentials.accountId).toBe('123456789012')
    expect(world.ledger.identityOf(credentials.accessKeyId)).toMatchObject({
      source: 'instanceProfile',
      role: 'web',
      principal: `arn:aws:sts::123456789012:assumed-role/web/${world.instanceProfile!.instanceId}`,
    })
    expect(world.requests.map((r) => [r.server, r.method, r.path, r.status])).toEqual([
      ['imds', 'PUT', TOKEN_PATH, 200],
      ['imds', 'GET', CREDS_PATH, 200],
      ['imds', 'GET', `${CREDS_PATH}web`, 200],
    ])
  })

  it('works on a v2-only instance (the SDK always sends the token)', async () => {
    const world = attach({ instanceProfile: { role: 'web', imdsV2Only: true } })
    const credentials = await fromInstanceMetadata()()
    expect(credentials.accessKeyId).toBe(world.instanceProfile!.credentials().accessKeyId)
  })

  it('falls back to IMDSv1 on a v1-only instance: the token route is 404, GETs carry no token', async () => {
    const world = attach({ instanceProfile: { role: 'legacy', imdsV1Only: true } })
    const credentials = await fromInstanceMetadata()()
    expect(credentials.accessKeyId).toBe(world.instanceProfile!.credentials().accessKeyId)
    expect(world.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['PUT', TOKEN_PATH, 404],
      ['GET', CREDS_PATH, 200],
      ['GET', `${CREDS_PATH}legacy`, 200],
    ])
  })

  it('serves a role whose name uses every character IAM allows (+=,.@_-)', async () => {
    const world = attach({ instanceProfile: { role: 'web+app=1,x.y@z_w-v' } })
    const credentials = await fromInstanceMetadata()()
    expect(credentials.accessKeyId).toBe(world.instanceProfile!.credentials().accessKeyId)
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}${encodeURIComponent('web+app=1,x.y@z_w-v')}`)).status).toBe(200)
  })

  it('fails in milliseconds (never a timeout) when the world has no instance profile', async () => {
    const world = attach({})
    const started = Date.now()
    await expect(fromInstanceMetadata()()).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(500)
    expect(world.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['PUT', TOKEN_PATH, 200],
      ['GET', CREDS_PATH, 404],
    ])
  })

  it('refuses the v1 fallback the SDK is told to refuse (AWS_EC2_METADATA_V1_DISABLED) on a v1-only instance', async () => {
    attach({ instanceProfile: { role: 'legacy', imdsV1Only: true } })
    process.env.AWS_EC2_METADATA_V1_DISABLED = 'true'
    await expect(fromInstanceMetadata()()).rejects.toThrow(/v1 fallback has been blocked/)
  })
})

describe('IMDS region lookup by a client with no region', () => {
  it('answers placement/region (with a token, as @smithy/core asks) even when the world has no instance profile', async () => {
    const world = attach({ region: 'eu-west-3' })
    delete process.env.AWS_REGION
    const client = new STSClient({})
    expect(await client.config.region()).toBe('eu-west-3')
    expect(world.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['PUT', TOKEN_PATH, 200],
      ['GET', '/latest/meta-data/placement/region', 200],
    ])
    client.destroy()
  })
})

describe('IMDS wire behaviour', () => {
  it('issues a token only for a TTL of 1..21600 and echoes the TTL', async () => {
    attach({ instanceProfile: { role: 'web' } })
    for (const bad of ['0', '21601', '-1', 'abc', '1.5']) expect((await token(bad)).status, bad).toBe(400)
    const missing = await fetch(`${harness.servers.urls.imds}${TOKEN_PATH}`, { method: 'PUT' })
    expect(missing.status).toBe(400)
    for (const good of ['1', '21600']) {
      const res = await token(good)
      expect(res.status).toBe(200)
      expect(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds')).toBe(good)
      expect((await res.text()).length).toBeGreaterThan(20)
    }
    expect(parseTokenTtl(' 60 ')).toBe(60)
  })

  it('answers a v1 GET on a v2-only instance 401, and a GET with a bad token 401', async () => {
    attach({ instanceProfile: { role: 'web', imdsV2Only: true } })
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`)).status).toBe(401)
    const bad = await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`, { headers: { 'x-aws-ec2-metadata-token': 'forged' } })
    expect(bad.status).toBe(401)
    const good = await token()
    const ok = await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`, { headers: { 'x-aws-ec2-metadata-token': await good.text() } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('web')
  })

  it('answers v1 GETs on a default instance, but still rejects an invalid token when one is sent', async () => {
    attach({ instanceProfile: { role: 'web' } })
    expect(await (await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`)).text()).toBe('web')
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`, { headers: { 'x-aws-ec2-metadata-token': 'nope' } })).status).toBe(401)
  })

  it('forgets tokens between worlds', async () => {
    const first = attach({ instanceProfile: { role: 'web' } })
    const earlier = await (await token()).text()
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`, { headers: { 'x-aws-ec2-metadata-token': earlier } })).status).toBe(200)
    harness.servers.detach(first)
    attach({ instanceProfile: { role: 'web' } })
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`, { headers: { 'x-aws-ec2-metadata-token': earlier } })).status).toBe(401)
  })

  it('expires a token after its TTL', async () => {
    attach({ instanceProfile: { role: 'web' } })
    const short = await (await token('1')).text()
    const use = async () => (await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`, { headers: { 'x-aws-ec2-metadata-token': short } })).status
    expect(await use()).toBe(200)
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 1500)
      expect(await use()).toBe(401)
    } finally {
      vi.useRealTimers()
    }
  })

  it('serves the credentials document in the shape IMDS uses, 404 for another role', async () => {
    const world = attach({ instanceProfile: { role: 'web' } })
    const res = await fetch(`${harness.servers.urls.imds}${CREDS_PATH}web`)
    expect(res.headers.get('content-type')).toBe('text/plain')
    const doc = JSON.parse(await res.text()) as Record<string, string>
    const issued = world.instanceProfile!.credentials()
    expect(doc).toEqual({
      Code: 'Success',
      LastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      Type: 'AWS-HMAC',
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      Token: issued.sessionToken,
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      AccountId: '123456789012',
    })
    expect(new Date(doc.Expiration!).getTime()).toBeGreaterThan(Date.now())
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}admin`)).status).toBe(404)
  })

  it('serves region, instance id and the identity document', async () => {
    const world = attach({ region: 'eu-central-1', accountId: '210987654321', instanceProfile: { role: 'web' } })
    const get = async (path: string) => (await fetch(`${harness.servers.urls.imds}${path}`)).text()
    expect(await get('/latest/meta-data/placement/region')).toBe('eu-central-1')
    expect(await get('/latest/meta-data/instance-id')).toBe(world.instanceProfile!.instanceId)
    const doc = JSON.parse(await get('/latest/dynamic/instance-identity/document')) as Record<string, unknown>
    expect(doc).toMatchObject({
      accountId: '210987654321',
      region: 'eu-central-1',
      availabilityZone: 'eu-central-1a',
      instanceId: world.instanceProfile!.instanceId,
      privateIp: '10.0.0.1',
      instanceType: expect.any(String),
      imageId: expect.stringMatching(/^ami-/),
    })
  })

  it('without an instance profile: credential routes 404 at once, token and region still answer', async () => {
    attach({ region: 'sa-east-1' })
    expect((await token()).status).toBe(200)
    const started = Date.now()
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}`)).status).toBe(404)
    expect((await fetch(`${harness.servers.urls.imds}${CREDS_PATH}web`)).status).toBe(404)
    expect(Date.now() - started).toBeLessThan(200)
    expect(await (await fetch(`${harness.servers.urls.imds}/latest/meta-data/placement/region`)).text()).toBe('sa-east-1')
  })
})

describe('the loopback guard of these tests', () => {
  it('refuses a connection to the real IMDS address before any packet is sent', () => {
    const remove = installLoopbackGuard()
    expect(() => net.connect({ host: '169.254.169.254', port: 80 })).toThrow(/non-loopback host 169\.254\.169\.254/)
    expect(remove).toThrow(/blocked connections to 169\.254\.169\.254/)
  })
})
