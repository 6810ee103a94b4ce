import type { ProfileSettings } from '../facts.js'
import {
  type SdkFinding,
  type SdkLink,
  type SdkModelInfo,
  type SdkReport,
  assembleSdkReport,
  removeContainer,
  removeEnvKeys,
  removeInstanceProfile,
  removeWebIdentityEnv,
} from './assemble.js'
import { type SdkFacts, configProfiles, containerVariable, credentialsProfiles, defaultConfigPath, defaultCredentialsPath, hasStaticKeys, isSet, rawSections, shortPath, sourceProfileCycle, ssoTokenValid } from './facts.js'

/**
 * The AWS SDK for JavaScript v2 (npm `aws-sdk@2`, in maintenance since Sept 2024; the final
 * release 2.1693.0), `AWS.CredentialProviderChain.defaultProviders`, checked against the real
 * SDK by test/sdks/oracles.test.ts inside a loopback-only network namespace. What sets it apart:
 *   - the order: env keys (AWS_, then AMAZON_), SSO, the shared ini file, the container endpoint,
 *     credential_process, web identity, IMDS — the container comes before credential_process and
 *     web identity, and AWS_PROFILE never skips the env keys;
 *   - `~/.aws/config` is read only with AWS_SDK_LOAD_CONFIG set — SSO, credential_process and a
 *     profile's web identity all live there, so without it they are invisible; and with it, a
 *     missing config file makes every profile-based provider fail (the config is loaded first);
 *   - every provider's error falls through to the next one: nothing stops the chain;
 *   - it ignores AWS_ENDPOINT_URL_STS / _SSO (the oracle points its clients at the world), and any
 *     non-empty AWS_EC2_METADATA_DISABLED, even "false", disables IMDS.
 */
export const JS_V2_MODEL: SdkModelInfo = {
  sdk: 'js-v2',
  title: 'AWS SDK for JavaScript v2',
  release: 'aws-sdk 2.1693.0 (CredentialProviderChain.defaultProviders)',
  modelledFrom: 'run',
  basis: 'the real aws-sdk 2.1693.0 default chain agrees on the generated worlds and the fault catalogue, with and without AWS_SDK_LOAD_CONFIG (test/sdks/oracles.test.ts)',
}

export const JS_V2_LINKS: readonly SdkLink[] = [
  { source: 'env', name: "EnvironmentCredentials('AWS')" },
  { source: 'env', name: "EnvironmentCredentials('AMAZON')" },
  { source: 'sso', name: 'SsoCredentials' },
  { source: 'profile', name: 'SharedIniFileCredentials' },
  { source: 'container', name: 'ECSCredentials' },
  { source: 'process', name: 'ProcessCredentials' },
  { source: 'webIdentity', name: 'TokenFileWebIdentityCredentials' },
  { source: 'instanceProfile', name: 'EC2MetadataCredentials' },
]

/** v2's hosts for an http AWS_CONTAINER_CREDENTIALS_FULL_URI (https: any host). */
const FULL_URI_HOSTS = ['localhost', '127.0.0.1', '169.254.170.23']

/**
 * AWS.util.getProfilesFromSharedConfig: the config file (only with AWS_SDK_LOAD_CONFIG, and then it
 * must exist), then the credentials file over it per key. `error`: why every profile-based provider fails.
 */
function sharedProfiles(facts: SdkFacts): { profiles: Record<string, ProfileSettings>; error?: string; loadConfig: boolean } {
  const loadConfig = isSet(facts.env.AWS_SDK_LOAD_CONFIG)
  const configPath = isSet(facts.env.AWS_CONFIG_FILE) ? facts.env.AWS_CONFIG_FILE : defaultConfigPath(facts)
  const credentialsPath = isSet(facts.env.AWS_SHARED_CREDENTIALS_FILE) ? facts.env.AWS_SHARED_CREDENTIALS_FILE : defaultCredentialsPath(facts)
  const profiles: Record<string, ProfileSettings> = {}
  if (loadConfig) {
    if (rawSections(facts, configPath) === undefined) return { profiles, loadConfig, error: `AWS_SDK_LOAD_CONFIG is set, and v2 loads ${shortPath(facts, configPath)} first: it is missing, so every profile-based provider fails (ENOENT)` }
    for (const [name, settings] of Object.entries(configProfiles(facts, configPath))) profiles[name] = { ...settings }
  }
  if (rawSections(facts, credentialsPath) === undefined) {
    if (!loadConfig) return { profiles, loadConfig, error: `${shortPath(facts, credentialsPath)} is missing (ENOENT)` }
  } else {
    for (const [name, settings] of Object.entries(credentialsProfiles(facts, credentialsPath))) profiles[name] = { ...(profiles[name] ?? {}), ...settings }
  }
  return { profiles, loadConfig }
}

