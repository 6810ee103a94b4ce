import type { ProfileSettings } from '../facts.js'
import {
  type Preflight,
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
  type Sections,
  configProfiles,
  containerVariable,
  credentialsProfiles,
  imdsDisabledTrue,
  iniErrorIn,
  isSet,
  mergedProfiles,
  shortPath,
  ssoSessions,
  standardPaths,
  strictReaderView,
} from './facts.js'

/**
 * botocore's default chain (`create_credential_resolver`), as read in the installed
 * python3-botocore 1.29.27 and the botocore 2.0.0dev155 vendored by awscli 2.9.19 (Debian 12),
 * and checked against both in CI (test/sdks/botocore.test.ts). Every provider returns
 * credentials or None; an exception stops the chain. assume-role, web identity and SSO return
 * deferred credentials: the method is chosen first, the STS/SSO call happens on first use.
 */
export const BOTOCORE_LINKS: readonly SdkLink[] = [
  { source: 'env', name: 'env' },
  { source: 'profile', name: 'assume-role' },
  { source: 'webIdentity', name: 'assume-role-with-web-identity' },
  { source: 'sso', name: 'sso' },
  { source: 'profile', name: 'shared-credentials-file' },
  { source: 'process', name: 'custom-process' },
  { source: 'profile', name: 'config-file' },
  { source: 'profile', name: 'ec2-credentials-file' },
  { source: 'profile', name: 'boto-config' },
  { source: 'container', name: 'container-role' },
  { source: 'instanceProfile', name: 'iam-role' },
]

export const BOTOCORE_MODEL: SdkModelInfo = {
  sdk: 'botocore',
  title: 'botocore (boto3, the AWS SDK for Python)',
  release: 'botocore 1.29.27 (Debian 12 python3-botocore)',
  modelledFrom: 'run',
  basis: 'botocore.session.Session().get_credentials() agrees on 512 generated worlds and every row of the difference table',
}

export const AWS_CLI_V2_MODEL: SdkModelInfo = {
  sdk: 'aws-cli-v2',
  title: 'AWS CLI v2',
  release: 'aws-cli 2.9.19 (Debian 12 awscli, vendored botocore 2.0.0dev155)',
  modelledFrom: 'run',
  basis: "the Type column of `aws configure list` agrees on 512 generated worlds and every row of the difference table",
}

export interface BotocoreOptions {
  /** A profile passed in code — boto3.Session(profile_name=…), `aws --profile …` — which removes the env providers. */
  profileName?: string
}

type Flavour = 'botocore' | 'aws-cli-v2'

/** The profile name botocore uses and whether it was set explicitly (an unknown explicit profile raises ProfileNotFound). */
function selectedProfile(facts: SdkFacts, flavour: Flavour, options: BotocoreOptions): { name: string; from?: string } {
  if (options.profileName) return { name: options.profileName, from: flavour === 'botocore' ? `profile_name="${options.profileName}"` : `--profile ${options.profileName}` }
  // botocore 1.29 reads AWS_DEFAULT_PROFILE before AWS_PROFILE; the CLI v2 the other way round.
  const order = flavour === 'botocore' ? ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE'] : ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']
  for (const name of order) if (facts.env[name] !== undefined) return { name: facts.env[name]!, from: `${name}=${facts.env[name]}` }
  return { name: 'default' }
}

interface Context {
  facts: SdkFacts
  flavour: Flavour
  profile: string
  explicit: boolean
  profiles: Sections
  paths: { credentials: string; config: string }
}

const sectionIn = (ctx: Context, file: 'credentials' | 'config', name = ctx.profile) =>
  file === 'credentials' ? `[${name}] in ${shortPath(ctx.facts, ctx.paths.credentials)}` : `[${name === 'default' ? 'default' : `profile ${name}`}] in ${shortPath(ctx.facts, ctx.paths.config)}`

/** Where a profile's key lives, for removal hints (the merged profile has lost that). */
function whereIs(ctx: Context, key: string, name = ctx.profile): string {
  return credentialsProfiles(ctx.facts, ctx.paths.credentials)[name]?.[key] !== undefined ? sectionIn(ctx, 'credentials', name) : sectionIn(ctx, 'config', name)
}

type Sourced = { ok: true; what: string } | { ok: false; why: string }

