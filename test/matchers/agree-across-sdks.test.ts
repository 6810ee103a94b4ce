/**
 * toAgreeAcrossSdks: a migration test. The js-v2 and js-v3 models (both checked against the
 * real SDKs) pick the same source in most worlds; under AWS_PROFILE with env keys set they do
 * not — v2 uses the env keys, v3 the profile — and the failure says why each won.
 */
import { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { useCredentialWorld } from '../../src/vitest.js'
import { failureOf } from '../support/messages.js'

const world = useCredentialWorld()

describe('toAgreeAcrossSdks', () => {
  it('passes where js-v2 and js-v3 pick the same source', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])
    await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
  })

  it('fails under AWS_PROFILE with env keys, naming each winner and the rule behind it', async () => {
    await world.set({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    await expect(world).not.toAgreeAcrossSdks(['js-v2', 'js-v3'])
    const message = await failureOf(() => expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3']))
    expect(message).toContain('expect(world).toAgreeAcrossSdks(sdks)')
    expect(message).toContain("js-v2  env (EnvironmentCredentials('AWS')) — AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set (AWS_PROFILE=dev does not change that in v2)")
    expect(message).toMatch(/js-v3  profile \(fromIni\) — profile "dev" \(AWS_PROFILE\)/)
    expect(message).toContain('does not make v2 skip the env keys (v3 does)')
  })

  it('fails where only v2 misses ~/.aws/config (no AWS_SDK_LOAD_CONFIG)', async () => {
    await world.set({ profiles: { default: { process: { user: 'tool' } } }, instanceProfile: { role: 'web' } })
    const message = await failureOf(() => expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3']))
    expect(message).toContain('js-v2  instanceProfile')
    expect(message).toContain('~/.aws/config has profiles, which v2 reads only with AWS_SDK_LOAD_CONFIG=1')
    await world.set({ profiles: { default: { process: { user: 'tool' } } }, instanceProfile: { role: 'web' }, vars: { AWS_SDK_LOAD_CONFIG: '1' } })
    await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])
  })

  it('is a matcher error for fewer than two SDKs or an unknown name', async () => {
    await world.set({})
    await expect(expect(world).toAgreeAcrossSdks(['js-v3'])).rejects.toThrow(/sdks must list at least two SDKs/)
    await expect(expect(world).toAgreeAcrossSdks(['js-v2', 'ruby' as never])).rejects.toThrow(/unknown SDK "ruby"; valid names: js-v3, js-v3@<3.616, js-v2, ruby-v3/)
    await expect(expect({}).toAgreeAcrossSdks(['js-v2', 'js-v3'])).rejects.toThrow(/received value must be a credential world/)
  })
})
