import { type ChainFacts, type ProfileSettings, containerVariable, isSet } from '../facts.js'
import { isStatic } from '../../sources/profile/index.js'
import { isSso } from '../../sources/sso/index.js'

export { containerVariable, isSet }

/** The first of these variables that is set in the facts' environment. */
export const firstSet = (facts: SdkFacts, names: string[]) => names.find((n) => isSet(facts.env[n]))

/**
 * The facts other SDKs' models decide from: the JS chain's facts, plus the raw shared files at
 * every path some SDK reads (Java v1 reads AWS_CREDENTIAL_PROFILES_FILE, not
 * AWS_SHARED_CREDENTIALS_FILE; this PHP release reads `~/.aws/config` whatever AWS_CONFIG_FILE
 * says, and looks up the section `[profile default]` literally). Still plain data: the model
 * functions stay pure, and the files are read at the edge (src/probe/sdk-facts.ts).
 */
export interface SdkFacts extends ChainFacts {
  /** path → sections by their raw header (`default`, `profile app`, `sso-session x`), or null when the file is missing. */
  rawFiles?: Readonly<Record<string, Readonly<Record<string, ProfileSettings>> | null>>
  /** The same files as a strict reader that also takes `key: value` sees them (Python's configparser, Go's ini). */
  strictFiles?: Readonly<Record<string, Readonly<Record<string, ProfileSettings>> | null>>
  /** path → why a strict reader refuses the whole file (an unclosed section header, a line without a separator). */
  iniErrors?: Readonly<Record<string, string>>
}

/** The facts as an SDK with a strict ini reader sees the files: `key: value` counts (botocore, the CLI, Go). */
export function strictReaderView(facts: SdkFacts): SdkFacts {
  return facts.strictFiles ? { ...facts, rawFiles: { ...facts.rawFiles, ...facts.strictFiles } } : facts
}

/** The first of these files a strict ini reader refuses, with why (botocore's ConfigParseError, Go's LoadDefaultConfig error). */
export function iniErrorIn(facts: SdkFacts, paths: readonly string[]): { path: string; why: string } | undefined {
  for (const path of paths) {
    const why = facts.iniErrors?.[path]
    if (why) return { path, why }
  }
  return undefined
}

/**
 * The profiles a role profile's source_profile chain passes through, from `start`: each once, in
 * order (a missing profile, one without role_arn and source_profile, or one that names itself and
 * has keys of its own ends it), and `loopsTo`, the profile it comes back to when it loops.
 */
export function sourceProfileChain(profiles: Readonly<Record<string, ProfileSettings>>, start: string): { names: string[]; loopsTo?: string } {
  const names: string[] = []
  for (let name: string | undefined = start; name !== undefined; ) {
    if (names.includes(name)) return { names, loopsTo: name }
    names.push(name)
    const p: ProfileSettings | undefined = profiles[name]
    // a profile's own keys end the chain (AWS CLI, Go and Ruby use them, then assume the role)
    name = p && isSet(p.role_arn) && isSet(p.source_profile) && !(isSet(p.aws_access_key_id) && p.source_profile === name) ? p.source_profile : undefined
  }
  return { names }
}

/** The source_profile chain from a profile when it loops: the profiles in order, ending with the repeated one; undefined when it ends. */
export function sourceProfileCycle(profiles: Readonly<Record<string, ProfileSettings>>, start: string): string[] | undefined {
  const { names, loopsTo } = sourceProfileChain(profiles, start)
  return loopsTo === undefined ? undefined : [...names, loopsTo]
}

export type Sections = Readonly<Record<string, ProfileSettings>>


/** The home directory the way the SDKs compute it from the environment. */
export function homeOf(facts: SdkFacts): string {
  return facts.env.HOME || facts.env.USERPROFILE || ''
}

export const defaultCredentialsPath = (facts: SdkFacts) => `${homeOf(facts)}/.aws/credentials`
export const defaultConfigPath = (facts: SdkFacts) => `${homeOf(facts)}/.aws/config`

/** `~/…` for paths under HOME, for messages. */
export function shortPath(facts: SdkFacts, path: string): string {
  const home = homeOf(facts)
  return home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path
}

