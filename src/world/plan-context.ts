import { randomBytes } from '../servers/random.js'
import { homedir } from 'node:os'
import { ChainproofError } from '../errors.js'
import type { ServerName, Source, WorldSpec } from '../types.js'
import type { ServerWorld } from '../servers/state.js'
import type { FaultSpec, FileFault } from './faults.js'
import type { IssuedCredentials, Ledger } from '../servers/ledger.js'
export { type CredentialStream, renewing, renewsAt } from '../servers/stream.js'
import type { SandboxFile } from './sandbox.js'

/** The server state a world plan fills in, part by part. */
export type ServerParts = { -readonly [K in 'instanceProfile' | 'container' | 'sso']?: NonNullable<ServerWorld[K]> } & { parts: Record<string, unknown> }

/**
 * What a source's plan part (src/sources/<name>/plan.ts) may read and add while a world is
 * planned. Nothing is written or activated while planning: the parts fill in env, files and
 * server state, and the world writes them only when every part succeeded.
 */
export interface PlanContext {
  readonly spec: WorldSpec
  readonly accountId: string
  /** AWS_REGION of the world; null: left unset. */
  readonly region: string | null
  /** `<home>/.aws` */
  readonly awsDir: string
  readonly endpoints: Readonly<Record<ServerName, string>>
  readonly ledger: Ledger
  readonly faults: readonly FaultSpec[]
  /** The world's variables. */
  readonly env: Record<string, string>
  /** Sandbox files beyond the two shared files. */
  readonly files: SandboxFile[]
  /** Sections of ~/.aws/credentials and ~/.aws/config, in order. */
  readonly credentials: string[]
  readonly config: string[]
  /** Role session names → the source and profile they stand for (STS attributes AssumeRole* by them). */
  readonly origins: Map<string, { source: Source; profile?: string }>
  /** Every web identity token the world wrote: STS accepts only these. */
  readonly webIdentityTokens: Set<string>
  /** Server state, filled in by the parts. */
  readonly server: ServerParts
  /** Hard-coded addresses the SDK will connect to in this process, routed by the network guard to one of the world's servers. */
  readonly routes: { host: string; port: number; to: ServerName }[]
  /** How `world.env` (for child processes, which the in-process guard cannot route) differs from the in-process env: a value, or null to leave the variable out. */
  readonly childEnv: Record<string, string | null>
  /** A profile's collision-free key: its paths, role session name and sso-session derive from it, never from a flattened name. */
  keyOf(profile: string): string
  /** Issues user keys (recorded in the ledger); with `lifetimeMs`, keys that carry an expiration. */
  user(name: string, source: Source, profile?: string, lifetimeMs?: number): IssuedCredentials
  /** Issues a role session (recorded in the ledger); default lifetime one hour. */
  roleSession(role: string, sessionName: string, source: Source, profile?: string, lifetimeMs?: number): IssuedCredentials
  /** The file fault of a target that applies to this profile (undefined: the world-level one). */
  fileFault(target: FileFault['target'], profile?: string): FileFault | undefined
}

/** One ini section; refuses a header or value with a line break (it would write lines of its own). */
export function section(header: string, entries: Record<string, string | undefined>): string {
  const unsafe = [header, ...Object.values(entries)].find((text) => text !== undefined && /[\r\n]/.test(text))
  if (unsafe !== undefined) throw new ChainproofError(`refusing to write an ini line with a line break in it (${JSON.stringify(unsafe)}): validate the spec with parseWorldSpec first`)
  const lines = [`[${header}]`]
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) lines.push(`${key} = ${value}`)
  return lines.join('\n') + '\n'
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** `expiresIn` (seconds) as a lifetime in ms, or undefined for the default. */
export const lifetimeOf = (spec: { expiresIn?: number } | undefined): number | undefined => (spec?.expiresIn === undefined ? undefined : spec.expiresIn * 1000)

export function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

/** `2026-12-01T10:00:00Z`: the SDK caches' timestamp form. */
export const isoSecondsZ = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

export const randomToken = (prefix: string, bytes = 24) => prefix + randomBytes(bytes).toString('base64url')

let follows: boolean | undefined
/**
 * Whether `os.homedir()` follows `process.env.HOME` in this process. It does in Node and Vitest;
 * under Jest, `process.env` is the test environment's own copy, so a world's HOME never reaches
 * `os.homedir()` (which asks the operating system's environment). SDK code that calls
 * `os.homedir()` directly (the login provider's cache path) then needs its directory variable.
 */
export function homedirFollowsHome(): boolean {
  if (follows !== undefined) return follows
  const saved = process.env.HOME
  const marker = `/chainproof-homedir-probe-${process.pid}`
  try {
    process.env.HOME = marker
    follows = homedir() === marker
  } finally {
    if (saved === undefined) delete process.env.HOME
    else process.env.HOME = saved
  }
  return follows
}

/** AWS_EC2_METADATA_SERVICE_ENDPOINT for a loopback IMDS: its URL with the trailing "/" the AWS CLI and botocore need (every other SDK takes either form). */
export function imdsEndpointVariable(imds: string): string {
  return imds.endsWith('/') ? imds : `${imds}/`
}
