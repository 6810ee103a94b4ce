import type { ChainReport, Source } from '../types.js'
import { type LinkFinding, assembleReport } from '../chain/assemble.js'
import { type ChainFacts, activeProfileOf } from '../chain/facts.js'
import { REGISTRY } from '../sources/index.js'
import { type LinkOutcome, type ProbeContext, faultNote, firedCount, firedSince } from './link-kit.js'

export type { ProbeContext }
export { iniProblems } from './link-kit.js'

/**
 * The chain report, computed by running each real SDK link alone in the current environment;
 * the chain's rules are then applied by the same function the static model uses.
 */
export async function probeChain(ctx: ProbeContext, facts: ChainFacts): Promise<ChainReport> {
  const findings = new Map<Source, LinkFinding>()
  const profile = activeProfileOf(ctx).name
  const earlier = new Map<Source, LinkOutcome>()
  for (const { source, link } of REGISTRY) {
    if (!link) continue
    const before = firedCount(ctx)
    const outcome = await link.probe(ctx, facts, earlier)
    earlier.set(source, outcome)
    outcome.reason += faultNote(firedSince(ctx, before))
    if (outcome.kind !== 'available') {
      findings.set(source, outcome)
      continue
    }
    const finding: LinkFinding = {
      kind: 'available',
      mechanism: outcome.mechanism ?? ctx.identify(outcome.credentials.accessKeyId)?.source ?? source,
      key: outcome.credentials.accessKeyId,
      reason: outcome.reason,
    }
    if (source === 'profile' || source === 'process') finding.profile = outcome.profile ?? profile
    if (outcome.inner) finding.inner = outcome.inner
    findings.set(source, finding)
  }
  return assembleReport(findings, facts)
}
