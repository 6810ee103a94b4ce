/**
 * Generated bad (and good) input, every run: fast-check builds 1 000 WorldSpec-like values —
 * valid parts, near misses (a typo'd field, a user ARN as a role, a bad token mode, an
 * off-machine variable) and junk of every JSON type, at every level. Each one is either
 * refused with a ChainproofError whose every line names a field, leaving process.env and the
 * disk exactly as they were; or created, resolved by the real SDK and explained by the model —
 * which must agree on the winner — and disposed, leaving nothing behind.
 */
import { readdirSync } from 'node:fs'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { sandboxRoot } from '../../src/world/sandbox.js'
import { createCredentialWorld } from '../../src/index.js'
import { modelActiveWorld } from '../../src/probe/probe.js'

const RUNS = 1000
const sandboxes = () => readdirSync(sandboxRoot()).filter((name) => name.startsWith(`chainproof-home-${process.pid}-`))

const junk = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
)
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 })
const roleName = fc.constantFrom('web', 'task-role', 'deployer', 'Dev', 'arn:aws:iam::123456789012:role/ops', 'arn:aws:iam::12:role/x', 'arn:aws:iam::123456789012:user/ci', 'a b', '')
const userName = fc.constantFrom('ci', 'alice', 'arn:aws:iam::123456789012:user/bot', 'arn:aws:iam::123456789012:role/web', 'c i', '')
const maybeJunk = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 5 }, { arbitrary: junk, weight: 1 })

const env = maybeJunk(fc.oneof(fc.record({ user: userName }), fc.record({ role: roleName }), fc.record({ user: userName, role: roleName }), fc.record({ usr: userName })))
const instanceProfile = maybeJunk(
  fc.record(
    { role: roleName, imdsV1Only: optional(maybeJunk(fc.boolean())), imdsV2Only: optional(fc.boolean()), endpoint: optional(fc.constantFrom('variable', 'linkLocal', 'ipv6')), Role: optional(roleName) },
    { requiredKeys: [] },
  ),
)
const container = maybeJunk(
  fc.record({ role: roleName, authToken: optional(fc.constantFrom('header', 'file', 'none', 'bearer')), uri: optional(fc.constantFrom('full', 'relative', 'absolute')) }, { requiredKeys: ['role'] }),
)
const webIdentity = maybeJunk(fc.record({ role: roleName, sessionName: optional(fc.constantFrom('orders-pod', 'x', 'has space')) }, { requiredKeys: [] }))
const profile = maybeJunk(
  fc.oneof(
    fc.record({ user: userName, region: optional(fc.constantFrom('eu-west-1', 'Mars')) }, { requiredKeys: ['user'] }),
    fc.record({ role: roleName, sourceProfile: fc.constantFrom('base', 'missing') }),
    fc.record({ role: roleName, credentialSource: fc.constantFrom('Ec2InstanceMetadata', 'Environment', 'EcsContainer', 'Ec2Metadata') }),
    fc.record({ role: roleName, webIdentityTokenFile: fc.constantFrom(true, 'yes') }),
    fc.record({ process: maybeJunk(fc.oneof(fc.record({ user: userName }), fc.record({ role: roleName }))) }),
    fc.record({ sso: maybeJunk(fc.record({ role: roleName, accountId: optional(fc.constantFrom('444455556666', '12')) }, { requiredKeys: ['role'] })) }),
    fc.record({ login: maybeJunk(fc.record({ role: roleName })) }),
    fc.record({ user: userName, mfa: fc.boolean() }),
    fc.record({ region: fc.constant('eu-west-1') }),
  ),
)
const profiles = maybeJunk(fc.dictionary(fc.constantFrom('default', 'base', 'dev', 'my profile', '[x]'), profile, { maxKeys: 3 }))
const vars = maybeJunk(
  fc.dictionary(
    fc.constantFrom('AWS_REGION', 'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL_S3', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS-BAD', 'HOME', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_SDK_LOAD_CONFIG'),
    maybeJunk(fc.constantFrom('true', 'false', 'us-west-2', 'http://127.0.0.1:1', 'https://s3.amazonaws.com', '/v2/x')),
    { maxKeys: 2 },
  ),
)
/** Specs built from valid parts only (a profile may still name a missing source profile). */
const goodRole = fc.constantFrom('web', 'task-role', 'deployer', 'Dev', 'arn:aws:iam::123456789012:role/ops')
const goodUser = fc.constantFrom('ci', 'alice', 'arn:aws:iam::123456789012:user/bot')
const goodProfile = fc.oneof(
  fc.record({ user: goodUser }),
  fc.record({ role: goodRole, sourceProfile: fc.constant('base') }),
  fc.record({ role: goodRole, credentialSource: fc.constantFrom('Ec2InstanceMetadata', 'Environment', 'EcsContainer') }),
  fc.record({ role: goodRole, webIdentityTokenFile: fc.constant(true as const) }),
  fc.record({ process: fc.oneof(fc.record({ user: goodUser }), fc.record({ role: goodRole })) }),
  fc.record({ sso: fc.record({ role: goodRole }) }),
  fc.record({ login: fc.record({ role: goodRole }) }),
  fc.record({ user: goodUser, sso: fc.record({ role: goodRole }) }),
)
const goodSpec = fc.record(
  {
    env: fc.oneof(fc.record({ user: goodUser }), fc.record({ role: goodRole })),
    instanceProfile: fc.record({ role: goodRole, imdsV1Only: optional(fc.boolean()), endpoint: optional(fc.constantFrom('variable', 'linkLocal')) }, { requiredKeys: ['role'] }),
    container: fc.record({ role: goodRole, authToken: optional(fc.constantFrom('header', 'file', 'none')), uri: optional(fc.constantFrom('full', 'relative')) }, { requiredKeys: ['role'] }),
    webIdentity: fc.record({ role: goodRole }),
    profiles: fc.dictionary(fc.constantFrom('default', 'base', 'dev'), goodProfile, { maxKeys: 3 }),
    profile: fc.constantFrom('dev', 'base', 'ghost'),
    region: fc.constantFrom('us-east-1', 'eu-north-1', null),
    vars: fc.dictionary(fc.constantFrom('AWS_EC2_METADATA_DISABLED', 'AWS_SDK_LOAD_CONFIG', 'AWS_REGION'), fc.constantFrom('true', 'false', 'us-west-2'), { maxKeys: 1 }),
  },
  { requiredKeys: [] },
)

