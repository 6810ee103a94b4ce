import { readFileSync, statSync } from 'node:fs'
import type { Identity, Source } from '../types.js'
import type { ChainFacts } from '../chain/facts.js'
import { maskKeyId } from '../chain/mask.js'
import type { FiredFault } from '../servers/state.js'
import { describeFault } from '../world/faults.js'
import { MISSING_STAMP, fileStamp } from '../world/sandbox.js'
import { stampsOf } from './stamps.js'
import type { Credentials } from './sdk.js'

/** What the report knows of the environment it probes. */
export interface ProbeContext {
  env: Readonly<Record<string, string | undefined>>
  /** The client's own `profile` option (init.profile), used before AWS_PROFILE. */
  clientProfile?: string
  identify(accessKeyId: string): Identity | undefined
  /** Removes anything secret-looking from a message before it is shown. */
  scrub(message: string): string
  /** The faults of the world that answered requests so far (none outside a world). */
  fired?(): readonly FiredFault[]
  /**
   * What the report may take as known instead of asking again (a world without faults only):
   * the credentials the resolution being explained got from one link of this very chain.
   */
  known?: KnownOutcomes
}

/** What a report knows without running a link again. */
export interface KnownOutcomes {
  /** The link whose SDK provider produced the resolution's credentials (its `$source` codes and the ledger say so), and those credentials. */
  resolved?: { source: Source; credentials: Credentials }
  /** The world's IMDS endpoint, when it serves no role (no instanceProfile) and no fault can change that: its role listing answers 404. */
  imdsWithoutRole?: string
  /** Link probes may run at once: no fault of the world counts requests, so no outcome depends on the order. */
  concurrent?: boolean
  /**
   * The shared files are the ones the world wrote, unchanged since: what the SDK read of them (it
   * keeps its first read of a path) is what the facts hold, so a profile the facts lack is one
   * the SDK's providers cannot find either.
   */
  filesAsWritten?: boolean
}

/**
 * The credentials a link's SDK provider gives: the ones the resolution being explained already
 * got from this link (asking again would return the same ones, at the cost of the round trips or
 * process spawn), else the provider's own answer.
 */
export function linkCredentials(ctx: ProbeContext, source: Source, ask: () => Promise<Credentials>): Promise<Credentials> {
  const resolved = ctx.known?.resolved
  return resolved !== undefined && resolved.source === source ? Promise.resolve(resolved.credentials) : ask()
}

export type LinkOutcome =
  | {
      kind: 'available'
      credentials: Credentials
      reason: string
      /** The mechanism that produced them, when the link knows better than the ledger (keys the world never issued). */
      mechanism?: Source
      /** The profile that produced them, when the link knows better than the ledger. */
      profile?: string
      /** Other credential settings of the same profile that lose to what this link resolved. */
      inner?: { mechanism: Source; reason: string }[]
    }
  | { kind: 'absent' | 'skipped'; reason: string }
  | { kind: 'failed'; reason: string }




export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A path as the user knows it: under HOME as `~/…`. */
export function shownPath(path: string, ctx: ProbeContext): string {
  const home = ctx.env.HOME || ctx.env.USERPROFILE
  return home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path
}

/**
 * An error in words: a service's error by its code (`AccessDenied: User: … is not authorized …`),
 * a missing file by its path, anything else by the first line of its message.
 */
export function describeError(error: unknown, ctx: ProbeContext): string {
  const e = error as { name?: string; code?: string; path?: string; $metadata?: unknown } | undefined
  const home = ctx.env.HOME || ctx.env.USERPROFILE
  let message = ctx.scrub(errorMessage(error).split('\n')[0]!.trim())
  if (home) message = message.split(home + '/').join('~/')
  if (e?.code === 'ENOENT' && typeof e.path === 'string') return `${shownPath(e.path, ctx)} does not exist (ENOENT)`
  if (e?.$metadata !== undefined && e.name && !message.startsWith(e.name)) return `${e.name}: ${message}`
  return message
}

