import type { FaultSpec } from '../fault-types.js'
import type { Source } from '../types.js'

/** One profile's settings as the SDK sees them: config entries, overridden by credentials entries. */
export type ProfileSettings = Readonly<Record<string, string>>

/**
 * Everything the static model of the JS v3 chain decides from: plain data, gathered once
 * (from a world, or from a real machine), so the model itself is a pure function.
 */
export interface ChainFacts {
  env: Readonly<Record<string, string | undefined>>
  /** The client's own `profile` option (init.profile), which wins over AWS_PROFILE. */
  clientProfile?: string
  /** Where the shared files are, as the SDK computes it. */
  credentialsPath: string
  configPath: string
  /** Parsed with the SDK's own ini loader: profile name → settings. */
  credentialsFile: Readonly<Record<string, ProfileSettings>>
  /** Parsed config: `default`, `<name>` for `[profile name]`, `sso-session.<name>`, … */
  configFile: Readonly<Record<string, ProfileSettings>>
  /** Files the chain would read (token files, SSO caches): path → whether it can be read. */
  readable: Readonly<Record<string, boolean>>
  /** SSO session name → whether a valid cached token exists for it. */
  ssoTokens: Readonly<Record<string, boolean>>
  /**
   * What the remote endpoints serve, when known: a world knows; a real machine only when
   * probed. `undefined`: unknown; `null`: the endpoint serves nothing.
   */
  container?: { role?: string } | null
  imds?: { role?: string } | null
  /** What sources with facts of their own found (src/sources/<name>: `facts`), by source name. */
  parts?: Readonly<Record<string, unknown>>
  /** A world's injected faults (a real machine has none): the other SDKs' models apply them (src/chain/sdks/faults.ts). */
  faults?: readonly FaultSpec[]
}

/** Settings of a profile as fromIni merges them (credentials file wins), or undefined. */
export function profileSettings(facts: ChainFacts, name: string): ProfileSettings | undefined {
  const config = facts.configFile[name]
  const credentials = facts.credentialsFile[name]
  if (!config && !credentials) return undefined
  return { ...(config ?? {}), ...(credentials ?? {}) }
}

/** A variable or setting that is present and not empty (the SDKs treat an empty value as unset). */
export const isSet = (v: string | undefined): v is string => v !== undefined && v !== ''

/** "A and B are not set" / "B is not set", for the variables of `names` that are not set. */
export function notSetReason(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string {
  const missing = names.filter((n) => !isSet(env[n]))
  return `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`
}

/** The container variable the SDK follows (RELATIVE_URI wins over FULL_URI), or undefined when neither is set. */
export function containerVariable(facts: Pick<ChainFacts, 'env'>): 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' | 'AWS_CONTAINER_CREDENTIALS_FULL_URI' | undefined {
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) return 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) return 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
  return undefined
}

/** The profile fromIni uses and why. */
export function activeProfileOf(facts: Pick<ChainFacts, 'env' | 'clientProfile'>): { name: string; from: string; selected: boolean } {
  if (facts.clientProfile) return { name: facts.clientProfile, from: `the client's profile option`, selected: true }
  if (isSet(facts.env.AWS_PROFILE)) return { name: facts.env.AWS_PROFILE, from: 'AWS_PROFILE', selected: true }
  return { name: 'default', from: 'the default profile', selected: false }
}

/** A credential mechanism that is available, and where it lives (for hints). */
export interface RankedMechanism {
  mechanism: Source
  /** The chain link that would deliver it. */
  link: Source
  /** For profile-borne mechanisms: the profile's name. */
  profile?: string
}

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

