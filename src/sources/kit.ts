import type { SdkName, ServerName, Source } from '../types.js'
import type { ChainFacts, LinkFinding, ProfileSettings, RankedMechanism } from '../chain/facts.js'
import type { LinkOutcome, ProbeContext } from '../probe/link-kit.js'
import type { Credentials } from '../probe/sdk.js'
import type { Route } from '../servers/http.js'
import type { PlanContext } from '../world/plan-context.js'

/**
 * What a credential source is, in one place. Every table that lists sources — the chain's links,
 * the `$source` codes, the removal hints, fromIni's branches, the servers, the world's spec and
 * sandbox parts — is derived from the definitions in `src/sources/index.ts`, in chain order.
 */
export interface SourceDefinition {
  source: Source
  /** Its link of the JS v3 default chain (`fromNodeProviderChain`), if it is one: `login` is not, fromIni reaches it. */
  link?: JsV3Link
  /** The branches of fromIni's resolveProfileData that produce this source's credentials from a profile section. */
  profileBranches?: readonly ProfileBranch[]
  /** What to change so this source, reached through its own link, no longer provides credentials. */
  removal?(facts: ChainFacts, entry: RankedMechanism): string
  /** The SDK's `$source` feature codes (@aws-sdk/core setCredentialFeature) that name this source, with their rank: lower wins when several are set. */
  features?: readonly { code: string; rank: number }[]
  /** A loopback server of its own (IMDS, the container endpoint, the SSO portal, Signin). */
  server?: { name: ServerName; routes: readonly Route[]; /** Its port's offset from `serve --port-base` (fixed: users pin them). */ portOffset: number }
  /** Routes of its own on the world's STS server (no port of their own): e.g. the timed credential_process helper's. */
  stsRoutes?: readonly Route[]
  /** Its part of the world: what it writes to the sandbox, env and server state. */
  plan?: SourcePlan
  /**
   * Which SDK releases the other SDKs' models describe know this source (`modelled: false`: the
   * model's release predates it, so the model ignores it, as that release does, and its report says
   * which release would read it). Absent: every model knows it.
   */
  sdkSupport?: Readonly<Partial<Record<SdkName, { modelled: boolean; since: string; where?: string }>>>
  /**
   * `chainproof capture`: how a real machine's profile section with this source's settings becomes
   * a spec (into `profile`) — or, where a spec cannot say it, raw ini settings that fail the same
   * way (into `raw`). `others`: whether the section already has credentials of another kind.
   */
  capture?(facts: ChainFacts, settings: ProfileSettings, into: { profile: Record<string, unknown>; raw: Record<string, string>; others: boolean; name: string }): void
  /** What the static model needs to know of it beyond the shared files (kept in `facts.parts[source]`): read from the environment and files, and from the world's server state when there is a world. */
  facts?(input: { env: Readonly<Record<string, string | undefined>>; sections: readonly ProfileSettings[]; server?: Readonly<Record<string, unknown>> }): unknown
}

export interface JsV3Link {
  /** The SDK's own name for the link: fromEnv, fromIni, … */
  name: string
  /** The static model's decision, from facts alone. */
  model(facts: ChainFacts, chain: ModelKit): LinkFinding
  /** The live probe: the real SDK link run alone in the current environment. */
  probe(ctx: ProbeContext, facts: ChainFacts, earlier: ReadonlyMap<Source, LinkOutcome>): Promise<LinkOutcome>
  /** The earlier links whose outcomes `probe` reads from `earlier`: when links are probed at once, it waits for them. */
  after?: readonly Source[]
}

/** What a link model may ask of the chain engine: fromIni's profile resolution over every registered branch. */
export interface ModelKit {
  resolveProfile(name: string): ProfileResolved
  /** The fromIni branches this model knows (an older release knows fewer), in fromIni's order. */
  branches: readonly ProfileBranch[]
}

export type ProfileResolved = { ok: true; mechanism: Source; key: string; what: string } | { ok: false; stops: boolean; why: string }

/** One branch of fromIni's resolveProfileData. */
export interface ProfileBranch {
  /** 'role' | 'static' | 'webIdentity' | 'process' | 'sso' | 'login' | … */
  branch: string
  /** The source it produces: a role or static keys are `profile`, credential_process `process`, … */
  source: Source
  /** Position in resolveProfileData (role 10, static 20, web identity 30, process 40, SSO 50, login 60). */
  order: number
  /** The `$source` codes fromIni sets when it takes this branch (outermost first). */
  codes: readonly string[]
  /** How the report says the profile produced its credentials: "ran credential_process". */
  words: string
  /** The settings that select this branch, as a report names them: "login_session", "credential_process". */
  settings: string
  /** Whether a profile section takes this branch (fromIni's is*Profile). */
  matches(p: ProfileSettings): boolean
  /** The model's decision for a section that matches; role and static are decided by the profile source itself. */
  resolve?(facts: ChainFacts, name: string, p: ProfileSettings): ProfileResolved
  /** Shown as losing to another branch of the same section (the probe runs that provider alone to see it). */
  reportedWhenShadowed?: boolean
  /** The SDK's own provider for this branch, run alone on the profile (how the probe sees a branch that lost to another of its section). */
  probeAlone?(init: Record<string, unknown>): Promise<Credentials>
  /** What to remove from the section so this branch no longer provides credentials. */
  removal(section: (file: 'credentials' | 'config') => string, p: ProfileSettings, facts: ChainFacts, profile: string): string
}

/** A source's part of world planning: a top-level spec key, and/or its settings inside a profile. */
export interface SourcePlan {
  /** Runs once per world, in registry order. */
  world?(ctx: PlanContext): void
  /** Runs for each profile of the spec, in registry order; `entries` is the profile's config section. */
  profile?(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void
}
