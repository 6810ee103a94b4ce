/**
 * The go-v2@1.17 model against the real AWS SDK for Go v2 (Debian 12's
 * golang-github-aws-aws-sdk-go-v2-dev, config 1.17.10, built offline with Debian's golang-go),
 * asked by test/sdks/oracles/go-oracle about the very worlds the JS suites use: the generated
 * space with login (1024 worlds), the profile mixes Go validates (a role beside credential_process,
 * static keys and SSO; 62 worlds) and the fault catalogue's worlds. Per world the model's winner
 * must be the source of the key Go resolved (the world's ledger names it), or both must fail. The
 * bar is 99.5 %. The oracle is built here (GOPATH mode, offline) against Debian's
 * golang-github-aws-aws-sdk-go-v2-dev: .ci/run installs it and golang-go.
 *
 * Go asks 169.254.169.254 when no endpoint is set, so the oracle runs only inside a loopback-only
 * network namespace (CI runs the suites under `unshare -n`) and refuses to start elsewhere: then
 * this suite skips with its reason, unless CHAINPROOF_REQUIRE_ORACLES=1 (CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { profileMixes } from '../support/scenario-space.js'
import { agreementRun, faultCatalogueSet, generatedSpace, readyOrSkip } from './support/agreement.js'
import { LineOracle } from './support/line-oracle.js'

let oracle: LineOracle | undefined
let ready: { version?: string; skip?: string } = {}

beforeAll(async () => {
  oracle = new LineOracle('go-v2')
  ready = await readyOrSkip(oracle, 'go-v2 agreement')
}, 120_000)
afterAll(async () => {
  await oracle?.close()
})

describe('the go-v2@1.17 model agrees with aws-sdk-go-v2 config 1.17', () => {
  it('on the winner of the generated space with login (1024 worlds), the profile mixes Go validates (62) and the fault catalogue: at least 99.5 %', async (ctx) => {
    if (ready.skip) return ctx.skip()
    const sets = [{ label: 'generated', specs: generatedSpace() }, { label: 'profile mixes', specs: profileMixes() }, faultCatalogueSet()]
    const { table, worlds, agreed } = await agreementRun(oracle!, 'go-v2@1.17', `config ${ready.version}`, [{ label: 'default', vars: {} }], sets)
    console.log(table)
    expect(worlds).toBe(1024 + 62 + sets[2]!.specs.length)
    expect(agreed / worlds, table).toBeGreaterThanOrEqual(0.995)
  }, 300_000)
})
