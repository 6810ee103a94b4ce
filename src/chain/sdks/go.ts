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
import { type SdkFacts, containerVariable, credentialsProfiles, envProfile, hasSso, imdsDisabledTrue, isSet, mergedProfiles, shortPath, ssoTokenValid, standardPaths, firstSet } from './facts.js'

/**
 * The AWS SDK for Go v2 (`config.LoadDefaultConfig`), modelled from the source of
 * config/resolve_credentials.go (not run: no Go oracle here). Go does not try links one by
 * one: resolveCredentialChain picks ONE provider by a decision tree — env keys, else the env
 * web identity token, else the profile (source_profile → keys → credential_source → web
 * identity → SSO → credential_process), else the container endpoint, else IMDS — and an error
 * of the chosen provider is the client's error. AWS_PROFILE does not remove the env keys: only
 * a profile set in code (config.WithSharedConfigProfile) does.
 */
export const GO_V2_MODEL: SdkModelInfo = {
  sdk: 'go-v2',
  title: 'AWS SDK for Go v2',
  release: 'github.com/aws/aws-sdk-go-v2/config v1.2x (resolveCredentialChain)',
  modelledFrom: 'source',
  basis: 'config/resolve_credentials.go: resolveCredentialChain, resolveCredsFromProfile, resolveLocalHTTPCredProvider',
}

export const GO_V2_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'EnvConfig.Credentials' },
  { source: 'webIdentity', name: 'stscreds.WebIdentityRoleProvider' },
  { source: 'profile', name: 'SharedConfig profile' },
  { source: 'container', name: 'endpointcreds.Provider' },
  { source: 'instanceProfile', name: 'ec2rolecreds.Provider' },
]


function profileChoices(facts: SdkFacts, name: string, p: ProfileSettings, where: (k: string) => string): (Removable & { key: string; what: string; broken?: string })[] {
  const choices: (Removable & { key: string; what: string; broken?: string })[] = []
  const role = p.role_arn !== undefined ? ` (then assumes ${p.role_arn})` : ''
  if (p.source_profile !== undefined && p.role_arn !== undefined) choices.push({ mechanism: 'profile', key: `role:${name}`, what: `role ${p.role_arn} via source_profile ${p.source_profile}`, removal: `remove role_arn and source_profile from ${where('role_arn')}` })
  if (isSet(p.aws_access_key_id) && isSet(p.aws_secret_access_key)) choices.push({ mechanism: 'profile', key: `static:${name}`, what: `aws_access_key_id/aws_secret_access_key${role}`, removal: `remove aws_access_key_id and aws_secret_access_key from ${where('aws_access_key_id')}` })
  if (p.credential_source !== undefined) choices.push({ mechanism: 'profile', key: `role:${name}`, what: `credential_source ${p.credential_source}${role}`, removal: `remove role_arn and credential_source from ${where('role_arn')}` })
  if (p.web_identity_token_file !== undefined) choices.push({ mechanism: 'webIdentity', key: `web:${name}`, what: `web_identity_token_file for ${p.role_arn ?? '(no role_arn)'}`, removal: `remove web_identity_token_file and role_arn from ${where('web_identity_token_file')}` })
  if (hasSso(p)) {
    choices.push({ mechanism: 'sso', key: `sso:${name}`, what: `SSO settings (role ${p.sso_role_name ?? '?'})`, removal: `remove the sso_session and sso_* settings from ${where('sso_session')}`, ...(ssoTokenValid(facts, p) ? {} : { broken: 'its SSO token is missing or expired' }) })
  }
  if (p.credential_process !== undefined) choices.push({ mechanism: 'process', key: `process:${name}`, what: `credential_process${role}`, removal: `remove credential_process from ${where('credential_process')}` })
  return choices
}

export function modelGoV2(facts: SdkFacts): SdkReport {
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
  const p = mergedProfiles(facts, paths.credentials, paths.config)[name]
  const where = (key: string) =>
    credentialsProfiles(facts, paths.credentials)[name]?.[key] !== undefined ? `[${name}] in ${shortPath(facts, paths.credentials)}` : `[${name === 'default' ? 'default' : `profile ${name}`}] in ${shortPath(facts, paths.config)}`
  const choices = p ? profileChoices(facts, name, p, where) : []
  const from = fromEnv ? 'AWS_PROFILE' : 'the default profile'
  let profile: SdkFinding
  const [first, ...rest] = choices
  if (!first) profile = { kind: 'absent', reason: p ? `profile "${name}" (${from}) has no credential settings: Go falls through to the container endpoint or IMDS` : `profile "${name}" (${from}) is not defined (Go ignores a missing profile and falls through)` }
  else if (first.broken) profile = { kind: 'failed', reason: `profile "${name}" selects ${first.what}, but ${first.broken}: Go does not fall back` }
  else profile = { kind: 'available', mechanism: first.mechanism, key: first.key, profile: name, removal: first.removal, reason: `profile "${name}" (${from}): ${first.what}`, inner: rest.map((r) => ({ mechanism: r.mechanism, removal: r.removal, profile: name })) }

  const variable = containerVariable(facts)
  const container: SdkFinding = !variable
    ? { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
    : facts.container === null
      ? { kind: 'failed', reason: `chosen because ${variable} is set, but the endpoint serves no credentials: Go never falls back to IMDS` }
      : { kind: 'available', mechanism: 'container', key: 'container', removal: removeContainer(variable), reason: `${variable} is set${facts.container?.role ? `: role ${facts.container.role}` : ''}` }

  let imds: SdkFinding
  if (imdsDisabledTrue(facts)) imds = { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${facts.env.AWS_EC2_METADATA_DISABLED}: the IMDS client refuses every call` }
  else if (!facts.imds?.role) imds = variable ? { kind: 'skipped', reason: `${variable} is set, so Go uses the container endpoint and never IMDS` } : { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role' }
  else imds = { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}${variable ? `, but ${variable} is set, so Go never asks it` : ''}` }

  const hints = [`Modelled from the source of ${GO_V2_MODEL.release}, not run: Go picks one provider up front and does not fall back when it fails.`]
  if (env.kind === 'available' && isSet(facts.env.AWS_PROFILE)) {
    hints.push(`AWS_PROFILE=${facts.env.AWS_PROFILE} does not make Go skip the env keys: only config.WithSharedConfigProfile("${facts.env.AWS_PROFILE}") in code does.`)
  }
  return assembleSdkReport(GO_V2_MODEL, GO_V2_LINKS, [env, web, profile, container, imds], hints)
}
