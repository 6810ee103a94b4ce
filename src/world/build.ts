import { join } from 'node:path'
import type { ProfileSpec, ServerName, Source, WorldSpec } from '../types.js'
import type { ServerWorld } from '../servers/state.js'
import { ServerFaults } from '../servers/faults.js'
import { REGISTRY, PROFILE_BRANCHES } from '../sources/index.js'
import { ENV_RESERVED_SESSIONS } from '../sources/env/plan.js'
import { WEB_IDENTITY_SESSION } from '../sources/webIdentity/plan.js'
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './defaults.js'
import { type FileFault, faultProfile, faultsOf, isServerFault } from './faults.js'
import { type IssuedCredentials, Ledger, accountOfArn, roleArnOf, roleNameOf, userNameOf } from '../servers/ledger.js'
import { profileKeys } from './names.js'
import { type PlanContext, type ServerParts, imdsEndpointVariable, section } from './plan-context.js'
import type { SandboxFile } from './sandbox.js'

export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION }

export type Endpoints = Readonly<Record<ServerName, string>>

/** Everything a world is made of, computed from a validated spec before anything is activated. */
export interface WorldPlan {
  env: Record<string, string>
  files: SandboxFile[]
  server: Omit<ServerWorld, 'record'>
  /** The role session names the world wrote, mapped to the source and profile they stand for. */
  origins: Map<string, { source: Source; profile?: string }>
  /** Hard-coded addresses the network guard routes to the world's servers while it is active. */
  routes: { host: string; port: number; to: ServerName }[]
  /** `world.env` for child processes: `env` with these changes (null: left out). */
  childEnv: Record<string, string | null>
}

const RESERVED_SESSIONS = [...ENV_RESERVED_SESSIONS, WEB_IDENTITY_SESSION]

/**
 * The session name the world writes into a role-assuming profile, so STS can tell which profile
 * called: `chainproof-<profile>` for a short plain name, else a readable prefix plus a hash of
 * the exact name (see profileKeys). Only unique within one world's names (`others`).
 */
export function profileSessionName(profile: string, others: readonly string[] = []): string {
  return profileKeys([...new Set([profile, ...others])], RESERVED_SESSIONS).get(profile)!
}

/** A generated ini file written malformed, as an `ini` fault says; the SDK's parser drops what it cannot read. */
function malformIni(content: string, how: 'unclosedSection' | 'colonSeparator'): string {
  return how === 'unclosedSection' ? content.replace(/^(\s*\[[^\]\n]*)\]\s*$/gm, '$1') : content.replace(/^(\s*[\w.-]+)\s*=\s*/gm, '$1: ')
}

/** Each source's profile part, in fromIni's order of its branches (keys and roles, web identity, credential_process, SSO, login…). */
const PROFILE_PLANS = REGISTRY.filter((s) => s.plan?.profile)
  .map((s) => ({ plan: s.plan!.profile!, order: Math.min(...PROFILE_BRANCHES.filter((b) => b.source === s.source).map((b) => b.order), 1000) }))
  .sort((a, b) => a.order - b.order)

/**
 * Turns a validated spec into env, files and server state: the world's base (HOME, the loopback
 * endpoints, AWS_REGION), then each source's part (src/sources/<name>/plan.ts) in registry
 * order, then each profile's section from the sources' profile parts, then raw files and
 * variables. Pure but for randomness: nothing is written or activated here, so a failure
 * leaves nothing half-done.
 */