/**
 * A file's sections by raw header, from the raw files when gathered, else rebuilt from the JS
 * facts (whose config keys are normalised: `app` stands for `[profile app]`). Undefined: the
 * file at that path is unknown or missing.
 */
export function rawSections(facts: SdkFacts, path: string): Sections | undefined {
  const raw = facts.rawFiles?.[path]
  if (raw !== undefined) return raw ?? undefined
  if (path === facts.credentialsPath) return Object.keys(facts.credentialsFile).length ? facts.credentialsFile : undefined
  if (path === facts.configPath) {
    if (!Object.keys(facts.configFile).length) return undefined
    const sections: Record<string, ProfileSettings> = {}
    for (const [name, settings] of Object.entries(facts.configFile)) {
      if (name.startsWith('sso-session.')) sections[`sso-session ${name.slice('sso-session.'.length)}`] = settings
      else if (!name.includes('.')) sections[name === 'default' ? 'default' : `profile ${name}`] = settings
    }
    return sections
  }
  return undefined
}

/** A credentials-style file: the header is the profile name. */
export function credentialsProfiles(facts: SdkFacts, path: string): Sections {
  return rawSections(facts, path) ?? {}
}

/** A config-style file: `[profile x]` → x, `[default]` → default; other sections are not profiles. */
export function configProfiles(facts: SdkFacts, path: string): Sections {
  const profiles: Record<string, ProfileSettings> = {}
  for (const [header, settings] of Object.entries(rawSections(facts, path) ?? {})) {
    if (header === 'default') profiles.default = { ...settings, ...(profiles.default ?? {}) }
    else if (header.startsWith('profile ')) profiles[header.slice('profile '.length).trim()] = settings
  }
  return profiles
}

/** `[sso-session x]` sections of a config file. */
export function ssoSessions(facts: SdkFacts, path: string): Sections {
  const sessions: Record<string, ProfileSettings> = {}
  for (const [header, settings] of Object.entries(rawSections(facts, path) ?? {})) {
    if (header.startsWith('sso-session ')) sessions[header.slice('sso-session '.length).trim()] = settings
  }
  return sessions
}

/** Profiles of both files merged, credentials-file keys winning per key (botocore, Java v2, Go). */
export function mergedProfiles(facts: SdkFacts, credentialsPath: string, configPath: string): Sections {
  const merged: Record<string, ProfileSettings> = {}
  for (const [name, settings] of Object.entries(configProfiles(facts, configPath))) merged[name] = { ...settings }
  for (const [name, settings] of Object.entries(credentialsProfiles(facts, credentialsPath))) merged[name] = { ...(merged[name] ?? {}), ...settings }
  return merged
}

/** The shared-file paths most SDKs use: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE or the defaults. */
export function standardPaths(facts: SdkFacts): { credentials: string; config: string } {
  return {
    credentials: isSet(facts.env.AWS_SHARED_CREDENTIALS_FILE) ? facts.env.AWS_SHARED_CREDENTIALS_FILE : defaultCredentialsPath(facts),
    config: isSet(facts.env.AWS_CONFIG_FILE) ? facts.env.AWS_CONFIG_FILE : defaultConfigPath(facts),
  }
}

/** The profile AWS_PROFILE selects, or `default`. */
export function envProfile(facts: SdkFacts): { name: string; fromEnv: boolean } {
  return isSet(facts.env.AWS_PROFILE) ? { name: facts.env.AWS_PROFILE, fromEnv: true } : { name: 'default', fromEnv: false }
}

export const hasStaticKeys = (p: ProfileSettings | undefined) => !!p && isStatic(p)
export const hasSso = (p: ProfileSettings | undefined) => !!p && isSso(p)

/** Whether the SSO cache holds a valid token for a profile's sso_session (or legacy start URL). */
export function ssoTokenValid(facts: SdkFacts, p: ProfileSettings): boolean {
  const key = p.sso_session ?? p.sso_start_url
  return key !== undefined && facts.ssoTokens[key] === true
}

/** `AWS_EC2_METADATA_DISABLED` as SDKs that compare it to "true" (case-insensitively) read it. */
export const imdsDisabledTrue = (facts: SdkFacts) => (facts.env.AWS_EC2_METADATA_DISABLED ?? '').toLowerCase() === 'true'
