/**
 * world.rotate(source): the source issues new credentials from then on; the old ones stay valid
 * until they expire (as on EC2 and ECS); the ledger knows both generations.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, type WorldSpec } from '../../src/index.js'

const rotatable: { source: 'instanceProfile' | 'container' | 'env' | 'process'; spec: WorldSpec }[] = [
  { source: 'instanceProfile', spec: { instanceProfile: { role: 'web' } } },
  { source: 'container', spec: { container: { role: 'task' } } },
  { source: 'env', spec: { env: { user: 'ci' } } },
  { source: 'process', spec: { profile: 'dev', profiles: { dev: { process: { role: 'dev' } } } } },
  { source: 'process', spec: { profile: 'dev', profiles: { dev: { process: { role: 'dev', expiresIn: 3600 } } } } },
]

describe('world.rotate', () => {
  it.each(rotatable)('$source ($spec.profiles.dev.process.expiresIn): a client created after rotate gets generation 2; one created before keeps generation 1, which still works', async ({ source, spec }) => {
    await using world = await createCredentialWorld(spec)
    const before = new STSClient({})
    const old = await before.config.credentials()
    await world.rotate(source)
    const after = new STSClient({})
    const fresh = await after.config.credentials()
    expect(fresh.accessKeyId).not.toBe(old.accessKeyId)
    expect(world.identityOf(old.accessKeyId)).toMatchObject({ source, generation: 1 })
    expect(world.identityOf(fresh.accessKeyId)).toMatchObject({ source, generation: 2 })
    expect(world.generations(source).map((g) => g.accessKeyId)).toEqual([old.accessKeyId, fresh.accessKeyId])
    // the memoized client keeps the old keys, and they are still honoured
    expect((await before.config.credentials()).accessKeyId).toBe(old.accessKeyId)
    await before.send(new GetCallerIdentityCommand({}))
    await after.send(new GetCallerIdentityCommand({}))
    const signers = world.requests.filter((r) => r.action === 'GetCallerIdentity' && r.status === 200).map((r) => r.accessKeyId)
    expect(signers).toEqual([old.accessKeyId, fresh.accessKeyId])
  })

  it("env: world.env (for child processes) carries the new keys too, and dispose restores the caller's variables", async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIADECOYDECOYDECOY9'
    try {
      const world = await createCredentialWorld({ env: { user: 'ci' } })
      const first = world.env.AWS_ACCESS_KEY_ID
      await world.rotate('env')
      expect(world.env.AWS_ACCESS_KEY_ID).not.toBe(first)
      expect(process.env.AWS_ACCESS_KEY_ID).toBe(world.env.AWS_ACCESS_KEY_ID)
      await world.dispose()
      expect(process.env.AWS_ACCESS_KEY_ID).toBe('AKIADECOYDECOYDECOY9')
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID
    }
  })

  it('without a source, rotates every rotatable source of the world', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' }, container: { role: 'task' } })
    await fromNodeProviderChain()()
    await world.rotate()
    expect(world.generations('env')).toHaveLength(2)
    // IMDS and the container endpoint issue lazily (env won, so neither was asked): rotate issued their next generation at once
    expect(world.generations('container')).toHaveLength(1)
    expect(world.generations('instanceProfile')).toHaveLength(1)
  })

  it("STS-, SSO- and login-backed sources issue new credentials at every fetch already: rotate accepts them and changes nothing", async () => {
    await using world = await createCredentialWorld({ webIdentity: { role: 'pod' }, profiles: { dev: { sso: { role: 'dev' } }, app: { role: 'x', sourceProfile: 'dev' } } })
    await world.rotate('webIdentity')
    await world.rotate('sso')
    await world.rotate('profile')
    expect(world.generations()).toHaveLength(0)
  })

  it('refuses what it cannot rotate, with the reason and what it can', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' }, profiles: { dev: { user: 'alice' } } })
    await expect(world.rotate('container')).rejects.toThrow('world.rotate("container"): this world has no container source. Rotatable here: instanceProfile.')
    await expect(world.rotate('profile')).rejects.toThrow(
      "world.rotate(\"profile\"): a profile's static keys live in ~/.aws/credentials, which the SDK reads once per process and caches by path",
    )
    await expect(world.rotate('code')).rejects.toThrow("credentials passed in code are not the world's to rotate")
    await expect(world.rotate('imsd' as never)).rejects.toThrow(/imsd/)
    await expect(world.rotate('process', { profile: 'dev' })).rejects.toThrow('world.rotate("process"): profile "dev" has no credential_process in this world')
  })
})
