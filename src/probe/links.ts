import { readFileSync, statSync } from 'node:fs'
import type { ChainReport, Identity, Source } from '../types.js'
import { type LinkFinding, assembleReport } from '../chain/assemble.js'
import { type ChainFacts, activeProfileOf, containerVariable, isSet, profileSettings } from '../chain/facts.js'
import { maskKeyId } from '../chain/mask.js'
import { BRANCH_WORDS, attributeCredentials, branchOfFeatures, branchOfProfile } from '../chain/attribution.js'
import type { FiredFault } from '../servers/state.js'
import { describeFault } from '../world/faults.js'
import { isLoopbackUrl } from '../world/spec.js'
import { activeWorld } from '../world/world.js'
import { type Credentials, sdkLinks, silentLogger } from './sdk.js'

/** What the report knows of the environment it probes. */
export interface ProbeContext {
  env: Readonly<Record<string, string | undefined>>
  /** The client's own `profile` option (init.profile), used before AWS_PROFILE. */
  clientProfile?: string
  identify(accessKeyId: string): Identity | undefined
  /** Removes anything secret-looking from a message before it is shown. */
  scrub(message: string): string
}

type LinkOutcome =
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

interface LinkDefinition {
  source: Source
  name: string
  /** `earlier`: what the links above found, in this report. */
  run(ctx: ProbeContext, facts: ChainFacts, earlier: ReadonlyMap<Source, LinkOutcome>): Promise<LinkOutcome>
}



function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A path as the user knows it: under HOME as `~/…`. */
function shownPath(path: string, ctx: ProbeContext): string {
  const home = ctx.env.HOME || ctx.env.USERPROFILE
  return home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path
}

/**
 * An error in words: a service's error by its code (`AccessDenied: User: … is not authorized …`),
 * a missing file by its path, anything else by the first line of its message.
 */
function describeError(error: unknown, ctx: ProbeContext): string {
  const e = error as { name?: string; code?: string; path?: string; $metadata?: unknown } | undefined
  const home = ctx.env.HOME || ctx.env.USERPROFILE
  let message = ctx.scrub(errorMessage(error).split('\n')[0]!.trim())
  if (home) message = message.split(home + '/').join('~/')
  if (e?.code === 'ENOENT' && typeof e.path === 'string') return `${shownPath(e.path, ctx)} does not exist (ENOENT)`
  if (e?.$metadata !== undefined && e.name && !message.startsWith(e.name)) return `${e.name}: ${message}`
  return message
}

const tryNextLink = (error: unknown) => (error as { tryNextLink?: boolean } | undefined)?.tryNextLink === true

/** A provider error: the chain goes on when tryNextLink is true, stops otherwise. */
function fromError(error: unknown, ctx: ProbeContext, absentReason?: string): LinkOutcome {
  return tryNextLink(error) ? { kind: 'absent', reason: absentReason ?? describeError(error, ctx) } : { kind: 'failed', reason: `stops the chain: ${describeError(error, ctx)}` }
}

/** A credential_process that ran and failed (exit code, JSON, Version, expiry): the SDK moves on to the next link. */
function processFailure(error: unknown, ctx: ProbeContext, profile: string): string | undefined {
  const message = describeError(error, ctx)
  if (!/credential_process (returned|did not return)|^Command failed/.test(message)) return undefined
  return `profile "${profile}" has credential_process, but it failed (${message}); the SDK treats that as no credentials and moves on to the next link`
}

