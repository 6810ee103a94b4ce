import { SERVER_NAMES } from '../servers/index.js'
import type { ServerName } from '../types.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { activeProfileOf, type ChainFacts } from '../chain/facts.js'
import { modelChain } from '../chain/model.js'
import { createReport } from '../chain/report.js'
import { gatherFacts } from '../probe/gather.js'
import type { ChainReport } from '../types.js'
import { planWorld } from '../world/build.js'
import { Ledger, roleNameOf } from '../servers/ledger.js'
import { writeSandboxFiles } from '../world/sandbox.js'
import type { Scenario } from '../world/scenario.js'
import type { FaultSpec } from '../fault-types.js'
import type { SdkFacts } from '../chain/sdks/index.js'
import { withSdkFiles } from '../probe/sdk-facts.js'

/** Endpoints that are never contacted: explain only plans a world, it starts no server. */
const UNUSED_ENDPOINTS = Object.fromEntries(SERVER_NAMES.map((name, i) => [name, `http://127.0.0.1:${i + 1}`])) as Record<ServerName, string>

/**
 * The static model's report of a scenario: its world is planned into a temporary directory (a
 * throwaway ledger, endpoints no one listens on), its files are written there and read back
 * as the SDK would read them, and the directory is removed. Nothing of this machine is read:
 * the planned env replaces process.env entirely, HOME included.
 */
export async function modelScenario(scenario: Scenario, options: { otherSdks?: boolean } = {}): Promise<{ report: ChainReport; facts: ChainFacts; sdkFacts?: SdkFacts }> {
  const home = await mkdtemp(join(tmpdir(), 'chainproof-explain-'))
  try {
    const plan = planWorld(scenario.spec, home, UNUSED_ENDPOINTS, new Ledger())
    await writeSandboxFiles(plan.files)
    const { container, instanceProfile } = scenario.spec
    const facts = await gatherFacts(plan.env, {
      remote: {
        container: container ? { role: roleNameOf(container.role) } : null,
        imds: instanceProfile ? { role: roleNameOf(instanceProfile.role) } : null,
      },
      server: plan.server.parts ?? {},
    })
    const report = withHomeShown(modelChain(facts), home)
    if (!options.otherSdks) return { report, facts }
    // the other SDKs' models read the raw files too (before they are removed), and apply the scenario's faults
    const faults = scenario.spec.faults ? { faults: scenario.spec.faults as readonly FaultSpec[] } : {}
    return { report, facts, sdkFacts: await withSdkFiles({ ...facts, ...faults }) }
  } finally {
    await rm(home, { recursive: true, force: true, maxRetries: 3 })
  }
}

/** The temporary home is gone once explain returns: its paths are shown as `~`, as the hints already do. */
function withHomeShown(report: ChainReport, home: string): ChainReport {
  const show = (text: string) => text.split(home + '/').join('~/')
  const links = report.links.map((l) => ({ ...l, reason: show(l.reason) }))
  const summary: { winner?: ChainReport['winner']; shadowed: ChainReport['shadowed'] } = { shadowed: report.shadowed }
  if (report.winner) summary.winner = report.winner
  return createReport(report.sdk, links, report.hints.map(show), summary)
}

export interface ScenarioCheck {
  matches: boolean
  /** What differs, in words; empty when it matches. */
  mismatches: string[]
  /** Expectations the static model cannot check (role, principal). */
  notChecked: string[]
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))

/** Compares a report with the scenario's `expect`: source (or fails), shadowed (any order) and profile. */
export function checkScenario(scenario: Scenario, report: ChainReport, facts: ChainFacts): ScenarioCheck {
  const want = scenario.expect
  const mismatches: string[] = []
  const winner = report.winner
  if (want.fails !== undefined) {
    if (winner) mismatches.push(`expected the chain to fail ("${want.fails}"), but ${winner} resolves`)
  } else if (want.source !== undefined && winner !== want.source) {
    mismatches.push(`expected source ${want.source}, but ${winner ? `the winner is ${winner}` : 'no source resolves'}`)
  }
  if (want.shadowed !== undefined && !sameSet(want.shadowed, report.shadowed)) {
    mismatches.push(`expected shadowed [${want.shadowed.join(', ')}], but the report shadows [${report.shadowed.join(', ')}]`)
  }
  if (want.profile !== undefined && winner) {
    const wonBy = report.links.find((l) => l.status === 'won')?.source
    const profile = wonBy === 'profile' || wonBy === 'process' ? activeProfileOf(facts).name : undefined
    if (profile !== want.profile) mismatches.push(`expected profile "${want.profile}", but ${profile === undefined ? `the ${wonBy} link won, with no profile` : `profile "${profile}" is used`}`)
  }
  const notChecked = (['role', 'principal'] as const).filter((k) => want[k] !== undefined)
  return { matches: mismatches.length === 0, mismatches, notChecked }
}
