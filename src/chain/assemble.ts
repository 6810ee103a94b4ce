import type { ChainLink, ChainReport, Source } from '../types.js'
import { type ChainFacts, type RankedMechanism, activeProfileOf, profileSettings, isSet } from './facts.js'
import { createReport } from './report.js'

/** The links of the JS v3 default chain (`fromNodeProviderChain`), in order, in the SDK's own words. */
export const JS_V3_LINKS: ReadonlyArray<{ source: Source; name: string }> = [
  { source: 'env', name: 'fromEnv' },
  { source: 'sso', name: 'fromSSO' },
  { source: 'profile', name: 'fromIni' },
  { source: 'process', name: 'fromProcess' },
  { source: 'webIdentity', name: 'fromTokenFile' },
  { source: 'container', name: 'fromHttp' },
  { source: 'instanceProfile', name: 'fromInstanceMetadata' },
]

/**
 * What one link found on its own, before the chain's rules are applied. Both the static
 * model and the dynamic probe produce these; one function turns them into a report, so the
 * two can only differ in what they found, never in how it is judged.
 */
export type LinkFinding =
  | {
      kind: 'available'
      /** The mechanism that produced the credentials (a profile's credential_process → process). */
      mechanism: Source
      /** Identifies the credentials: equal keys mean the same credentials (e.g. the process link re-running the profile's credential_process). */
      key: string
      reason: string
      profile?: string
      /** Other credential settings in the same profile section that lose to this one, in the SDK's order. */
      inner?: { mechanism: Source; reason: string }[]
    }
  | { kind: 'absent' | 'skipped' | 'failed'; reason: string }

/** Applies the chain's rules: first available wins, later available ones are shadowed, a failure without tryNextLink stops the chain. */
export function assembleReport(findings: readonly LinkFinding[], facts: ChainFacts): ChainReport {
  const links: ChainLink[] = []
  const ranked: RankedMechanism[] = []
  let winner: { link: Source; mechanism: Source; key: string } | undefined
  let stoppedAt: Source | undefined
  let profileInner: RankedMechanism[] = []
  JS_V3_LINKS.forEach((definition, i) => {
    const finding = findings[i] ?? { kind: 'absent', reason: 'not examined' }
    const base = { source: definition.source, name: definition.name }
    if (stoppedAt && !winner) {
      links.push({ ...base, status: 'unreached', reason: `not reached: the chain stopped at ${stoppedAt}` })
      return
    }
    if (finding.kind !== 'available') {
      if (finding.kind === 'failed' && !winner) stoppedAt = definition.source
      links.push({ ...base, status: finding.kind, reason: finding.reason })
    } else if (winner && winner.key === finding.key) {
      links.push({ ...base, status: 'skipped', reason: `same credentials as the ${winner.link} link, which already won` })
    } else {
      const entry: RankedMechanism = { mechanism: finding.mechanism, link: definition.source }
      if (finding.profile !== undefined) entry.profile = finding.profile
      ranked.push(entry)
      if (!winner) {
        winner = { link: definition.source, mechanism: finding.mechanism, key: finding.key }
        links.push({ ...base, status: 'won', reason: finding.reason })
      } else {
        const won = winner.link === winner.mechanism ? winner.link : `${winner.link} (${winner.mechanism})`
        links.push({ ...base, status: 'shadowed', reason: `${finding.reason}, but ${won} won` })
      }
    }
    if (finding.kind === 'available' && finding.inner?.length) {
      profileInner = finding.inner.map((inner) => ({ mechanism: inner.mechanism, link: definition.source, ...(finding.profile !== undefined ? { profile: finding.profile } : {}) }))
    }
    // A profile section's other settings rank right after the section's credential_process
    // (the process link), as fromIni would reach them next.
    if (definition.source === 'process' && profileInner.length) {
      ranked.push(...profileInner)
      profileInner = []
    }
  })
  const shadowed: Source[] = []
  for (const entry of ranked.slice(1)) {
    if (entry.mechanism !== winner?.mechanism && !shadowed.includes(entry.mechanism)) shadowed.push(entry.mechanism)
  }
  const summary: { winner?: Source; shadowed: Source[] } = { shadowed }
  if (winner) summary.winner = winner.mechanism
  return createReport('js-v3', links, hintsFor(links, ranked, facts), summary)
}


/** What to change so that a ranked mechanism no longer provides credentials, naming the variable or file section. */
export function howToRemove(entry: RankedMechanism, facts: ChainFacts): string {
  const profile = entry.profile ?? activeProfileOf(facts).name
  const home = facts.env.HOME || facts.env.USERPROFILE
  const show = (path: string) => (home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path)
  const settings = profileSettings(facts, profile) ?? {}
  const section = (file: 'credentials' | 'config') =>
    file === 'credentials' ? `[${profile}] in ${show(facts.credentialsPath)}` : `[${profile === 'default' ? 'default' : `profile ${profile}`}] in ${show(facts.configPath)}`
  const whereKeys = () => (facts.credentialsFile[profile]?.aws_access_key_id !== undefined ? section('credentials') : section('config'))
  switch (entry.link === 'profile' || entry.link === 'process' ? `profile:${entry.mechanism}` : entry.mechanism) {
    case 'env':
      return `unset ${isSet(facts.env.AWS_SESSION_TOKEN) ? 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN' : 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'} (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile)`
    case 'profile:profile':
      return isSet(settings.role_arn)
        ? `remove role_arn and ${isSet(settings.source_profile) ? 'source_profile' : 'credential_source'} from ${section('config')}`
        : `remove aws_access_key_id and aws_secret_access_key from ${whereKeys()}`
    case 'profile:webIdentity':
      return `remove web_identity_token_file and role_arn from ${section('config')}`
    case 'profile:process':
      return `remove credential_process from ${section('config')}`
    case 'profile:sso':
      return `remove the sso_session and sso_* settings from ${section('config')}`
    case 'webIdentity':
      return 'unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN'
    case 'container':
      return `unset ${isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'} (and its authorization token variable)`
    case 'instanceProfile':
      return 'detach the instance profile (or set AWS_EC2_METADATA_DISABLED=true)'
    default:
      return `remove the ${entry.mechanism} settings`
  }
}

/** Hints that say what to change to get each shadowed source instead of the winner. */
function hintsFor(links: ChainLink[], ranked: RankedMechanism[], facts: ChainFacts): string[] {
  const hints: string[] = []
  const env = links.find((l) => l.source === 'env')
  const keysSet = isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
  if (env?.status === 'skipped' && keysSet) {
    const by = facts.clientProfile ? `The client's profile option "${facts.clientProfile}"` : `AWS_PROFILE=${facts.env.AWS_PROFILE}`
    hints.push(
      `${by} makes the JS SDK v3 skip the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and print "Multiple credential sources detected" — ` +
        `other SDKs (Java, Python, Go, the CLI) use those keys first. Unset ${facts.clientProfile ? 'the profile option' : 'AWS_PROFILE'} to use the env keys, or unset the keys to silence the warning.`,
    )
  }
  const winner = ranked[0]
  if (winner) {
    const seen = new Set<Source>([winner.mechanism])
    ranked.slice(1).forEach((entry, i) => {
      if (seen.has(entry.mechanism)) return
      seen.add(entry.mechanism)
      const steps = ranked.slice(0, i + 1).map((above) => howToRemove(above, facts))
      hints.push(`To use ${entry.mechanism} instead of ${winner.mechanism}: ${[...new Set(steps)].join('; then ')}.`)
    })
  } else if (!links.some((l) => l.status === 'failed')) {
    hints.push('No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile.')
  }
  return hints
}