export function planWorld(spec: WorldSpec, home: string, endpoints: Endpoints, ledger: Ledger): WorldPlan {
  const accountId = spec.accountId ?? DEFAULT_ACCOUNT_ID
  const region = spec.region === undefined ? DEFAULT_REGION : spec.region
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    // with the trailing slash: the AWS CLI and botocore append "latest/api/token" to it as it is; every other SDK takes either form
    AWS_EC2_METADATA_SERVICE_ENDPOINT: imdsEndpointVariable(endpoints.imds),
    AWS_ENDPOINT_URL_STS: endpoints.sts,
    AWS_ENDPOINT_URL_SSO: endpoints.sso,
    AWS_ENDPOINT_URL: endpoints.gate,
  }
  // AWS_DEFAULT_REGION beside AWS_REGION: the AWS CLI v1 and botocore read only the former
  if (region !== null) Object.assign(env, { AWS_REGION: region, AWS_DEFAULT_REGION: region })
  const faults = faultsOf(spec)
  const accountFor = (nameOrArn: string) => accountOfArn(nameOrArn) ?? accountId
  // One key per profile for its paths, session name and sso-session: never a flattened name, which two names can share.
  const keys = profileKeys(Object.keys(spec.profiles ?? {}), [...RESERVED_SESSIONS, ...(spec.webIdentity?.sessionName ? [spec.webIdentity.sessionName] : [])])
  const ctx: PlanContext = {
    spec,
    accountId,
    region,
    awsDir: join(home, '.aws'),
    endpoints,
    ledger,
    faults,
    env,
    files: [],
    credentials: [],
    config: [],
    origins: new Map(),
    webIdentityTokens: new Set(),
    server: { parts: {} } as ServerParts,
    routes: [],
    childEnv: {},
    keyOf: (profile) => keys.get(profile) ?? profileSessionName(profile),
    user: (name, source, profile, lifetimeMs) =>
      ledger.issue({ source, profile, principal: { kind: 'user', name: userNameOf(name), accountId: accountFor(name) }, ...(lifetimeMs !== undefined ? { lifetimeMs } : {}) }),
    roleSession: (role, sessionName, source, profile, lifetimeMs) =>
      ledger.issue({
        source,
        profile,
        principal: { kind: 'role', name: roleNameOf(role), arn: roleArnOf(role, accountId), accountId: accountFor(role), sessionName },
        ...(lifetimeMs !== undefined ? { lifetimeMs } : {}),
      }),
    fileFault: (target, profile) => faults.find((f): f is FileFault => f.target === target && !isServerFault(f) && faultProfile(f as FileFault, spec) === profile),
  }
  const { files, credentials, config, origins, webIdentityTokens } = ctx

  for (const source of REGISTRY) source.plan?.world?.(ctx)
  // A combined profile is written as one section per file, like a real machine's.
  for (const [name, profile] of Object.entries(spec.profiles ?? {})) {
    const entries: Record<string, string | undefined> = { region: (profile as ProfileSpec).region }
    for (const { plan } of PROFILE_PLANS) plan(ctx, name, profile as Readonly<Record<string, unknown>>, entries)
    if (Object.values(entries).some((v) => v !== undefined)) config.push(section(name === 'default' ? 'default' : `profile ${name}`, entries))
  }

  if (spec.files?.credentials) credentials.push(spec.files.credentials.endsWith('\n') ? spec.files.credentials : spec.files.credentials + '\n')
  if (spec.files?.config) config.push(spec.files.config.endsWith('\n') ? spec.files.config : spec.files.config + '\n')
  const written = { credentials: credentials.join('\n'), config: config.join('\n') }
  for (const fault of faults) if (fault.target === 'ini') written[fault.file] = malformIni(written[fault.file], fault.how ?? 'unclosedSection')
  if (credentials.length) files.push({ path: join(ctx.awsDir, 'credentials'), content: written.credentials })
  if (config.length) files.push({ path: join(ctx.awsDir, 'config'), content: written.config })

  // raw variables last: they are the user's word (an AWS_REGION of theirs is AWS_DEFAULT_REGION too, unless they set both)
  Object.assign(env, spec.vars ?? {})
  if (spec.vars?.AWS_REGION !== undefined && spec.vars.AWS_DEFAULT_REGION === undefined) env.AWS_DEFAULT_REGION = spec.vars.AWS_REGION

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
        // the call names the mechanism: a web identity profile's role assumed with AssumeRole used other keys of that
        // profile (Go and Ruby take its static keys first), so those credentials come from the profile's keys, not the token
        if (known?.source === 'webIdentity' && via === 'AssumeRole') return { ...known, source: 'profile' }
        if (known) return known
        const profile = profileOfRole(roleArn, via)
        if (profile !== undefined) return { source: via === 'AssumeRoleWithWebIdentity' ? 'webIdentity' : 'profile', profile }
        if (via === 'AssumeRoleWithWebIdentity' && spec.webIdentity) return { source: 'webIdentity' }
        // a role_arn written in raw ini text: a profile, though we cannot tell which one
        if (rawRoleArns.has(roleArn)) return { source: via === 'AssumeRoleWithWebIdentity' ? 'webIdentity' : 'profile' }
        // nothing in the world's files assumes this role: the application's own code did (fromTemporaryCredentials, an STS client)
        return { source: 'code' }
      },
      lifetimeOf({ source, profile }) {
        const seconds =
          profile !== undefined
            ? (spec.profiles?.[profile] as { expiresIn?: number } | undefined)?.expiresIn
            : source === 'webIdentity'
              ? spec.webIdentity?.expiresIn
              : undefined
        return seconds === undefined ? undefined : seconds * 1000
      },
    },
  }
  const { parts, ...sourceParts } = ctx.server
  Object.assign(server, sourceParts)
  if (Object.keys(parts).length) (server as { parts?: ServerWorld['parts'] }).parts = parts
  if (spec.gate) (server as { gate?: ServerWorld['gate'] }).gate = { allow: spec.gate.allow, deny: spec.gate.deny ?? {} }
  const serverFaults = faults.flatMap((fault, index) => (isServerFault(fault) ? [{ index, fault }] : []))
  if (serverFaults.length) (server as { faults?: ServerWorld['faults'] }).faults = new ServerFaults(serverFaults)
  return { env, files, server, origins, routes: ctx.routes, childEnv: ctx.childEnv }
}

export type { IssuedCredentials }
