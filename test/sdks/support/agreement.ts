/**
 * The agreement runs of the real-SDK oracles (support/line-oracle.ts) against their models: every
 * world of a set, once per variant (extra variables, e.g. AWS_SDK_LOAD_CONFIG), each model's winner
 * against the source of the key its real SDK resolved (or both failing). Returns the tables the
 * suite prints and the totals it holds to the bar, and leaves them for `npm test`'s combined table.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { createCredentialWorld } from '../../../src/index.js'
import { modelChainFor } from '../../../src/chain/sdks/index.js'
import type { CredentialWorld, SdkName, WorldSpec } from '../../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, specOf, subsets } from '../../support/scenario-space.js'
import { faultWorlds } from '../../support/fault-worlds.js'
import type { LineOracle, OracleLine } from './line-oracle.js'
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

/** One SDK of a concurrent agreement run: its oracle, model name, release, and the variables it is run under. */
export interface AgreementSubject {
  oracle: LineOracle
  sdk: SdkName
  release: string
  variants: ReadonlyArray<{ label: string; vars: Record<string, string> }>
  /** Labels of the sets this SDK is asked about (default: every set). */
  sets?: readonly string[]
}

export interface AgreementResult {
  table: string
  worlds: number
  agreed: number
  rows: AgreementRow[]
}

/**
 * The agreement run of several real-SDK oracles at once: per world (and variant), every oracle
 * run under that variant is asked CONCURRENTLY about the same world, and each answer is held
 * against that SDK's model. A world with a fault that answers only `times` requests would have
 * its fault spent by whichever oracle asks first, so each oracle gets a world of its own then.
 */
export async function agreementRunConcurrent(subjects: readonly AgreementSubject[], sets: readonly WorldSet[]): Promise<Map<SdkName, AgreementResult>> {
  const rows = new Map<SdkName, AgreementRow[]>(subjects.map((s) => [s.sdk, []]))
  const classes = new Map<SdkName, Map<string, { count: number; example: WorldSpec }>>(subjects.map((s) => [s.sdk, new Map()]))
  // every distinct variant, with the subjects run under it
  const variants = new Map<string, { vars: Record<string, string>; runs: { subject: AgreementSubject; label: string }[] }>()
  for (const subject of subjects) {
    for (const variant of subject.variants) {
      const key = JSON.stringify(Object.entries(variant.vars).sort())
      const entry = variants.get(key) ?? { vars: variant.vars, runs: [] }
      entry.runs.push({ subject, label: variant.label })
      variants.set(key, entry)
    }
  }
  const judge = async (subject: AgreementSubject, world: CredentialWorld, spec: WorldSpec, set: string, label: string, answer: OracleLine, tally: Map<AgreementSubject, AgreementRow>) => {
    expect(answer.refused ?? [], `the ${subject.sdk} oracle tried to leave loopback`).toEqual([])
    const real = answer.accessKeyId ? (world.identityOf(answer.accessKeyId)?.source ?? 'foreign') : 'error'
    const model = modelChainFor(subject.sdk, await sdkFactsOfActiveWorld()).winner ?? 'error'
    const row = tally.get(subject)!
    row.worlds++
    if (real === model) return void row.agreed++
    const key = `${set}, ${label}: real ${real}, model ${model}`
    const byKey = classes.get(subject.sdk)!
    const seen = byKey.get(key)
    // the smallest world of each class is its example
    if (!seen) byKey.set(key, { count: 1, example: spec })
    else {
      seen.count++
      if (JSON.stringify(spec).length < JSON.stringify(seen.example).length) seen.example = spec
    }
  }
  for (const set of sets) {
    for (const { vars, runs: all } of variants.values()) {
      const runs = all.filter(({ subject }) => !subject.sets || subject.sets.includes(set.label))
      if (!runs.length) continue
      const tally = new Map(runs.map(({ subject, label }) => [subject, { set: set.label, mode: label, worlds: 0, agreed: 0 } satisfies AgreementRow]))
      for (const base of set.specs) {
        const spec: WorldSpec = structuredClone(base)
        if (Object.keys(vars).length) spec.vars = { ...(spec.vars ?? {}), ...vars }
        const spendable = (spec.faults ?? []).some((f) => 'times' in f && f.times !== undefined)
        if (spendable) {
          for (const { subject, label } of runs) {
            await using world = await createCredentialWorld(spec)
            await judge(subject, world, spec, set.label, label, await subject.oracle.ask(world.env, worldEndpoints(world)), tally)
          }
          continue
        }
        await using world = await createCredentialWorld(spec)
        const answers = await Promise.all(runs.map(({ subject }) => subject.oracle.ask(world.env, worldEndpoints(world))))
        for (const [i, { subject, label }] of runs.entries()) await judge(subject, world, spec, set.label, label, answers[i]!, tally)
      }
      for (const [subject, row] of tally) rows.get(subject.sdk)!.push(row)
    }
  }
  const results = new Map<SdkName, AgreementResult>()
  for (const subject of subjects) {
    const own = rows.get(subject.sdk)!
    const disagreements = [...classes.get(subject.sdk)!].map(([key, { count, example }]) => ({ key, count, example }))
    const table = [
      `${subject.sdk} (${subject.release}) agreement with its model:`,
      '| worlds from | variables | worlds | agreed | % |',
      '| --- | --- | ---: | ---: | ---: |',
      ...own.map((r) => `| ${r.set} | ${r.mode} | ${r.worlds} | ${r.agreed} | ${((100 * r.agreed) / r.worlds).toFixed(2)} |`),
      ...disagreements.map(({ key, count, example }) => `  disagreement (${count}): ${key} — e.g. ${JSON.stringify(example)}`),
    ].join('\n')
    recordAgreement(subject.sdk, subject.release, own, disagreements)
    results.set(subject.sdk, { table, rows: own, worlds: own.reduce((n, r) => n + r.worlds, 0), agreed: own.reduce((n, r) => n + r.agreed, 0) })
  }
  return results
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
