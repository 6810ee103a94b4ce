import type { ProfileSettings } from '../facts.js'
import {
  type Preflight,
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
import { type SdkFacts, containerVariable, credentialsProfiles, envProfile, firstSet, hasSso, imdsDisabledTrue, iniErrorIn, isSet, mergedProfiles, shortPath, sourceProfileChain, sourceProfileCycle, ssoTokenValid, standardPaths, strictReaderView } from './facts.js'

/**
 * The AWS SDK for Go v2 (`config.LoadDefaultConfig`). Go does not try links one by one:
 * resolveCredentialChain picks ONE provider by a decision tree — env keys, else the env web
 * identity token, else the profile (source_profile → keys → credential_source → web identity →
 * SSO → credential_process), else the container endpoint, else IMDS — and an error of the chosen
 * provider is the client's error. AWS_PROFILE does not remove the env keys: only a profile set in
 * code (config.WithSharedConfigProfile) does. Before any of that, loading the shared config
 * validates the selected profile (and its source profiles): one with two credential types
 * (source_profile, credential_source, credential_process, web_identity_token_file) fails
 * LoadDefaultConfig, env keys or not.
 *
 * Two releases: `go-v2` is current upstream, read from its source (not run); `go-v2@1.17` is
 * config 1.17.10 (Debian 12's golang-github-aws-aws-sdk-go-v2-dev), checked against the real SDK
 * by test/sdks/oracles.test.ts. What 1.17 does differently (GO_V2_117_DIFFERENCES):
 */
export const GO_V2_MODEL: SdkModelInfo = {
  sdk: 'go-v2',
  title: 'AWS SDK for Go v2',
  release: 'github.com/aws/aws-sdk-go-v2/config v1.2x–v1.31 (resolveCredentialChain)',
  modelledFrom: 'source',
  basis: 'config/resolve_credentials.go: resolveCredentialChain, resolveCredsFromProfile, resolveLocalHTTPCredProvider; config/shared_config.go: validateCredentialType',
}

export const GO_V2_117_MODEL: SdkModelInfo = {
  sdk: 'go-v2@1.17',
  title: 'AWS SDK for Go v2 (config 1.17)',
  release: 'github.com/aws/aws-sdk-go-v2/config 1.17.10 (Debian 12 golang-github-aws-aws-sdk-go-v2-dev)',
  modelledFrom: 'run',
  basis: 'the real config 1.17.10 LoadDefaultConfig agrees on the generated worlds, the profile mixes and the fault catalogue (test/sdks/oracles.test.ts)',
}

/** Where config 1.17 differs from current upstream, each shown by running 1.17 (test/sdks/oracles.test.ts). */
export const GO_V2_117_DIFFERENCES: readonly string[] = [
  'sso_session is ignored: a profile with sso_session and sso_account_id/sso_role_name (the session holding sso_region and sso_start_url) fails with "is configured to use SSO but is missing required configuration: sso_region, sso_start_url"; only the legacy form (sso_start_url and sso_region in the profile) resolves, its token cached under the SHA-1 of the start URL',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is not read: only AWS_CONTAINER_AUTHORIZATION_TOKEN is sent',
  'credential_source = EcsContainer needs AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: with only FULL_URI it fails ("EcsContainer was specified as the credential_source, but \'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI\' was not set")',
  'with both container variables set, AWS_CONTAINER_CREDENTIALS_FULL_URI is used (upstream prefers RELATIVE_URI)',
  'AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SSO are ignored: STS and SSO calls go to the public endpoints unless the program sets an endpoint resolver',
]

type GoRelease = 'upstream' | '1.17'

export const GO_V2_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'EnvConfig.Credentials' },
  { source: 'webIdentity', name: 'stscreds.WebIdentityRoleProvider' },
  { source: 'profile', name: 'SharedConfig profile' },
  { source: 'container', name: 'endpointcreds.Provider' },
  { source: 'instanceProfile', name: 'ec2rolecreds.Provider' },
]


/** config 1.17's hasSSOConfiguration: any sso_* setting of the profile itself (sso_session is not one it knows). */
const LEGACY_SSO_KEYS = ['sso_account_id', 'sso_region', 'sso_role_name', 'sso_start_url'] as const

function ssoChoice(facts: SdkFacts, p: ProfileSettings, release: GoRelease): { what: string; broken?: string } | undefined {
  if (release === 'upstream') {
    if (!hasSso(p)) return undefined
    return { what: `SSO settings (role ${p.sso_role_name ?? '?'})`, ...(ssoTokenValid(facts, p) ? {} : { broken: 'its SSO token is missing or expired' }) }
  }
  if (!LEGACY_SSO_KEYS.some((k) => isSet(p[k]))) return undefined
  const missing = (['sso_region', 'sso_start_url'] as const).filter((k) => !isSet(p[k]))
  if (missing.length) {
    const session = isSet(p.sso_session) ? ` (config 1.17 ignores sso_session = ${p.sso_session}, where they are)` : ''
    return { what: `SSO settings (role ${p.sso_role_name ?? '?'})`, broken: `"is configured to use SSO but is missing required configuration: ${missing.join(', ')}"${session}` }
  }
  const valid = p.sso_start_url !== undefined && facts.ssoTokens[p.sso_start_url] === true
  return { what: `legacy SSO settings (role ${p.sso_role_name ?? '?'})`, ...(valid ? {} : { broken: 'no valid SSO token is cached for its sso_start_url' }) }
}

