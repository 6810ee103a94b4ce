import type { ChainReport, Source } from '../types.js'
import { type LinkFinding, assembleReport } from '../chain/assemble.js'
import { type ChainFacts, activeProfileOf } from '../chain/facts.js'
import { REGISTRY } from '../sources/index.js'
import { type LinkOutcome, type ProbeContext, faultNote, firedCount, firedSince } from './link-kit.js'

export type { ProbeContext }
export { iniProblems } from './link-kit.js'

/** The chain's links in order, and which of them read an earlier link's outcome (the registry is fixed once loaded). */
let linkOrder: { all: LinkEntry[]; first: LinkEntry[]; waits: LinkEntry[] } | undefined
type LinkEntry = { source: Source; link: NonNullable<(typeof REGISTRY)[number]['link']> }
function linksOfChain() {
  if (!linkOrder) {
    const all = REGISTRY.flatMap(({ source, link }) => (link ? [{ source, link }] : []))
    linkOrder = { all, first: all.filter(({ link }) => link.after === undefined), waits: all.filter(({ link }) => link.after !== undefined) }
  }
  return linkOrder
}

/**
 * The chain report, computed by running each real SDK link alone in the current environment;
 * the chain's rules are then applied by the same function the static model uses.
 */
export async function probeChain(ctx: ProbeContext, facts: ChainFacts): Promise<ChainReport> {
  const findings = new Map<Source, LinkFinding>()
  const profile = activeProfileOf(ctx).name
  const earlier = new Map<Source, LinkOutcome>()
  const { all: links, first, waits } = linksOfChain()
  const run = async ({ source, link }: LinkEntry) => {
    const before = firedCount(ctx)
    const outcome = await link.probe(ctx, facts, earlier)
    earlier.set(source, outcome)
    if (firedCount(ctx) > before) outcome.reason += faultNote(firedSince(ctx, before))
    return outcome
  }
  const outcomes = new Map<Source, LinkOutcome>()
  if (ctx.known?.concurrent) {
    // No fault counts requests: the links are asked at once (each alone, as ever), and a link
    // that reads an earlier one's outcome (credential_process after fromIni) waits for it.
    const asked = await Promise.all(first.map(run))
    first.forEach((l, i) => outcomes.set(l.source, asked[i]!))
    const then = await Promise.all(waits.map(run))
    waits.forEach((l, i) => outcomes.set(l.source, then[i]!))
  } else {
    for (const l of links) outcomes.set(l.source, await run(l))
  }
  for (const { source } of links) {
    const outcome = outcomes.get(source)!
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