/** Lines of a shared file that the SDK's ini parser silently drops, named by line and key (never a value). */
export function iniProblems(path: string): string[] {
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
function droppedLines(facts: ChainFacts, ctx: ProbeContext): string {
  const found = [facts.credentialsPath, facts.configPath].flatMap((path) => {
    const problems = iniProblems(path)
    if (!problems.length) return []
    const shown = problems.slice(0, 3).join(', ') + (problems.length > 3 ? `, and ${problems.length - 3} more` : '')
    return [`${shownPath(path, ctx)}: ${ctx.scrub(shown)}`]
  })
  return found.length ? `; the SDK's ini parser silently skipped lines it cannot read — ${found.join('; ')}` : ''
}

/** The faults of the active world that answered requests since `from` (an index into its record). */
function firedCount(): number {
  return activeWorld()?.server.faults?.fired.length ?? 0
}
function firedSince(from: number): FiredFault[] {
  return activeWorld()?.server.faults?.fired.slice(from) ?? []
}

/** `(injected: faults[0] imds tokenStatus …)` for the faults that answered this link's requests. */
function faultNote(fired: readonly FiredFault[]): string {
  const seen = new Map<number, FiredFault>()
  for (const f of fired) if (!seen.has(f.index)) seen.set(f.index, f)
  if (!seen.size) return ''
  return ` (injected: ${[...seen.values()].map((f) => `faults[${f.index}] ${describeFault(f.fault)}`).join('; ')})`
}

function describeIdentity(identity: Identity | undefined, credentials: Credentials): string {
  const key = maskKeyId(credentials.accessKeyId)
  if (!identity) return `credentials ${key} that this world never issued`
  if (identity.role) return `role ${identity.role} (${key})`
  return `user ${identity.user ?? identity.principal} (${key})`
}

const LINKS: LinkDefinition[] = [
  {
    source: 'env',
    name: 'fromEnv',
    async run(ctx) {
      const keysSet = isSet(ctx.env.AWS_ACCESS_KEY_ID) && isSet(ctx.env.AWS_SECRET_ACCESS_KEY)
      const profile = ctx.clientProfile ?? (isSet(ctx.env.AWS_PROFILE) ? ctx.env.AWS_PROFILE : undefined)
      if (profile !== undefined) {
        const by = ctx.clientProfile ? `the client's profile option is "${profile}"` : `AWS_PROFILE=${profile} is set`
        return keysSet
          ? { kind: 'skipped', reason: `${by}, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected")` }
          : { kind: 'skipped', reason: `${by}, so the SDK skips env keys (none are set anyway)` }
      }
      if (!keysSet) {
        const missing = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((n) => !isSet(ctx.env[n]))
        return { kind: 'absent', reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set` }
      }
      try {
        const credentials = await sdkLinks().fromEnv({ logger: silentLogger })()
        const what = describeIdentity(ctx.identify(credentials.accessKeyId), credentials)
        return { kind: 'available', credentials, reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${isSet(ctx.env.AWS_SESSION_TOKEN) ? ' (with AWS_SESSION_TOKEN)' : ''} are set: ${what}` }
      } catch (error) {
        return fromError(error, ctx)
      }
    },
  },
  {
    source: 'sso',
    name: 'fromSSO',
    async run() {
      return { kind: 'absent', reason: 'no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)' }
    },
  },
  {
    source: 'profile',
    name: 'fromIni',
    async run(ctx, facts) {
      const profile = activeProfileOf(ctx)
      try {
        const init: Record<string, unknown> = { logger: silentLogger }
        if (ctx.clientProfile) init.profile = ctx.clientProfile
        const credentials = await sdkLinks().fromIni(init)()
        const identity = ctx.identify(credentials.accessKeyId)
        // keyed by what produced the credentials: the ledger, else the model of the files and the SDK's $source codes
        const features = credentials.$source ?? {}
        const attribution = attributeCredentials({ accessKeyId: credentials.accessKeyId, identity, features, facts, active: profile.name })
        const settings = profileSettings(facts, profile.name)
        const branch = branchOfFeatures(features) ?? (settings && branchOfProfile(settings))
        const via = attribution?.via ?? (branch ? BRANCH_WORDS[branch] : 'resolved credentials')
        const outcome: LinkOutcome = { kind: 'available', credentials, reason: `profile "${profile.name}" (${profile.from}) in ~/.aws/credentials or ~/.aws/config ${via}: ${describeIdentity(identity, credentials)}` }
        if (attribution) outcome.mechanism = attribution.source
        if (attribution?.profile !== undefined) outcome.profile = attribution.profile
        if (outcome.mechanism !== 'sso') {
          // SSO settings in the same section lose to keys, web identity or credential_process: run the SDK's SSO provider on its own to see them.
          const sso = await sdkLinks()
            .fromSSO({ ...init, profile: profile.name })()
            .catch(() => undefined)
          if (sso) {
            const ssoReason = `its SSO settings (${describeIdentity(ctx.identify(sso.accessKeyId), sso)}) lose to that`
            outcome.inner = [{ mechanism: 'sso', reason: ssoReason }]
            outcome.reason += `; ${ssoReason}`
          }
        }
        return outcome
      } catch (error) {
        if (!tryNextLink(error)) return fromError(error, ctx)
        const message = describeError(error, ctx)
        const failedProcess = processFailure(error, ctx, profile.name)
        if (failedProcess) return { kind: 'absent', reason: failedProcess }
        if (/^Detected a cycle/.test(message)) {
          return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) assumes a role through a source_profile loop (${message}); the SDK treats that as no credentials and moves on to the next link` }
        }
        if (/^Unsupported credential source/.test(message)) {
          return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) assumes a role with an unsupported credential_source (${message}); the SDK moves on to the next link` }
        }
        // an explicitly chosen profile that does not exist (a typo in AWS_PROFILE): say so
        if (profile.name !== 'default' && !profileSettings(facts, profile.name)) {
          return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) is not defined in ${shownPath(facts.credentialsPath, ctx)} or ${shownPath(facts.configPath, ctx)}${droppedLines(facts, ctx)}` }
        }
        return { kind: 'absent', reason: `profile "${profile.name}" (${profile.from}) has no usable credentials in ~/.aws/credentials or ~/.aws/config${droppedLines(facts, ctx)}` }
      }
    },
  },
  {
    source: 'process',
    name: 'fromProcess',
    async run(ctx, _facts, earlier) {
      const profile = activeProfileOf(ctx)
      const viaProfile = earlier.get('profile')
      if (viaProfile?.kind === 'available' && viaProfile.mechanism === 'process') {
        // The profile link already ran this profile's credential_process: running it again would
        // print the same keys, at the cost of a process spawn (the bulk of a report's time).
        const { credentials } = viaProfile
        return { kind: 'available', credentials, mechanism: 'process', ...(viaProfile.profile !== undefined ? { profile: viaProfile.profile } : {}), reason: `profile "${profile.name}" has credential_process: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      }
      try {
        const init: Record<string, unknown> = { logger: silentLogger }
        if (ctx.clientProfile) init.profile = ctx.clientProfile
        const credentials = await sdkLinks().fromProcess(init)()
        return { kind: 'available', credentials, reason: `profile "${profile.name}" has credential_process: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        const failedProcess = tryNextLink(error) ? processFailure(error, ctx, profile.name) : undefined
        if (failedProcess) return { kind: 'absent', reason: failedProcess }
        const undefinedProfile = profile.name !== 'default' && /could not be found/.test(errorMessage(error))
        return fromError(error, ctx, `profile "${profile.name}" ${undefinedProfile ? 'is not defined, so it has no' : 'has no'} credential_process`)
      }
    },
  },
  {
    source: 'webIdentity',
    name: 'fromTokenFile',
    async run(ctx) {
      if (!isSet(ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE) || !isSet(ctx.env.AWS_ROLE_ARN)) {
        const missing = ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'].filter((n) => !isSet(ctx.env[n]))
        return { kind: 'absent', reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set` }
      }
      try {
        const credentials = await sdkLinks().fromTokenFile({ logger: silentLogger })()
        return { kind: 'available', credentials, reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        const file = ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE!
        if ((error as { code?: string }).code === 'ENOENT') {
          return { kind: 'failed', reason: `stops the chain: AWS_WEB_IDENTITY_TOKEN_FILE=${shownPath(file, ctx)} does not exist (ENOENT); fromTokenFile reads it on every call, and a missing file is not an error that moves on to the next link` }
        }
        const outcome = fromError(error, ctx)
        if (outcome.kind === 'failed' && fileIsEmpty(file)) outcome.reason += ` (AWS_WEB_IDENTITY_TOKEN_FILE=${shownPath(file, ctx)} is empty, so STS was sent an empty token)`
        return outcome
      }
    },
  },
  {
    source: 'container',
    name: 'fromHttp',
    async run(ctx) {
      const full = ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      const relative = ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
      if (!isSet(full) && !isSet(relative)) {
        return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
      }
      if (isSet(relative) || !isLoopbackUrl(full!)) {
        // Never probed: it would send a request off this machine.
        return { kind: 'failed', reason: `not probed: ${isSet(relative) ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points at 169.254.170.2' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not a loopback URL'}` }
      }
      try {
        const started = performance.now()
        const credentials = await sdkLinks().fromHttp({ logger: silentLogger, timeout: 1000, maxRetries: 0 })()
        const ms = Math.round(performance.now() - started)
        // @smithy/node-http-handler only warns when a request outlives requestTimeout (unless throwOnRequestTimeout)
        const slow = ms > 1000 ? `; it answered after ${ms} ms, beyond fromHttp's 1000 ms requestTimeout, which only logs a warning` : ''
        return { kind: 'available', credentials, reason: `AWS_CONTAINER_CREDENTIALS_FULL_URI is set: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}${slow}` }
      } catch (error) {
        if (!tryNextLink(error)) return { kind: 'failed', reason: `stops the chain: ${describeContainerError(error, ctx)}` }
        // The remote link is the chain's last: whatever the container endpoint does, IMDS is never asked.
        return {
          kind: 'failed',
          reason:
            `the chain ends here: ${describeContainerError(error, ctx)}; fromHttp retries 3 times 1 s apart, then fromContainerMetadata asks once more, ` +
            'and the SDK never falls back to the instance metadata service while AWS_CONTAINER_CREDENTIALS_FULL_URI is set',
        }
      }
    },
  },
  {
    source: 'instanceProfile',
    name: 'fromInstanceMetadata',
    async run(ctx) {
      const disabled = ctx.env.AWS_EC2_METADATA_DISABLED
      if (isSet(disabled) && disabled !== 'false') {
        return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${disabled} is set, so the SDK never asks the instance metadata service` }
      }
      const containerVar = containerVariable(ctx)
      const skipped = `${containerVar} is set, so the SDK asks the container endpoint and never the instance metadata service`
      const endpoint = ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
      if (!isSet(endpoint) || !isLoopbackUrl(endpoint)) {
        // Never probed: it would send a request off this machine.
        return containerVar ? { kind: 'skipped', reason: skipped } : { kind: 'failed', reason: 'not probed: AWS_EC2_METADATA_SERVICE_ENDPOINT is not a loopback URL' }
      }
      try {
        const before = firedCount()
        const credentials = await sdkLinks().fromInstanceMetadata({ logger: silentLogger, timeout: 1000, maxRetries: 0 })()
        const has = `the instance metadata service has ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}${imdsCaveats(credentials, firedSince(before))}`
        // A role the SDK never asks for is still shadowed: take the container variables away and it wins.
        return { kind: 'available', credentials, reason: containerVar ? `${has}, but ${skipped}` : has }
      } catch (error) {
        if (containerVar) return { kind: 'skipped', reason: skipped }
        if ((error as { statusCode?: number }).statusCode === 404) return { kind: 'absent', reason: 'the instance metadata service has no IAM role (no instance profile attached)' }
        if (!tryNextLink(error)) return fromError(error, ctx)
        // The remote link is the chain's last: a failure here is where the chain ends.
        return { kind: 'failed', reason: `the chain ends here: ${describeImdsError(error, ctx)}; IMDS is not retried (maxRetries 0), so the chain throws "Could not load credentials from any providers"` }
      }
    },
  },
]


function fileIsEmpty(path: string): boolean {
  try {
    return statSync(path).size === 0
  } catch {
    return false
  }
}

/** What went wrong with IMDS, in words (the SDK's own messages are terse). */
function describeImdsError(error: unknown, ctx: ProbeContext): string {
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
function describeContainerError(error: unknown, ctx: ProbeContext): string {
  const message = describeError(error, ctx)
  const status = /Server responded with status: (\d+)/.exec(message)?.[1]
  if (status) return `the container endpoint answered HTTP ${status}${status === '401' || status === '403' ? ' (the Authorization token was refused)' : ''}`
  if (/TimeoutError|timed? ?out/i.test(message)) return 'the container endpoint gave no answer within the SDK\'s 1000 ms timeout'
  if (/SyntaxError|JSON/.test(message)) return `the container endpoint answered with a body that is not JSON (${message.replace(/^CredentialsProviderError: /, '')})`
  if (/not of the required format/.test(message)) return 'the container endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration'
  return message
}

/** How IMDS served what it served: after a failed token request (IMDSv1), already expired (static stability), or about to expire. */
function imdsCaveats(credentials: Credentials, fired: readonly FiredFault[]): string {
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

/**
 * The chain report, computed by running each real SDK link alone in the current environment;
 * the chain's rules are then applied by the same function the static model uses.
 */
export async function probeChain(ctx: ProbeContext, facts: ChainFacts): Promise<ChainReport> {
  const findings: LinkFinding[] = []
  const profile = activeProfileOf(ctx).name
  const earlier = new Map<Source, LinkOutcome>()
  for (const link of LINKS) {
    const before = firedCount()
    const outcome = await link.run(ctx, facts, earlier)
    earlier.set(link.source, outcome)
    outcome.reason += faultNote(firedSince(before))
    if (outcome.kind !== 'available') {
      findings.push(outcome)
      continue
    }
    const finding: LinkFinding = {
      kind: 'available',
      mechanism: outcome.mechanism ?? ctx.identify(outcome.credentials.accessKeyId)?.source ?? link.source,
      key: outcome.credentials.accessKeyId,
      reason: outcome.reason,
    }
    if (link.source === 'profile' || link.source === 'process') finding.profile = outcome.profile ?? profile
    if (outcome.inner) finding.inner = outcome.inner
    findings.push(finding)
  }
  return assembleReport(findings, facts)
}