export const tryNextLink = (error: unknown) => (error as { tryNextLink?: boolean } | undefined)?.tryNextLink === true

/** A provider error: the chain goes on when tryNextLink is true, stops otherwise. */
export function fromError(error: unknown, ctx: ProbeContext, absentReason?: string): LinkOutcome {
  return tryNextLink(error) ? { kind: 'absent', reason: absentReason ?? describeError(error, ctx) } : { kind: 'failed', reason: `stops the chain: ${describeError(error, ctx)}` }
}

/** A credential_process that ran and failed (exit code, JSON, Version, expiry): the SDK moves on to the next link. */
export function processFailure(error: unknown, ctx: ProbeContext, profile: string): string | undefined {
  const message = describeError(error, ctx)
  if (!/credential_process (returned|did not return)|^Command failed/.test(message)) return undefined
  return `profile "${profile}" has credential_process, but it failed (${message}); the SDK treats that as no credentials and moves on to the next link`
}

/** The last answers of iniProblems, by path and stamp: a report asks of the same unchanged files again and again. */
const problemsSeen = new Map<string, { stamp: string; problems: string[] }>()

/** Lines of a shared file that the SDK's ini parser silently drops, named by line and key (never a value). */
export function iniProblems(path: string, stamp: string = fileStamp(path)): string[] {
  // a file that is not there has no lines to drop (its stamp says so: no read, no ENOENT thrown)
  if (stamp === MISSING_STAMP) return []
  const seen = problemsSeen.get(path)
  if (seen?.stamp === stamp) return [...seen.problems]
  const problems = readIniProblems(path)
  if (problemsSeen.size > 64) problemsSeen.clear()
  problemsSeen.set(path, { stamp, problems })
  return [...problems]
}

function readIniProblems(path: string): string[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  const problems: string[] = []
  let inSection = false
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.split(/(^|\s)[;#]/)[0]!.trim()
    if (!line) return
    if (line.startsWith('[')) {
      inSection = line.endsWith(']')
      if (!inSection) problems.push(`line ${i + 1} "${line}" has no closing "]"`)
      return
    }
    // the key is named only when it looks like one: a stray value on its own line may be a secret
    const key = /^([A-Za-z_][\w.-]{0,63})\s*[=:\s]/.exec(line)?.[1]
    const which = key ? `line ${i + 1} (${key})` : `line ${i + 1}`
    if (!inSection) problems.push(`${which} is outside any [section]`)
    else if (line.indexOf('=') <= 0) problems.push(`${which} has no "=" (the SDK reads only key = value)`)
  })
  return problems
}

/** What the ini parser dropped from the shared files, for a reason; empty when nothing was dropped. */
export function droppedLines(facts: ChainFacts, ctx: ProbeContext): string {
  const stamps = stampsOf(facts)
  const found = [facts.credentialsPath, facts.configPath].flatMap((path) => {
    const problems = iniProblems(path, stamps[path])
    if (!problems.length) return []
    const shown = problems.slice(0, 3).join(', ') + (problems.length > 3 ? `, and ${problems.length - 3} more` : '')
    return [`${shownPath(path, ctx)}: ${ctx.scrub(shown)}`]
  })
  return found.length ? `; the SDK's ini parser silently skipped lines it cannot read — ${found.join('; ')}` : ''
}

/** The faults of the active world that answered requests since `from` (an index into its record). */
export function firedCount(ctx: ProbeContext): number {
  return ctx.fired?.().length ?? 0
}
export function firedSince(ctx: ProbeContext, from: number): FiredFault[] {
  return ctx.fired?.().slice(from) ?? []
}

/** `(injected: faults[0] imds tokenStatus …)` for the faults that answered this link's requests. */
export function faultNote(fired: readonly FiredFault[]): string {
  const seen = new Map<number, FiredFault>()
  for (const f of fired) if (!seen.has(f.index)) seen.set(f.index, f)
  if (!seen.size) return ''
  return ` (injected: ${[...seen.values()].map((f) => `faults[${f.index}] ${describeFault(f.fault)}`).join('; ')})`
}

