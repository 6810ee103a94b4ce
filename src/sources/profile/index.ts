import { type ChainFacts, type ProfileSettings, activeProfileOf, isSet, profileSettings } from '../../chain/facts.js'
import { attributeCredentials, branchOfFeatures, branchOfProfile } from '../../chain/attribution.js'
import { type LinkOutcome, type ProbeContext, describeError, describeIdentity, droppedLines, fromError, processFailure, shownPath, tryNextLink, linkCredentials } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import type { ModelKit, ProfileBranch, ProfileResolved, SourceDefinition } from '../kit.js'
import { planProfileKeys, planProfileWorld } from './plan.js'

export const isStatic = (p: ProfileSettings) => isSet(p.aws_access_key_id) && isSet(p.aws_secret_access_key)
export const isAssumeRole = (p: ProfileSettings) => isSet(p.role_arn) && isSet(p.source_profile) !== isSet(p.credential_source)

const UNSUPPORTED_SOURCE = 'unsupported credential_source'
/** How credentialSource() begins the reason of a source with nothing to give. */
const CREDENTIAL_SOURCE_FAILED = 'credential_source = '
const isLoop = (why: string) => why.startsWith('source_profile loop')
/** Failures of a role's source that fromIni reports with tryNextLink: the chain moves on. */
/** Failures of a source profile the SDK moves on from: a loop, an unsupported credential_source, and a credential_source with nothing to give (its CredentialsProviderError keeps tryNextLink, measured by test/world/generated-specs.test.ts). */
const movesOn = (why: string) => isLoop(why) || why.startsWith(UNSUPPORTED_SOURCE) || why.startsWith(CREDENTIAL_SOURCE_FAILED)

/**
 * credential_source's own source, as fromIni's resolveCredentialSource runs it. A source with
 * nothing to give fails with a plain CredentialsProviderError, and the chain moves on (measured
 * with the real SDK by test/world/generated-specs.test.ts).
 */
function credentialSource(facts: ChainFacts, name: string): ProfileResolved {
  switch (name) {
    case 'Environment':
      return isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
        ? { ok: true, mechanism: 'env', key: 'env', what: 'env keys' }
        : { ok: false, stops: false, why: 'credential_source = Environment, but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set' }
    case 'Ec2InstanceMetadata':
      return facts.imds?.role ? { ok: true, mechanism: 'instanceProfile', key: 'imds', what: `instance role ${facts.imds.role}` } : { ok: false, stops: false, why: 'credential_source = Ec2InstanceMetadata, but the instance metadata service has no role' }
    case 'EcsContainer':
      return facts.container ? { ok: true, mechanism: 'container', key: 'container', what: 'the container endpoint' } : { ok: false, stops: false, why: 'credential_source = EcsContainer, but no container endpoint serves credentials' }
    default:
      // fromIni's "Unsupported credential source" is a plain CredentialsProviderError: the chain moves on
      return { ok: false, stops: false, why: `${UNSUPPORTED_SOURCE} "${name}" (the SDK expects EcsContainer, Ec2InstanceMetadata or Environment)` }
  }
}

/** The two branches that are the profile source's own: a role assumed through source_profile/credential_source, and static keys. */
export const ROLE_BRANCH: ProfileBranch = {
  branch: 'role',
  source: 'profile',
  order: 10,
  codes: ['o', 'p'],
  words: 'assumed a role',
  settings: 'role_arn with source_profile or credential_source',
  matches: isAssumeRole,
  removal: (section, p) => `remove role_arn and ${isSet(p.source_profile) ? 'source_profile' : 'credential_source'} from ${section('config')}`,
}
export const STATIC_BRANCH: ProfileBranch = {
  branch: 'static',
  source: 'profile',
  order: 20,
  codes: ['n'],
  words: 'has static keys',
  settings: 'aws_access_key_id and aws_secret_access_key',
  matches: isStatic,
  removal: (section, _p, facts, profile) => `remove aws_access_key_id and aws_secret_access_key from ${facts.credentialsFile[profile]?.aws_access_key_id !== undefined ? section('credentials') : section('config')}`,
}

/**
 * fromIni's resolveProfileData over the registered branches, in its order: (a source profile's
 * static keys) → role → static keys → the branches of other sources (web identity, credential_process, SSO, login…).
 */