function profileChoices(facts: SdkFacts, name: string, p: ProfileSettings, where: (k: string) => string, release: GoRelease): (Removable & { key: string; what: string; broken?: string })[] {
  const choices: (Removable & { key: string; what: string; broken?: string })[] = []
  const role = p.role_arn !== undefined ? ` (then assumes ${p.role_arn})` : ''
  if (p.source_profile !== undefined && p.role_arn !== undefined) choices.push({ mechanism: 'profile', key: `role:${name}`, what: `role ${p.role_arn} via source_profile ${p.source_profile}`, removal: `remove role_arn and source_profile from ${where('role_arn')}` })
  if (isSet(p.aws_access_key_id) && isSet(p.aws_secret_access_key)) choices.push({ mechanism: 'profile', key: `static:${name}`, what: `aws_access_key_id/aws_secret_access_key${role}`, removal: `remove aws_access_key_id and aws_secret_access_key from ${where('aws_access_key_id')}` })
  if (p.credential_source !== undefined) {
    const ecsWithoutRelative = release === '1.17' && p.credential_source === 'EcsContainer' && !isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    choices.push({
      mechanism: 'profile',
      key: `role:${name}`,
      what: `credential_source ${p.credential_source}${role}`,
      removal: `remove role_arn and credential_source from ${where('role_arn')}`,
      ...(ecsWithoutRelative ? { broken: `config 1.17 needs AWS_CONTAINER_CREDENTIALS_RELATIVE_URI for it ("EcsContainer was specified as the credential_source, but 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' was not set")` } : {}),
    })
  }
  if (p.web_identity_token_file !== undefined) choices.push({ mechanism: 'webIdentity', key: `web:${name}`, what: `web_identity_token_file for ${p.role_arn ?? '(no role_arn)'}`, removal: `remove web_identity_token_file and role_arn from ${where('web_identity_token_file')}` })
  const sso = ssoChoice(facts, p, release)
  if (sso) choices.push({ mechanism: 'sso', key: `sso:${name}`, removal: `remove the sso_session and sso_* settings from ${where('sso_session')}`, ...sso })
  if (p.credential_process !== undefined) choices.push({ mechanism: 'process', key: `process:${name}`, what: `credential_process${role}`, removal: `remove credential_process from ${where('credential_process')}` })
  return choices
}

/**
 * shared_config.go's validation while loading the selected profile and its source profiles:
 * at most one of source_profile, credential_source, credential_process and
 * web_identity_token_file, and role_arn beside the first three. A failure fails LoadDefaultConfig.
 */
function profileValidation(profiles: Readonly<Record<string, ProfileSettings>>, start: string): Preflight | undefined {
  for (const name of sourceProfileChain(profiles, start).names) {
    const p: ProfileSettings | undefined = profiles[name]
    if (!p) return undefined
    const types = (['source_profile', 'credential_source', 'credential_process', 'web_identity_token_file'] as const).filter((k) => isSet(p[k]))
    if (types.length > 1) {
      return {
        failed: `LoadDefaultConfig failed: profile "${name}" has ${types.join(' and ')}`,
        hint: `Go validates the profile while loading the shared config, before any credentials (env keys included): "only one credential type may be specified per profile: source profile, credential source, credential process, web identity token, or sso". Keep one of ${types.join(', ')} in profile "${name}".`,
      }
    }
    const needsArn = types.find((k) => k !== 'credential_process')
    if (needsArn && !isSet(p.role_arn)) return { failed: `LoadDefaultConfig failed: profile "${name}" has ${needsArn} but no role_arn`, hint: `Go refuses a profile with ${needsArn} and no role_arn while loading the shared config: add role_arn to profile "${name}".` }
  }
  return undefined
}

