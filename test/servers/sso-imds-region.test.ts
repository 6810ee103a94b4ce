/**
 * `sso.region` (the sso-session's sso_region, apart from the profile's region) and
 * `instanceProfile.region` (the region IMDS reports, apart from AWS_REGION), with the real SDK.
 *
 * From the installed code: @aws-sdk/credential-provider-sso builds its SSO client with
 * `region: clientConfig?.region ?? ssoRegion` (the sso-session's sso_region), never the
 * profile's region; GetRoleCredentials is sent with a bearer token, unsigned, so the wire has no
 * signing region and with AWS_ENDPOINT_URL_SSO no regional host either — the SSO client's region
 * is read from the nested SSO client itself. @smithy/core/config's NODE_REGION_CONFIG_OPTIONS
 * asks IMDS (`PUT /latest/api/token`, `GET /latest/meta-data/placement/region`) only when neither
 * AWS_REGION nor the profile's region is set, and never when AWS_EC2_METADATA_DISABLED is set.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { describe, expect, it, vi } from 'vitest'
import { parseWorldSpec } from '../../src/world/spec.js'
import { useCredentialWorld } from '../../src/vitest.js'

const world = useCredentialWorld()

const nestedSso = createRequire(import.meta.url)('@aws-sdk/nested-clients/sso') as { SSOClient: { prototype: { send(...args: unknown[]): Promise<unknown> } } }

/** The regions the SDK's SSO clients were configured for while `run` ran. */
async function ssoClientRegions(run: () => Promise<unknown>): Promise<string[]> {
  const regions: string[] = []
  const send = nestedSso.SSOClient.prototype.send
  const spy = vi.spyOn(nestedSso.SSOClient.prototype, 'send').mockImplementation(async function (this: { config: { region(): Promise<string> } }, ...args: unknown[]) {
    regions.push(await this.config.region())
    return send.apply(this, args)
  })
  try {
    await run()
  } finally {
    spy.mockRestore()
  }
  return regions
}

const imdsPaths = () => world.requests.filter((r) => r.server === 'imds').map((r) => r.path)

describe('sso.region', () => {
  it('writes sso_region (and the token cache region) apart from the profile region', async () => {
    await world.set({ region: null, profile: 'dev', profiles: { dev: { region: 'eu-west-1', sso: { role: 'Dev', region: 'ap-southeast-2' } } } })
    const config = readFileSync(join(world.home, '.aws', 'config'), 'utf8')
    expect(config).toMatch(/\[profile dev\]\nregion = eu-west-1\n/)
    expect(config).toMatch(/\[sso-session [^\]]+\]\nsso_start_url = [^\n]+\nsso_region = ap-southeast-2\n/)
    const cacheDir = join(world.home, '.aws', 'sso', 'cache')
    const caches = readdirSync(cacheDir).map((file) => JSON.parse(readFileSync(join(cacheDir, file), 'utf8')) as { region: string })
    expect(caches.map((c) => c.region)).toEqual(['ap-southeast-2'])
  })

  it("the real SDK's SSO client uses sso_region (ap-southeast-2); the outer client signs its calls for the profile's region (eu-west-1); GetRoleCredentials records no region", async () => {
    await world.set({ region: null, profile: 'dev', profiles: { dev: { region: 'eu-west-1', sso: { role: 'Dev', region: 'ap-southeast-2' } } } })
    const client = new STSClient({})
    expect(await ssoClientRegions(() => client.send(new GetCallerIdentityCommand({})))).toEqual(['ap-southeast-2'])
    expect(world.requests.map(({ server, action, status, region }) => ({ server, action, status, region }))).toEqual([
      { server: 'sso', action: 'GetRoleCredentials', status: 200, region: undefined },
      { server: 'sts', action: 'GetCallerIdentity', status: 200, region: 'eu-west-1' },
    ])
    await expect(client).toResolveCredentialsFrom('sso', { profile: 'dev' })
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'sso', role: 'Dev', region: 'eu-west-1' })
    await expect(world).not.toHaveReceivedRequestsSignedBy({ source: 'sso', region: 'ap-southeast-2' })
  })

  it("without sso.region, sso_region is the profile's region, as before", async () => {
    await world.set({ region: 'us-west-2', profile: 'dev', profiles: { dev: { region: 'eu-west-1', sso: { role: 'Dev' } } } })
    expect(await ssoClientRegions(() => new STSClient({}).config.credentials())).toEqual(['eu-west-1'])
    expect(readFileSync(join(world.home, '.aws', 'config'), 'utf8')).toContain('sso_region = eu-west-1')
  })
})

