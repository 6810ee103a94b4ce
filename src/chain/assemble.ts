import type { ChainLink, ChainReport, Source } from '../types.js'
import { type ChainFacts, type RankedMechanism, activeProfileOf, profileSettings, isSet } from './facts.js'
import { createReport } from './report.js'
import { type ChainWords, type SdkFinding, applyChainRules } from './sdks/assemble.js'
import { JS_V3_LINKS, PROFILE_BRANCHES, sourceDefinition } from '../sources/index.js'

export { JS_V3_LINKS }

export type { LinkFinding } from './facts.js'
import type { LinkFinding } from './facts.js'

/**
 * Applies the chain's rules (the one engine, src/chain/sdks/assemble.ts) to the JS v3 links'
 * findings, keyed by source: first available wins, later available ones are shadowed, a failure
 * without tryNextLink stops the chain.
 */
export function assembleReport(findings: ReadonlyMap<Source, LinkFinding>, facts: ChainFacts): ChainReport {
  const keyed = new Map<string, SdkFinding>()
  for (const [source, finding] of findings) {
    if (finding.kind !== 'available') {
      keyed.set(source, finding)
      continue
    }
    const entry: RankedMechanism = { mechanism: finding.mechanism, link: source, ...(finding.profile !== undefined ? { profile: finding.profile } : {}) }
    keyed.set(source, {
      ...finding,
      removal: howToRemove(entry, facts),
      ...(finding.profile !== undefined ? { profile: finding.profile } : {}),
      ...(finding.inner?.length
        ? {
            inner: finding.inner.map((inner) => {
              const innerEntry: RankedMechanism = { mechanism: inner.mechanism, link: source, ...(finding.profile !== undefined ? { profile: finding.profile } : {}) }
              // a profile section's other settings rank right after the process link, as fromIni would reach them next
              return { mechanism: inner.mechanism, removal: howToRemove(innerEntry, facts), after: 'process' as Source, ...(finding.profile !== undefined ? { profile: finding.profile } : {}) }
            }),
          }
        : {}),
    } as SdkFinding)
  }
  const verdict = applyChainRules(JS_V3_LINKS, keyed, (link) => link.source, JS_V3_WORDS)
  return createReport('js-v3', verdict.links, [...envSkippedHint(verdict.links, facts), ...verdict.hints], verdict.summary)
}

const JS_V3_WORDS: ChainWords = {
  sameAs: (w) => `same credentials as the ${w.source} link, which already won`,
  stoppedAt: (l) => `not reached: the chain stopped at ${l.source}`,
  won: (w, mechanism) => `${w.source === mechanism ? w.source : `${w.source} (${mechanism})`} won`,
}

/** What to change so that a ranked mechanism no longer provides credentials, naming the variable or file section. */
export function howToRemove(entry: RankedMechanism, facts: ChainFacts): string {
  const profile = entry.profile ?? activeProfileOf(facts).name
  const home = facts.env.HOME || facts.env.USERPROFILE
  const show = (path: string) => (home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path)
  const settings = profileSettings(facts, profile) ?? {}
  const section = (file: 'credentials' | 'config') =>
    file === 'credentials' ? `[${profile}] in ${show(facts.credentialsPath)}` : `[${profile === 'default' ? 'default' : `profile ${profile}`}] in ${show(facts.configPath)}`
  if (entry.link === 'profile' || entry.link === 'process') {
    // reached through a profile: the branch of that section which produces this mechanism
    const branch = PROFILE_BRANCHES.find((b) => b.source === entry.mechanism && b.matches(settings)) ?? PROFILE_BRANCHES.find((b) => b.source === entry.mechanism)
    if (branch) return branch.removal(section, settings, facts, profile)
  }
  return sourceDefinition(entry.mechanism)?.removal?.(facts, entry) ?? `remove the ${entry.mechanism} settings`
}

/** The JS v3 quirk the other SDKs lack: a selected profile skips env keys that are set. */
function envSkippedHint(links: readonly ChainLink[], facts: ChainFacts): string[] {
  const env = links.find((l) => l.source === 'env')
  const keysSet = isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
  if (env?.status !== 'skipped' || !keysSet) return []
  const by = facts.clientProfile ? `The client's profile option "${facts.clientProfile}"` : `AWS_PROFILE=${facts.env.AWS_PROFILE}`
  return [
    `${by} makes the JS SDK v3 skip the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and print "Multiple credential sources detected" — ` +
      `other SDKs (Java, Python, Go, the CLI) use those keys first. Unset ${facts.clientProfile ? 'the profile option' : 'AWS_PROFILE'} to use the env keys, or unset the keys to silence the warning.`,
  ]
}
