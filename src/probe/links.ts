import type { ChainReport, Identity, Source } from '../types.js'
import { type LinkFinding, assembleReport } from '../chain/assemble.js'
import type { ChainFacts } from '../chain/facts.js'
import { maskKeyId } from '../chain/mask.js'
import { isLoopbackUrl } from '../world/spec.js'
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
      /** Other credential settings of the same profile that lose to what this link resolved. */
      inner?: { mechanism: Source; reason: string }[]
    }
  | { kind: 'absent' | 'skipped'; reason: string }
  | { kind: 'failed'; reason: string }

interface LinkDefinition {
  source: Source
  name: string
  run(ctx: ProbeContext): Promise<LinkOutcome>
}

const isSet = (v: string | undefined): v is string => v !== undefined && v !== ''

function activeProfile(ctx: ProbeContext): { name: string; from: string } {
  if (ctx.clientProfile) return { name: ctx.clientProfile, from: `the client's profile option` }
  if (isSet(ctx.env.AWS_PROFILE)) return { name: ctx.env.AWS_PROFILE, from: 'AWS_PROFILE' }
  return { name: 'default', from: 'the default profile' }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A provider error: the chain goes on when tryNextLink is true, stops otherwise. */
function fromError(error: unknown, ctx: ProbeContext, absentReason?: string): LinkOutcome {
  const message = ctx.scrub(errorMessage(error).split('\n')[0]!.trim())
  const tryNext = (error as { tryNextLink?: boolean } | undefined)?.tryNextLink === true
  return tryNext ? { kind: 'absent', reason: absentReason ?? message } : { kind: 'failed', reason: `stops the chain: ${message}` }
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
    async run(ctx) {
      const profile = activeProfile(ctx)
      try {
        const init: Record<string, unknown> = { logger: silentLogger }
        if (ctx.clientProfile) init.profile = ctx.clientProfile
        const credentials = await sdkLinks().fromIni(init)()
        const identity = ctx.identify(credentials.accessKeyId)
        const via = identity?.source === 'process' ? 'ran credential_process' : identity?.source === 'sso' ? 'used its SSO session' : identity?.source === 'webIdentity' ? 'used web_identity_token_file' : identity?.role ? 'assumed a role' : 'has static keys'
        const outcome: LinkOutcome = { kind: 'available', credentials, reason: `profile "${profile.name}" (${profile.from}) in ~/.aws/credentials or ~/.aws/config ${via}: ${describeIdentity(identity, credentials)}` }
        if (identity?.source !== 'sso') {
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
        return fromError(error, ctx, `profile "${profile.name}" (${profile.from}) has no usable credentials in ~/.aws/credentials or ~/.aws/config`)
      }
    },
  },
  {
    source: 'process',
    name: 'fromProcess',
    async run(ctx) {
      const profile = activeProfile(ctx)
      try {
        const init: Record<string, unknown> = { logger: silentLogger }
        if (ctx.clientProfile) init.profile = ctx.clientProfile
        const credentials = await sdkLinks().fromProcess(init)()
        return { kind: 'available', credentials, reason: `profile "${profile.name}" has credential_process: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        return fromError(error, ctx, `profile "${profile.name}" has no credential_process`)
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
        return fromError(error, ctx)
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
        const credentials = await sdkLinks().fromHttp({ logger: silentLogger, timeout: 1000, maxRetries: 0 })()
        return { kind: 'available', credentials, reason: `AWS_CONTAINER_CREDENTIALS_FULL_URI is set: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        return fromError(error, ctx)
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
      const containerVar = isSet(ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
        ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'
        : isSet(ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
          ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
          : undefined
      const skipped = `${containerVar} is set, so the SDK asks the container endpoint and never the instance metadata service`
      const endpoint = ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
      if (!isSet(endpoint) || !isLoopbackUrl(endpoint)) {
        // Never probed: it would send a request off this machine.
        return containerVar ? { kind: 'skipped', reason: skipped } : { kind: 'failed', reason: 'not probed: AWS_EC2_METADATA_SERVICE_ENDPOINT is not a loopback URL' }
      }
      try {
        const credentials = await sdkLinks().fromInstanceMetadata({ logger: silentLogger, timeout: 1000, maxRetries: 0 })()
        const has = `the instance metadata service has ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}`
        // A role the SDK never asks for is still shadowed: take the container variables away and it wins.
        return { kind: 'available', credentials, reason: containerVar ? `${has}, but ${skipped}` : has }
      } catch (error) {
        return containerVar ? { kind: 'skipped', reason: skipped } : fromError(error, ctx, 'the instance metadata service has no IAM role (no instance profile attached)')
      }
    },
  },
]


/**
 * The chain report, computed by running each real SDK link alone in the current environment;
 * the chain's rules are then applied by the same function the static model uses.
 */
export async function probeChain(ctx: ProbeContext, facts: ChainFacts): Promise<ChainReport> {
  const findings: LinkFinding[] = []
  const profile = activeProfile(ctx).name
  for (const link of LINKS) {
    const outcome = await link.run(ctx)
    if (outcome.kind !== 'available') {
      findings.push(outcome)
      continue
    }
    const finding: LinkFinding = {
      kind: 'available',
      mechanism: ctx.identify(outcome.credentials.accessKeyId)?.source ?? link.source,
      key: outcome.credentials.accessKeyId,
      reason: outcome.reason,
    }
    if (link.source === 'profile' || link.source === 'process') finding.profile = profile
    if (outcome.inner) finding.inner = outcome.inner
    findings.push(finding)
  }
  return assembleReport(findings, facts)
}
