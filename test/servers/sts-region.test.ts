/**
 * Which region the SDK's inner STS client (role assumption inside fromIni and fromTokenFile)
 * uses, proven with the real SDK against a world's STS, asserted through RecordedRequest.region
 * and toHaveReceivedRequestsSignedBy({ region }).
 *
 * What the installed code says (and these tests hold it to):
 * - @aws-sdk/credential-provider-ini resolveAssumeRoleCredentials builds the role assumer with
 *   parentClientConfig.region = the role profile's own `region` ?? options.parentClientConfig.region
 *   ?? callerClientConfig.region (the outer client's).
 * - @aws-sdk/credential-provider-web-identity fromWebToken passes the outer client's config as
 *   parentClientConfig, with no profile region (fromIni's web identity branch passes none either).
 * - @aws-sdk/nested-clients/sts resolveRegion takes the provider's clientConfig.region, then
 *   that parent region, then @aws-sdk/core's stsRegionDefaultResolver: AWS_REGION, the `region`
 *   of the profile parentClientConfig.profile names (else AWS_PROFILE, else default), then
 *   us-east-1 with console.warn("@aws-sdk - WARN - default STS region of us-east-1 used. …").
 * - AssumeRoleWithWebIdentity is unsigned: its request carries no signing region, so there the
 *   inner client's region is read from the nested STS client itself.
 */
import { createRequire } from 'node:module'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromIni, fromTokenFile } from '@aws-sdk/credential-providers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useCredentialWorld } from '../../src/vitest.js'

const world = useCredentialWorld()

const STS_DEFAULT_WARNING = '@aws-sdk - WARN - default STS region of us-east-1 used. See @aws-sdk/credential-providers README and set a region explicitly.'

/** The very module instance the credential providers require for their inner STS client. */
const nestedSts = createRequire(import.meta.url)('@aws-sdk/nested-clients/sts') as { STSClient: { prototype: { send(...args: unknown[]): Promise<unknown> } } }

/** Every command the inner STS clients send while `run` runs, with the region each client was configured for. */
async function innerStsCalls(run: () => Promise<unknown>): Promise<{ command: string; region: string }[]> {
  const calls: { command: string; region: string }[] = []
  const send = nestedSts.STSClient.prototype.send
  const spy = vi.spyOn(nestedSts.STSClient.prototype, 'send').mockImplementation(async function (this: { config: { region(): Promise<string> } }, ...args: unknown[]) {
    calls.push({ command: (args[0] as object).constructor.name, region: await this.config.region() })
    return send.apply(this, args)
  })
  try {
    await run()
  } finally {
    spy.mockRestore()
  }
  return calls
}

/** STS requests the world received: action, status, signing region. */
const stsRequests = () => world.requests.filter((r) => r.server === 'sts').map(({ action, status, region }) => ({ action, status, region }))

let warn: ReturnType<typeof vi.spyOn<Console, 'warn'>> | undefined
/** Silences console.warn and returns the SDK's STS-region warnings printed since. */
function stsWarnings(): () => unknown[] {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  return () => warn!.mock.calls.map((call) => call[0]).filter((text) => String(text).includes('default STS region'))
}
afterEach(() => {
  warn?.mockRestore()
  warn = undefined
})

