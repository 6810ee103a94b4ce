import type { ProfileSettings } from '../facts.js'
import { type SdkFinding, type SdkLink, type SdkModelInfo, type SdkReport, assembleSdkReport, removeEnvKeys, removeInstanceProfile, removeWebIdentityEnv } from './assemble.js'
import { type SdkFacts, configProfiles, credentialsProfiles, hasSso, hasStaticKeys, isSet, mergedProfiles, shortPath, sourceProfileCycle, ssoTokenValid, standardPaths } from './facts.js'

/**
 * The AWS SDK for Ruby v3 (aws-sdk-core 3.168.1, Debian 12's ruby-aws-sdk-core),
 * `Aws::CredentialProviderChain`, checked against the real SDK by test/sdks/oracles.test.ts
 * inside a loopback-only network namespace. What sets it apart:
 *   - the order: env keys (AWS_, AMAZON_, AWS_ACCESS_KEY), web identity from the environment (or
 *     the profile's), SSO, a role profile, static keys, credential_process, then IMDS — SSO wins
 *     over static keys in the same profile, and AWS_PROFILE never skips the env keys;
 *   - the container endpoint only through AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: this release
 *     ignores AWS_CONTAINER_CREDENTIALS_FULL_URI and asks IMDS instead;
 *   - IMDS off only for AWS_EC2_METADATA_DISABLED=true (case-insensitive);
 *   - it ignores AWS_ENDPOINT_URL_STS / _SSO, and connects to IMDS on port 80 whatever
 *     AWS_EC2_METADATA_SERVICE_ENDPOINT says (the oracle points its clients at the world).
 */
export const RUBY_V3_MODEL: SdkModelInfo = {
  sdk: 'ruby-v3',
  title: 'AWS SDK for Ruby v3',
  release: 'aws-sdk-core 3.168.1 (Debian 12 ruby-aws-sdk-core, Aws::CredentialProviderChain)',
  modelledFrom: 'run',
  basis: 'the real aws-sdk-core 3.168.1 default chain agrees on the generated worlds and the fault catalogue, with and without AWS_SDK_CONFIG_OPT_OUT (test/sdks/oracles.test.ts)',
}

export const RUBY_V3_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'env_credentials' },
  { source: 'webIdentity', name: 'assume_role_web_identity_credentials' },
  { source: 'sso', name: 'sso_credentials' },
  { source: 'profile', name: 'assume_role_credentials' },
  { source: 'profile', name: 'shared_credentials' },
  { source: 'process', name: 'process_credentials' },
  { source: 'instanceProfile', name: 'instance_profile_credentials' },
]

/** Ruby's `envar`: the first of these variables that is PRESENT (an empty one still wins, and is not set). */
const envar = (facts: SdkFacts, names: string[]) => names.find((n) => facts.env[n] !== undefined)

