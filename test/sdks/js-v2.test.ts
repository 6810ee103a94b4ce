/**
 * The README's migration table, row by row, from the js-v2 and js-v3 models — both checked against
 * the real SDKs (the js-v2 model by test/sdks/oracles.test.ts, js-v3 by test/chain/agreement.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { WorldSpec } from '../../src/types.js'

describe("the README's migration table (the js-v2 and js-v3 models, both checked against the real SDKs in oracles.test.ts and agreement.test.ts)", () => {
  const rows: [string, WorldSpec, string, string][] = [
    ['AWS_PROFILE set, and env keys', { env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } }, 'env', 'profile'],
    ['SSO in ~/.aws/config, no AWS_SDK_LOAD_CONFIG', { profiles: { default: { sso: { role: 'Dev' } } }, instanceProfile: { role: 'web' } }, 'instanceProfile', 'sso'],
    ['credential_process in ~/.aws/config, no AWS_SDK_LOAD_CONFIG', { profiles: { default: { process: { user: 'tool' } } }, instanceProfile: { role: 'web' } }, 'instanceProfile', 'process'],
    ['AWS_SDK_LOAD_CONFIG=1, keys in ~/.aws/credentials, no ~/.aws/config', { profiles: { default: { user: 'alice' } }, instanceProfile: { role: 'web' }, vars: { AWS_SDK_LOAD_CONFIG: '1' } }, 'instanceProfile', 'profile'],
    ['AWS_SDK_LOAD_CONFIG=1, a container endpoint and credential_process', { profiles: { default: { process: { user: 'tool' } } }, container: { role: 'task' }, vars: { AWS_SDK_LOAD_CONFIG: '1' } }, 'container', 'process'],
    ['login_session (aws login)', { profiles: { default: { login: { role: 'console' } } }, instanceProfile: { role: 'web' } }, 'instanceProfile', 'login'],
  ]
  it.each(rows)('%s', async (_row, spec, v2, v3) => {
    await using world = await createCredentialWorld(spec)
    expect([(await world.explain(undefined, { sdk: 'js-v2' })).winner, (await world.explain(undefined, { sdk: 'js-v3' })).winner]).toEqual([v2, v3])
  })
})
