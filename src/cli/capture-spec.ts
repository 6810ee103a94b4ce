import { offMachineVariable } from '../world/spec.js'
import { type ChainFacts, type ProfileSettings, isSet } from '../chain/facts.js'
import { activeProfileOf, profileSettings } from '../chain/facts.js'
import type { ChainReport, ProfileSpec, Source, WorldSpec } from '../types.js'
import { REGISTRY } from '../sources/index.js'
import { isStatic } from '../sources/profile/index.js'
import { isSso } from '../sources/sso/index.js'

/**
 * Facts of a machine → a scenario that reproduces its credential set-up, with no secret: keys
 * become placeholder users, paths become the world's own, endpoints the world's mocks. What a
 * WorldSpec cannot express but the chain depends on (an SSO session without a cached token, an
 * unreadable token file, a container endpoint that serves nothing) is written as raw ini text
 * or variables that behave the same way. Pure: the caller gathers the facts.
 */

export const CAPTURED_USER = 'captured-user'
export const CAPTURED_ROLE = 'captured-role'
export const CAPTURED_CONTAINER_ROLE = 'captured-container-role'
/** A path that exists on no machine: a token file the SDK cannot read, as on the captured one. */
export const UNREADABLE_TOKEN_FILE = '/nonexistent/chainproof-captured/token'
/** A loopback port nothing listens on: a container endpoint that serves nothing, as on the captured one. */
export const DEAD_CONTAINER_URI = 'http://127.0.0.1:9/chainproof-captured'


const IAM_NAME = /^[\w+=,.@-]{1,64}$/
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
const PROFILE_NAME = /^[\w+=,.@:/-]{1,128}$/
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/
const ACCOUNT = /^\d{12}$/
const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const

/** Variables a capture never copies into `vars`: secrets, paths of this machine, endpoints, and what other fields express. */
const NOT_COPIED = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CREDENTIAL_SCOPE',
  'AWS_ACCOUNT_ID',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'AWS_LOGIN_CACHE_DIRECTORY',
])
const SECRET_LIKE = /SECRET|TOKEN|PASSWORD|PASSPHRASE|_KEY(_|$)|CREDENTIAL/

/** Whether a variable is a plain AWS_* setting a capture keeps verbatim in `vars`. */
export function isPlainSetting(name: string): boolean {
  return name.startsWith('AWS_') && !NOT_COPIED.has(name) && !name.startsWith('AWS_ENDPOINT_URL') && !SECRET_LIKE.test(name)
}

export interface CapturedScenario {
  description: string
  spec: WorldSpec
  expect: { source: Source; shadowed: Source[] } | { fails: string; shadowed: Source[] }
}


function ssoUsable(facts: ChainFacts, p: ProfileSettings): boolean {
  const session = p.sso_session ?? p.sso_start_url
  return session !== undefined && facts.ssoTokens[session] === true && isSet(p.sso_account_id) && isSet(p.sso_role_name)
}

function profileNames(facts: ChainFacts): string[] {
  const names = new Set<string>()
  for (const file of [facts.configFile, facts.credentialsFile]) {
    for (const name of Object.keys(file)) if (!name.startsWith('sso-session.') && !name.startsWith('services.')) names.add(name)
  }
  return [...names].sort()
}

function iniSection(header: string, entries: Record<string, string>): string {
  return [`[${header}]`, ...Object.entries(entries).map(([k, v]) => `${k} = ${v}`)].join('\n') + '\n'
}