describe('instanceProfile.region', () => {
  it('is what IMDS reports at placement/region, placement/availability-zone and in the identity document, whatever AWS_REGION says', async () => {
    await world.set({ region: 'us-west-2', instanceProfile: { role: 'web', region: 'ap-northeast-1' } })
    const imds = world.endpoints.imds
    const token = await (await fetch(`${imds}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text()
    const get = async (path: string) => (await fetch(imds + path, { headers: { 'x-aws-ec2-metadata-token': token } })).text()
    expect(await get('/latest/meta-data/placement/region')).toBe('ap-northeast-1')
    expect(await get('/latest/meta-data/placement/availability-zone')).toBe('ap-northeast-1a')
    expect(JSON.parse(await get('/latest/dynamic/instance-identity/document'))).toMatchObject({ region: 'ap-northeast-1', availabilityZone: 'ap-northeast-1a' })
    expect(world.env.AWS_REGION).toBe('us-west-2')
  })

  it('a client with AWS_REGION set never asks IMDS for a region: it signs for us-west-2, with the instance role', async () => {
    await world.set({ region: 'us-west-2', instanceProfile: { role: 'web', region: 'ap-northeast-1' } })
    const client = new STSClient({})
    await client.send(new GetCallerIdentityCommand({}))
    expect(await client.config.region()).toBe('us-west-2')
    expect(imdsPaths()).not.toContain('/latest/meta-data/placement/region')
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'instanceProfile', role: 'web', region: 'us-west-2' })
    await expect(world).not.toHaveReceivedRequestsSignedBy({ region: 'ap-northeast-1' })
  })

  it('a client with no region anywhere asks IMDS (token, then placement/region) and signs for the instance region ap-northeast-1', async () => {
    await world.set({ region: null, instanceProfile: { role: 'web', region: 'ap-northeast-1' } })
    const client = new STSClient({})
    await client.send(new GetCallerIdentityCommand({}))
    expect(await client.config.region()).toBe('ap-northeast-1')
    expect(imdsPaths().slice(0, 2)).toEqual(['/latest/api/token', '/latest/meta-data/placement/region'])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'instanceProfile', region: 'ap-northeast-1' })
  })

  it("the profile's region comes before IMDS: [default] region = eu-west-3 wins and placement/region is never asked", async () => {
    await world.set({ region: null, files: { config: '[default]\nregion = eu-west-3\n' }, instanceProfile: { role: 'web', region: 'ap-northeast-1' } })
    expect(await new STSClient({}).config.region()).toBe('eu-west-3')
    expect(imdsPaths()).toEqual([])
  })

  it('with AWS_EC2_METADATA_DISABLED the client does not ask IMDS: no region at all ("Region is missing")', async () => {
    await world.set({ region: null, vars: { AWS_EC2_METADATA_DISABLED: 'true' }, instanceProfile: { role: 'web', region: 'ap-northeast-1' } })
    await expect(new STSClient({}).config.region()).rejects.toThrow('Region is missing')
    expect(imdsPaths()).toEqual([])
  })

  it('is validated like every region in a spec', () => {
    expect(() => parseWorldSpec({ instanceProfile: { role: 'web', region: 'Tokyo' } })).toThrow(/instanceProfile\.region.*expected a region such as "us-east-1"/s)
    expect(() => parseWorldSpec({ profiles: { dev: { sso: { role: 'Dev', region: 'eu_west_1' } } } })).toThrow(/profiles\.dev\.sso\.region.*expected a region such as "us-east-1"/s)
  })
})
