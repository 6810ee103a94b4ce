import type { ChainReport } from '../types.js'
import { type LinkFinding, assembleReport } from './assemble.js'
import type { ChainFacts } from './facts.js'
import { PROFILE_BRANCHES, REGISTRY, type ProfileBranch } from '../sources/index.js'
import { resolveProfile } from '../sources/profile/index.js'
import type { Source } from '../types.js'

/**
 * The JS v3 default chain as pure functions over {@link ChainFacts} (@aws-sdk/credential-provider-node
 * 3.972, i.e. after 3.616, where AWS_PROFILE is read on every call). Nothing here reads a file,
 * a variable or the network: each source's link model (src/sources/<name>) decides from the
 * facts, so it can explain a scenario file or a captured machine without touching anything,
 * and is checked against the real SDK.
 */
export const JS_V3_MODEL_VERSION = '@aws-sdk/credential-provider-node 3.972 (behaviour since 3.616)'

/** The findings of each link of the JS v3 chain, decided from facts alone, keyed by source. */
export function modelFindings(facts: ChainFacts, options: { /** Only these of fromIni's branches (an older release knows fewer). */ branches?: (branch: ProfileBranch) => boolean } = {}): Map<Source, LinkFinding> {
  const branches = options.branches ? PROFILE_BRANCHES.filter(options.branches) : PROFILE_BRANCHES
  const kit = { resolveProfile: (name: string) => resolveProfile(facts, branches, name), branches }
  const findings = new Map<Source, LinkFinding>()
  for (const definition of REGISTRY) if (definition.link) findings.set(definition.source, definition.link.model(facts, kit))
  return findings
}

/** The chain report of the JS v3 default chain, from facts alone. */
export function modelChain(facts: ChainFacts): ChainReport {
  return assembleReport(modelFindings(facts), facts)
}
