import type { ProfileSettings } from '../facts.js'
import {
  type Removable,
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
import {
  type SdkFacts,
  configProfiles,
  containerVariable,
  credentialsProfiles,
  defaultConfigPath,
  defaultCredentialsPath,
  envProfile,
  hasSso,
  hasStaticKeys,
  imdsDisabledTrue,
  isSet,
  mergedProfiles,
  rawSections,
  shortPath,
  ssoTokenValid,
  standardPaths,
  firstSet,
} from './facts.js'

/*
 * The AWS SDKs for Java, modelled from their published sources (not run: no JVM oracle here).
 * Both chains catch every provider's exception and move on to the next provider, so a link
 * that throws is reported `absent` with the error as its reason.
 */

export const JAVA_V1_MODEL: SdkModelInfo = {
  sdk: 'java-v1',
  title: 'AWS SDK for Java 1.x',
  release: 'aws-java-sdk-core 1.12.x (DefaultAWSCredentialsProviderChain)',
  modelledFrom: 'source',
  basis: 'com.amazonaws.auth.DefaultAWSCredentialsProviderChain, EnvironmentVariableCredentialsProvider, ProfilesConfigFile, EC2ContainerCredentialsProviderWrapper',
}

export const JAVA_V2_MODEL: SdkModelInfo = {
  sdk: 'java-v2',
  title: 'AWS SDK for Java 2.x',
  release: 'software.amazon.awssdk:auth 2.31.x (DefaultCredentialsProvider)',
  modelledFrom: 'source',
  basis: 'software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider and internal.ProfileCredentialsUtils',
}

export const JAVA_V1_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'EnvironmentVariableCredentialsProvider' },
  { source: 'env', name: 'SystemPropertiesCredentialsProvider' },
  { source: 'webIdentity', name: 'WebIdentityTokenCredentialsProvider' },
  { source: 'profile', name: 'ProfileCredentialsProvider' },
  { source: 'container', name: 'ContainerCredentialsProvider' },
  { source: 'instanceProfile', name: 'InstanceProfileCredentialsProvider' },
]

export const JAVA_V2_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'SystemPropertyCredentialsProvider' },
  { source: 'env', name: 'EnvironmentVariableCredentialsProvider' },
  { source: 'webIdentity', name: 'WebIdentityTokenFileCredentialsProvider' },
  { source: 'profile', name: 'ProfileCredentialsProvider' },
  { source: 'container', name: 'ContainerCredentialsProvider' },
  { source: 'instanceProfile', name: 'InstanceProfileCredentialsProvider' },
]


function systemProperties(version: 'v1' | 'v2'): SdkFinding {
  const props = version === 'v1' ? 'aws.accessKeyId/aws.secretKey' : 'aws.accessKeyId/aws.secretAccessKey'
  return { kind: 'absent', reason: `JVM system properties ${props} are not part of an environment: assumed unset (pass -D… to use them)` }
}

