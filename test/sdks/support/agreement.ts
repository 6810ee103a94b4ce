/**
 * The agreement run of a real-SDK oracle (support/line-oracle.ts) against its model: every world
 * of the generated space with login, once per variant (extra variables, e.g. AWS_SDK_LOAD_CONFIG),
 * the model's winner against the source of the key the real SDK resolved (or both failing).
 * Returns the table the suites print and the totals they hold to the bar.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { createCredentialWorld } from '../../../src/index.js'
import { modelChainFor } from '../../../src/chain/sdks/index.js'
import type { CredentialWorld, SdkName, WorldSpec } from '../../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, specOf, subsets } from '../../support/scenario-space.js'
import { faultWorlds } from '../../support/fault-worlds.js'
import type { LineOracle } from './line-oracle.js'
import { sdkFactsOfActiveWorld } from './world-facts.js'

/** The fault catalogue's worlds (test/support/fault-worlds.ts), as a set of an agreement run. */
export const faultCatalogueSet = (): WorldSet => ({ label: 'fault catalogue', specs: faultWorlds().map((w) => w.spec) })

/** The generated space with login: 4 flag settings × 256 source combinations = 1024 worlds. */
export function generatedSpace(): WorldSpec[] {
  return FLAG_SETTINGS.flatMap(([awsProfile, imdsDisabled]) => subsets(WITH_LOGIN).map((on) => specOf(on, awsProfile, imdsDisabled)))
}

/** Where an oracle points the clients its old SDK release would send off the machine: the world's STS, SSO and SSO OIDC. */
export const worldEndpoints = (world: CredentialWorld) => ({ sts: world.endpoints.sts, sso: world.endpoints.sso, ssoOidc: world.env.AWS_ENDPOINT_URL_SSO_OIDC ?? world.endpoints.sso })

export interface WorldSet {
  label: string
  specs: readonly WorldSpec[]
}

export async function agreementRun(
  oracle: LineOracle,
  sdk: SdkName,
  release: string,
  variants: ReadonlyArray<{ label: string; vars: Record<string, string> }>,
  sets: readonly WorldSet[] = [{ label: 'generated', specs: generatedSpace() }],
): Promise<{ table: string; worlds: number; agreed: number; rows: AgreementRow[] }> {
  const rows: AgreementRow[] = []
  const classes = new Map<string, { count: number; example: WorldSpec }>()
  for (const set of sets) for (const variant of variants) {
    let worlds = 0
    let agreed = 0
    for (const base of set.specs) {
      const spec: WorldSpec = structuredClone(base)
      if (Object.keys(variant.vars).length) spec.vars = { ...(spec.vars ?? {}), ...variant.vars }
      await using world = await createCredentialWorld(spec)
      const asked = Date.now()
      const watchdog = process.env.CHAINPROOF_SLOW_WORLDS ? setTimeout(() => console.log(`still asking after 20 s: ${JSON.stringify(spec)}`), 20_000) : undefined
      const answer = await oracle.ask(world.env, worldEndpoints(world))
      clearTimeout(watchdog)
      if (process.env.CHAINPROOF_SLOW_WORLDS && Date.now() - asked > 300) console.log(`slow world (${Date.now() - asked} ms): ${JSON.stringify(spec)} → ${JSON.stringify(answer).slice(0, 200)}`)
      expect(answer.refused ?? [], `the ${sdk} oracle tried to leave loopback`).toEqual([])
      const real = answer.accessKeyId ? (world.identityOf(answer.accessKeyId)?.source ?? 'foreign') : 'error'
      const model = modelChainFor(sdk, await sdkFactsOfActiveWorld()).winner ?? 'error'
      worlds++
      if (real === model) {
        agreed++
        continue
      }
      const key = `${set.label}, ${variant.label}: real ${real}, model ${model}`
      const seen = classes.get(key)
      // the smallest world of each class is its example
      if (!seen) classes.set(key, { count: 1, example: spec })
      else {
        seen.count++
        if (JSON.stringify(spec).length < JSON.stringify(seen.example).length) seen.example = spec
      }
    }
    rows.push({ set: set.label, mode: variant.label, worlds, agreed })
  }
  const table = [
    `${sdk} (${release}) agreement with its model:`,
    '| worlds from | variables | worlds | agreed | % |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.set} | ${r.mode} | ${r.worlds} | ${r.agreed} | ${((100 * r.agreed) / r.worlds).toFixed(2)} |`),
    ...[...classes].map(([key, { count, example }]) => `  disagreement (${count}): ${key} — e.g. ${JSON.stringify(example)}`),
  ].join('\n')
  recordAgreement(sdk, release, rows, [...classes].map(([key, { count, example }]) => ({ key, count, example })))
  return { table, rows, worlds: rows.reduce((n, r) => n + r.worlds, 0), agreed: rows.reduce((n, r) => n + r.agreed, 0) }
}

export interface AgreementRow {
  set: string
  mode: string
  worlds: number
  agreed: number
}

/**
 * Leaves a suite's agreement figures where `npm test` collects them (CHAINPROOF_AGREEMENT_DIR):
 * after the Vitest step it prints one table for every SDK run against its model.
 */
export function recordAgreement(sdk: string, release: string, rows: readonly AgreementRow[], disagreements: readonly { key: string; count: number; example: WorldSpec }[] = []): void {
  const dir = process.env.CHAINPROOF_AGREEMENT_DIR
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${sdk.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify({ sdk, release, rows, disagreements }))
}

/** Starts an oracle for a suite, or says why it cannot run here (a failure under CHAINPROOF_REQUIRE_ORACLES=1). */
export async function readyOrSkip(oracle: LineOracle, suite: string): Promise<{ version?: string; skip?: string }> {
  const ready = await oracle.ready
  if (!('refused' in ready)) return { version: ready.sdk }
  if (process.env.CHAINPROOF_REQUIRE_ORACLES === '1') throw new Error(`CHAINPROOF_REQUIRE_ORACLES=1 but the ${oracle.sdk} oracle cannot run (${suite}): ${ready.refused}`)
  console.log(`${suite}: skipping the real-SDK checks — ${ready.refused}`)
  return { skip: ready.refused }
}
