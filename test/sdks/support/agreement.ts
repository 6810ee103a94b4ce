/**
 * The agreement run of a real-SDK oracle (support/line-oracle.ts) against its model: every world
 * of the generated space with login, once per variant (extra variables, e.g. AWS_SDK_LOAD_CONFIG),
 * the model's winner against the source of the key the real SDK resolved (or both failing).
 * Returns the table the suites print and the totals they hold to the bar.
 */
import { expect } from 'vitest'
import { createCredentialWorld } from '../../../src/index.js'
import { modelChainFor } from '../../../src/chain/sdks/index.js'
import type { SdkName, WorldSpec } from '../../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, specOf, subsets } from '../../support/scenario-space.js'
import type { LineOracle } from './line-oracle.js'
import { sdkFactsOfActiveWorld } from './world-facts.js'

/** The generated space with login: 4 flag settings × 256 source combinations = 1024 worlds. */
export function generatedSpace(): WorldSpec[] {
  return FLAG_SETTINGS.flatMap(([awsProfile, imdsDisabled]) => subsets(WITH_LOGIN).map((on) => specOf(on, awsProfile, imdsDisabled)))
}

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
): Promise<{ table: string; worlds: number; agreed: number; rows: { set: string; mode: string; worlds: number; agreed: number }[] }> {
  const rows: { set: string; mode: string; worlds: number; agreed: number }[] = []
  const classes = new Map<string, { count: number; example: WorldSpec }>()
  for (const set of sets) for (const variant of variants) {
    let worlds = 0
    let agreed = 0
    for (const base of set.specs) {
      const spec: WorldSpec = structuredClone(base)
      if (Object.keys(variant.vars).length) spec.vars = { ...(spec.vars ?? {}), ...variant.vars }
      await using world = await createCredentialWorld(spec)
      const answer = await oracle.ask(world.env, { sts: world.endpoints.sts, sso: world.endpoints.sso })
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
  return { table, rows, worlds: rows.reduce((n, r) => n + r.worlds, 0), agreed: rows.reduce((n, r) => n + r.agreed, 0) }
}

/** Starts an oracle for a suite, or says why it cannot run here (a failure under CHAINPROOF_REQUIRE_ORACLES=1). */
export async function readyOrSkip(oracle: LineOracle, suite: string): Promise<{ version?: string; skip?: string }> {
  const ready = await oracle.ready
  if (!('refused' in ready)) return { version: ready.sdk }
  if (process.env.CHAINPROOF_REQUIRE_ORACLES === '1') throw new Error(`CHAINPROOF_REQUIRE_ORACLES=1 but the ${oracle.sdk} oracle cannot run (${suite}): ${ready.refused}`)
  console.log(`${suite}: skipping the real-SDK checks — ${ready.refused}`)
  return { skip: ready.refused }
}