export function describeIdentity(identity: Identity | undefined, credentials: Credentials): string {
  const key = maskKeyId(credentials.accessKeyId)
  if (!identity) return `credentials ${key} that this world never issued`
  if (identity.role) return `role ${identity.role} (${key})`
  return `user ${identity.user ?? identity.principal} (${key})`
}


export function fileIsEmpty(path: string): boolean {
  try {
    return statSync(path).size === 0
  } catch {
    return false
  }
}

/** What went wrong with IMDS, in words (the SDK's own messages are terse). */
export function describeImdsError(error: unknown, ctx: ProbeContext): string {
  const status = (error as { statusCode?: number }).statusCode
  const message = errorMessage(error)
  if (message === 'EC2 Metadata token request returned error') return 'the IMDSv2 token request (PUT /latest/api/token) answered HTTP 400, which the SDK does not fall back from ("EC2 Metadata token request returned error")'
  if (status === 401) return 'a metadata GET without a session token answered HTTP 401: the instance requires IMDSv2, and the token request had failed'
  if (status !== undefined) return `the instance metadata service answered HTTP ${status}${status === 429 ? ' (throttled)' : ''}`
  if (/^TimeoutError/.test(message)) return 'the instance metadata service gave no answer within the SDK\'s 1000 ms timeout'
  if (/^Invalid response received/.test(message)) return 'the credentials document lacks AccessKeyId, SecretAccessKey, Token or Expiration ("Invalid response received from instance metadata service.")'
  return describeError(error, ctx)
}

/** What the container endpoint did, in words. */
export function describeContainerError(error: unknown, ctx: ProbeContext): string {
  const message = describeError(error, ctx)
  const status = /Server responded with status: (\d+)/.exec(message)?.[1]
  if (status) return `the container endpoint answered HTTP ${status}${status === '401' || status === '403' ? ' (the Authorization token was refused)' : ''}`
  if (/TimeoutError|timed? ?out/i.test(message)) return 'the container endpoint gave no answer within the SDK\'s 1000 ms timeout'
  if (/SyntaxError|JSON/.test(message)) return `the container endpoint answered with a body that is not JSON (${message.replace(/^CredentialsProviderError: /, '')})`
  if (/not of the required format/.test(message)) return 'the container endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration'
  return message
}

/** How IMDS served what it served: after a failed token request (IMDSv1), already expired (static stability), or about to expire. */
export function imdsCaveats(credentials: Credentials, fired: readonly FiredFault[]): string {
  const notes: string[] = []
  const tokenFault = fired.find((f) => f.route === 'imds.token')
  if (tokenFault) {
    const how =
      tokenFault.fault.kind === 'tokenTimeout' || tokenFault.fault.kind === 'delay'
        ? `got no answer within the SDK's 1000 ms timeout, so the SDK fell back to IMDSv1 for this call`
        : `answered HTTP ${tokenFault.fault.kind === 'throttle' ? '429 (throttled), so the SDK fell back to IMDSv1 for this call' : `${(tokenFault.fault as { status?: number }).status ?? 'an error'}, so the SDK fell back to IMDSv1 (GETs without a token)`}`
    notes.push(`read with IMDSv1: the token request (PUT /latest/api/token) ${how}`)
  }
  const original = (credentials as Credentials & { originalExpiration?: Date }).originalExpiration
  if (original && credentials.expiration) {
    notes.push(
      `IMDS served them already expired (at ${original.toISOString()}), so the SDK extended them to ${credentials.expiration.toISOString()} and warned "Attempting credential expiration extension" (static stability)`,
    )
  } else if (credentials.expiration && credentials.expiration.getTime() - Date.now() < 300_000) {
    const seconds = Math.max(0, Math.round((credentials.expiration.getTime() - Date.now()) / 1000))
    notes.push(`they expire in ${seconds} s: with under 5 minutes left, the default chain fetches new ones in the background on its next call`)
  }
  return notes.length ? `; ${notes.join('; ')}` : ''
}

