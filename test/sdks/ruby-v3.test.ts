/**
 * The ruby-v3 model against the real AWS SDK for Ruby v3 (Debian 12's ruby-aws-sdk-core
 * 3.168.1), asked by test/sdks/oracles/ruby_oracle.rb about the very worlds the JS suites use:
 * the generated space with login (1024 worlds), and again with AWS_SDK_CONFIG_OPT_OUT (Ruby then
 * reads only ~/.aws/credentials) — 2048 worlds. Per world the model's winner must be the source of
 * the key Ruby resolved (the world's ledger names it), or both must fail. The bar is 99.5 %.
 *
 * Ruby asks 169.254.169.254 when no endpoint is set, so the oracle runs only inside a
 * loopback-only network namespace (CI runs the suites under `unshare -n`) and refuses to start
 * elsewhere: then this suite skips with its reason, unless CHAINPROOF_REQUIRE_ORACLES=1 (CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agreementRun, faultCatalogueSet, generatedSpace, readyOrSkip } from './support/agreement.js'
import { LineOracle } from './support/line-oracle.js'

let oracle: LineOracle | undefined
let ready: { version?: string; skip?: string } = {}

beforeAll(async () => {
  oracle = new LineOracle('ruby-v3')
  ready = await readyOrSkip(oracle, 'ruby-v3 agreement')
})
afterAll(async () => {
  await oracle?.close()
})

describe('the ruby-v3 model agrees with aws-sdk-core 3.168.1', () => {
  it('on the winner of the generated space with login (1024 worlds) and the fault catalogue, with and without AWS_SDK_CONFIG_OPT_OUT: at least 99.5 %', async (ctx) => {
    if (ready.skip) return ctx.skip()
    const sets = [{ label: 'generated', specs: generatedSpace() }, faultCatalogueSet()]
    const { table, worlds, agreed } = await agreementRun(
      oracle!,
      'ruby-v3',
      `aws-sdk-core ${ready.version}`,
      [
        { label: 'default', vars: {} },
        { label: 'AWS_SDK_CONFIG_OPT_OUT=1', vars: { AWS_SDK_CONFIG_OPT_OUT: '1' } },
      ],
      sets,
    )
    console.log(table)
    expect(worlds).toBe(2 * (1024 + sets[1]!.specs.length))
    expect(agreed / worlds, table).toBeGreaterThanOrEqual(0.995)
  }, 300_000)
})
