/**
 * The generated scenario space shared by the agreement suites (test/chain/agreement.test.ts and
 * test/sdks/*) and the bench: every combination of the seven chain sources on and off, with and
 * without AWS_PROFILE and AWS_EC2_METADATA_DISABLED — 4 × 128 = 512 worlds; the agreement suites
 * add `login` (a login_session in the same profile section: `WITH_LOGIN`, 4 × 256 = 1024 worlds).
 */
import type { ProfileSpec, Source, WorldSpec } from '../../src/types.js'

export const GENERATED = ['env', 'sso', 'profile', 'process', 'webIdentity', 'container', 'instanceProfile'] as const
/** The seven, and `login` (aws login: the profile section also has a login_session and its cache). */
export const WITH_LOGIN = [...GENERATED, 'login'] as const
export type Generated = (typeof WITH_LOGIN)[number]

/** The four flag settings: [AWS_PROFILE set, AWS_EC2_METADATA_DISABLED set]. */
export const FLAG_SETTINGS: ReadonlyArray<readonly [awsProfile: boolean, imdsDisabled: boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]

/** The world of one combination: env keys, one profile section (keys, credential_process, SSO), web identity, container, IMDS. */
export function specOf(on: ReadonlySet<Generated>, awsProfile: boolean, imdsDisabled: boolean): WorldSpec {
  const spec: WorldSpec = {}
  const profileName = awsProfile ? 'app' : 'default'
  if (on.has('env')) spec.env = { user: 'envuser' }
  const section: Record<string, unknown> = {}
  if (on.has('profile')) section.user = 'alice'
  if (on.has('process')) section.process = { user: 'tool' }
  if (on.has('sso')) section.sso = { role: 'Dev' }
  if (on.has('login')) section.login = { role: 'console' }
  if (Object.keys(section).length) spec.profiles = { [profileName]: section as ProfileSpec }
  if (awsProfile) spec.profile = profileName
  if (on.has('webIdentity')) spec.webIdentity = { role: 'web-id' }
  if (on.has('container')) spec.container = { role: 'task' }
  if (on.has('instanceProfile')) spec.instanceProfile = { role: 'ec2' }
  if (imdsDisabled) spec.vars = { AWS_EC2_METADATA_DISABLED: 'true' }
  return spec
}

export const keyOf = (on: ReadonlySet<Generated>) => WITH_LOGIN.filter((s) => on.has(s)).join('+') || '(none)'

/** Every subset of `sources` (default: the seven chain sources; WITH_LOGIN adds login). */
export function subsets(sources: readonly Generated[] = GENERATED): Set<Generated>[] {
  return Array.from({ length: 1 << sources.length }, (_, mask) => new Set(sources.filter((_, i) => mask & (1 << i))))
}

/**
 * A real chain only names a winner; its shadowed list is found by taking the winner away and
 * resolving again, until nothing resolves: the sources that would win next, in order.
 * `winnerOf` answers for any combination (all 128 of one flag setting are evaluated first).
 */
export function shadowedByRemoval(on: ReadonlySet<Generated>, winnerOf: (on: ReadonlySet<Generated>) => Source | undefined): Source[] {
  const winner = winnerOf(on)
  if (!winner || !on.has(winner as Generated)) return []
  const rest = new Set(on)
  rest.delete(winner as Generated)
  const next = winnerOf(rest)
  return next ? [next, ...shadowedByRemoval(rest, winnerOf)] : []
}

/**
 * Profile mixes: the selected profile combining a role (via source_profile, credential_source
 * Ec2InstanceMetadata, or web_identity_token_file) with credential_process, static keys and SSO,
 * with and without env keys, an instance profile always there — 4 × 2 × 2 × 2 × 2 = 64 worlds
 * (one empty section left out: 62). Some SDKs validate such a profile before anything else (Go).
 */
export function profileMixes(): WorldSpec[] {
  const roles: (Record<string, unknown> | undefined)[] = [undefined, { role: 'admin', sourceProfile: 'base' }, { role: 'admin', credentialSource: 'Ec2InstanceMetadata' }, { role: 'admin', webIdentityTokenFile: true }]
  const specs: WorldSpec[] = []
  for (const role of roles) {
    for (let mask = 0; mask < 16; mask++) {
      const section: Record<string, unknown> = { ...(role ?? {}) }
      if (mask & 1) section.process = { user: 'tool' }
      if (mask & 2) section.user = 'alice'
      if (mask & 4) section.sso = { role: 'Dev' }
      if (!Object.keys(section).length) continue
      const spec: WorldSpec = { profiles: { base: { user: 'base' }, default: section as ProfileSpec }, instanceProfile: { role: 'ec2' } }
      if (mask & 8) spec.env = { user: 'envuser' }
      specs.push(spec)
    }
  }
  return specs
}