function envKeys(facts: SdkFacts, version: 'v1' | 'v2'): SdkFinding {
  const idNames = version === 'v1' ? ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY'] : ['AWS_ACCESS_KEY_ID']
  const secretNames = version === 'v1' ? ['AWS_SECRET_KEY', 'AWS_SECRET_ACCESS_KEY'] : ['AWS_SECRET_ACCESS_KEY']
  const id = firstSet(facts, idNames)
  const secret = firstSet(facts, secretNames)
  if (!id || !secret) {
    const missing = [id ? undefined : idNames.join(' or '), secret ? undefined : secretNames.join(' or ')].filter(Boolean)
    return { kind: 'absent', reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set (the provider throws, the chain moves on)` }
  }
  const profileNote = isSet(facts.env.AWS_PROFILE) ? ` (AWS_PROFILE=${facts.env.AWS_PROFILE} does not change that)` : ''
  return { kind: 'available', mechanism: 'env', key: 'env', removal: removeEnvKeys(facts, [id, secret]), reason: `${id} and ${secret} are set${profileNote}` }
}

function webIdentityEnv(facts: SdkFacts): SdkFinding {
  const file = facts.env.AWS_WEB_IDENTITY_TOKEN_FILE
  if (!isSet(file) || !isSet(facts.env.AWS_ROLE_ARN)) return { kind: 'absent', reason: 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set' }
  if (facts.readable[file] === false) return { kind: 'absent', reason: `AWS_WEB_IDENTITY_TOKEN_FILE=${file} cannot be read (the provider throws, the chain moves on)` }
  return { kind: 'available', mechanism: 'webIdentity', key: 'web:env', removal: removeWebIdentityEnv(), reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }
}

function containerLink(facts: SdkFacts, onFailure: 'moves on' | 'stops'): SdkFinding {
  const variable = containerVariable(facts)
  if (!variable) return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set' }
  if (facts.container === null) {
    return onFailure === 'stops'
      ? { kind: 'failed', reason: `${variable} is set, but the endpoint serves no credentials: EC2ContainerCredentialsProviderWrapper never falls back to IMDS, so the chain ends in an error` }
      : { kind: 'absent', reason: `${variable} is set, but the endpoint serves no credentials (the provider throws; the chain goes on to IMDS)` }
  }
  return { kind: 'available', mechanism: 'container', key: 'container', removal: removeContainer(variable), reason: `${variable} is set${facts.container?.role ? `: role ${facts.container.role}` : ''}` }
}

function instanceProfileLink(facts: SdkFacts, skippedWhenContainer: boolean): SdkFinding {
  if (imdsDisabledTrue(facts)) return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${facts.env.AWS_EC2_METADATA_DISABLED}: the provider refuses to call IMDS` }
  const variable = containerVariable(facts)
  if (!facts.imds?.role) {
    if (skippedWhenContainer && variable) return { kind: 'skipped', reason: `${variable} is set, so EC2ContainerCredentialsProviderWrapper uses the container endpoint instead` }
    return { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role' }
  }
  const note = skippedWhenContainer && variable ? `, but ${variable} is set, so EC2ContainerCredentialsProviderWrapper never asks it` : ''
  return { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}${note}` }
}

interface ProfileChoice {
  mechanism: Removable['mechanism']
  key: string
  what: string
  removal: string
  /** Why it would fail, when it would (the chain then moves on to the next link). */
  broken?: string
}

/** Java v2's ProfileCredentialsUtils: web identity → SSO → role → credential_process → session keys → keys. */
function javaV2Choices(facts: SdkFacts, name: string, p: ProfileSettings, where: (key: string) => string): ProfileChoice[] {
  const choices: ProfileChoice[] = []
  if (p.role_arn !== undefined && p.web_identity_token_file !== undefined) {
    choices.push({ mechanism: 'webIdentity', key: `web:${name}`, what: `web_identity_token_file for ${p.role_arn}`, removal: `remove web_identity_token_file and role_arn from ${where('web_identity_token_file')}` })
  }
  if (hasSso(p)) {
    choices.push({
      mechanism: 'sso',
      key: `sso:${name}`,
      what: `SSO settings (role ${p.sso_role_name ?? '?'})`,
      removal: `remove the sso_session and sso_* settings from ${where('sso_session')}`,
      ...(ssoTokenValid(facts, p) ? {} : { broken: 'its SSO token is missing or expired' }),
    })
  }
  if (p.role_arn !== undefined && p.web_identity_token_file === undefined) {
    choices.push({ mechanism: 'profile', key: `role:${name}`, what: `role ${p.role_arn}`, removal: `remove role_arn and its source from ${where('role_arn')}` })
  }
  if (p.credential_process !== undefined) choices.push({ mechanism: 'process', key: `process:${name}`, what: 'credential_process', removal: `remove credential_process from ${where('credential_process')}` })
  if (p.aws_access_key_id !== undefined) {
    choices.push({
      mechanism: 'profile',
      key: `static:${name}`,
      what: 'aws_access_key_id/aws_secret_access_key',
      removal: `remove aws_access_key_id and aws_secret_access_key from ${where('aws_access_key_id')}`,
      ...(hasStaticKeys(p) ? {} : { broken: 'aws_secret_access_key is missing' }),
    })
  }
  return choices
}

function profileLinkOf(facts: SdkFacts, name: string, from: string, choices: ProfileChoice[], nothing: string): SdkFinding {
  const [first, ...rest] = choices
  if (!first) return { kind: 'absent', reason: nothing }
  if (first.broken) return { kind: 'absent', reason: `profile "${name}" (${from}) selects ${first.what}, but ${first.broken} (the provider throws, the chain moves on)` }
  return {
    kind: 'available',
    mechanism: first.mechanism,
    key: first.key,
    profile: name,
    removal: first.removal,
    reason: `profile "${name}" (${from}): ${first.what}${rest.length ? ` (wins over its ${rest.map((r) => r.what).join(', ')})` : ''}`,
    inner: rest.map((r) => ({ mechanism: r.mechanism, removal: r.removal, profile: name })),
  }
}

function javaV2Profile(facts: SdkFacts): SdkFinding {
  const paths = standardPaths(facts)
  const { name, fromEnv } = envProfile(facts)
  const from = fromEnv ? 'AWS_PROFILE' : 'the default profile'
  const p = mergedProfiles(facts, paths.credentials, paths.config)[name]
  const where = (key: string) =>
    credentialsProfiles(facts, paths.credentials)[name]?.[key] !== undefined
      ? `[${name}] in ${shortPath(facts, paths.credentials)}`
      : `[${name === 'default' ? 'default' : `profile ${name}`}] in ${shortPath(facts, paths.config)}`
  return profileLinkOf(facts, name, from, p ? javaV2Choices(facts, name, p, where) : [], `profile "${name}" (${from}) is not in ${shortPath(facts, paths.credentials)} or ${shortPath(facts, paths.config)}, or has no credentials`)
}

/** Java v1 reads one file: AWS_CREDENTIAL_PROFILES_FILE, else ~/.aws/credentials, else (legacy) ~/.aws/config. */
function javaV1File(facts: SdkFacts): { path: string; sections: Record<string, ProfileSettings>; note: string } {
  const explicit = facts.env.AWS_CREDENTIAL_PROFILES_FILE
  const path = isSet(explicit) ? explicit : rawSections(facts, defaultCredentialsPath(facts)) ? defaultCredentialsPath(facts) : defaultConfigPath(facts)
  const legacy = path === defaultConfigPath(facts)
  const sections = legacy ? { ...configProfiles(facts, path) } : { ...credentialsProfiles(facts, path) }
  // BasicProfileConfigLoader drops a "profile " prefix in any file.
  for (const [header, settings] of Object.entries(sections)) if (header.startsWith('profile ')) sections[header.slice(8).trim()] ??= settings
  const ignored = isSet(facts.env.AWS_SHARED_CREDENTIALS_FILE) && !isSet(explicit) ? ' (AWS_SHARED_CREDENTIALS_FILE is ignored: Java v1 reads AWS_CREDENTIAL_PROFILES_FILE)' : ''
  return { path, sections, note: legacy ? `${shortPath(facts, path)}, as the legacy fallback because ~/.aws/credentials is missing${ignored}` : `${shortPath(facts, path)}${ignored}` }
}

function javaV1Profile(facts: SdkFacts): SdkFinding {
  const { name, fromEnv } = envProfile(facts)
  const from = fromEnv ? 'AWS_PROFILE' : 'the default profile'
  const file = javaV1File(facts)
  const p = file.sections[name]
  const where = `[${name}] in ${shortPath(facts, file.path)}`
  if (!p) return { kind: 'absent', reason: `profile "${name}" (${from}) is not in ${file.note} (the provider throws, the chain moves on)` }
  // ProfilesConfigFile.fromProfile: role_arn → credential_process → static keys; SSO settings are not read.
  const choices: ProfileChoice[] = []
  if (p.role_arn !== undefined) {
    const broken = p.web_identity_token_file === undefined && p.source_profile === undefined ? 'it has no source_profile (credential_source is not supported)' : undefined
    choices.push({
      mechanism: p.web_identity_token_file !== undefined ? 'webIdentity' : 'profile',
      key: `role:${name}`,
      what: p.web_identity_token_file !== undefined ? `web_identity_token_file for ${p.role_arn}` : `role ${p.role_arn}`,
      removal: `remove role_arn and its source from ${where}`,
      ...(broken ? { broken } : {}),
    })
  }
  if (p.credential_process !== undefined) choices.push({ mechanism: 'process', key: `process:${name}`, what: 'credential_process', removal: `remove credential_process from ${where}` })
  if (p.aws_access_key_id !== undefined || !choices.length) {
    choices.push({
      mechanism: 'profile',
      key: `static:${name}`,
      what: 'aws_access_key_id/aws_secret_access_key',
      removal: `remove aws_access_key_id and aws_secret_access_key from ${where}`,
      ...(hasStaticKeys(p) ? {} : { broken: hasSso(p) ? 'Java v1 does not read sso_* settings and the section has no keys' : 'the section has no keys' }),
    })
  }
  return profileLinkOf(facts, name, `${from}, read from ${file.note}`, choices, `profile "${name}" has no credentials`)
}

function javaHints(facts: SdkFacts, version: 'v1' | 'v2'): string[] {
  const hints = [`Modelled from the source of ${version === 'v1' ? JAVA_V1_MODEL.release : JAVA_V2_MODEL.release}, not run: JVM system properties (-Daws.accessKeyId …) are invisible in an environment and assumed unset.`]
  const keys = version === 'v1' ? firstSet(facts, ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY']) && firstSet(facts, ['AWS_SECRET_KEY', 'AWS_SECRET_ACCESS_KEY']) : isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
  if (keys && isSet(facts.env.AWS_PROFILE)) {
    const code = version === 'v1' ? `new ProfileCredentialsProvider("${facts.env.AWS_PROFILE}")` : `ProfileCredentialsProvider.create("${facts.env.AWS_PROFILE}")`
    hints.push(`AWS_PROFILE=${facts.env.AWS_PROFILE} does not make Java skip the env keys: unset them, or build the client with ${code}.`)
  }
  if (version === 'v1' && isSet(facts.env.AWS_SHARED_CREDENTIALS_FILE) && !isSet(facts.env.AWS_CREDENTIAL_PROFILES_FILE)) {
    hints.push(`Java v1 ignores AWS_SHARED_CREDENTIALS_FILE: set AWS_CREDENTIAL_PROFILES_FILE=${facts.env.AWS_SHARED_CREDENTIALS_FILE} too.`)
  }
  return hints
}

export function modelJavaV1(facts: SdkFacts): SdkReport {
  return assembleSdkReport(
    JAVA_V1_MODEL,
    JAVA_V1_LINKS,
    [envKeys(facts, 'v1'), systemProperties('v1'), webIdentityEnv(facts), javaV1Profile(facts), containerLink(facts, 'stops'), instanceProfileLink(facts, true)],
    javaHints(facts, 'v1'),
    facts,
  )
}

export function modelJavaV2(facts: SdkFacts): SdkReport {
  return assembleSdkReport(
    JAVA_V2_MODEL,
    JAVA_V2_LINKS,
    [systemProperties('v2'), envKeys(facts, 'v2'), webIdentityEnv(facts), javaV2Profile(facts), containerLink(facts, 'moves on'), instanceProfileLink(facts, false)],
    javaHints(facts, 'v2'),
    facts,
  )
}
