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
import { modelChainFor } from '../../src/chain/sdks/index.js'
import type { WorldSpec } from '../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, keyOf, specOf, subsets } from '../support/scenario-space.js'
import { JsV2Oracle } from './support/js-v2-oracle.js'
import { sdkFactsOfActiveWorld } from './support/world-facts.js'

let oracle: JsV2Oracle | undefined
let skipReason: string | undefined
let version = ''

beforeAll(async () => {
  oracle = new JsV2Oracle()
  const ready = await oracle.ready
  if ('refused' in ready) {
    skipReason = ready.refused
    if (process.env.CHAINPROOF_REQUIRE_ORACLES === '1') throw new Error(`CHAINPROOF_REQUIRE_ORACLES=1 but the js-v2 oracle cannot run: ${skipReason}`)
    console.log(`js-v2 agreement: skipping the real-SDK checks — ${skipReason}`)
  } else version = ready.sdk
})
afterAll(async () => {
  await oracle?.close()
})

describe('the js-v2 model agrees with aws-sdk 2.1693.0', () => {
  it('on the winner of 2048 worlds (the generated space with login, with and without AWS_SDK_LOAD_CONFIG): at least 99.5 %', async (ctx) => {
    if (skipReason) return ctx.skip()
    const rows: { mode: string; worlds: number; agreed: number }[] = []
    const classes = new Map<string, { count: number; example: WorldSpec }>()
    for (const loadConfig of [false, true]) {
      let worlds = 0
      let agreed = 0
      for (const [awsProfile, imdsDisabled] of FLAG_SETTINGS) {
        for (const on of subsets(WITH_LOGIN)) {
          const spec = specOf(on, awsProfile, imdsDisabled)
          if (loadConfig) spec.vars = { ...(spec.vars ?? {}), AWS_SDK_LOAD_CONFIG: '1' }
          await using world = await createCredentialWorld(spec)
          const answer = await oracle!.ask(world.env, { sts: world.endpoints.sts, sso: world.endpoints.sso })
          expect(answer.refused ?? [], 'the v2 oracle tried to leave loopback').toEqual([])
          const real = answer.accessKeyId ? (world.identityOf(answer.accessKeyId)?.source ?? 'foreign') : 'error'
          const model = modelChainFor('js-v2', await sdkFactsOfActiveWorld()).winner ?? 'error'
          worlds++
          if (real === model) agreed++
          else {
            const key = `${loadConfig ? 'AWS_SDK_LOAD_CONFIG ' : ''}real ${real}, model ${model}`
            const seen = classes.get(key)
            // the smallest world of each class is its example
            if (!seen || Object.keys(spec).length < Object.keys(seen.example).length) classes.set(key, { count: (seen?.count ?? 0) + 1, example: spec })
            else seen.count++
            void keyOf
          }
        }
      }
      rows.push({ mode: loadConfig ? 'AWS_SDK_LOAD_CONFIG=1' : 'without AWS_SDK_LOAD_CONFIG', worlds, agreed })
    }
    const table = [
      `js-v2 (aws-sdk ${version}) agreement:`,
      '| mode | worlds | agreed | % |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.mode} | ${r.worlds} | ${r.agreed} | ${((100 * r.agreed) / r.worlds).toFixed(2)} |`),
      ...[...classes].map(([key, { count, example }]) => `  disagreement (${count}): ${key} — e.g. ${JSON.stringify(example)}`),
    ].join('\n')
    console.log(table)
    const worlds = rows.reduce((n, r) => n + r.worlds, 0)
    const agreed = rows.reduce((n, r) => n + r.agreed, 0)
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