export function modelGoV2(given: SdkFacts, release: GoRelease = 'upstream'): SdkReport {
  const model = release === '1.17' ? GO_V2_117_MODEL : GO_V2_MODEL
  // Go's ini reader takes `key: value` too, and refuses a file it cannot parse
  const facts = strictReaderView(given)
  const id = firstSet(facts, ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY'])
  const secret = firstSet(facts, ['AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY'])
  const env: SdkFinding =
    id && secret
      ? { kind: 'available', mechanism: 'env', key: 'env', removal: removeEnvKeys(facts, [id, secret]), reason: `${id} and ${secret} are set${isSet(facts.env.AWS_PROFILE) ? ` (AWS_PROFILE=${facts.env.AWS_PROFILE} does not change that)` : ''}` }
      : { kind: 'absent', reason: 'AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) and AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) are not both set' }

  let web: SdkFinding
  const tokenFile = facts.env.AWS_WEB_IDENTITY_TOKEN_FILE
  if (!isSet(tokenFile)) web = { kind: 'absent', reason: 'AWS_WEB_IDENTITY_TOKEN_FILE is not set' }
  else if (!isSet(facts.env.AWS_ROLE_ARN)) web = { kind: 'failed', reason: 'chosen because AWS_WEB_IDENTITY_TOKEN_FILE is set, but AWS_ROLE_ARN is not: "role ARN is not set"' }
  else if (facts.readable[tokenFile] === false) web = { kind: 'failed', reason: `chosen, but the token file ${tokenFile} cannot be read (an error on first use)` }
  else web = { kind: 'available', mechanism: 'webIdentity', key: 'web:env', removal: removeWebIdentityEnv(), reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }

  const paths = standardPaths(facts)
  const { name, fromEnv } = envProfile(facts)
  const profiles = mergedProfiles(facts, paths.credentials, paths.config)
  const p = profiles[name]
  const where = (key: string) =>
    credentialsProfiles(facts, paths.credentials)[name]?.[key] !== undefined ? `[${name}] in ${shortPath(facts, paths.credentials)}` : `[${name === 'default' ? 'default' : `profile ${name}`}] in ${shortPath(facts, paths.config)}`
  const choices = p ? profileChoices(facts, name, p, where, release) : []
  const from = fromEnv ? 'AWS_PROFILE' : 'the default profile'
  let profile: SdkFinding
  const [first, ...rest] = choices
  if (!first) profile = { kind: 'absent', reason: p ? `profile "${name}" (${from}) has no credential settings: Go falls through to the container endpoint or IMDS` : `profile "${name}" (${from}) is not defined (Go ignores a missing profile and falls through)` }
  else if (first.broken) profile = { kind: 'failed', reason: `profile "${name}" selects ${first.what}, but ${first.broken}: Go does not fall back` }
  else profile = { kind: 'available', mechanism: first.mechanism, key: first.key, profile: name, removal: first.removal, reason: `profile "${name}" (${from}): ${first.what}`, inner: rest.map((r) => ({ mechanism: r.mechanism, removal: r.removal, profile: name })) }

  // upstream follows RELATIVE_URI first; 1.17 checks FULL_URI first
  const variable =
    release === '1.17' ? (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' : undefined) : containerVariable(facts)
  const tokenFileOnly = release === '1.17' && isSet(facts.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) && !isSet(facts.env.AWS_CONTAINER_AUTHORIZATION_TOKEN)
  const container: SdkFinding = !variable
    ? { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
    : facts.container === null
      ? { kind: 'failed', reason: `chosen because ${variable} is set, but the endpoint serves no credentials: Go never falls back to IMDS` }
      : tokenFileOnly
        ? { kind: 'failed', reason: `chosen because ${variable} is set, but config 1.17 does not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: it sends no Authorization header, and the endpoint refuses` }
        : { kind: 'available', mechanism: 'container', key: 'container', removal: removeContainer(variable), reason: `${variable} is set${facts.container?.role ? `: role ${facts.container.role}` : ''}` }

  let imds: SdkFinding
  if (imdsDisabledTrue(facts)) imds = { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${facts.env.AWS_EC2_METADATA_DISABLED}: the IMDS client refuses every call` }
  else if (!facts.imds?.role) imds = variable ? { kind: 'skipped', reason: `${variable} is set, so Go uses the container endpoint and never IMDS` } : { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role' }
  else imds = { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}${variable ? `, but ${variable} is set, so Go never asks it` : ''}` }

  const hints = [
    model.modelledFrom === 'source'
      ? `Modelled from the source of ${model.release}, not run: Go picks one provider up front and does not fall back when it fails.`
      : `Go (${model.release}) picks one provider up front and does not fall back when it fails.`,
  ]
  if (env.kind === 'available' && isSet(facts.env.AWS_PROFILE)) {
    hints.push(`AWS_PROFILE=${facts.env.AWS_PROFILE} does not make Go skip the env keys: only config.WithSharedConfigProfile("${facts.env.AWS_PROFILE}") in code does.`)
  }
  const unparsed = iniErrorIn(facts, [paths.config, paths.credentials])
  if (unparsed) {
    return assembleSdkReport(model, GO_V2_LINKS, { failed: `LoadDefaultConfig failed: "failed to load shared config file, ${unparsed.path}"`, hint: `Go's ini reader refuses ${shortPath(facts, unparsed.path)} (${unparsed.why}), and LoadDefaultConfig fails before any credentials are looked at: fix that line.` }, hints)
  }
  const invalid = profileValidation(profiles, name)
  if (invalid) return assembleSdkReport(model, GO_V2_LINKS, invalid, hints)
  const cycle = sourceProfileCycle(profiles, name)
  if (cycle) {
    return assembleSdkReport(model, GO_V2_LINKS, { failed: `LoadDefaultConfig failed: the source_profile chain loops (${cycle.join(' → ')})`, hint: `Go follows source_profile while loading the shared config and fails on the loop ${cycle.join(' → ')} ("failed to load assume role … of profile ${name}"), env keys or not: end the chain at a profile with keys or a credential_source.` }, hints)
  }
  return assembleSdkReport(model, GO_V2_LINKS, [env, web, profile, container, imds], hints, facts)
}