const ROLE_PROFILES = { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base' } } as const

describe('fromIni role profile (source_profile): the inner STS client signing AssumeRole', () => {
  it("signs for the outer client's region (eu-west-2), not AWS_REGION (us-west-2), when the role profile has no region", async () => {
    await world.set({ region: 'us-west-2', profile: 'deploy', profiles: ROLE_PROFILES })
    const client = new STSClient({ region: 'eu-west-2' })
    await client.send(new GetCallerIdentityCommand({}))
    expect(stsRequests()).toEqual([
      { action: 'AssumeRole', status: 200, region: 'eu-west-2' },
      { action: 'GetCallerIdentity', status: 200, region: 'eu-west-2' },
    ])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', profile: 'base', region: 'eu-west-2' })
    await expect(world).not.toHaveReceivedRequestsSignedBy({ profile: 'base', region: 'us-west-2' })
  })

  it("signs for the role profile's own region (eu-central-1) even when the outer client has another (eu-west-2); the client's own calls keep eu-west-2", async () => {
    await world.set({ region: 'us-west-2', profile: 'deploy', profiles: { ...ROLE_PROFILES, deploy: { ...ROLE_PROFILES.deploy, region: 'eu-central-1' } } })
    await new STSClient({ region: 'eu-west-2' }).send(new GetCallerIdentityCommand({}))
    expect(stsRequests()).toEqual([
      { action: 'AssumeRole', status: 200, region: 'eu-central-1' },
      { action: 'GetCallerIdentity', status: 200, region: 'eu-west-2' },
    ])
    await expect(world).toHaveReceivedRequestsSignedBy({ profile: 'base', region: 'eu-central-1' })
    await expect(world).toHaveReceivedRequestsSignedBy({ role: 'deployer', region: 'eu-west-2' })
  })

  it('a client without a region option takes AWS_REGION (ap-south-1), and so does its inner STS client', async () => {
    await world.set({ region: 'ap-south-1', profile: 'deploy', profiles: ROLE_PROFILES })
    await expect(new STSClient({})).toResolveToRole('deployer')
    expect(stsRequests()).toEqual([{ action: 'AssumeRole', status: 200, region: 'ap-south-1' }])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', region: 'ap-south-1' })
  })

  it('a provider called without a client (fromIni()()) falls back to AWS_REGION (ap-south-1), without a warning', async () => {
    await world.set({ region: 'ap-south-1', profile: 'deploy', profiles: ROLE_PROFILES })
    const warnings = stsWarnings()
    await fromIni()()
    expect(stsRequests()).toEqual([{ action: 'AssumeRole', status: 200, region: 'ap-south-1' }])
    expect(warnings()).toEqual([])
  })

  it("with neither client nor AWS_REGION, fromIni({ profile: 'deploy' })() falls back to the region of the profile AWS_PROFILE or default names (sa-east-1 of [default]), not of the profile it resolves", async () => {
    await world.set({ region: null, profiles: { ...ROLE_PROFILES, default: { user: 'carol', region: 'sa-east-1' } } })
    const warnings = stsWarnings()
    await fromIni({ profile: 'deploy' })()
    expect(stsRequests()).toEqual([{ action: 'AssumeRole', status: 200, region: 'sa-east-1' }])
    await expect(world).toHaveReceivedRequestsSignedBy({ profile: 'base', region: 'sa-east-1' })
    expect(warnings()).toEqual([])
  })

  it("the source_profile's region is not a fallback: AWS_PROFILE=deploy, region only on base → us-east-1 with the SDK's warning", async () => {
    await world.set({ region: null, profile: 'deploy', profiles: { ...ROLE_PROFILES, base: { user: 'alice', region: 'sa-east-1' } } })
    const warnings = stsWarnings()
    await fromIni()()
    expect(stsRequests()).toEqual([{ action: 'AssumeRole', status: 200, region: 'us-east-1' }])
    expect(warnings()).toEqual([STS_DEFAULT_WARNING])
  })

  it('no region anywhere, no client: signs for us-east-1 and prints the SDK warning once per role assumer', async () => {
    await world.set({ region: null, profile: 'deploy', profiles: ROLE_PROFILES })
    const warnings = stsWarnings()
    await fromIni()()
    expect(stsRequests()).toEqual([{ action: 'AssumeRole', status: 200, region: 'us-east-1' }])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', profile: 'base', region: 'us-east-1' })
    expect(warnings()).toEqual([STS_DEFAULT_WARNING])
  })

  it("no region anywhere, through a client (IMDS disabled): there is no us-east-1 fallback — the inner client asks the outer client's region, and resolution fails with 'Region is missing' before any STS call", async () => {
    await world.set({ region: null, profile: 'deploy', profiles: ROLE_PROFILES, vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    const warnings = stsWarnings()
    await expect(new STSClient({}).config.credentials()).rejects.toThrow('Region is missing')
    expect(stsRequests()).toEqual([])
    expect(warnings()).toEqual([])
    await expect(world).not.toHaveReceivedRequestsSignedBy({ region: 'us-east-1' })
  })

  it("a client with no region in a world with no AWS_REGION asks IMDS (placement/region = instanceProfile.region, ap-northeast-1), and the inner STS client signs for that", async () => {
    await world.set({ region: null, profile: 'deploy', profiles: ROLE_PROFILES, instanceProfile: { role: 'web', region: 'ap-northeast-1' } })
    await new STSClient({}).send(new GetCallerIdentityCommand({}))
    expect(world.requests.filter((r) => r.server === 'imds').map((r) => r.path)).toEqual(['/latest/api/token', '/latest/meta-data/placement/region'])
    expect(stsRequests()).toEqual([
      { action: 'AssumeRole', status: 200, region: 'ap-northeast-1' },
      { action: 'GetCallerIdentity', status: 200, region: 'ap-northeast-1' },
    ])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', profile: 'deploy', region: 'ap-northeast-1' })
  })
})

describe('web identity: the inner STS client of AssumeRoleWithWebIdentity (unsigned, so the wire shows no region)', () => {
  it("env web identity: configured for the outer client's region (eu-west-2), not AWS_REGION; the request records no region; the outer client signs for eu-west-2", async () => {
    await world.set({ region: 'us-west-2', webIdentity: { role: 'pod' } })
    const calls = await innerStsCalls(() => new STSClient({ region: 'eu-west-2' }).send(new GetCallerIdentityCommand({})))
    expect(calls).toEqual([{ command: 'AssumeRoleWithWebIdentityCommand', region: 'eu-west-2' }])
    expect(stsRequests()).toEqual([
      { action: 'AssumeRoleWithWebIdentity', status: 200, region: undefined },
      { action: 'GetCallerIdentity', status: 200, region: 'eu-west-2' },
    ])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'webIdentity', role: 'pod', region: 'eu-west-2' })
  })

  it("profile web identity: unlike a source_profile role, the profile's region (eu-central-1) is not used when the client has one (eu-west-2); the AssumeRole of a role chained on it is", async () => {
    await world.set({
      region: 'us-west-2',
      profile: 'app',
      profiles: { pod: { role: 'pod', webIdentityTokenFile: true, region: 'eu-central-1' }, app: { role: 'app', sourceProfile: 'pod', region: 'eu-north-1' } },
    })
    const calls = await innerStsCalls(() => new STSClient({ region: 'eu-west-2' }).config.credentials())
    expect(calls).toEqual([
      { command: 'AssumeRoleWithWebIdentityCommand', region: 'eu-west-2' },
      { command: 'AssumeRoleCommand', region: 'eu-north-1' },
    ])
    expect(stsRequests()).toEqual([
      { action: 'AssumeRoleWithWebIdentity', status: 200, region: undefined },
      { action: 'AssumeRole', status: 200, region: 'eu-north-1' },
    ])
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'webIdentity', profile: 'pod', region: 'eu-north-1' })
  })

  it("profile web identity without a client: AWS_REGION (us-west-2) beats the profile's region; without AWS_REGION the profile's region (eu-central-1) is the fallback", async () => {
    const profiles = { pod: { role: 'pod', webIdentityTokenFile: true, region: 'eu-central-1' } } as const
    await world.set({ region: 'us-west-2', profile: 'pod', profiles })
    expect(await innerStsCalls(() => fromIni()())).toEqual([{ command: 'AssumeRoleWithWebIdentityCommand', region: 'us-west-2' }])
    await world.set({ region: null, profile: 'pod', profiles })
    expect(await innerStsCalls(() => fromIni()())).toEqual([{ command: 'AssumeRoleWithWebIdentityCommand', region: 'eu-central-1' }])
  })

  it('env web identity, no region anywhere, no client: us-east-1 with the SDK warning', async () => {
    await world.set({ region: null, webIdentity: { role: 'pod' } })
    const warnings = stsWarnings()
    expect(await innerStsCalls(() => fromTokenFile()())).toEqual([{ command: 'AssumeRoleWithWebIdentityCommand', region: 'us-east-1' }])
    expect(warnings()).toEqual([STS_DEFAULT_WARNING])
    expect(stsRequests()).toEqual([{ action: 'AssumeRoleWithWebIdentity', status: 200, region: undefined }])
  })
})
