import { existsSync } from 'node:fs'
import { type ChainFacts, type ProfileSettings, isSet } from '../chain/facts.js'
import { activeProfileOf, profileSettings } from '../chain/facts.js'
import { maskKeyId } from '../chain/mask.js'
import { PROFILE_BRANCHES } from '../sources/index.js'
import { homeOf } from '../probe/gather.js'
import { type ContainerProbe, type ImdsProbe, type RemoteProbeResult, containerEndpointOf, imdsDisabled, imdsEndpointOf } from '../probe/remote.js'

/**
 * What doctor shows of the machine besides the chain report: which variables are set (names;
 * values only of a few harmless settings), where the shared files are, the active profile and
 * its kind, and the web identity, container and IMDS settings. Never a secret.
 */


/** Variables whose values are plain settings, shown beside their names. */
const SHOWN_VALUES = new Set([
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_V1_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_SDK_LOAD_CONFIG',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_ROLE_SESSION_NAME',
])

export type ProfileKind = 'assumeRole' | 'static' | 'webIdentity' | 'process' | 'sso' | 'login'

export interface FileSummary {
  path: string
  /** Which variable chose the path: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, or HOME. */
  from: string
  exists: boolean
  profiles: string[]
}

export interface MachineSummary {
  /** Names of the AWS_* variables that are set, sorted. */
  variables: string[]
  files: { credentials: FileSummary; config: FileSummary & { ssoSessions: string[] } }
  profile: {
    name: string
    from: string
    defined: boolean
    /** What fromIni uses first, in its order (the registry's fromIni branches: role → static keys → web identity → credential_process → SSO → …). */
    kind: ProfileKind | null
    /** Every kind of credential setting the section has. */
    kinds: ProfileKind[]
    roleArn?: string
    sourceProfile?: string
    credentialSource?: string
    region?: string
  }
  webIdentity: { tokenFile: string | null; tokenFileReadable: boolean | null; roleArn: string | null; sessionName: string | null } | null
  container: {
    variable: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' | 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
    endpoint: string | null
    authorization: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE' | 'AWS_CONTAINER_AUTHORIZATION_TOKEN' | null
    probe: ContainerProbe | null
  } | null
  imds: {
    disabled: boolean
    endpoint: string
    endpointFrom: string
    v1Disabled: boolean
    probe: ImdsProbe | null
  }
}

export function kindsOf(p: ProfileSettings | undefined): ProfileKind[] {
  if (!p) return []
  // fromIni's branches from the source registry, in its order
  return PROFILE_BRANCHES.filter((branch) => branch.matches(p)).map((branch) => (branch.branch === 'role' ? 'assumeRole' : branch.branch) as ProfileKind)
}

const profileNames = (file: Readonly<Record<string, ProfileSettings>>) =>
  Object.keys(file)
    .filter((n) => !n.startsWith('sso-session.') && !n.startsWith('services.'))
    .sort()

export function summarizeMachine(facts: ChainFacts, remote?: RemoteProbeResult): MachineSummary {
  const env = facts.env
  const active = activeProfileOf(facts)
  const settings = profileSettings(facts, active.name)
  const kinds = kindsOf(settings)
  const profile: MachineSummary['profile'] = { name: active.name, from: active.from, defined: settings !== undefined, kind: kinds[0] ?? null, kinds }
  if (settings && isSet(settings.role_arn)) profile.roleArn = settings.role_arn
  if (settings && isSet(settings.source_profile)) profile.sourceProfile = settings.source_profile
  if (settings && isSet(settings.credential_source)) profile.credentialSource = settings.credential_source
  if (settings && isSet(settings.region)) profile.region = settings.region

  const tokenFile = isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE) ? env.AWS_WEB_IDENTITY_TOKEN_FILE : null
  const webIdentity =
    tokenFile || isSet(env.AWS_ROLE_ARN)
      ? {
          tokenFile,
          tokenFileReadable: tokenFile ? (facts.readable[tokenFile] ?? null) : null,
          roleArn: isSet(env.AWS_ROLE_ARN) ? env.AWS_ROLE_ARN : null,
          sessionName: isSet(env.AWS_ROLE_SESSION_NAME) ? env.AWS_ROLE_SESSION_NAME : null,
        }
      : null

  const containerVariable = isSet(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    ? ('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' as const)
    : isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
      ? ('AWS_CONTAINER_CREDENTIALS_FULL_URI' as const)
      : undefined
  let container: MachineSummary['container'] = null
  if (containerVariable) {
    const url = containerEndpointOf(env)
    if (url) {
      url.username = ''
      url.password = ''
    }
    container = {
      variable: containerVariable,
      endpoint: url?.href ?? null,
      authorization: isSet(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)
        ? 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'
        : isSet(env.AWS_CONTAINER_AUTHORIZATION_TOKEN)
          ? 'AWS_CONTAINER_AUTHORIZATION_TOKEN'
          : null,
      probe: remote?.container ?? null,
    }
  }
  const endpoint = imdsEndpointOf(env)
  const v1 = env.AWS_EC2_METADATA_V1_DISABLED
  return {
    variables: Object.keys(env)
      .filter((n) => n.startsWith('AWS_') && isSet(env[n]))
      .sort(),
    files: {
      credentials: {
        path: facts.credentialsPath,
        from: isSet(env.AWS_SHARED_CREDENTIALS_FILE) ? 'AWS_SHARED_CREDENTIALS_FILE' : 'HOME',
        exists: existsSync(facts.credentialsPath),
        profiles: profileNames(facts.credentialsFile),
      },
      config: {
        path: facts.configPath,
        from: isSet(env.AWS_CONFIG_FILE) ? 'AWS_CONFIG_FILE' : 'HOME',
        exists: existsSync(facts.configPath),
        profiles: profileNames(facts.configFile),
        ssoSessions: Object.keys(facts.configFile)
          .filter((n) => n.startsWith('sso-session.'))
          .map((n) => n.slice('sso-session.'.length))
          .sort(),
      },
    },
    profile,
    webIdentity,
    container,
    imds: {
      disabled: imdsDisabled(env),
      endpoint: endpoint.url,
      endpointFrom: endpoint.from,
      v1Disabled: isSet(v1) && v1 !== 'false',
      probe: remote?.imds ?? null,
    },
  }
}