/** A scenario (spec + expect) reproducing `facts`, whose static model gives `report`'s winner and shadowed list. */
export function captureScenario(facts: ChainFacts, report: ChainReport): CapturedScenario {
  const env = facts.env
  const spec: WorldSpec = {}
  const vars: Record<string, string> = {}
  const rawConfig: string[] = []
  const rawSessions: string[] = []
  const profiles: Record<string, ProfileSpec> = {}

  spec.region = isSet(env.AWS_REGION) && REGION.test(env.AWS_REGION) ? env.AWS_REGION : null
  if (isSet(env.AWS_REGION) && !REGION.test(env.AWS_REGION)) vars.AWS_REGION = env.AWS_REGION

  if (isSet(env.AWS_ACCESS_KEY_ID) && isSet(env.AWS_SECRET_ACCESS_KEY)) {
    spec.env = isSet(env.AWS_SESSION_TOKEN) ? { role: CAPTURED_ROLE } : { user: CAPTURED_USER }
  }
  if (isSet(env.AWS_PROFILE)) {
    if (PROFILE_NAME.test(env.AWS_PROFILE)) spec.profile = env.AWS_PROFILE
    else vars.AWS_PROFILE = env.AWS_PROFILE
  }

  // The shared files' profiles: structure kept, secrets replaced.
  const mentioned = new Set<string>()
  for (const name of profileNames(facts)) {
    const p = profileSettings(facts, name)!
    const header = name === 'default' ? 'default' : `profile ${name}`
    if (!PROFILE_NAME.test(name)) continue
    const profile: Record<string, unknown> = {}
    if (isSet(p.region) && REGION.test(p.region)) profile.region = p.region
    if (isStatic(p)) profile.user = CAPTURED_USER
    const raw: Record<string, string> = {}
    if (isSet(p.role_arn)) {
      const roleOk = ROLE_ARN.test(p.role_arn) || IAM_NAME.test(p.role_arn)
      const hasSource = isSet(p.source_profile)
      const hasCredentialSource = isSet(p.credential_source)
      const hasWebToken = isSet(p.web_identity_token_file)
      if (roleOk && hasSource && !hasCredentialSource && PROFILE_NAME.test(p.source_profile!)) {
        profile.role = p.role_arn
        profile.sourceProfile = p.source_profile
        mentioned.add(p.source_profile!)
      } else if (roleOk && hasCredentialSource && !hasSource && (CREDENTIAL_SOURCES as readonly string[]).includes(p.credential_source!)) {
        profile.role = p.role_arn
        profile.credentialSource = p.credential_source
      } else if (roleOk && hasWebToken && !hasSource && !hasCredentialSource && facts.readable[p.web_identity_token_file!] !== false) {
        profile.role = p.role_arn
        profile.webIdentityTokenFile = true
      } else {
        // Something a spec cannot say (both sources, an unknown credential_source, an unreadable token file): the raw settings, which fail the same way.
        raw.role_arn = p.role_arn
        if (hasSource) raw.source_profile = p.source_profile!
        if (hasCredentialSource) raw.credential_source = p.credential_source!
        if (hasWebToken) raw.web_identity_token_file = facts.readable[p.web_identity_token_file!] === false ? UNREADABLE_TOKEN_FILE : p.web_identity_token_file!
        if (hasSource) mentioned.add(p.source_profile!)
      }
    }
    if (isSet(p.credential_process)) profile.process = { user: CAPTURED_USER }
    if (isSso(p)) {
      if (ssoUsable(facts, p) && IAM_NAME.test(p.sso_role_name!)) {
        profile.sso = { role: p.sso_role_name!, ...(ACCOUNT.test(p.sso_account_id!) ? { accountId: p.sso_account_id! } : {}) }
      } else if (profile.user === undefined && profile.role === undefined && profile.process === undefined && raw.role_arn === undefined) {
        // SSO settings without a valid cached token stop the chain: a session the world has no token for does the same.
        const session = `captured-${name}`.replace(/[^\w.-]/g, '-')
        raw.sso_session = session
        if (isSet(p.sso_account_id)) raw.sso_account_id = p.sso_account_id
        if (isSet(p.sso_role_name)) raw.sso_role_name = p.sso_role_name
        rawSessions.push(iniSection(`sso-session ${session}`, { sso_start_url: `https://${session}.awsapps.invalid/start`, sso_region: 'us-east-1' }))
      }
    }
    // sources that capture themselves (src/sources/<name>: capture)
    for (const source of REGISTRY) {
      const others = ['user', 'role', 'process', 'sso'].some((k) => profile[k] !== undefined) || raw.role_arn !== undefined || raw.sso_session !== undefined
      source.capture?.(facts, p, { profile, raw, others, name })
    }
    const hasCredentials = ['user', 'role', 'process', 'sso', ...REGISTRY.filter((s) => s.capture).map((s) => s.source)].some((k) => profile[k] !== undefined)
    if (hasCredentials) profiles[name] = profile as ProfileSpec
    if (Object.keys(raw).length) rawConfig.push(iniSection(header, raw))
    else if (!hasCredentials) rawConfig.push(iniSection(header, isSet(p.region) ? { region: p.region } : {}))
  }
  // A source_profile that names a missing profile must stay missing (the spec rejects that, raw text does not).
  for (const name of mentioned) {
    if (!profiles[name] && !rawConfig.some((s) => s.startsWith(`[${name === 'default' ? 'default' : `profile ${name}`}]`))) {
      for (const [profileName, profile] of Object.entries(profiles)) {
        if ('sourceProfile' in profile && profile.sourceProfile === name) {
          const { role, sourceProfile, ...rest } = profile as { role: string; sourceProfile: string }
          if (Object.keys(rest).some((k) => k !== 'region')) profiles[profileName] = rest as ProfileSpec
          else delete profiles[profileName]
          rawConfig.push(iniSection(profileName === 'default' ? 'default' : `profile ${profileName}`, { role_arn: role, source_profile: sourceProfile }))
        }
      }
    }
  }
  if (Object.keys(profiles).length) spec.profiles = profiles

  // Web identity from the environment (IRSA).
  const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE
  const roleArn = env.AWS_ROLE_ARN
  if (isSet(tokenFile) && isSet(roleArn) && (ROLE_ARN.test(roleArn) || IAM_NAME.test(roleArn)) && facts.readable[tokenFile] !== false) {
    spec.webIdentity = { role: roleArn }
    if (isSet(env.AWS_ROLE_SESSION_NAME) && /^[\w+=,.@-]{2,64}$/.test(env.AWS_ROLE_SESSION_NAME)) spec.webIdentity.sessionName = env.AWS_ROLE_SESSION_NAME
  } else {
    if (isSet(tokenFile)) vars.AWS_WEB_IDENTITY_TOKEN_FILE = UNREADABLE_TOKEN_FILE
    if (isSet(roleArn)) vars.AWS_ROLE_ARN = roleArn
    if (isSet(env.AWS_ROLE_SESSION_NAME)) vars.AWS_ROLE_SESSION_NAME = env.AWS_ROLE_SESSION_NAME
  }

  // The container endpoint: served by the world when it served credentials here (or was not asked).
  if (isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI) || isSet(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) {
    if (facts.container === null) {
      vars.AWS_CONTAINER_CREDENTIALS_FULL_URI = DEAD_CONTAINER_URI
    } else {
      const authToken = isSet(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) ? 'file' : isSet(env.AWS_CONTAINER_AUTHORIZATION_TOKEN) ? 'header' : 'none'
      const role = facts.container?.role && IAM_NAME.test(facts.container.role) ? facts.container.role : CAPTURED_CONTAINER_ROLE
      spec.container = authToken === 'header' ? { role } : { role, authToken }
    }
  }

  // The instance profile, when IMDS was asked and has a role.
  if (facts.imds?.role && IAM_NAME.test(facts.imds.role)) spec.instanceProfile = { role: facts.imds.role }

  for (const [name, value] of Object.entries(env)) {
    // a world writes AWS_DEFAULT_REGION beside AWS_REGION itself: only a different one is the machine's own setting
    if (name === 'AWS_DEFAULT_REGION' && value === env.AWS_REGION) continue
    // what a world refuses (it would send the SDK off the machine) cannot be replayed
    if (isSet(value) && offMachineVariable(name, value) !== undefined) continue
    if (isSet(value) && isPlainSetting(name) && !(name in vars)) vars[name] = value
  }
  if (Object.keys(vars).length) spec.vars = Object.fromEntries(Object.entries(vars).sort(([a], [b]) => a.localeCompare(b)))
  rawConfig.push(...rawSessions)
  if (rawConfig.length) spec.files = { config: rawConfig.join('\n') }

  const active = activeProfileOf(facts)
  const expectation: CapturedScenario['expect'] = report.winner
    ? { source: report.winner, shadowed: [...report.shadowed] }
    : { fails: report.links.some((l) => l.status === 'failed') ? '' : 'Could not load credentials from any providers', shadowed: [...report.shadowed] }
  return {
    description: `Captured by chainproof capture: profile "${active.name}"${report.winner ? `, resolves from ${report.winner}` : ', resolves nothing'}. No secrets: user names are placeholders.`,
    spec,
    expect: expectation,
  }
}
