import type { ProfileSettings } from '../facts.js'
import {
  type SdkFinding,
  type SdkLink,
  type SdkModelInfo,
  type SdkReport,
  assembleSdkReport,
  removeEnvKeys,
  removeInstanceProfile,
  removeWebIdentityEnv,
} from './assemble.js'
import {
  type SdkFacts,
  configProfiles,
  credentialsProfiles,
  defaultConfigPath,
  defaultCredentialsPath,
  envProfile,
  imdsDisabledTrue,
  isSet,
  rawSections,
  shortPath,
} from './facts.js'

/**
 * The AWS SDK for PHP v3 default chain, modelled from the source of
 * `Aws\Credentials\CredentialProvider::defaultProvider` (3.2xx, with the
 * use_aws_shared_config_files option; not run: no PHP oracle here). Each provider returns a
 * rejected promise when it has nothing and `chain()` moves on with `otherwise`, so every link
 * that fails is `absent`. Its quirks, as written there: the SSO, process(config) and
 * ini(config) links look up the section `[profile default]` literally in `$HOME/.aws/config`
 * (not `[default]`, not AWS_PROFILE, not AWS_CONFIG_FILE); SSO needs the legacy sso_start_url
 * settings in that section; the container endpoint is used only with
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (FULL_URI is ignored, and IMDS is asked instead).
 */
export const PHP_V3_MODEL: SdkModelInfo = {
  sdk: 'php-v3',
  title: 'AWS SDK for PHP 3.x',
  release: 'aws/aws-sdk-php 3.2xx (CredentialProvider::defaultProvider with use_aws_shared_config_files, before sso_session and FULL_URI support)',
  modelledFrom: 'source',
  basis: 'src/Credentials/CredentialProvider.php: defaultProvider, env, assumeRoleWithWebIdentityCredentialProvider, sso, process, ini',
}

export const PHP_V3_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'env' },
  { source: 'webIdentity', name: 'web_identity' },
  { source: 'sso', name: 'sso' },
  { source: 'process', name: 'process_credentials' },
  { source: 'profile', name: 'ini' },
  { source: 'process', name: 'process_config' },
  { source: 'profile', name: 'ini_config' },
  { source: 'container', name: 'ecs' },
  { source: 'instanceProfile', name: 'instance' },
]

/** `$HOME/.aws/credentials` and config profiles merged the PHP way: a credentials section wins whole. */
function defaultProfiles(facts: SdkFacts): Record<string, ProfileSettings> {
  const profiles: Record<string, ProfileSettings> = { ...credentialsProfiles(facts, defaultCredentialsPath(facts)) }
  for (const [header, settings] of Object.entries(rawSections(facts, defaultConfigPath(facts)) ?? {})) {
    const name = header.replace('profile ', '')
    profiles[name] ??= settings
  }
  return profiles
}

function webIdentity(facts: SdkFacts): SdkFinding {
  if (isSet(facts.env.AWS_WEB_IDENTITY_TOKEN_FILE) && isSet(facts.env.AWS_ROLE_ARN)) {
    return { kind: 'available', mechanism: 'webIdentity', key: 'web:env', removal: removeWebIdentityEnv(), reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }
  }
  const { name } = envProfile(facts)
  const p = defaultProfiles(facts)[name]
  if (!p) return { kind: 'absent', reason: `AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN are not both set, and profile "${name}" is unknown` }
  if (p.web_identity_token_file !== undefined && p.role_arn !== undefined) {
    return { kind: 'available', mechanism: 'webIdentity', key: `web:${name}`, profile: name, removal: `remove web_identity_token_file and role_arn from profile "${name}"`, reason: `profile "${name}" has web_identity_token_file (role ${p.role_arn})` }
  }
  return { kind: 'absent', reason: `no web identity: AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN are not both set and profile "${name}" has no web_identity_token_file` }
}

function literalProfileDefault(facts: SdkFacts): ProfileSettings | undefined {
  return rawSections(facts, defaultConfigPath(facts))?.['profile default']
}

function sso(facts: SdkFacts): SdkFinding {
  const where = `[profile default] in ${shortPath(facts, defaultConfigPath(facts))}`
  const p = literalProfileDefault(facts)
  if (!p) return { kind: 'absent', reason: `this release looks up ${where} literally, and there is none (a [default] section or AWS_PROFILE do not count)` }
  const missing = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'].filter((k) => !isSet(p[k]))
  if (missing.length) return { kind: 'absent', reason: `${where} lacks ${missing.join(', ')} (an sso_session reference is not read by this release)` }
  if (facts.ssoTokens[p.sso_start_url!] === false) return { kind: 'absent', reason: `${where}: no valid cached SSO token for ${p.sso_start_url}` }
  return { kind: 'available', mechanism: 'sso', key: 'sso:default', profile: 'default', removal: `remove the sso_* settings from ${where}`, reason: `${where} has SSO settings (role ${p.sso_role_name})` }
}

function credentialsFilePath(facts: SdkFacts): string {
  return isSet(facts.env.AWS_SHARED_CREDENTIALS_FILE) ? facts.env.AWS_SHARED_CREDENTIALS_FILE : defaultCredentialsPath(facts)
}

