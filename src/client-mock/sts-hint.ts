/**
 * The hint for a confusing failure: a suite mocks `STSClient` from `@aws-sdk/client-sts` with
 * aws-sdk-client-mock, yet the credential providers' role assumption reaches the world's STS.
 * Since SDK 3.730 they call STS through a private client (`@aws-sdk/nested-clients/sts`), a
 * different class the mock does not replace. Detected without importing aws-sdk-client-mock or
 * sinon: a mocked class has a sinon stub (`isSinonProxy`) as its prototype's `send`.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { ReportAnnotationContext } from '../probe/annotations.js'
import type { ProfileSpec, RecordedRequest, WorldSpec } from '../types.js'
import { isSinonStubLike } from './record.js'

type StsAction = 'AssumeRole' | 'AssumeRoleWithWebIdentity'
const STS_ACTIONS: readonly string[] = ['AssumeRole', 'AssumeRoleWithWebIdentity'] satisfies StsAction[]

/**
 * The user's `@aws-sdk/client-sts`, loaded as their tests load it: from the project (under Jest,
 * through Jest's own module registry, which is the test file's). Undefined when not installed.
 */
function userStsClientClass(): { prototype: { send?: unknown } } | undefined {
  try {
    const sts = createRequire(join(process.cwd(), 'noop.js'))('@aws-sdk/client-sts') as { STSClient?: { prototype: { send?: unknown } } }
    return sts.STSClient
  } catch {
    return undefined
  }
}

/** Whether `STSClient.prototype.send` is a sinon stub, as `mockClient(STSClient)` leaves it. */
export function isStsClientMocked(stsClient = userStsClientClass()): boolean {
  return stsClient !== undefined && isSinonStubLike(stsClient.prototype.send)
}

const CREDENTIAL_SOURCE_OF: Record<string, string> = { env: 'Environment', instanceProfile: 'Ec2InstanceMetadata', container: 'EcsContainer' }

/** Profiles of the spec that assume a role with AssumeRole (source_profile or credential_source). */
function assumingProfiles(spec: Readonly<WorldSpec>): [string, ProfileSpec & { role: string }][] {
  return Object.entries(spec.profiles ?? {}).filter(
    (entry): entry is [string, ProfileSpec & { role: string }] => 'role' in entry[1] && ('sourceProfile' in entry[1] || 'credentialSource' in entry[1]),
  )
}

/** Who made an AssumeRole call: the profile whose source credentials signed it, or the active profile. */
function assumeRoleCaller(request: RecordedRequest, ctx: ReportAnnotationContext): string {
  const profiles = assumingProfiles(ctx.world.spec)
  const signer = request.accessKeyId !== undefined ? ctx.world.identityOf(request.accessKeyId) : undefined
  const bySigner = signer
    ? profiles.filter(([, p]) => ('sourceProfile' in p && p.sourceProfile === signer.profile) || ('credentialSource' in p && p.credentialSource === CREDENTIAL_SOURCE_OF[signer.source]))
    : []
  const active = ctx.clientProfile ?? (ctx.env.AWS_PROFILE || undefined) ?? 'default'
  const named = bySigner.length === 1 ? bySigner[0]![0] : bySigner.length > 1 && bySigner.some(([name]) => name === active) ? active : profiles.length === 1 ? profiles[0]![0] : undefined
  if (named !== undefined) return `profile ${named}`
  if (signer?.source === 'code') return 'fromTemporaryCredentials (or another provider in your code)'
  return 'a role-assuming credential provider'
}

/** Who made an AssumeRoleWithWebIdentity call: a profile with web_identity_token_file, or the env variables. */
function webIdentityCaller(ctx: ReportAnnotationContext): string {
  const active = ctx.clientProfile ?? (ctx.env.AWS_PROFILE || undefined) ?? 'default'
  const profile = ctx.world.spec.profiles?.[active]
  if (profile && 'webIdentityTokenFile' in profile) return `profile ${active}`
  if (ctx.world.spec.webIdentity) return 'fromTokenFile (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)'
  return 'a web-identity credential provider'
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** What went to the world's STS, in words: `AssumeRole by profile deploy (2 calls)`. */
export function describeStsCalls(requests: readonly RecordedRequest[], ctx: ReportAnnotationContext): string | undefined {
  const counts = new Map<string, number>()
  for (const request of requests) {
    if (request.server !== 'sts' || request.action === undefined || !STS_ACTIONS.includes(request.action)) continue
    const by = request.action === 'AssumeRole' ? assumeRoleCaller(request, ctx) : webIdentityCaller(ctx)
    const key = `${request.action} by ${by}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  if (!counts.size) return undefined
  return listed([...counts].map(([what, n]) => (n > 1 ? `${what} (${n} calls)` : what)))
}

/** The report hint, when STSClient is mocked and credential providers' STS calls reached the world instead. */
export function stsMockHints(ctx: ReportAnnotationContext, stsClient?: { prototype: { send?: unknown } }): string[] {
  const calls = describeStsCalls(ctx.world.requests, ctx)
  if (calls === undefined || !isStsClientMocked(stsClient ?? userStsClientClass())) return []
  return [
    'STSClient from @aws-sdk/client-sts is mocked (aws-sdk-client-mock), but credential providers call STS through a private client ' +
      `(STSClient of @aws-sdk/nested-clients/sts, since SDK 3.730) that the mock does not replace: ${calls} went to the world's STS, not to your mock. ` +
      'Configure roles in the world (profiles with role and sourceProfile or credentialSource, webIdentity) instead of mocking STS for credentials.',
  ]
}
