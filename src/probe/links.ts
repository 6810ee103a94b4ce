import type { ChainLink, ChainReport, Identity, Source } from '../types.js'
import { createReport } from '../chain/report.js'
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
  | { kind: 'available'; credentials: Credentials; reason: string }
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
        return { kind: 'available', credentials, reason: `profile "${profile.name}" (${profile.from}) in ~/.aws/credentials or ~/.aws/config ${via}: ${describeIdentity(identity, credentials)}` }
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
      if (isSet(ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) || isSet(ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) {
        const name = isSet(ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'
        return { kind: 'skipped', reason: `${name} is set, so the SDK asks the container endpoint and never the instance metadata service` }
      }
      const disabled = ctx.env.AWS_EC2_METADATA_DISABLED
      if (isSet(disabled) && disabled !== 'false') {
        return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${disabled} is set, so the SDK never asks the instance metadata service` }
      }
      const endpoint = ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
      if (!isSet(endpoint) || !isLoopbackUrl(endpoint)) {
        return { kind: 'failed', reason: 'not probed: AWS_EC2_METADATA_SERVICE_ENDPOINT is not a loopback URL' }
      }
      try {
        const credentials = await sdkLinks().fromInstanceMetadata({ logger: silentLogger, timeout: 1000, maxRetries: 0 })()
        return { kind: 'available', credentials, reason: `the instance metadata service has ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        return fromError(error, ctx, 'the instance metadata service has no IAM role (no instance profile attached)')
      }
    },
  },
]

export const JS_V3_LINKS: ReadonlyArray<Pick<LinkDefinition, 'source' | 'name'>> = LINKS

/** How to take a winning link out of the way, in the words of the variable or file that makes it win. */
export function howToRemove(link: Source, ctx: ProbeContext): string {
  switch (link) {
    case 'env':
      return `unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${isSet(ctx.env.AWS_SESSION_TOKEN) ? ' and AWS_SESSION_TOKEN' : ''}`
    case 'profile': {
      const p = activeProfile(ctx)
      return p.from === 'the default profile'
        ? 'remove the [default] profile from ~/.aws/credentials and ~/.aws/config'
        : `stop selecting profile "${p.name}" (${p.from}) or remove its credentials from ~/.aws/credentials and ~/.aws/config`
    }
    case 'process':
      return `remove credential_process from profile "${activeProfile(ctx).name}" in ~/.aws/config`
    case 'webIdentity':
      return 'unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN'
    case 'container':
      return 'unset AWS_CONTAINER_CREDENTIALS_FULL_URI (and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)'
    default:
      return `remove the ${link} source`
  }
}

/** Hints that say what to change to get the source a user probably expected. */
function hintsFor(links: ChainLink[], ctx: ProbeContext): string[] {
  const hints: string[] = []
  const winner = links.find((l) => l.status === 'won')
  const env = links.find((l) => l.source === 'env')
  if (env?.status === 'skipped' && isSet(ctx.env.AWS_ACCESS_KEY_ID) && isSet(ctx.env.AWS_SECRET_ACCESS_KEY)) {
    hints.push(
      `${ctx.clientProfile ? 'The client\'s profile option' : `AWS_PROFILE=${ctx.env.AWS_PROFILE}`} makes the JS SDK v3 skip the env keys (other SDKs use them first): unset ${ctx.clientProfile ? 'it' : 'AWS_PROFILE'} to use env keys, or unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to silence the "Multiple credential sources detected" warning.`,
    )
  }
  if (winner) {
    for (const link of links.filter((l) => l.status === 'shadowed')) {
      hints.push(`To use ${link.source} instead of ${winner.source}: ${howToRemove(winner.source, ctx)}.`)
    }
  } else if (!links.some((l) => l.status === 'failed')) {
    hints.push('No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile.')
  }
  return hints
}

/**
 * The chain report, computed by running each real SDK link alone in the current environment
 * and then applying the chain's rules: the first link with credentials wins, later ones that
 * also have credentials are shadowed, and an error that does not allow the next link stops it.
 */
export async function probeChain(ctx: ProbeContext): Promise<ChainReport> {
  const outcomes: LinkOutcome[] = []
  for (const link of LINKS) outcomes.push(await link.run(ctx))
  const links: ChainLink[] = []
  let winner: { source: Source; accessKeyId: string } | undefined
  let stoppedAt: Source | undefined
  LINKS.forEach((definition, i) => {
    const outcome = outcomes[i]!
    const base = { source: definition.source, name: definition.name }
    if (stoppedAt && !winner) {
      links.push({ ...base, status: 'unreached', reason: `not reached: the chain stopped at ${stoppedAt}` + (outcome.kind === 'available' ? ` (it has ${outcome.reason.split(': ').pop()})` : '') })
      return
    }
    if (outcome.kind === 'available') {
      if (!winner) {
        winner = { source: definition.source, accessKeyId: outcome.credentials.accessKeyId }
        links.push({ ...base, status: 'won', reason: outcome.reason })
      } else if (winner.accessKeyId === outcome.credentials.accessKeyId) {
        links.push({ ...base, status: 'skipped', reason: `same credentials as the ${winner.source} link, which already won` })
      } else {
        links.push({ ...base, status: 'shadowed', reason: `${outcome.reason}, but ${winner.source} won` })
      }
      return
    }
    if (outcome.kind === 'failed' && !winner) stoppedAt = definition.source
    links.push({ ...base, status: outcome.kind, reason: outcome.reason })
  })
  return createReport('js-v3', links, hintsFor(links, ctx))
}
