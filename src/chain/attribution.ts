import type { Identity, Source } from '../types.js'
import type { ProfileBranch } from '../sources/kit.js'
import { type ChainFacts, type ProfileSettings, isSet, profileSettings } from './facts.js'

/**
 * Which profile and mechanism produced a set of credentials, decided from the model of the
 * shared files (parsed as the SDK parses them) when the world's ledger cannot say: keys written
 * as raw ini text were never issued by the world, and a role assumed by a raw-ini profile is
 * issued by the world's STS, which cannot tell which profile asked. The SDK's own `$source` codes
 * say which branch of fromIni ran; the files say which profile holds that branch.
 */
export interface Attribution {
  source: Source
  profile?: string
  /** How the profile produced the credentials, in words ("static keys", "credential_process", …). */
  via: string
}

/** The branch the SDK's `$source` codes name: a role first (it wraps its source profile's codes), static keys last, the others in fromIni's order. */
export function branchOfFeatures(features: Readonly<Record<string, string>>, branches: readonly ProfileBranch[]): ProfileBranch | undefined {
  const codes = new Set(Object.values(features))
  const rank = (b: ProfileBranch) => (b.branch === 'role' ? -1 : b.branch === 'static' ? Number.MAX_SAFE_INTEGER : b.order)
  return [...branches].sort((x, y) => rank(x) - rank(y)).find((b) => b.codes.some((code) => codes.has(code)))
}

/** fromIni's order inside one profile section: the branch it takes, or undefined when it has none. */
export function branchOfProfile(p: ProfileSettings, branches: readonly ProfileBranch[]): ProfileBranch | undefined {
  return [...branches].sort((x, y) => x.order - y.order).find((b) => b.matches(p))
}

/** Every profile name of the shared files (config's `[profile x]`/`[default]` and the credentials file), without sso-session and services sections. */
function profileNames(facts: ChainFacts): string[] {
  const names = new Set<string>()
  for (const name of Object.keys(facts.credentialsFile)) names.add(name)
  for (const name of Object.keys(facts.configFile)) if (!/^(sso-session|services)\./.test(name)) names.add(name)
  return [...names]
}

/** The active profile first, then the rest: when several profiles could have produced the credentials, the one the chain asked for is the one it used. */
function candidates(facts: ChainFacts, active: string, matches: (p: ProfileSettings, name: string) => boolean): string[] {
  const found = profileNames(facts).filter((name) => {
    const p = profileSettings(facts, name)
    return p !== undefined && matches(p, name)
  })
  return found.includes(active) ? [active, ...found.filter((n) => n !== active)] : found
}

/**
 * Attributes credentials to a profile and mechanism. `identity` is the ledger's record (absent
 * for keys the world never issued); `active` is the profile fromIni and fromProcess use
 * (the client's profile option, AWS_PROFILE, or `default`). Returns undefined when neither the
 * ledger nor the files account for the credentials.
 */
export function attributeCredentials(
  input: {
    accessKeyId: string
    identity: Identity | undefined
    features: Readonly<Record<string, string>>
    facts: ChainFacts
    active: string
  },
  branches: readonly ProfileBranch[],
): Attribution | undefined {
  const { accessKeyId, identity, features, facts, active } = input
  const branch = branchOfFeatures(features, branches)
  const named = (name: string) => branches.find((b) => b.branch === name)
  if (identity) {
    const own = identity.source === 'profile' ? named(identity.role ? 'role' : 'static') : branches.find((b) => b.source === identity.source)
    const attribution: Attribution = { source: identity.source, via: own?.words ?? (identity.role ? 'assumed a role' : 'has static keys') }
    // the world's SSO portal knows a role assignment, not the profile that asked for it: a raw-ini
    // profile may share a world profile's sso_session, and the one fromIni followed is the one used
    if (identity.source === 'sso' && branch?.source === 'sso' && ssoProfileMatches(profileSettings(facts, active), identity, branches)) return { ...attribution, profile: active }
    if (identity.profile !== undefined) return { ...attribution, profile: identity.profile }
    const profile = profileOfIssued(identity, branch, facts, active, branches)
    return profile === undefined ? attribution : { ...attribution, profile }
  }
  // keys written as raw ini text: the profile that holds them
  const holder = candidates(facts, active, (p) => p.aws_access_key_id === accessKeyId && isSet(p.aws_secret_access_key))[0]
  if (holder !== undefined && (branch === undefined || branch.branch === 'static' || branch.branch === 'role')) {
    return { source: 'profile', profile: holder, via: named('static')?.words ?? 'has static keys' }
  }
  // credentials printed by a raw credential_process, or read from a login cache: the active profile's branch, as the SDK's codes confirm
  const settings = profileSettings(facts, active)
  const own = settings && branchOfProfile(settings, branches)
  if (branch !== undefined && settings && (branch === own || branch.matches(settings))) {
    return { source: branch.source, profile: active, via: branch.words }
  }
  return undefined
}

/** A role session (or SSO/process/login credentials) the world issued without knowing which profile asked: the profile whose settings produce it. */
function profileOfIssued(identity: Identity, branch: ProfileBranch | undefined, facts: ChainFacts, active: string, branches: readonly ProfileBranch[]): string | undefined {
  // env web identity (AWS_WEB_IDENTITY_TOKEN_FILE) is no profile's
  if (identity.source === 'webIdentity' && branch?.branch !== 'webIdentity') return undefined
  if (identity.source === 'profile' || identity.source === 'webIdentity') {
    if (identity.roleArn === undefined) return undefined
    const wanted = branches.find((b) => b.branch === (identity.source === 'webIdentity' ? 'webIdentity' : 'role'))
    if (!wanted) return undefined
    const found = candidates(facts, active, (p) => p.role_arn === identity.roleArn && wanted.matches(p))
    // a role_session_name in the section is what STS saw: it singles out the profile
    const bySession = found.find((name) => profileSettings(facts, name)?.role_session_name === identity.sessionName)
    return bySession ?? found[0]
  }
  const settings = profileSettings(facts, active)
  return settings && branchOfProfile(settings, branches)?.source === identity.source ? active : undefined
}

function ssoProfileMatches(p: ProfileSettings | undefined, identity: Identity, branches: readonly ProfileBranch[]): boolean {
  return p !== undefined && branchOfProfile(p, branches)?.source === 'sso' && p.sso_role_name === identity.role && (p.sso_account_id ?? identity.accountId) === identity.accountId
}
