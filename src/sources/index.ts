import type { Source } from '../types.js'
import type { ProfileBranch, SourceDefinition } from './kit.js'
import { envSource } from './env/index.js'
import { ssoSource } from './sso/index.js'
import { bindProfileBranches, profileSource } from './profile/index.js'
import { processSource } from './process/index.js'
import { webIdentitySource } from './webIdentity/index.js'
import { containerSource } from './container/index.js'
import { instanceProfileSource } from './instanceProfile/index.js'
import { loginSource } from './login/index.js'

/**
 * The registry: every credential source, in the order of the JS v3 default chain
 * (`fromNodeProviderChain`); sources without a link of their own (login: fromIni reaches it)
 * follow. Every table that lists sources derives from this one list. Adding a source is one
 * folder under src/sources/ and one line here (docs/ARCHITECTURE.md walks through it).
 */
export const REGISTRY: readonly SourceDefinition[] = [
  envSource,
  ssoSource,
  profileSource,
  processSource,
  webIdentitySource,
  containerSource,
  instanceProfileSource,
  loginSource,
]

/** The definition of a source; undefined for `code` (credentials passed in code are no source's). */
export function sourceDefinition(source: Source): SourceDefinition | undefined {
  return REGISTRY.find((s) => s.source === source)
}

/** The links of the JS v3 default chain, in order, in the SDK's own words. */
export const JS_V3_LINKS: ReadonlyArray<{ source: Source; name: string }> = REGISTRY.flatMap((s) => (s.link ? [{ source: s.source, name: s.link.name }] : []))

/** Every branch of fromIni's resolveProfileData, in its order. */
export const PROFILE_BRANCHES: readonly ProfileBranch[] = REGISTRY.flatMap((s) => s.profileBranches ?? []).sort((a, b) => a.order - b.order)
bindProfileBranches(() => PROFILE_BRANCHES)

/** `$source` feature code → source, best first (lower rank wins when a credential carries several). */
export const FEATURE_CODES: ReadonlyArray<readonly [code: string, source: Source]> = [
  ...REGISTRY.flatMap((s) => (s.features ?? []).map((f) => ({ ...f, source: s.source }))).sort((a, b) => a.rank - b.rank).map((f) => [f.code, f.source] as const),
  ['e', 'code'],
]

export type { SourceDefinition, ProfileBranch }