export function resolveProfile(facts: ChainFacts, branches: readonly ProfileBranch[], name: string, visited: readonly string[] = []): ProfileResolved {
  const p = profileSettings(facts, name)
  if (!p) return { ok: false, stops: false, why: `profile "${name}" is not defined in ${facts.credentialsPath} or ${facts.configPath}` }
  if (visited.length > 0 && isStatic(p)) return { ok: true, mechanism: 'profile', key: `static:${name}`, what: `static keys of profile "${name}"` }
  if (isAssumeRole(p)) {
    // fromIni's cycle error is a CredentialsProviderError with tryNextLink: the chain moves on
    if (visited.includes(name)) return { ok: false, stops: false, why: `source_profile loop: ${[...visited, name].join(' → ')}` }
    const source = isSet(p.source_profile) ? resolveProfile(facts, branches, p.source_profile, [...visited, name]) : credentialSource(facts, p.credential_source!)
    if (!source.ok) return { ok: false, stops: isSet(p.source_profile) ? !movesOn(source.why) : source.stops, why: source.why }
    return { ok: true, mechanism: 'profile', key: `role:${name}`, what: `assumes ${p.role_arn} with ${source.what}` }
  }
  if (isStatic(p)) return { ok: true, mechanism: 'profile', key: `static:${name}`, what: 'static keys' }
  for (const branch of branches) {
    if (branch.resolve && branch.matches(p)) return branch.resolve(facts, name, p)
  }
  return { ok: false, stops: false, why: `profile "${name}" has no usable credentials` }
}

function profileModel(facts: ChainFacts, chain: ModelKit) {
  const active = activeProfileOf(facts)
  const resolved = chain.resolveProfile(active.name)
  if (!resolved.ok) {
    return resolved.stops
      ? { kind: 'failed' as const, reason: `stops the chain: ${resolved.why}` }
      : isLoop(resolved.why)
        ? { kind: 'absent' as const, reason: `profile "${active.name}" (${active.from}) assumes a role through a ${resolved.why}; the SDK treats that as no credentials and moves on to the next link` }
        : resolved.why.startsWith(CREDENTIAL_SOURCE_FAILED)
          ? { kind: 'absent' as const, reason: `profile "${active.name}" (${active.from}) assumes a role with ${resolved.why}: the SDK moves on to the next link` }
          : resolved.why.startsWith(UNSUPPORTED_SOURCE)
          ? { kind: 'absent' as const, reason: `profile "${active.name}" (${active.from}) assumes a role with an ${resolved.why}: the SDK answers "Unsupported credential source" and moves on to the next link` }
          : { kind: 'absent' as const, reason: `profile "${active.name}" (${active.from}) has no usable credentials in ${facts.credentialsPath} or ${facts.configPath}` }
  }
  const p = profileSettings(facts, active.name) ?? {}
  const inner = chain.branches
    .filter((b) => b.reportedWhenShadowed && b.matches(p) && b.resolve?.(facts, active.name, p).ok)
    .flatMap((b) => {
      const r = b.resolve!(facts, active.name, p)
      return r.ok && r.mechanism !== resolved.mechanism ? [{ mechanism: r.mechanism, reason: `its ${b.branch === 'sso' ? 'SSO settings' : b.branch === 'login' ? 'login_session' : `${b.branch} settings`} lose to that` }] : []
    })
  return {
    kind: 'available' as const,
    mechanism: resolved.mechanism,
    key: resolved.key,
    profile: active.name,
    reason: `profile "${active.name}" (${active.from}): ${resolved.what}`,
    ...(inner.length ? { inner } : {}),
  }
}

/** fromIni found nothing usable in the active profile (or no such profile): the chain moves on. */
function noUsableProfile(ctx: ProbeContext, facts: ChainFacts, profile: { name: string; from: string }): LinkOutcome {
  // an explicitly chosen profile that does not exist (a typo in AWS_PROFILE): say so
  if (profile.name !== 'default' && !profileSettings(facts, profile.name)) {
    return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) is not defined in ${shownPath(facts.credentialsPath, ctx)} or ${shownPath(facts.configPath, ctx)}${droppedLines(facts, ctx)}` }
  }
  return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) has no usable credentials in ~/.aws/credentials or ~/.aws/config${droppedLines(facts, ctx)}` }
}