function processIn(facts: SdkFacts, which: 'credentials' | 'config'): SdkFinding {
  const { name } = envProfile(facts)
  const path = which === 'credentials' ? credentialsFilePath(facts) : defaultConfigPath(facts)
  const section = which === 'credentials' ? name : 'profile default'
  const p = which === 'credentials' ? credentialsProfiles(facts, path)[name] : literalProfileDefault(facts)
  const where = `[${section}] in ${shortPath(facts, path)}`
  if (!p?.credential_process) return { kind: 'absent', reason: `no credential_process in ${where}${which === 'config' ? ' (looked up literally)' : ''}` }
  return { kind: 'available', mechanism: 'process', key: `process:${which}`, profile: which === 'credentials' ? name : 'default', removal: `remove credential_process from ${where}`, reason: `${where} has credential_process` }
}

function iniIn(facts: SdkFacts, which: 'credentials' | 'config'): SdkFinding {
  const { name } = envProfile(facts)
  const path = which === 'credentials' ? credentialsFilePath(facts) : defaultConfigPath(facts)
  const section = which === 'credentials' ? name : 'profile default'
  const sections = which === 'credentials' ? credentialsProfiles(facts, path) : (rawSections(facts, path) ?? {})
  const p = sections[section]
  const where = `[${section}] in ${shortPath(facts, path)}`
  if (!p) return { kind: 'absent', reason: `'${section}' not found in ${shortPath(facts, path)}` }
  if (p.role_arn !== undefined) {
    const source = p.source_profile
    if (!source === !p.credential_source) return { kind: 'absent', reason: `${where} has role_arn but needs exactly one of source_profile or credential_source` }
    if (source && !sections[source]) return { kind: 'absent', reason: `${where}: source_profile ${source} does not exist in the same file` }
    return { kind: 'available', mechanism: 'profile', key: `role:${which}:${section}`, profile: which === 'credentials' ? name : 'default', removal: `remove role_arn and its source from ${where}`, reason: `${where} assumes ${p.role_arn}` }
  }
  if (!isSet(p.aws_access_key_id) || !isSet(p.aws_secret_access_key)) return { kind: 'absent', reason: `no credentials present in INI profile ${where}` }
  return { kind: 'available', mechanism: 'profile', key: `static:${which}:${section}`, profile: which === 'credentials' ? name : 'default', removal: `remove aws_access_key_id and aws_secret_access_key from ${where}`, reason: `${where} has aws_access_key_id and aws_secret_access_key` }
}

function ecs(facts: SdkFacts): SdkFinding {
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) {
    return { kind: 'available', mechanism: 'container', key: 'container', removal: 'unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', reason: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set (the instance link is left out of the chain)' }
  }
  const full = isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? ': AWS_CONTAINER_CREDENTIALS_FULL_URI is set but this release ignores it, and asks IMDS instead' : ''
  return { kind: 'skipped', reason: `not in the chain: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not set${full}` }
}

function instance(facts: SdkFacts): SdkFinding {
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) return { kind: 'skipped', reason: 'not in the chain: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI puts ecs there instead' }
  if (imdsDisabledTrue(facts)) return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${facts.env.AWS_EC2_METADATA_DISABLED}: the instance profile provider rejects at once` }
  if (!facts.imds?.role) return { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role' }
  return { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}` }
}

export function modelPhpV3(facts: SdkFacts): SdkReport {
  const hints = [`Modelled from the source of ${PHP_V3_MODEL.release}, not run.`]
  if (isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY) && isSet(facts.env.AWS_PROFILE)) {
    hints.push(`AWS_PROFILE=${facts.env.AWS_PROFILE} does not make PHP skip the env keys: pass 'profile' => '${facts.env.AWS_PROFILE}' to the client (it then uses the ini provider alone), or unset the keys.`)
  }
  if (isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) && !isSet(facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) {
    hints.push('This PHP release ignores AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity style): upgrade the SDK or pass CredentialProvider::ecsCredentials() yourself.')
  }
  const configDefault = configProfiles(facts, defaultConfigPath(facts)).default
  if (configDefault && !literalProfileDefault(facts) && (configDefault.credential_process || configDefault.sso_session || configDefault.aws_access_key_id)) {
    hints.push(`This PHP release reads the config file's default profile only from a section named [profile default]: its settings under [default] in ${shortPath(facts, defaultConfigPath(facts))} are not seen.`)
  }
  return assembleSdkReport(
    PHP_V3_MODEL,
    PHP_V3_LINKS,
    [
      isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
        ? { kind: 'available', mechanism: 'env', key: 'env', removal: removeEnvKeys(facts), reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' }
        : { kind: 'absent', reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set' },
      webIdentity(facts),
      sso(facts),
      processIn(facts, 'credentials'),
      iniIn(facts, 'credentials'),
      processIn(facts, 'config'),
      iniIn(facts, 'config'),
      ecs(facts),
      instance(facts),
    ],
    hints,
    facts,
  )
}