/** The source credentials of an assume-role profile (botocore resolves them at load, so a failure stops the chain). */
function roleSource(ctx: Context, name: string, visited: string[]): Sourced {
  const p = ctx.profiles[name]!
  const hasSource = p.source_profile !== undefined
  const hasCredentialSource = p.credential_source !== undefined
  if (hasSource && hasCredentialSource) return { ok: false, why: `InvalidConfigError: the profile "${name}" contains both source_profile and credential_source` }
  if (!hasSource && !hasCredentialSource) return { ok: false, why: 'PartialCredentialsError: role_arn needs source_profile or credential_source' }
  if (hasCredentialSource) {
    const { facts } = ctx
    switch (p.credential_source) {
      case 'Environment':
        if (!isSet(facts.env.AWS_ACCESS_KEY_ID)) return { ok: false, why: 'CredentialRetrievalError: credential_source = Environment, but AWS_ACCESS_KEY_ID is not set' }
        if (!isSet(facts.env.AWS_SECRET_ACCESS_KEY)) return { ok: false, why: 'PartialCredentialsError: credential_source = Environment, but AWS_SECRET_ACCESS_KEY is not set' }
        return { ok: true, what: 'env keys' }
      case 'Ec2InstanceMetadata':
        return facts.imds?.role && !imdsDisabledTrue(facts)
          ? { ok: true, what: `instance role ${facts.imds.role}` }
          : { ok: false, why: 'CredentialRetrievalError: credential_source = Ec2InstanceMetadata, but the instance metadata service has no role' }
      case 'EcsContainer':
        return containerVariable(facts) && facts.container !== null
          ? { ok: true, what: 'the container endpoint' }
          : { ok: false, why: 'CredentialRetrievalError: credential_source = EcsContainer, but no container endpoint serves credentials' }
      default:
        return { ok: false, why: `InvalidConfigError: the credential source "${p.credential_source}" referenced in profile "${name}" is not valid` }
    }
  }
  const sourceName = p.source_profile!
  const source = ctx.profiles[sourceName]
  if (!source) return { ok: false, why: `InvalidConfigError: the source_profile "${sourceName}" referenced in the profile "${name}" does not exist` }
  const hasStatic = source.aws_access_key_id !== undefined || source.aws_secret_access_key !== undefined
  if (visited.includes(sourceName) && !(sourceName === name && hasStatic)) return { ok: false, why: `InfiniteLoopConfigError: source_profile loop ${[...visited, sourceName].join(' → ')}` }
  if (!hasStatic && source.role_arn !== undefined && source.web_identity_token_file === undefined) {
    const inner = roleSource(ctx, sourceName, [...visited, sourceName])
    return inner.ok ? { ok: true, what: `profile "${sourceName}" (itself a role)` } : inner
  }
  // The source profile's own chain: web identity, SSO, shared credentials, process, config keys.
  const found = profileChainOf(ctx, sourceName)
  return found ? { ok: true, what: `${found} of profile "${sourceName}"` } : { ok: false, why: `InvalidConfigError: the source profile "${sourceName}" must have credentials` }
}

function profileChainOf(ctx: Context, name: string): string | undefined {
  const p = ctx.profiles[name] ?? {}
  if (p.web_identity_token_file !== undefined) return 'web_identity_token_file'
  if (p.sso_role_name !== undefined || p.sso_account_id !== undefined) return 'SSO settings'
  if (credentialsProfiles(ctx.facts, ctx.paths.credentials)[name]?.aws_access_key_id !== undefined) return 'keys'
  if (p.credential_process !== undefined) return 'credential_process'
  if (configProfiles(ctx.facts, ctx.paths.config)[name]?.aws_access_key_id !== undefined) return 'keys'
  return undefined
}

