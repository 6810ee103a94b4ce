import type { ChainReport, Source } from '../types.js'
import { type LinkFinding, assembleReport } from './assemble.js'
import { type ChainFacts, type ProfileSettings, activeProfileOf, profileSettings, isSet, containerVariable, loginCacheFile } from './facts.js'

/**
 * The JS v3 default chain as pure functions over {@link ChainFacts} (@aws-sdk/credential-provider-node
 * 3.972, i.e. after 3.616, where AWS_PROFILE is read on every call). Nothing here reads a file,
 * a variable or the network: it decides from the facts, so it can explain a scenario file or
 * a captured machine without touching anything, and is checked against the real SDK.
 */
export const JS_V3_MODEL_VERSION = '@aws-sdk/credential-provider-node 3.972 (behaviour since 3.616)'


type Resolved = { ok: true; mechanism: Source; key: string; what: string } | { ok: false; stops: boolean; why: string }

function envLink(facts: ChainFacts): LinkFinding {
  const keysSet = isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
  const profile = activeProfileOf(facts)
  if (profile.selected) {
    const by = facts.clientProfile ? `the client's profile option is "${profile.name}"` : `AWS_PROFILE=${profile.name} is set`
    return {
      kind: 'skipped',
      reason: keysSet
        ? `${by}, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected")`
        : `${by}, so the SDK skips env keys (none are set anyway)`,
    }
  }
  if (!keysSet) {
    const missing = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((n) => !isSet(facts.env[n]))
    return { kind: 'absent', reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set` }
  }
  return { kind: 'available', mechanism: 'env', key: `env:${facts.env.AWS_ACCESS_KEY_ID}`, reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' }
}

const isStatic = (p: ProfileSettings) => isSet(p.aws_access_key_id) && isSet(p.aws_secret_access_key)
const isAssumeRole = (p: ProfileSettings) => isSet(p.role_arn) && (isSet(p.source_profile) !== isSet(p.credential_source))
const isWebIdentity = (p: ProfileSettings) => isSet(p.web_identity_token_file) && isSet(p.role_arn)
const isProcess = (p: ProfileSettings) => isSet(p.credential_process)
const isSso = (p: ProfileSettings) => ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some((k) => typeof p[k] === 'string')

function ssoUsable(facts: ChainFacts, p: ProfileSettings): boolean {
  const session = p.sso_session ?? p.sso_start_url
  return session !== undefined && facts.ssoTokens[session] === true && isSet(p.sso_account_id) && isSet(p.sso_role_name)
}

/** credential_source's own source, as fromIni's resolveCredentialSource runs it. */
function credentialSource(facts: ChainFacts, name: string): Resolved {
  switch (name) {
    case 'Environment':
      return isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
        ? { ok: true, mechanism: 'env', key: 'env', what: 'env keys' }
        : { ok: false, stops: true, why: 'credential_source = Environment, but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set' }
    case 'Ec2InstanceMetadata':
      return facts.imds?.role ? { ok: true, mechanism: 'instanceProfile', key: 'imds', what: `instance role ${facts.imds.role}` } : { ok: false, stops: true, why: 'credential_source = Ec2InstanceMetadata, but the instance metadata service has no role' }
    case 'EcsContainer':
      return facts.container ? { ok: true, mechanism: 'container', key: 'container', what: 'the container endpoint' } : { ok: false, stops: true, why: 'credential_source = EcsContainer, but no container endpoint serves credentials' }
    default:
      // fromIni's "Unsupported credential source" is a plain CredentialsProviderError: the chain moves on
      return { ok: false, stops: false, why: `${UNSUPPORTED_SOURCE} "${name}" (the SDK expects EcsContainer, Ec2InstanceMetadata or Environment)` }
  }
}

const UNSUPPORTED_SOURCE = 'unsupported credential_source'
const isLoop = (why: string) => why.startsWith('source_profile loop')
/** Failures of a role's source that fromIni reports with tryNextLink: the chain moves on. */
const movesOn = (why: string) => isLoop(why) || why.startsWith(UNSUPPORTED_SOURCE)

/** fromIni's resolveProfileData: role → static keys → web identity → credential_process → SSO → login_session. */
function resolveProfile(facts: ChainFacts, name: string, visited: readonly string[] = []): Resolved {
  const p = profileSettings(facts, name)
  if (!p) return { ok: false, stops: false, why: `profile "${name}" is not defined in ${facts.credentialsPath} or ${facts.configPath}` }
  if (visited.length > 0 && isStatic(p)) return { ok: true, mechanism: 'profile', key: `static:${name}`, what: `static keys of profile "${name}"` }
  if (isAssumeRole(p)) {
    // fromIni's cycle error is a CredentialsProviderError with tryNextLink: the chain moves on
    if (visited.includes(name)) return { ok: false, stops: false, why: `source_profile loop: ${[...visited, name].join(' → ')}` }
    const source = isSet(p.source_profile) ? resolveProfile(facts, p.source_profile, [...visited, name]) : credentialSource(facts, p.credential_source!)
    if (!source.ok) return { ok: false, stops: !movesOn(source.why), why: source.why }
    return { ok: true, mechanism: 'profile', key: `role:${name}`, what: `assumes ${p.role_arn} with ${source.what}` }
  }
  if (isStatic(p)) return { ok: true, mechanism: 'profile', key: `static:${name}`, what: 'static keys' }
  if (isWebIdentity(p)) {
    return facts.readable[p.web_identity_token_file!] === false
      ? { ok: false, stops: true, why: `web_identity_token_file ${p.web_identity_token_file} cannot be read` }
      : { ok: true, mechanism: 'webIdentity', key: `web:${name}`, what: `web_identity_token_file for ${p.role_arn}` }
  }
  if (isProcess(p)) return { ok: true, mechanism: 'process', key: `process:${name}`, what: 'credential_process' }
  if (isSso(p)) {
    return ssoUsable(facts, p)
      ? { ok: true, mechanism: 'sso', key: `sso:${name}`, what: `SSO session for role ${p.sso_role_name}` }
      : { ok: false, stops: true, why: `profile "${name}" has SSO settings but no valid cached token (run aws sso login)` }
  }
  if (isSet(p.login_session)) {
    // no `login` source yet: the real SDK's outcome stands, named for what it is
    return facts.readable[loginCacheFile(facts.env, p.login_session)] === true
      ? { ok: true, mechanism: 'profile', key: `login:${name}`, what: `login_session "${p.login_session}" (aws login), which chainproof does not simulate yet: the SDK reads its login cache` }
      : { ok: false, stops: true, why: `profile "${name}" has login_session "${p.login_session}" (aws login), which chainproof does not simulate yet, and no login cache to read: the SDK's fromLoginCredentials fails without tryNextLink` }
  }
  return { ok: false, stops: false, why: `profile "${name}" has no usable credentials` }
}

function profileLink(facts: ChainFacts): LinkFinding {
  const active = activeProfileOf(facts)
  const resolved = resolveProfile(facts, active.name)
  if (!resolved.ok) {
    return resolved.stops
      ? { kind: 'failed', reason: `stops the chain: ${resolved.why}` }
      : isLoop(resolved.why)
        ? { kind: 'absent', reason: `profile "${active.name}" (${active.from}) assumes a role through a ${resolved.why}; the SDK treats that as no credentials and moves on to the next link` }
        : resolved.why.startsWith(UNSUPPORTED_SOURCE)
          ? { kind: 'absent', reason: `profile "${active.name}" (${active.from}) assumes a role with an ${resolved.why}: the SDK answers "Unsupported credential source" and moves on to the next link` }
          : { kind: 'absent', reason: `profile "${active.name}" (${active.from}) has no usable credentials in ${facts.credentialsPath} or ${facts.configPath}` }
  }
  const finding: LinkFinding = {
    kind: 'available',
    mechanism: resolved.mechanism,
    key: resolved.key,
    profile: active.name,
    reason: `profile "${active.name}" (${active.from}): ${resolved.what}`,
  }
  const p = profileSettings(facts, active.name) ?? {}
  if (resolved.mechanism !== 'sso' && isSso(p) && ssoUsable(facts, p)) finding.inner = [{ mechanism: 'sso', reason: 'its SSO settings lose to that' }]
  return finding
}

function processLink(facts: ChainFacts): LinkFinding {
  const active = activeProfileOf(facts)
  const p = profileSettings(facts, active.name)
  if (!p || !isProcess(p)) return { kind: 'absent', reason: `profile "${active.name}" has no credential_process` }
  return { kind: 'available', mechanism: 'process', key: `process:${active.name}`, profile: active.name, reason: `profile "${active.name}" has credential_process` }
}

function webIdentityLink(facts: ChainFacts): LinkFinding {
  const file = facts.env.AWS_WEB_IDENTITY_TOKEN_FILE
  if (!isSet(file) || !isSet(facts.env.AWS_ROLE_ARN)) {
    const missing = ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'].filter((n) => !isSet(facts.env[n]))
    return { kind: 'absent', reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set` }
  }
  if (facts.readable[file] === false) return { kind: 'failed', reason: `stops the chain: AWS_WEB_IDENTITY_TOKEN_FILE=${file} cannot be read` }
  return { kind: 'available', mechanism: 'webIdentity', key: 'web:env', reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }
}


function containerLink(facts: ChainFacts): LinkFinding {
  const variable = containerVariable(facts)
  if (!variable) return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
  if (facts.container === undefined) return { kind: 'available', mechanism: 'container', key: 'container', reason: `${variable} is set (endpoint not probed)` }
  if (facts.container === null) return { kind: 'failed', reason: `stops the chain: ${variable} is set, but the endpoint serves no credentials` }
  return { kind: 'available', mechanism: 'container', key: 'container', reason: `${variable} is set${facts.container.role ? `: role ${facts.container.role}` : ''}` }
}

function instanceProfileLink(facts: ChainFacts): LinkFinding {
  const disabled = facts.env.AWS_EC2_METADATA_DISABLED
  if (isSet(disabled) && disabled !== 'false') return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${disabled} is set, so the SDK never asks the instance metadata service` }
  const variable = containerVariable(facts)
  const skipped = `${variable} is set, so the SDK asks the container endpoint and never the instance metadata service`
  if (!facts.imds?.role) {
    if (variable) return { kind: 'skipped', reason: skipped }
    return { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role (no instance profile attached)' }
  }
  // A role the SDK never asks for is still shadowed: take the container variables away and it wins.
  const has = `the instance metadata service has role ${facts.imds.role}`
  return { kind: 'available', mechanism: 'instanceProfile', key: 'imds', reason: variable ? `${has}, but ${skipped}` : has }
}

/** The findings of each link of the JS v3 chain, decided from facts alone. */
export function modelFindings(facts: ChainFacts): LinkFinding[] {
  return [
    envLink(facts),
    { kind: 'absent', reason: 'no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)' },
    profileLink(facts),
    processLink(facts),
    webIdentityLink(facts),
    containerLink(facts),
    instanceProfileLink(facts),
  ]
}

/** The chain report of the JS v3 default chain, from facts alone. */
export function modelChain(facts: ChainFacts): ChainReport {
  return assembleReport(modelFindings(facts), facts)
}
