/**
 * `expiresIn` on every temporary source: the world's servers (or files) issue credentials with that
 * expiry, the real SDK resolves them with it, and the ledger records it with the generation.
 */
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, type WorldSpec } from '../../src/index.js'

const cases: { name: string; source: string; spec: (expiresIn?: number) => WorldSpec }[] = [
  { name: 'instanceProfile', source: 'instanceProfile', spec: (expiresIn) => ({ instanceProfile: { role: 'web', ...(expiresIn ? { expiresIn } : {}) } }) },
  { name: 'container', source: 'container', spec: (expiresIn) => ({ container: { role: 'task', ...(expiresIn ? { expiresIn } : {}) } }) },
  { name: 'webIdentity', source: 'webIdentity', spec: (expiresIn) => ({ webIdentity: { role: 'pod', ...(expiresIn ? { expiresIn } : {}) } }) },
  {
    name: 'role profile (sourceProfile)',
    source: 'profile',
    spec: (expiresIn) => ({ profile: 'app', profiles: { base: { user: 'ci' }, app: { role: 'deployer', sourceProfile: 'base', ...(expiresIn ? { expiresIn } : {}) } } }),
  },
  {
    name: 'role profile (credentialSource)',
    source: 'profile',
    spec: (expiresIn) => ({ profile: 'app', instanceProfile: { role: 'web' }, profiles: { app: { role: 'deployer', credentialSource: 'Ec2InstanceMetadata', ...(expiresIn ? { expiresIn } : {}) } } }),
  },
  {
    name: 'web identity profile',
    source: 'webIdentity',
    spec: (expiresIn) => ({ profile: 'app', profiles: { app: { role: 'pod', webIdentityTokenFile: true, ...(expiresIn ? { expiresIn } : {}) } } }),
  },
  { name: 'sso', source: 'sso', spec: (expiresIn) => ({ profile: 'dev', profiles: { dev: { sso: { role: 'dev', ...(expiresIn ? { expiresIn } : {}) } } } }) },
  { name: 'login', source: 'login', spec: (expiresIn) => ({ profile: 'dev', profiles: { dev: { login: { role: 'dev', ...(expiresIn ? { expiresIn } : {}) } } } }) },
  { name: 'credential_process (role)', source: 'process', spec: (expiresIn) => ({ profile: 'dev', profiles: { dev: { process: { role: 'dev', ...(expiresIn ? { expiresIn } : {}) } } } }) },
  { name: 'credential_process (user)', source: 'process', spec: (expiresIn) => ({ profile: 'dev', profiles: { dev: { process: { user: 'ci', ...(expiresIn ? { expiresIn } : {}) } } } }) },
]

/** The login provider is reached through fromIni (it is not a link of the default chain). */
const providerFor = (source: string) => (source === 'login' ? fromIni({ profile: 'dev' }) : fromNodeProviderChain())

describe('expiresIn: the lifetime each source issues', () => {
  it.each(cases)('$name: the SDK resolves credentials that expire expiresIn seconds after they were issued, and the ledger says so', async ({ source, spec }) => {
    await using world = await createCredentialWorld(spec(1234))
    const before = Date.now()
    const credentials = await providerFor(source)()
    const identity = world.identityOf(credentials.accessKeyId)!
    expect(identity.source).toBe(source)
    expect(identity.generation).toBe(world.generations(source as never, identity.profile).length)
    // the wire drops milliseconds (ISO seconds, epoch ms for SSO), so allow a second either way
    expect(credentials.expiration!.getTime()).toBeGreaterThanOrEqual(identity.expiration!.getTime() - 1000)
    expect(credentials.expiration!.getTime()).toBeLessThanOrEqual(identity.expiration!.getTime())
    expect(identity.expiration!.getTime() - identity.issuedAt!.getTime()).toBe(1234_000)
    expect(identity.issuedAt!.getTime()).toBeGreaterThanOrEqual(before - 5_000)
  })

  it.each(cases.filter((c) => c.name !== 'credential_process (user)'))('$name: without expiresIn, one hour', async ({ source, spec }) => {
    await using world = await createCredentialWorld(spec())
    const credentials = await providerFor(source)()
    const identity = world.identityOf(credentials.accessKeyId)!
    expect(identity.expiration!.getTime() - identity.issuedAt!.getTime()).toBe(3600_000)
  })

  it("credential_process with a user and no expiresIn prints no Expiration: a user's keys never expire", async () => {
    await using world = await createCredentialWorld(cases.at(-1)!.spec())
    const credentials = await fromNodeProviderChain()()
    expect(credentials.expiration).toBeUndefined()
    expect(world.identityOf(credentials.accessKeyId)!.expiration).toBeUndefined()
  })

  it('STS issues the spec\'s lifetime whatever DurationSeconds the profile asks for (duration_seconds = 43200)', async () => {
    await using world = await createCredentialWorld({
      profile: 'app',
      profiles: { base: { user: 'ci' }, app: { role: 'deployer', sourceProfile: 'base', expiresIn: 900 } },
      files: { config: '[profile app]\nduration_seconds = 43200\n' },
    })
    const credentials = await fromNodeProviderChain()()
    expect(credentials.expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000)
  })
})

describe('expiresIn: bad input', () => {
  const refused = async (spec: unknown) => {
    const error = await createCredentialWorld(spec as WorldSpec).then(
      async (world) => {
        await world.dispose()
        return undefined
      },
      (e: Error) => e,
    )
    expect(error).toBeInstanceOf(Error)
    return error!.message
  }
  it('names the field and the accepted range', async () => {
    expect(await refused({ instanceProfile: { role: 'web', expiresIn: 0 } })).toContain('instanceProfile.expiresIn: expected seconds until the issued credentials expire: a whole number of seconds from 1 to 43200')
    expect(await refused({ container: { role: 'web', expiresIn: 1.5 } })).toContain('container.expiresIn')
    expect(await refused({ webIdentity: { role: 'web', expiresIn: '900' } })).toContain('webIdentity.expiresIn')
    expect(await refused({ profiles: { dev: { sso: { role: 'dev', tokenExpiresIn: -1 } } } })).toContain('seconds until the cached SSO token expires')
    expect(await refused({ profiles: { dev: { login: { role: 'dev', sessionExpiresIn: 0 } } } })).toContain('seconds until the login session ends')
  })
  it('a profile-level expiresIn without a role says where it belongs', async () => {
    expect(await refused({ profiles: { dev: { process: { role: 'dev' }, expiresIn: 900 } } })).toContain(
      "profiles.dev.expiresIn: expiresIn here is the lifetime of a role's sessions, and this profile assumes no role: put it inside process (e.g. process: { …, expiresIn: 900 })",
    )
    expect(await refused({ profiles: { dev: { user: 'ci', expiresIn: 900 } } })).toContain("expiresIn is the lifetime of a role's sessions: add role, or remove expiresIn (a user's keys never expire)")
  })
})