function envFinding(ctx: Context): SdkFinding {
  const { facts } = ctx
  if (ctx.explicit) return { kind: 'skipped', reason: `a profile was passed explicitly (${ctx.flavour === 'botocore' ? 'profile_name' : '--profile'}), which removes the env provider` }
  if (!isSet(facts.env.AWS_ACCESS_KEY_ID)) return { kind: 'absent', reason: 'AWS_ACCESS_KEY_ID is not set' }
  if (!isSet(facts.env.AWS_SECRET_ACCESS_KEY)) {
    return { kind: 'failed', reason: 'stops the chain: PartialCredentialsError — AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not (botocore raises instead of moving on)' }
  }
  return {
    kind: 'available',
    mechanism: 'env',
    key: 'env',
    removal: removeEnvKeys(facts),
    reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set${facts.env.AWS_PROFILE ? ` (AWS_PROFILE=${facts.env.AWS_PROFILE} does not remove them: only an explicit profile does)` : ''}`,
  }
}

function assumeRoleFinding(ctx: Context): SdkFinding {
  const p = ctx.profiles[ctx.profile]
  if (!p || p.role_arn === undefined || p.web_identity_token_file !== undefined) return { kind: 'absent', reason: `profile "${ctx.profile}" has no role_arn (without web_identity_token_file)` }
  const source = roleSource(ctx, ctx.profile, [ctx.profile])
  if (!source.ok) return { kind: 'failed', reason: `stops the chain: ${source.why}` }
  return {
    kind: 'available',
    mechanism: 'profile',
    key: `role:${ctx.profile}`,
    profile: ctx.profile,
    removal: `remove role_arn and ${p.source_profile !== undefined ? 'source_profile' : 'credential_source'} from ${whereIs(ctx, 'role_arn')}`,
    reason: `profile "${ctx.profile}" assumes ${p.role_arn} with ${source.what}`,
  }
}

function webIdentityFinding(ctx: Context): SdkFinding {
  const { facts } = ctx
  const p = ctx.profiles[ctx.profile] ?? {}
  const fromEnv = (name: string) => (ctx.explicit ? undefined : facts.env[name])
  const tokenFile = fromEnv('AWS_WEB_IDENTITY_TOKEN_FILE') ?? p.web_identity_token_file
  if (!tokenFile) return { kind: 'absent', reason: `AWS_WEB_IDENTITY_TOKEN_FILE is not set${ctx.explicit ? ' (or ignored: explicit profile)' : ''} and profile "${ctx.profile}" has no web_identity_token_file` }
  const tokenFromEnv = fromEnv('AWS_WEB_IDENTITY_TOKEN_FILE') !== undefined
  const roleArn = fromEnv('AWS_ROLE_ARN') ?? p.role_arn
  if (!roleArn) return { kind: 'failed', reason: 'stops the chain: InvalidConfigError — a web identity token file is configured but no role ARN (AWS_ROLE_ARN or role_arn)' }
  if (facts.readable[tokenFile] === false) return { kind: 'failed', reason: `stops the chain: the web identity token file ${tokenFile} cannot be read (on first use of the deferred credentials)` }
  const removal = tokenFromEnv ? removeWebIdentityEnv() : `remove web_identity_token_file and role_arn from ${whereIs(ctx, 'web_identity_token_file')}`
  const finding: SdkFinding = {
    kind: 'available',
    mechanism: 'webIdentity',
    key: tokenFromEnv ? 'web:env' : `web:${ctx.profile}`,
    removal,
    reason: tokenFromEnv ? `AWS_WEB_IDENTITY_TOKEN_FILE is set (role ${roleArn})` : `profile "${ctx.profile}" has web_identity_token_file (role ${roleArn})`,
  }
  if (!tokenFromEnv) finding.profile = ctx.profile
  return finding
}

function ssoFinding(ctx: Context): SdkFinding {
  const p = ctx.profiles[ctx.profile]
  if (!p || (p.sso_role_name === undefined && p.sso_account_id === undefined)) return { kind: 'absent', reason: `profile "${ctx.profile}" has no sso_role_name or sso_account_id` }
  let resolved: ProfileSettings = p
  const required = ['sso_role_name', 'sso_account_id', 'sso_start_url', 'sso_region']
  if (p.sso_session !== undefined) {
    const session = ssoSessions(ctx.facts, ctx.paths.config)[p.sso_session]
    if (!session) return { kind: 'failed', reason: `stops the chain: InvalidConfigError — the specified sso-session does not exist: "${p.sso_session}"` }
    resolved = { ...p, ...session }
  }
  const missing = required.filter((k) => resolved[k] === undefined)
  if (missing.length) return { kind: 'failed', reason: `stops the chain: InvalidConfigError — profile "${ctx.profile}" is configured to use SSO but is missing ${missing.join(', ')}` }
  const tokenKey = p.sso_session ?? resolved.sso_start_url!
  if (ctx.facts.ssoTokens[tokenKey] === false) return { kind: 'failed', reason: `stops the chain: profile "${ctx.profile}" uses SSO but the cached token is missing or expired (run aws sso login), on first use of the deferred credentials` }
  return {
    kind: 'available',
    mechanism: 'sso',
    key: `sso:${ctx.profile}`,
    profile: ctx.profile,
    removal: `remove the sso_session and sso_* settings from ${sectionIn(ctx, 'config')}`,
    reason: `profile "${ctx.profile}" has SSO settings (role ${resolved.sso_role_name})`,
  }
}

function staticKeysFinding(ctx: Context, file: 'credentials' | 'config'): SdkFinding {
  const sections = file === 'credentials' ? credentialsProfiles(ctx.facts, ctx.paths.credentials) : configProfiles(ctx.facts, ctx.paths.config)
  const p = sections[ctx.profile]
  const where = sectionIn(ctx, file)
  if (!p || p.aws_access_key_id === undefined) return { kind: 'absent', reason: `no aws_access_key_id in ${where}` }
  if (p.aws_secret_access_key === undefined) return { kind: 'failed', reason: `stops the chain: PartialCredentialsError — ${where} has aws_access_key_id but no aws_secret_access_key` }
  return {
    kind: 'available',
    mechanism: 'profile',
    key: `static:${file}:${ctx.profile}`,
    profile: ctx.profile,
    removal: `remove aws_access_key_id and aws_secret_access_key from ${where}`,
    reason: `${where} has aws_access_key_id and aws_secret_access_key`,
  }
}

function processFinding(ctx: Context): SdkFinding {
  const p = ctx.profiles[ctx.profile]
  if (!p || p.credential_process === undefined) return { kind: 'absent', reason: `profile "${ctx.profile}" has no credential_process` }
  return {
    kind: 'available',
    mechanism: 'process',
    key: `process:${ctx.profile}`,
    profile: ctx.profile,
    removal: `remove credential_process from ${whereIs(ctx, 'credential_process')}`,
    reason: `profile "${ctx.profile}" has credential_process`,
  }
}

function containerFinding(ctx: Context): SdkFinding {
  const { facts } = ctx
  const variable = containerVariable(facts)
  if (!variable) return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set' }
  if (variable === 'AWS_CONTAINER_CREDENTIALS_FULL_URI') {
    let host = ''
    try {
      host = new URL(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI!).hostname
    } catch {
      /* an unparsable URL has no allowed host */
    }
    if (!['169.254.170.2', 'localhost', '127.0.0.1'].includes(host)) {
      return { kind: 'failed', reason: `stops the chain: ValueError — unsupported host '${host}': only 169.254.170.2, localhost and 127.0.0.1 are allowed` }
    }
  }
  if (isSet(facts.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) && !isSet(facts.env.AWS_CONTAINER_AUTHORIZATION_TOKEN) && facts.container !== undefined) {
    return {
      kind: 'failed',
      reason: `stops the chain: ${variable} is set, but this release does not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, so it sends no Authorization header and the endpoint refuses it (after 3 attempts)`,
    }
  }
  if (facts.container === null) return { kind: 'failed', reason: `stops the chain: ${variable} is set, but the endpoint serves no credentials (CredentialRetrievalError after 3 attempts)` }
  return {
    kind: 'available',
    mechanism: 'container',
    key: 'container',
    removal: removeContainer(variable),
    reason: `${variable} is set${facts.container?.role ? `: role ${facts.container.role}` : facts.container === undefined ? ' (endpoint not probed)' : ''}`,
  }
}

function instanceProfileFinding(ctx: Context): SdkFinding {
  const { facts } = ctx
  if (imdsDisabledTrue(facts)) return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${facts.env.AWS_EC2_METADATA_DISABLED}: the fetcher is disabled and returns nothing` }
  const endpoint = facts.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
  if (ctx.flavour === 'aws-cli-v2' && isSet(endpoint) && !endpoint.endsWith('/')) {
    // The CLI's vendored botocore appends "latest/api/token" without a separator.
    return { kind: 'failed', reason: `stops the chain: InvalidIMDSEndpointError — the CLI appends "latest/api/token" to AWS_EC2_METADATA_SERVICE_ENDPOINT=${endpoint} without a "/" (add a trailing slash)` }
  }
  const variable = containerVariable(facts)
  const note = variable ? `, but ${variable} is set and the container link either wins or stops the chain first` : ''
  if (!facts.imds?.role) return { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role' }
  return { kind: 'available', mechanism: 'instanceProfile', key: 'imds', removal: removeInstanceProfile(), reason: `the instance metadata service has role ${facts.imds.role}${note}` }
}

function findingsOf(given: SdkFacts, flavour: Flavour, options: BotocoreOptions): SdkFinding[] | Preflight {
  // configparser takes `key: value` too, and refuses a file it cannot parse
  const facts = strictReaderView(given)
  const paths = standardPaths(facts)
  const unparsed = iniErrorIn(facts, [paths.config, paths.credentials])
  if (unparsed) {
    return {
      failed: `${flavour} raised ConfigParseError before trying any provider: "Unable to parse config file: ${unparsed.path}"`,
      hint: `Python's configparser refuses ${shortPath(facts, unparsed.path)} (${unparsed.why}): ${flavour === 'botocore' ? 'botocore' : 'the AWS CLI'} fails before any provider, env keys or not. Fix that line.`,
    }
  }
  const selected = selectedProfile(facts, flavour, options)
  const profiles = mergedProfiles(facts, paths.credentials, paths.config)
  if (selected.from && !profiles[selected.name]) {
    return {
      failed: `${flavour} raised ProfileNotFound before trying any provider: ${selected.from} names a profile that is in neither ${shortPath(facts, paths.credentials)} nor ${shortPath(facts, paths.config)}`,
      hint: `${selected.from} names a profile that does not exist: botocore and the CLI fail with "The config profile (${selected.name}) could not be found" even when env keys are set. Define ${selected.name === 'default' ? '[default]' : `[profile ${selected.name}]`} in ${shortPath(facts, paths.config)}, or unset it.`,
    }
  }
  const ctx: Context = { facts, flavour, profile: selected.name, explicit: options.profileName !== undefined, profiles, paths }
  return [
    envFinding(ctx),
    assumeRoleFinding(ctx),
    webIdentityFinding(ctx),
    ssoFinding(ctx),
    staticKeysFinding(ctx, 'credentials'),
    processFinding(ctx),
    staticKeysFinding(ctx, 'config'),
    isSet(facts.env.AWS_CREDENTIAL_FILE)
      ? { kind: 'absent', reason: `AWS_CREDENTIAL_FILE=${facts.env.AWS_CREDENTIAL_FILE} is set (the legacy EC2 tools file is not modelled)` }
      : { kind: 'absent', reason: 'AWS_CREDENTIAL_FILE is not set' },
    { kind: 'absent', reason: `${isSet(facts.env.BOTO_CONFIG) ? `BOTO_CONFIG=${facts.env.BOTO_CONFIG}` : '/etc/boto.cfg and ~/.boto'}: no [Credentials] section assumed (boto 2 files are not modelled)` },
    containerFinding(ctx),
    instanceProfileFinding(ctx),
  ]
}

function botocoreHints(facts: SdkFacts, flavour: Flavour, options: BotocoreOptions): string[] {
  const hints: string[] = []
  const keys = isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
  if (keys && isSet(facts.env.AWS_PROFILE) && !options.profileName) {
    const how = flavour === 'botocore' ? `boto3.Session(profile_name="${facts.env.AWS_PROFILE}")` : `aws --profile ${facts.env.AWS_PROFILE}`
    hints.push(`AWS_PROFILE=${facts.env.AWS_PROFILE} does not make ${flavour === 'botocore' ? 'boto3/botocore' : 'the AWS CLI'} skip the env keys (the JS SDK v3 does): only ${how} removes the env provider.`)
  }
  const paths = standardPaths(facts)
  const profile = selectedProfile(facts, flavour, options).name
  const p = mergedProfiles(facts, paths.credentials, paths.config)[profile]
  if (!options.profileName && isSet(facts.env.AWS_WEB_IDENTITY_TOKEN_FILE) && p?.role_arn !== undefined && p.web_identity_token_file === undefined) {
    hints.push(`botocore's assume-role link (role_arn in profile "${profile}") comes before AWS_WEB_IDENTITY_TOKEN_FILE: other SDKs use the web identity token first.`)
  }
  return hints
}

export function modelBotocore(facts: SdkFacts, options: BotocoreOptions = {}): SdkReport {
  return assembleSdkReport(BOTOCORE_MODEL, BOTOCORE_LINKS, findingsOf(facts, 'botocore', options), botocoreHints(facts, 'botocore', options), facts)
}

export function modelAwsCliV2(facts: SdkFacts, options: BotocoreOptions = {}): SdkReport {
  return assembleSdkReport(AWS_CLI_V2_MODEL, BOTOCORE_LINKS, findingsOf(facts, 'aws-cli-v2', options), botocoreHints(facts, 'aws-cli-v2', options), facts)
}

/**
 * What `aws configure list` shows in its Type column for access_key: the winning provider's
 * METHOD (the CLI resolves the chain and reads the key, so a deferred provider's STS/SSO call
 * runs), `None` when nothing resolves, or an error when the chain stops.
 */
export function configureListType(report: SdkReport): { type: string | null } | { error: string } {
  const won = report.links.find((l) => l.status === 'won')
  if (won) return { type: won.name }
  const stopped = report.links.find((l) => l.status === 'failed') ?? report.links.find((l) => l.status === 'unreached')
  if (stopped) return { error: stopped.reason }
  return { type: null }
}