/** Lazily bound by the registry: every registered branch, in fromIni's order. */
let registeredBranches: () => readonly ProfileBranch[] = () => [ROLE_BRANCH, STATIC_BRANCH]
export function bindProfileBranches(all: () => readonly ProfileBranch[]): void {
  registeredBranches = all
}

/** Profiles of the shared files: static keys and roles (other branches belong to their own sources). */
export const profileSource: SourceDefinition = {
  source: 'profile',
  profileBranches: [ROLE_BRANCH, STATIC_BRANCH],
  link: {
    name: 'fromIni',
    model: (facts, chain) => profileModel(facts, chain),
    async probe(ctx, facts) {
      const profile = activeProfileOf(ctx)
      // files as the world wrote them, without the profile: fromIni cannot find it (it would throw "Could not resolve credentials using profile")
      if (ctx.known?.filesAsWritten && !profileSettings(facts, profile.name)) return noUsableProfile(ctx, facts, profile)
      try {
        const init: Record<string, unknown> = { logger: silentLogger }
        if (ctx.clientProfile) init.profile = ctx.clientProfile
        const credentials = await linkCredentials(ctx, 'profile', () => sdkLinks().fromIni(init)())
        const identity = ctx.identify(credentials.accessKeyId)
        // keyed by what produced the credentials: the ledger, else the model of the files and the SDK's $source codes
        const features = credentials.$source ?? {}
        const attribution = attributeCredentials({ accessKeyId: credentials.accessKeyId, identity, features, facts, active: profile.name }, registeredBranches())
        const settings = profileSettings(facts, profile.name)
        const branch = branchOfFeatures(features, registeredBranches()) ?? (settings && branchOfProfile(settings, registeredBranches()))
        const via = attribution?.via ?? branch?.words ?? 'resolved credentials'
        const outcome: LinkOutcome = { kind: 'available', credentials, reason: `profile "${profile.name}" (${profile.from}) in ~/.aws/credentials or ~/.aws/config ${via}: ${describeIdentity(identity, credentials)}` }
        if (attribution) outcome.mechanism = attribution.source
        if (attribution?.profile !== undefined) outcome.profile = attribution.profile
        // Settings of the same section that lose to what fromIni took (SSO, login_session after keys, web identity or credential_process):
        // run the SDK's provider for each alone to see them.
        for (const branch of registeredBranches()) {
          // a section without the branch's settings has nothing of it to lose (the provider alone would fail): not asked
          if (!branch.reportedWhenShadowed || !branch.probeAlone || branch.source === outcome.mechanism || (settings !== undefined && !branch.matches(settings))) continue
          const alone = await branch.probeAlone({ ...init, profile: profile.name }).catch(() => undefined)
          if (!alone) continue
          const what = `its ${branch.source === 'sso' ? 'SSO settings' : branch.source === 'login' ? 'login_session' : `${branch.branch} settings`} (${describeIdentity(ctx.identify(alone.accessKeyId), alone)}) lose to that`
          ;(outcome.inner ??= []).push({ mechanism: branch.source, reason: what })
          outcome.reason += `; ${what}`
        }
        return outcome
      } catch (error) {
        if (!tryNextLink(error)) return fromError(error, ctx)
        const message = describeError(error, ctx)
        const failedProcess = processFailure(error, ctx, profile.name)
        if (failedProcess) return { kind: 'absent', reason: failedProcess }
        if (/^Detected a cycle/.test(message)) {
          return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) assumes a role through a source_profile loop (${message}); the SDK treats that as no credentials and moves on to the next link` }
        }
        if (/^Unsupported credential source/.test(message)) {
          return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) assumes a role with an unsupported credential_source (${message}); the SDK moves on to the next link` }
        }
        return noUsableProfile(ctx, facts, profile)
      }
    },
  },
  features: [
    { code: 'n', rank: 40 },
    { code: 'o', rank: 50 },
    { code: 'p', rank: 60 },
  ],
  plan: { world: planProfileWorld, profile: planProfileKeys },
}
