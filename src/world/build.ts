import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { ChainproofError } from '../errors.js'
import type { ProfileSpec, Source, WorldSpec } from '../types.js'
import type { ServerWorld } from '../servers/state.js'
import { ServerFaults } from '../servers/faults.js'
import { DEFAULT_MISSING_PROFILE, type FileFault, faultProfile, faultsOf, isServerFault, loopProfileName } from './faults.js'
import {
  type IssuedCredentials,
  Ledger,
  accountOfArn,
  newInstanceId,
  newTaskId,
  roleArnOf,
  roleNameOf,
  userNameOf,
} from './ledger.js'
import { profileKeys } from './names.js'
import type { SandboxFile } from './sandbox.js'

export const DEFAULT_ACCOUNT_ID = '123456789012'
export const DEFAULT_REGION = 'us-east-1'

export interface Endpoints {
  imds: string
  container: string
  sts: string
  sso: string
  gate: string
}

/** Everything a world is made of, computed from a validated spec before anything is activated. */
export interface WorldPlan {
  env: Record<string, string>
  files: SandboxFile[]
  server: Omit<ServerWorld, 'record'>
  /** The role session names the world wrote, mapped to the source and profile they stand for. */
  origins: Map<string, { source: Source; profile?: string }>
}

const ENV_ROLE_SESSION = 'chainproof-env'
const WEB_IDENTITY_SESSION = 'chainproof-web-identity'

/**
 * The session name the world writes into a role-assuming profile, so STS can tell which profile
 * called: `chainproof-<profile>` for a short plain name, else a readable prefix plus a hash of
 * the exact name (see profileKeys). Only unique within one world's names (`others`).
 */
export function profileSessionName(profile: string, others: readonly string[] = []): string {
  return profileKeys([...new Set([profile, ...others])], [ENV_ROLE_SESSION, WEB_IDENTITY_SESSION]).get(profile)!
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

function webIdentityToken(subject: string): string {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  return [
    encode({ alg: 'RS256', typ: 'JWT', kid: 'chainproof' }),
    encode({ iss: 'https://oidc.chainproof.invalid', sub: subject, aud: 'sts.amazonaws.com', iat: now, exp: now + 3600 }),
    randomBytes(32).toString('base64url'),
  ].join('.')
}

function section(header: string, entries: Record<string, string | undefined>): string {
  // validation refuses line breaks in names; a header or value that still had one would write lines of its own
  const unsafe = [header, ...Object.values(entries)].find((text) => text !== undefined && /[\r\n]/.test(text))
  if (unsafe !== undefined) throw new ChainproofError(`refusing to write an ini line with a line break in it (${JSON.stringify(unsafe)}): validate the spec with parseWorldSpec first`)
  const lines = [`[${header}]`]
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) lines.push(`${key} = ${value}`)
  return lines.join('\n') + '\n'
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** The credential_process script: prints Version 1 JSON, or misbehaves as a credentialProcess fault says. */
function processScript(output: Record<string, unknown>, fault: FileFault | undefined): string {
  // printf is a shell builtin: no `cat` to fork and exec, and no here-document temp file, on every run (bench/scenario-space).
  const print = (document: unknown) => `printf '%s\\n' ${shellQuote(JSON.stringify(document))}\n`
  switch (fault?.kind) {
    case 'exitNonZero':
      return `#!/bin/sh\necho 'credential helper: not logged in (chainproof fault)' >&2\nexit ${'exitCode' in fault ? (fault.exitCode ?? 1) : 1}\n`
    case 'badJson':
      // a helper that logs to stdout before its JSON: a classic way to break credential_process
      return `#!/bin/sh\necho '[info] fetching credentials from the vault'\n${print(output)}`
    case 'badVersion':
      return `#!/bin/sh\n${print({ ...output, Version: 2 })}`
    case 'expired':
      return `#!/bin/sh\n${print({ ...output, Expiration: new Date(Date.now() - 3600_000).toISOString() })}`
    default:
      return `#!/bin/sh\n${print(output)}`
  }
}

/** A generated ini file written malformed, as an `ini` fault says; the SDK's parser drops what it cannot read. */
function malformIni(content: string, how: 'unclosedSection' | 'colonSeparator'): string {
  return how === 'unclosedSection' ? content.replace(/^(\s*\[[^\]\n]*)\]\s*$/gm, '$1') : content.replace(/^(\s*[\w.-]+)\s*=\s*/gm, '$1: ')
}

/**
 * Turns a validated spec into env, files and server state. Pure but for randomness: nothing
 * is written or activated here, so a failure leaves nothing half-done.
 */
