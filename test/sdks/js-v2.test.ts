/**
 * The js-v2 model against the real AWS SDK for JavaScript v2 (npm aws-sdk@2.1693.0, the final
 * release), asked by test/sdks/oracles/js-v2-oracle.cjs about the very worlds the JS suites use:
 * the generated space with login (1024 worlds), once without and once with AWS_SDK_LOAD_CONFIG=1
 * — 2048 worlds. Per world the model's winner must be the source of the key v2 resolved (the
 * world's ledger names it), or both must fail. The bar is 99.5 %; the run prints the table.
 *
 * v2 asks 169.254.169.254 when no endpoint is set, so the oracle runs only inside a loopback-only
 * network namespace (CI runs the suites under `unshare -n`) and refuses to start elsewhere: then
 * this suite skips with its reason, unless CHAINPROOF_REQUIRE_ORACLES=1 (CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { WorldSpec } from '../../src/types.js'
import { agreementRun, readyOrSkip } from './support/agreement.js'
import { LineOracle } from './support/line-oracle.js'

let oracle: LineOracle | undefined
let ready: { version?: string; skip?: string } = {}

beforeAll(async () => {
  oracle = new LineOracle('js-v2')
  ready = await readyOrSkip(oracle, 'js-v2 agreement')
})
afterAll(async () => {
  await oracle?.close()
})

describe('the js-v2 model agrees with aws-sdk 2.1693.0', () => {
  it('on the winner of 2048 worlds (the generated space with login, with and without AWS_SDK_LOAD_CONFIG): at least 99.5 %', async (ctx) => {
    if (ready.skip) return ctx.skip()
    const { table, worlds, agreed } = await agreementRun(oracle!, 'js-v2', `aws-sdk ${ready.version}`, [
      { label: 'without AWS_SDK_LOAD_CONFIG', vars: {} },
      { label: 'AWS_SDK_LOAD_CONFIG=1', vars: { AWS_SDK_LOAD_CONFIG: '1' } },
    ])
    console.log(table)
    expect(worlds).toBe(2048)
    expect(agreed / worlds, table).toBeGreaterThanOrEqual(0.995)
    expect(oracle!.uncaught).toEqual([])
  }, 300_000)
})

describe("the README's migration table (the js-v2 and js-v3 models, both checked against the real SDKs above and in agreement.test.ts)", () => {
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
