/**
 * The pre-3.616 JS model (`js-v3@<3.616`) against a real release before 3.616:
 * `@aws-sdk/credential-provider-node` 3.600.0, installed under the alias `cpn-3600`. Its
 * defaultProvider() reads AWS_PROFILE when it is CREATED, so each provider is created after
 * its world, as a client would be. On the whole generated space (1024 worlds, login included) the model and the
 * real chain must agree on the winner and the shadowed list (the real list is found by
 * removing the winner and resolving again). Then the one thing that differs from 3.616+ —
 * AWS_PROFILE changing between construction and resolution — is pinned both ways.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { defaultProvider as defaultProvider3600 } from 'cpn-3600'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { modelChainFor } from '../../src/chain/sdks/index.js'
import type { Source } from '../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, keyOf, shadowedByRemoval, specOf, subsets } from '../support/scenario-space.js'
import { sdkFactsOfActiveWorld } from './support/world-facts.js'

describe.each(FLAG_SETTINGS.map(([p, d]) => [p, d]))('js-v3@<3.616 agrees with @aws-sdk/credential-provider-node 3.600.0 (AWS_PROFILE %s, AWS_EC2_METADATA_DISABLED %s)', (awsProfile, imdsDisabled) => {
  it('on the winner and the shadowed list of all 256 combinations', async () => {
    const real = new Map<string, Source | undefined>()
    const model = new Map<string, { winner?: Source; shadowed: Source[] }>()
    for (const on of subsets(WITH_LOGIN)) {
      await using world = await createCredentialWorld(specOf(on, awsProfile, imdsDisabled))
      const provider = defaultProvider3600() // created after the world: it reads AWS_PROFILE now
      const source = await provider().then(
        (c) => world.identityOf(c.accessKeyId)?.source,
        () => undefined,
      )
      real.set(keyOf(on), source)
      const report = modelChainFor('js-v3@<3.616', await sdkFactsOfActiveWorld())
      model.set(keyOf(on), { shadowed: report.shadowed, ...(report.winner ? { winner: report.winner } : {}) })
    }
    const disagreements: string[] = []
    for (const on of subsets(WITH_LOGIN)) {
      const expected = { winner: real.get(keyOf(on)), shadowed: shadowedByRemoval(on, (s) => real.get(keyOf(s))) }
      const got = model.get(keyOf(on))!
      if (got.winner !== expected.winner || JSON.stringify(got.shadowed) !== JSON.stringify(expected.shadowed)) {
        disagreements.push(`${keyOf(on)}: 3.600.0 ${JSON.stringify(expected)} model ${JSON.stringify(got)}`)
      }
    }
    expect(disagreements).toEqual([])
    expect(real.size).toBe(256)
  }, 120_000)
})

describe('AWS_PROFILE read at construction (before 3.616) versus at each call (3.616+)', () => {
  const spec = { env: { user: 'ci' }, profiles: { dev: { user: 'dev' } } }

  it('a provider created while AWS_PROFILE is set never uses the env keys, even after AWS_PROFILE is unset', async () => {
    await using world = await createCredentialWorld({ ...spec, profile: 'dev' })
    const old = defaultProvider3600()
    const latest = fromNodeProviderChain()
    delete process.env.AWS_PROFILE // the world restores it on dispose
    const sourceOf = async (p: () => Promise<{ accessKeyId: string }>) => world.identityOf((await p()).accessKeyId)?.source
    // 3.600: fromEnv left the chain at construction; fromIni now reads the (missing) default profile → nothing else → fails
    await expect(old()).rejects.toThrow(/Could not load credentials from any providers/)
    expect(await sourceOf(latest)).toBe('env')
    const facts = await sdkFactsOfActiveWorld()
    expect(modelChainFor('js-v3@<3.616', facts, { profileAtConstruction: 'dev' }).winner).toBeUndefined()
    expect(modelChainFor('js-v3', facts, { version: '3.600.0', profileAtConstruction: 'dev' }).winner).toBeUndefined()
    expect(modelChainFor('js-v3', facts).winner).toBe('env')
  })

  it('a provider created before AWS_PROFILE is set keeps using the env keys after it is set', async () => {
    await using world = await createCredentialWorld(spec)
    const old = defaultProvider3600()
    const latest = fromNodeProviderChain()
    process.env.AWS_PROFILE = 'dev'
    const sourceOf = async (p: () => Promise<{ accessKeyId: string }>) => world.identityOf((await p()).accessKeyId)?.source
    expect(await sourceOf(old)).toBe('env')
    expect(await sourceOf(latest)).toBe('profile')
    const facts = await sdkFactsOfActiveWorld()
    const before = modelChainFor('js-v3@<3.616', facts, { profileAtConstruction: null })
    expect(before.winner).toBe('env')
    expect(before.hints[0]).toContain('created before AWS_PROFILE=dev was set')
    expect(modelChainFor('js-v3', facts).winner).toBe('profile')
  })

  it('3.600 treats AWS_EC2_METADATA_DISABLED=false as disabled; 3.616+ does not', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' }, vars: { AWS_EC2_METADATA_DISABLED: 'false' } })
    await expect(defaultProvider3600()()).rejects.toThrow()
    expect(world.identityOf((await fromNodeProviderChain()()).accessKeyId)?.source).toBe('instanceProfile')
    const facts = await sdkFactsOfActiveWorld()
    expect(modelChainFor('js-v3@<3.616', facts).winner).toBeUndefined()
    expect(modelChainFor('js-v3@<3.616', facts).links.at(-1)).toMatchObject({ status: 'skipped' })
    expect(modelChainFor('js-v3', facts).winner).toBe('instanceProfile')
  })

  it('cites the release it models, in the report and its header', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const report = await world.explain(undefined, { sdk: 'js-v3@<3.616' })
    expect(report.release).toBe('@aws-sdk/credential-provider-node 3.600.0 (AWS_PROFILE checked once, when defaultProvider() is created)')
    expect(report.modelledFrom).toBe('run')
    expect(String(report).split('\n')[0]).toBe('Credential chain (js-v3@<3.616: @aws-sdk/credential-provider-node 3.600.0 (AWS_PROFILE checked once, when defaultProvider() is created)) — winner: env')
  })
})