/** `~/…` for paths under HOME, as the report's hints write them. */
export function homeRelative(path: string, env: Readonly<Record<string, string | undefined>>): string {
  const home = homeOf(env)
  return home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path
}

const KIND_WORDS: Partial<Record<ProfileKind, string>> = {
  assumeRole: 'assumes a role',
  static: 'static keys',
  webIdentity: 'web identity token file',
  process: 'credential_process',
  sso: 'SSO',
}
/** A kind in words: the ones above, else the settings its fromIni branch names. */
const kindWord = (kind: ProfileKind) => KIND_WORDS[kind] ?? PROFILE_BRANCHES.find((b) => b.branch === kind)?.settings ?? kind

/** The summary as aligned `label  value` lines for doctor's text output. */
export function machineLines(summary: MachineSummary, env: Readonly<Record<string, string | undefined>>, probed: boolean): string[] {
  const variables = summary.variables.map((name) => {
    if (name === 'AWS_ACCESS_KEY_ID') return `${name} (${maskKeyId(env[name]!)})`
    if (SHOWN_VALUES.has(name)) return `${name}=${env[name]}`
    return name
  })
  const file = (f: FileSummary, extra = '') =>
    `${homeRelative(f.path, env)}${f.from === 'HOME' ? '' : ` (from ${f.from})`} — ${f.exists ? (f.profiles.length ? `profiles: ${f.profiles.join(', ')}` : 'no profiles') : 'missing'}${extra}`
  const p = summary.profile
  const profileKind = !p.defined
    ? 'not defined in either file'
    : p.kind === null
      ? 'no credential settings'
      : [
          kindWord(p.kind) +
            (p.kind === 'assumeRole' ? ` ${p.roleArn} via ${p.sourceProfile ? `source_profile ${p.sourceProfile}` : `credential_source ${p.credentialSource}`}` : ''),
          ...p.kinds.slice(1).map((k) => `also ${kindWord(k)}`),
        ].join('; ')
  const w = summary.webIdentity
  const c = summary.container
  const i = summary.imds
  const probeText = (probe: { status: string; detail: string } | null) => (probe ? `${probe.status === 'ok' ? '' : `${probe.status}: `}${probe.detail}` : probed ? 'not asked' : 'not probed (--probe asks it)')
  const rows: [string, string][] = [
    ['variables', variables.length ? variables.join(', ') : 'no AWS_* variables are set'],
    ['credentials', file(summary.files.credentials)],
    ['config', file(summary.files.config, summary.files.config.ssoSessions.length ? `; sso-sessions: ${summary.files.config.ssoSessions.join(', ')}` : '')],
    ['profile', `${p.name} (${p.from}): ${profileKind}`],
    [
      'web identity',
      w
        ? `AWS_WEB_IDENTITY_TOKEN_FILE ${w.tokenFile ? `${homeRelative(w.tokenFile, env)}${w.tokenFileReadable === false ? ' (cannot be read)' : ''}` : 'not set'}, AWS_ROLE_ARN ${w.roleArn ?? 'not set'}`
        : 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set',
    ],
    [
      'container',
      c ? `${c.variable} → ${c.endpoint ?? '(invalid URL)'}${c.authorization ? `, token from ${c.authorization}` : ', no authorization token'} — ${probeText(c.probe)}` : 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set',
    ],
    ['IMDS', i.disabled ? `disabled by AWS_EC2_METADATA_DISABLED` : `${i.endpoint} (${i.endpointFrom})${i.v1Disabled ? ', IMDSv1 fallback disabled' : ''} — ${probeText(i.probe)}`],
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)
}