const spec = fc.oneof(
  { weight: 10, arbitrary: goodSpec },
  {
    weight: 12,
    arbitrary: fc.record(
      {
        env,
        instanceProfile,
        container,
        webIdentity,
        profiles,
        vars,
        profile: fc.constantFrom('dev', 'base', 'ghost', 'prod]\n[x'),
        region: fc.constantFrom('us-east-1', 'eu-north-1', 'Mars', null),
        accountId: fc.constantFrom('123456789012', '12', 123456789012),
        instanceProfle: junk,
        gate: fc.constantFrom({ allow: { web: ['s3:GetObject'] } }, { allow: { web: ['GetObject'] } }, { deny: {} }),
        faults: fc.constantFrom([], [{ target: 'imds', kind: 'tokenStatus', status: 403 }], [{ target: 'imdz', kind: 'x' }], [{ target: 'sts', kind: 'status', status: 503, times: 1 }], { target: 'imds' }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: junk },
)

/** Every line of a refusal names a field (or the root) and says what is wrong. */
const REFUSAL = /^Invalid WorldSpec:(\n {2}- (\(root\)|[\w$[\]".: -]+?): .+)+$/

describe('generated WorldSpecs', () => {
  it(`${RUNS} per run: refused with every field named and nothing changed, or created, resolved by the SDK and the model alike, and disposed`, async () => {
    const counts = { refused: 0, created: 0, agreed: 0 }
    // the SDK's own warnings (AWS_PROFILE beside env keys, …), a thousand times over, are not the point here
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const disagreements: string[] = []
    await fc.assert(
      fc.asyncProperty(spec, async (input) => {
        const env = { ...process.env }
        const before = sandboxes()
        let world
        try {
          world = await createCredentialWorld(input as never)
        } catch (error) {
          counts.refused++
          expect((error as Error).name, String(error)).toBe('ChainproofError')
          expect((error as Error).message).toMatch(REFUSAL)
          expect({ ...process.env }).toEqual(env)
          expect(sandboxes()).toEqual(before)
          return
        }
        counts.created++
        try {
          const real = await fromNodeProviderChain({ timeout: 1000, maxRetries: 0 })().then(
            (credentials) => world.identityOf(credentials.accessKeyId)?.source ?? 'unknown key',
            () => 'none',
          )
          const model = (await modelActiveWorld()).winner ?? 'none'
          if (real === model) counts.agreed++
          else disagreements.push(`${JSON.stringify(input)}: SDK ${real}, model ${model}`)
        } finally {
          await world.dispose()
        }
        expect({ ...process.env }).toEqual(env)
        expect(sandboxes()).toEqual(before)
      }),
      { numRuns: RUNS, seed: Number(process.env.CHAINPROOF_FC_SEED ?? Date.now() % 2_147_483_647) },
    )
    warn.mockRestore()
    console.log(`generated WorldSpecs: ${RUNS} — ${counts.refused} refused (each field named, nothing changed), ${counts.created} created and disposed, ${counts.agreed} with SDK and model agreeing`)
    expect(disagreements).toEqual([])
    expect(counts.refused).toBeGreaterThan(100)
    expect(counts.created).toBeGreaterThan(100)
  }, 300_000)

  it('found by a run: a source_profile whose credential_source has nothing to give moves on too (the SDK reaches the web identity link; so does the model)', async () => {
    const input = {
      env: { user: 'ci' },
      webIdentity: { role: 'Dev' },
      profiles: { base: { role: 'task-role', credentialSource: 'Ec2InstanceMetadata' as const }, default: { sso: { role: 'deployer' } }, dev: { role: 'Dev', sourceProfile: 'base' } },
      profile: 'dev',
    }
    await using world = await createCredentialWorld(input)
    const credentials = await fromNodeProviderChain({ timeout: 1000, maxRetries: 0 })()
    expect(world.identityOf(credentials.accessKeyId)?.source).toBe('webIdentity')
    expect((await modelActiveWorld()).winner).toBe('webIdentity')
  })
})