export function planWorld(spec: WorldSpec, home: string, endpoints: Endpoints, ledger: Ledger): WorldPlan {
  const accountId = spec.accountId ?? DEFAULT_ACCOUNT_ID
  const region = spec.region === undefined ? DEFAULT_REGION : spec.region
  const awsDir = join(home, '.aws')
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoints.imds,
    AWS_ENDPOINT_URL_STS: endpoints.sts,
    AWS_ENDPOINT_URL_SSO: endpoints.sso,
    AWS_ENDPOINT_URL: endpoints.gate,
  }
  if (region !== null) env.AWS_REGION = region
  const files: SandboxFile[] = []
  const origins = new Map<string, { source: Source; profile?: string }>()
  const webIdentityTokens = new Set<string>()
  const credentials: string[] = []
  const config: string[] = []
  const ssoAssignments: { accountId: string; roleName: string; profile: string }[] = []
  let ssoAccessToken: string | undefined

  const accountFor = (nameOrArn: string) => accountOfArn(nameOrArn) ?? accountId
  const faults = faultsOf(spec)
  /** The file fault of a target that applies to this profile (undefined: the env-level one). */
  const fileFault = (target: FileFault['target'], profile?: string): FileFault | undefined =>
    faults.find((f): f is FileFault => f.target === target && !isServerFault(f) && faultProfile(f as FileFault, spec) === profile)
  const user = (name: string, source: Source, profile?: string) =>
    ledger.issue({ source, profile, principal: { kind: 'user', name: userNameOf(name), accountId: accountFor(name) } })
  const roleSession = (role: string, sessionName: string, source: Source, profile?: string) =>
    ledger.issue({
      source,
      profile,
      principal: { kind: 'role', name: roleNameOf(role), arn: roleArnOf(role, accountId), accountId: accountFor(role), sessionName },
    })

  // env: static keys in the environment
  if (spec.env) {
    const issued = 'user' in spec.env ? user(spec.env.user, 'env') : roleSession(spec.env.role, ENV_ROLE_SESSION, 'env')
    env.AWS_ACCESS_KEY_ID = issued.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = issued.secretAccessKey
    if (issued.sessionToken) env.AWS_SESSION_TOKEN = issued.sessionToken
  }

  if (spec.profile !== undefined) env.AWS_PROFILE = spec.profile

  // One key per profile for its paths, session name and sso-session: never a flattened name, which two names can share.
  const keys = profileKeys(Object.keys(spec.profiles ?? {}), [ENV_ROLE_SESSION, WEB_IDENTITY_SESSION, ...(spec.webIdentity?.sessionName ? [spec.webIdentity.sessionName] : [])])

  // profiles in ~/.aws/credentials and ~/.aws/config
  for (const [name, profile] of Object.entries(spec.profiles ?? {})) {
    planProfile(name, profile)
  }

  function planProfile(name: string, profile: ProfileSpec): void {
    // A combined profile is written as one section per file, like a real machine's.
    const p = profile as ProfileSpec & Partial<{
      user: string
      in: 'credentials' | 'config'
      role: string
      sourceProfile: string
      credentialSource: string
      webIdentityTokenFile: true
      process: { user: string } | { role: string }
      sso: { role: string; accountId?: string; region?: string }
    }>
    const configHeader = name === 'default' ? 'default' : `profile ${name}`
    const sessionName = keys.get(name)!
    const entries: Record<string, string | undefined> = { region: p.region }
    if (p.user !== undefined) {
      const issued = user(p.user, 'profile', name)
      const userKeys = { aws_access_key_id: issued.accessKeyId, aws_secret_access_key: issued.secretAccessKey }
      if (p.in === 'config') Object.assign(entries, userKeys)
      else credentials.push(section(name, userKeys))
    }
    if (p.role !== undefined) {
      entries.role_arn = roleArnOf(p.role, accountId)
      if (p.webIdentityTokenFile) {
        const tokenPath = join(awsDir, 'tokens', `${sessionName}.jwt`)
        const token = webIdentityToken(`system:serviceaccount:${name}`)
        webIdentityTokens.add(token)
        writeTokenFile(tokenPath, token, fileFault('webIdentityTokenFile', name))
        origins.set(sessionName, { source: 'webIdentity', profile: name })
        entries.web_identity_token_file = tokenPath
      } else {
        origins.set(sessionName, { source: 'profile', profile: name })
        entries.source_profile = p.sourceProfile
        entries.credential_source = p.credentialSource
      }
      entries.role_session_name = sessionName
    }
    if (p.process !== undefined) {
      const issued = 'user' in p.process ? user(p.process.user, 'process', name) : roleSession(p.process.role, sessionName, 'process', name)
      const output: Record<string, unknown> = { Version: 1, AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey }
      if (issued.sessionToken) output.SessionToken = issued.sessionToken
      if (issued.expiration) output.Expiration = issued.expiration.toISOString()
      const script = join(awsDir, 'bin', `${sessionName}.sh`)
      // A real executable, run by the SDK through the shell, printing the process credential JSON.
      files.push({ path: script, executable: true, content: processScript(output, fileFault('credentialProcess', name)) })
      entries.credential_process = shellQuote(script)
    }
    if (p.sso !== undefined) {
      const sessionSection = sessionName
      // a host name takes fewer characters than a section name; the start URL need not be unique (the cache is named by the session)
      const startUrl = `https://${sessionSection.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.awsapps.invalid/start`
      // a token per sso-session, so the portal can tell two profiles with the same role and account apart
      const accessToken = 'chainproof-sso-' + randomBytes(24).toString('base64url')
      ssoAccessToken ??= accessToken
      const ssoRegion = p.sso.region ?? p.region ?? region ?? DEFAULT_REGION
      const assignment = { accountId: p.sso.accountId ?? accountFor(p.sso.role), roleName: roleNameOf(p.sso.role), profile: name, accessToken }
      ssoAssignments.push(assignment)
      entries.sso_session = sessionSection
      entries.sso_account_id = assignment.accountId
      entries.sso_role_name = assignment.roleName
      config.push(
        section(`sso-session ${sessionSection}`, {
          sso_start_url: startUrl,
          sso_region: ssoRegion,
          sso_registration_scopes: 'sso:account:access',
        }),
      )
      const cacheName = createHash('sha1').update(sessionSection).digest('hex')
      const cached: Record<string, string> = {
        startUrl,
        region: ssoRegion,
        accessToken,
        expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }
      if (fileFault('sso', name)) {
        // as `aws sso login` leaves it, an hour after both the token and its refresh expired
        Object.assign(cached, {
          expiresAt: new Date(Date.now() - 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          clientId: 'chainproof-client',
          clientSecret: 'chainproof-client-secret-' + randomBytes(12).toString('base64url'),
          refreshToken: 'chainproof-refresh-' + randomBytes(12).toString('base64url'),
          registrationExpiresAt: new Date(Date.now() + 30 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        })
        // the refresh (SSO-OIDC CreateToken) goes to the loopback SSO server, which refuses it
        env.AWS_ENDPOINT_URL_SSO_OIDC = endpoints.sso
      }
      files.push({ path: join(awsDir, 'sso', 'cache', `${cacheName}.json`), content: JSON.stringify(cached) })
    }
    if (Object.values(entries).some((v) => v !== undefined)) config.push(section(configHeader, entries))
  }

  /** A web identity token file, unless a webIdentityTokenFile fault leaves it out or empty. */
  function writeTokenFile(path: string, token: string, fault: FileFault | undefined): void {
    if (fault?.kind === 'missing') return
    files.push({ path, content: fault?.kind === 'empty' ? '' : token })
  }

  // profile faults: a source_profile loop, an AWS_PROFILE that names no profile
  for (const fault of faults) {
    if (fault.target !== 'profile') continue
    if (fault.kind === 'missing') {
      env.AWS_PROFILE = fault.name ?? DEFAULT_MISSING_PROFILE
      continue
    }
    const name = loopProfileName(fault, spec)
    const roleArn = roleArnOf('chainproof-loop', accountId)
    config.push(section(name === 'default' ? 'default' : `profile ${name}`, { role_arn: roleArn, source_profile: `${name}-source` }))
    config.push(section(`profile ${name}-source`, { role_arn: roleArn, source_profile: name }))
  }

  // env web identity (IRSA-style)
  if (spec.webIdentity) {
    const tokenPath = join(awsDir, 'web-identity-token')
    const token = webIdentityToken('system:serviceaccount:default:app')
    webIdentityTokens.add(token)
    writeTokenFile(tokenPath, token, fileFault('webIdentityTokenFile'))
    const sessionName = spec.webIdentity.sessionName ?? WEB_IDENTITY_SESSION
    origins.set(sessionName, { source: 'webIdentity' })
    env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenPath
    env.AWS_ROLE_ARN = roleArnOf(spec.webIdentity.role, accountId)
    env.AWS_ROLE_SESSION_NAME = sessionName
  }

  // container credentials endpoint
  let container: ServerWorld['container']
  if (spec.container) {
    const taskId = newTaskId()
    const path = `/v2/credentials/${taskId}`
    const mode = spec.container.authToken ?? 'header'
    const authToken = mode === 'none' ? undefined : 'chainproof-' + randomBytes(24).toString('base64url')
    const role = spec.container.role
    container = { path, credentials: lazy(() => roleSession(role, taskId, 'container')) }
    if (authToken) container.authToken = authToken
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoints.container + path
    if (mode === 'header' && authToken) env.AWS_CONTAINER_AUTHORIZATION_TOKEN = authToken
    if (mode === 'file' && authToken) {
      const tokenPath = join(awsDir, 'container-authorization-token')
      files.push({ path: tokenPath, content: authToken })
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenPath
    }
  }

  // EC2 instance profile
  let instanceProfile: ServerWorld['instanceProfile']
  if (spec.instanceProfile) {
    const instanceId = newInstanceId()
    const role = spec.instanceProfile.role
    instanceProfile = {
      roleName: roleNameOf(role),
      instanceId,
      imdsV1Only: spec.instanceProfile.imdsV1Only ?? false,
      imdsV2Only: spec.instanceProfile.imdsV2Only ?? false,
      ...(spec.instanceProfile.region !== undefined ? { region: spec.instanceProfile.region } : {}),
      credentials: lazy(() => roleSession(role, instanceId, 'instanceProfile')),
    }
  }

  if (spec.files?.credentials) credentials.push(spec.files.credentials.endsWith('\n') ? spec.files.credentials : spec.files.credentials + '\n')
  if (spec.files?.config) config.push(spec.files.config.endsWith('\n') ? spec.files.config : spec.files.config + '\n')
  const written = { credentials: credentials.join('\n'), config: config.join('\n') }
  for (const fault of faults) if (fault.target === 'ini') written[fault.file] = malformIni(written[fault.file], fault.how ?? 'unclosedSection')
  if (credentials.length) files.push({ path: join(awsDir, 'credentials'), content: written.credentials })
  if (config.length) files.push({ path: join(awsDir, 'config'), content: written.config })

  // raw variables last: they are the user's word
  Object.assign(env, spec.vars ?? {})

  const rawRoleArns = new Set(
    [spec.files?.config ?? '', spec.files?.credentials ?? ''].flatMap((text) => [...text.matchAll(/^\s*role_arn\s*=\s*(\S+)\s*$/gm)].map((m) => m[1]!)),
  )
  const profileOfRole = (roleArn: string, kind: 'AssumeRole' | 'AssumeRoleWithWebIdentity') => {
    for (const [name, profile] of Object.entries(spec.profiles ?? {})) {
      if (!('role' in profile) || profile.role === undefined || roleArnOf(profile.role, accountId) !== roleArn) continue
      const isWeb = 'webIdentityTokenFile' in profile && profile.webIdentityTokenFile === true
      if (isWeb === (kind === 'AssumeRoleWithWebIdentity')) return name
    }
    return undefined
  }

  const server: Omit<ServerWorld, 'record'> = {
    accountId,
    region: region ?? DEFAULT_REGION,
    ledger,
    sts: {
      webIdentityTokens,
      originOfSession(sessionName, roleArn, via) {
        const known = origins.get(sessionName)
        if (known) return known
        const profile = profileOfRole(roleArn, via)
        if (profile !== undefined) return { source: via === 'AssumeRoleWithWebIdentity' ? 'webIdentity' : 'profile', profile }
        if (via === 'AssumeRoleWithWebIdentity' && spec.webIdentity) return { source: 'webIdentity' }
        // a role_arn written in raw ini text: a profile, though we cannot tell which one
        if (rawRoleArns.has(roleArn)) return { source: via === 'AssumeRoleWithWebIdentity' ? 'webIdentity' : 'profile' }
        // nothing in the world's files assumes this role: the application's own code did (fromTemporaryCredentials, an STS client)
        return { source: 'code' }
      },
    },
  }
  if (instanceProfile) (server as { instanceProfile?: ServerWorld['instanceProfile'] }).instanceProfile = instanceProfile
  if (container) (server as { container?: ServerWorld['container'] }).container = container
  if (spec.gate) (server as { gate?: ServerWorld['gate'] }).gate = { allow: spec.gate.allow, deny: spec.gate.deny ?? {} }
  if (ssoAccessToken) (server as { sso?: ServerWorld['sso'] }).sso = { accessToken: ssoAccessToken, assignments: ssoAssignments }
  const serverFaults = faults.flatMap((fault, index) => (isServerFault(fault) ? [{ index, fault }] : []))
  if (serverFaults.length) (server as { faults?: ServerWorld['faults'] }).faults = new ServerFaults(serverFaults)
  return { env, files, server, origins }
}

export type { IssuedCredentials }
