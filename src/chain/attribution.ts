import type { Identity, Source } from '../types.js'
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

/** The profile-level branches of fromIni (and fromProcess), by the `$source` codes they set. */
export type ProfileBranch = 'role' | 'static' | 'webIdentity' | 'process' | 'sso' | 'login'

const BRANCH_CODES: ReadonlyArray<[code: string, branch: ProfileBranch]> = [
  ['o', 'role'],
  ['p', 'role'],
  ['q', 'webIdentity'],
  ['v', 'process'],
  ['w', 'process'],
  ['r', 'sso'],
  ['t', 'sso'],
  ['AC', 'login'],
  ['AD', 'login'],
  ['n', 'static'],
]

/** The fromIni branch the SDK's `$source` codes name (outermost first: a role from static keys carries `o` and `n`), or undefined. */
export function branchOfFeatures(features: Readonly<Record<string, string>>): ProfileBranch | undefined {
  const codes = new Set(Object.values(features))
  for (const [code, branch] of BRANCH_CODES) if (codes.has(code)) return branch
  return undefined
}

const isAssumeRole = (p: ProfileSettings) => isSet(p.role_arn) && (isSet(p.source_profile) || isSet(p.credential_source))
const isStatic = (p: ProfileSettings) => isSet(p.aws_access_key_id) && isSet(p.aws_secret_access_key)
const isWebIdentity = (p: ProfileSettings) => isSet(p.web_identity_token_file) && isSet(p.role_arn)
const isSso = (p: ProfileSettings) => ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some((k) => typeof p[k] === 'string')

/** fromIni's order inside one profile section: the branch it takes, or undefined when it has none. */
export function branchOfProfile(p: ProfileSettings): ProfileBranch | undefined {
  if (isAssumeRole(p)) return 'role'
  if (isStatic(p)) return 'static'
  if (isWebIdentity(p)) return 'webIdentity'
  if (isSet(p.credential_process)) return 'process'
  if (isSso(p)) return 'sso'
  if (isSet(p.login_session)) return 'login'
  return undefined
}

const SOURCE_OF_BRANCH: Record<ProfileBranch, Source | undefined> = {
  role: 'profile',
  static: 'profile',
  webIdentity: 'webIdentity',
  process: 'process',
  sso: 'sso',
  // no `login` source yet: chainproof does not simulate login_session
  login: undefined,
}

/** What each branch is called in a report. */
export const BRANCH_WORDS: Record<ProfileBranch, string> = {
  role: 'assumed a role',
  static: 'has static keys',
  webIdentity: 'used web_identity_token_file',
  process: 'ran credential_process',
  sso: 'used its SSO session',
  login: 'used its login_session (aws login), which chainproof does not simulate yet',
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
export function attributeCredentials(input: {
  accessKeyId: string
  identity: Identity | undefined
  features: Readonly<Record<string, string>>
  facts: ChainFacts
  active: string
}): Attribution | undefined {
  const { accessKeyId, identity, features, facts, active } = input
  const branch = branchOfFeatures(features)
  if (identity) {
    const via = identity.source === 'process' ? 'process' : identity.source === 'sso' ? 'sso' : identity.source === 'webIdentity' ? 'webIdentity' : identity.role ? 'role' : 'static'
    const attribution: Attribution = { source: identity.source, via: BRANCH_WORDS[via] }
    // the world's SSO portal knows a role assignment, not the profile that asked for it: a raw-ini
    // profile may share a world profile's sso_session, and the one fromIni followed is the one used
    if (identity.source === 'sso' && branch === 'sso' && ssoProfileMatches(profileSettings(facts, active), identity)) return { ...attribution, profile: active }
    if (identity.profile !== undefined) return { ...attribution, profile: identity.profile }
    const profile = profileOfIssued(identity, branch, facts, active)
    return profile === undefined ? attribution : { ...attribution, profile }
  }
  // keys written as raw ini text: the profile that holds them
  const holder = candidates(facts, active, (p) => p.aws_access_key_id === accessKeyId && isSet(p.aws_secret_access_key))[0]
  if (holder !== undefined && (branch === undefined || branch === 'static' || branch === 'role')) {
    return { source: 'profile', profile: holder, via: BRANCH_WORDS.static }
  }
  // credentials printed by a raw credential_process, or read from a login cache: the active profile's branch, as the SDK's codes confirm
  const settings = profileSettings(facts, active)
  const own = settings && branchOfProfile(settings)
  if (branch !== undefined && (branch === own || (branch === 'process' && settings && isSet(settings.credential_process)))) {
    const source = SOURCE_OF_BRANCH[branch]
    return source === undefined ? undefined : { source, profile: active, via: BRANCH_WORDS[branch] }
  }
  return undefined
}

/** A role session (or SSO/process credentials) the world issued without knowing which profile asked: the profile whose settings produce it. */
function profileOfIssued(identity: Identity, branch: ProfileBranch | undefined, facts: ChainFacts, active: string): string | undefined {
  // env web identity (AWS_WEB_IDENTITY_TOKEN_FILE) is no profile's
  if (identity.source === 'webIdentity' && branch !== 'webIdentity') return undefined
  if (identity.source === 'profile' || identity.source === 'webIdentity') {
    if (identity.roleArn === undefined) return undefined
    const wanted = identity.source === 'webIdentity' ? isWebIdentity : isAssumeRole
    const found = candidates(facts, active, (p) => p.role_arn === identity.roleArn && wanted(p))
    // a role_session_name in the section is what STS saw: it singles out the profile
    const bySession = found.find((name) => profileSettings(facts, name)?.role_session_name === identity.sessionName)
    return bySession ?? found[0]
  }
  if (identity.source === 'process' || identity.source === 'sso') {
    const settings = profileSettings(facts, active)
    return settings && branchOfProfile(settings) === (identity.source === 'process' ? 'process' : 'sso') ? active : undefined
  }
  return undefined
}

function ssoProfileMatches(p: ProfileSettings | undefined, identity: Identity): boolean {
  return p !== undefined && branchOfProfile(p) === 'sso' && p.sso_role_name === identity.role && (p.sso_account_id ?? identity.accountId) === identity.accountId
}