export function modelJsV2(facts: SdkFacts): SdkReport {
  const name = isSet(facts.env.AWS_PROFILE) ? facts.env.AWS_PROFILE : 'default'
  const shared = sharedProfiles(facts)
  const p = shared.profiles[name]
  const section = (key: string) => `[${name}]${shared.loadConfig ? ' in the shared files' : ` in ${shortPath(facts, defaultCredentialsPath(facts))}`} (${key})`
  const noProfile = shared.error ?? (p && Object.keys(p).length ? undefined : `profile "${name}" not found${shared.loadConfig ? '' : ' in ~/.aws/credentials (without AWS_SDK_LOAD_CONFIG v2 never reads ~/.aws/config)'}`)
  const fallsThrough = (why: string): SdkFinding => ({ kind: 'absent', reason: `${why}; v2 moves on to the next provider` })

  const envAws: SdkFinding =
    isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
      ? { kind: 'available', mechanism: 'env', key: 'env:aws', removal: removeEnvKeys(facts), reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set${isSet(facts.env.AWS_PROFILE) ? ` (AWS_PROFILE=${facts.env.AWS_PROFILE} does not change that in v2)` : ''}` }
      : { kind: 'absent', reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set' }
  const envAmazon: SdkFinding =
    isSet(facts.env.AMAZON_ACCESS_KEY_ID) && isSet(facts.env.AMAZON_SECRET_ACCESS_KEY)
      ? { kind: 'available', mechanism: 'env', key: 'env:amazon', removal: removeEnvKeys(facts, ['AMAZON_ACCESS_KEY_ID', 'AMAZON_SECRET_ACCESS_KEY']), reason: 'AMAZON_ACCESS_KEY_ID and AMAZON_SECRET_ACCESS_KEY are set' }
      : { kind: 'absent', reason: 'AMAZON_ACCESS_KEY_ID and AMAZON_SECRET_ACCESS_KEY are not both set' }

  let sso: SdkFinding
  if (noProfile) sso = fallsThrough(noProfile)
  else if (isSet(p!.sso_session) ? !isSet(p!.sso_account_id) || !isSet(p!.sso_role_name) : !['sso_start_url', 'sso_account_id', 'sso_region', 'sso_role_name'].every((k) => isSet(p![k]))) {
    sso = fallsThrough(`profile "${name}" has no complete SSO settings`)
  } else if (!ssoTokenValid(facts, p!) && facts.faults?.some((f) => f.target === 'sso' && f.kind === 'tokenExpired' && (f.profile === undefined || f.profile === name))) {
    // measured: v2 refreshes the expired token in a timer, the refresh fails, and the chain never settles
    sso = { kind: 'failed', reason: `profile "${name}" has SSO settings and an expired cached token: v2's SsoCredentials tries to refresh it, the refresh fails inside a timer, and the chain never calls back (the process hangs, or crashes on the uncaught error)` }
  } else if (!ssoTokenValid(facts, p!)) sso = fallsThrough(`profile "${name}" has SSO settings, but no valid cached token`)
  else sso = { kind: 'available', mechanism: 'sso', key: `sso:${name}`, profile: name, removal: `remove the sso_session and sso_* settings from ${section('sso_session')}`, reason: `profile "${name}" has SSO settings and a cached token (role ${p!.sso_role_name})` }

  let ini: SdkFinding
  const cycle = noProfile ? undefined : sourceProfileCycle(shared.profiles, name)
  if (noProfile) ini = fallsThrough(noProfile)
  else if (cycle) {
    // measured: v2 follows the loop until the worker dies (or spins): the chain never settles
    ini = { kind: 'failed', reason: `profile "${name}" assumes ${p!.role_arn} through a source_profile loop (${cycle.join(' → ')}): v2 recurses through it until the process dies, and the chain never settles` }
  } else if (isSet(p!.role_arn)) {
    ini = isSet(p!.source_profile) || isSet(p!.credential_source)
      ? { kind: 'available', mechanism: 'profile', key: `role:${name}`, profile: name, removal: `remove role_arn from ${section('role_arn')}`, reason: `profile "${name}" assumes ${p!.role_arn}` }
      : fallsThrough(`profile "${name}" has role_arn without source_profile or credential_source`)
  } else if (hasStaticKeys(p)) ini = { kind: 'available', mechanism: 'profile', key: `static:${name}`, profile: name, removal: `remove aws_access_key_id and aws_secret_access_key from ${section('aws_access_key_id')}`, reason: `profile "${name}" has static keys` }
  else ini = fallsThrough(`profile "${name}" has no static keys ("Credentials not set for profile ${name}")`)

  const variable = containerVariable(facts)
  let container: SdkFinding
  if (!variable) container = { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set' }
  else if (variable === 'AWS_CONTAINER_CREDENTIALS_FULL_URI' && !fullUriAllowed(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI!)) container = fallsThrough('AWS_CONTAINER_CREDENTIALS_FULL_URI names a host v2 refuses (http: only localhost, 127.0.0.1, 169.254.170.23)')
  else if (facts.container === null) container = fallsThrough(`${variable} is set, but the endpoint serves no credentials`)
  else container = { kind: 'available', mechanism: 'container', key: 'container', removal: removeContainer(variable), reason: `${variable} is set${facts.container?.role ? `: role ${facts.container.role}` : ''}` }

  let process: SdkFinding
  if (noProfile) process = fallsThrough(noProfile)
  else if (!isSet(p!.credential_process)) process = fallsThrough(`profile "${name}" has no credential_process${shared.loadConfig ? '' : ' (v2 reads ~/.aws/config only with AWS_SDK_LOAD_CONFIG)'}`)
  else process = { kind: 'available', mechanism: 'process', key: `process:${name}`, profile: name, removal: `remove credential_process from ${section('credential_process')}`, reason: `profile "${name}" has credential_process` }

  let web: SdkFinding
  if (isSet(facts.env.AWS_WEB_IDENTITY_TOKEN_FILE) && isSet(facts.env.AWS_ROLE_ARN)) {
    web = facts.readable[facts.env.AWS_WEB_IDENTITY_TOKEN_FILE] === false
      ? fallsThrough(`AWS_WEB_IDENTITY_TOKEN_FILE=${facts.env.AWS_WEB_IDENTITY_TOKEN_FILE} cannot be read`)
      : { kind: 'available', mechanism: 'webIdentity', key: 'web:env', removal: removeWebIdentityEnv(), reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }
  } else if (!noProfile && isSet(p!.web_identity_token_file) && isSet(p!.role_arn) && facts.readable[p!.web_identity_token_file] !== false) {
    web = { kind: 'available', mechanism: 'webIdentity', key: `web:${name}`, profile: name, removal: `remove web_identity_token_file from ${section('web_identity_token_file')}`, reason: `profile "${name}" has web_identity_token_file` }
  } else web = { kind: 'absent', reason: 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set, and the profile has no web_identity_token_file' }

  let imds: SdkFinding
  if (isSet(facts.env.AWS_EC2_METADATA_DISABLED)) imds = { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${facts.env.AWS_EC2_METADATA_DISABLED} is set, and v2 treats any value (even "false") as disabled` }
  else if (!facts.imds?.role) imds = { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role' }
  else imds = { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}` }

  const hints: string[] = []
  if (envAws.kind === 'available' && isSet(facts.env.AWS_PROFILE)) {
    hints.push(`AWS_PROFILE=${facts.env.AWS_PROFILE} does not make v2 skip the env keys (v3 does): migrating to v3 changes this client's credentials.`)
  }
  if (!shared.loadConfig && Object.keys(configProfiles(facts, isSet(facts.env.AWS_CONFIG_FILE) ? facts.env.AWS_CONFIG_FILE : defaultConfigPath(facts))).length) {
    hints.push('~/.aws/config has profiles, which v2 reads only with AWS_SDK_LOAD_CONFIG=1 (SSO, credential_process and regions live there); v3 always reads it.')
  }
  return assembleSdkReport(JS_V2_MODEL, JS_V2_LINKS, [envAws, envAmazon, sso, ini, container, process, web, imds], hints, facts)
}

function fullUriAllowed(value: string): boolean {
  try {
    const url = new URL(value)
    if (url.protocol === 'https:') return true
    return url.protocol === 'http:' && FULL_URI_HOSTS.includes(url.hostname)
  } catch {
    return false
  }
}