export function modelRubyV3(facts: SdkFacts): SdkReport {
  const name = [facts.env.AWS_PROFILE, facts.env.AWS_DEFAULT_PROFILE].find(isSet) ?? 'default'
  const paths = standardPaths(facts)
  const fromCredentials = credentialsProfiles(facts, paths.credentials)[name]
  const fromConfig = configOptOut(facts) ? undefined : configProfiles(facts, paths.config)[name]
  const section = (file: 'credentials' | 'config') => (file === 'credentials' ? `[${name}] in ${shortPath(facts, paths.credentials)}` : `[${name === 'default' ? 'default' : `profile ${name}`}] in ${shortPath(facts, paths.config)}`)
  const none = (reason: string): SdkFinding => ({ kind: 'absent', reason })

  const keyVar = envar(facts, ['AWS_ACCESS_KEY_ID', 'AMAZON_ACCESS_KEY_ID', 'AWS_ACCESS_KEY'])
  const secretVar = envar(facts, ['AWS_SECRET_ACCESS_KEY', 'AMAZON_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY'])
  const env: SdkFinding =
    keyVar && secretVar && isSet(facts.env[keyVar]) && isSet(facts.env[secretVar])
      ? { kind: 'available', mechanism: 'env', key: 'env', removal: removeEnvKeys(facts, [keyVar, secretVar]), reason: `${keyVar} and ${secretVar} are set${isSet(facts.env.AWS_PROFILE) ? ` (AWS_PROFILE=${facts.env.AWS_PROFILE} does not change that in Ruby)` : ''}` }
      : none('no env key pair is set (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AMAZON_…, AWS_ACCESS_KEY/AWS_SECRET_KEY; the first one present counts, even empty)')

  let web: SdkFinding
  if (facts.env.AWS_ROLE_ARN !== undefined && facts.env.AWS_WEB_IDENTITY_TOKEN_FILE !== undefined && facts.readable[facts.env.AWS_WEB_IDENTITY_TOKEN_FILE] === false) {
    web = { kind: 'failed', reason: `AWS_WEB_IDENTITY_TOKEN_FILE names ${facts.env.AWS_WEB_IDENTITY_TOKEN_FILE}, which cannot be read: MissingWebIdentityTokenFile stops the chain` }
  } else if (facts.env.AWS_ROLE_ARN !== undefined && facts.env.AWS_WEB_IDENTITY_TOKEN_FILE !== undefined) {
    web = { kind: 'available', mechanism: 'webIdentity', key: 'web:env', removal: removeWebIdentityEnv(), reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }
  } else if (fromConfig && isSet(fromConfig.web_identity_token_file) && isSet(fromConfig.role_arn)) {
    web = { kind: 'available', mechanism: 'webIdentity', key: `web:${name}`, profile: name, removal: `remove web_identity_token_file and role_arn from ${section('config')}`, reason: `profile "${name}" has web_identity_token_file` }
  } else web = none('AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set, and the profile has no web_identity_token_file')

  let sso: SdkFinding
  if (!fromConfig || !hasSso(fromConfig)) sso = none(`profile "${name}" has no SSO settings in ${shortPath(facts, paths.config)}`)
  else if (!ssoTokenValid(facts, fromConfig)) sso = { kind: 'failed', reason: `profile "${name}" has SSO settings but no valid cached token: SSOCredentials raises, and the chain stops` }
  else sso = { kind: 'available', mechanism: 'sso', key: `sso:${name}`, profile: name, removal: `remove the sso_session and sso_* settings from ${section('config')}`, reason: `profile "${name}" has SSO settings and a cached token (role ${fromConfig.sso_role_name})` }

  const roleIn = (p: ProfileSettings | undefined) => p && isSet(p.role_arn) && (isSet(p.source_profile) || isSet(p.credential_source))
  const readable = configOptOut(facts) ? credentialsProfiles(facts, paths.credentials) : mergedProfiles(facts, paths.credentials, paths.config)
  const cycle = roleIn(fromCredentials) || roleIn(fromConfig) ? sourceProfileCycle(readable, name) : undefined
  const role: SdkFinding = cycle
    ? { kind: 'failed', reason: `profile "${name}" assumes a role through a source_profile loop (${cycle.join(' → ')}): SourceProfileCircularReferenceError stops the chain` }
    : roleIn(fromCredentials) || roleIn(fromConfig)
      ? { kind: 'available', mechanism: 'profile', key: `role:${name}`, profile: name, removal: `remove role_arn from ${roleIn(fromCredentials) ? section('credentials') : section('config')}`, reason: `profile "${name}" assumes a role` }
      : none(`profile "${name}" assumes no role`)

  const keysIn = hasStaticKeys(fromCredentials) ? 'credentials' : hasStaticKeys(fromConfig) ? 'config' : undefined
  const shared: SdkFinding = keysIn
    ? { kind: 'available', mechanism: 'profile', key: `static:${name}`, profile: name, removal: `remove aws_access_key_id and aws_secret_access_key from ${section(keysIn)}`, reason: `profile "${name}" has static keys` }
    : none(`profile "${name}" has no static keys`)

  const processIn = fromConfig && isSet(fromConfig.credential_process) ? fromConfig : fromCredentials && isSet(fromCredentials.credential_process) ? fromCredentials : undefined
  const process: SdkFinding = processIn
    ? { kind: 'available', mechanism: 'process', key: `process:${name}`, profile: name, removal: `remove credential_process from ${processIn === fromConfig ? section('config') : section('credentials')}`, reason: `profile "${name}" has credential_process` }
    : none(`profile "${name}" has no credential_process`)

  let imds: SdkFinding
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) {
    imds = facts.container === null ? none('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set, but the endpoint serves nothing') : { kind: 'available', mechanism: 'container', key: 'container', removal: 'unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', reason: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set: ECSCredentials' }
  } else if ((facts.env.AWS_EC2_METADATA_DISABLED ?? '').toLowerCase() === 'true') imds = { kind: 'skipped', reason: 'AWS_EC2_METADATA_DISABLED=true' }
  else if (!facts.imds?.role) imds = none(`the instance metadata service has no IAM role${isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? ' (and this release ignores AWS_CONTAINER_CREDENTIALS_FULL_URI: only RELATIVE_URI reaches the container endpoint)' : ''}`)
  else imds = { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}${isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? ' (AWS_CONTAINER_CREDENTIALS_FULL_URI is ignored by this release)' : ''}` }

  const hints: string[] = []
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) && !isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) {
    hints.push('aws-sdk-core 3.168 ignores AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity, custom endpoints): it reaches the container endpoint only through AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.')
  }
  return assembleSdkReport(RUBY_V3_MODEL, RUBY_V3_LINKS, [env, web, sso, role, shared, process, imds], hints, facts)
}

/** AWS_SDK_CONFIG_OPT_OUT: Ruby then reads only ~/.aws/credentials. */
function configOptOut(facts: SdkFacts): boolean {
  return facts.env.AWS_SDK_CONFIG_OPT_OUT !== undefined
}
