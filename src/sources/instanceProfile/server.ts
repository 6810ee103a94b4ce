import { randomBytes } from '../../servers/random.js'
import { isoSeconds, headerOf, text, type Route, type RouteReply, type RouteRequest } from '../../servers/http.js'
import type { ServerWorld } from '../../servers/state.js'

/**
 * The EC2 instance metadata service as `@smithy/credential-provider-imds` uses it: IMDSv2
 * session tokens (`PUT /latest/api/token`), the role name and its credentials, and the few
 * instance facts clients ask for (region, instance id, identity document).
 */

const TOKEN_TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds'
const TOKEN_HEADER = 'x-aws-ec2-metadata-token'
const MAX_TOKEN_TTL_SECONDS = 21600
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/'

/** Tokens are per world: a token an earlier world handed out is not valid in the next one. */
const tokensByWorld = new WeakMap<ServerWorld, Map<string, number>>()

function tokensOf(world: ServerWorld): Map<string, number> {
  let tokens = tokensByWorld.get(world)
  if (!tokens) tokensByWorld.set(world, (tokens = new Map()))
  return tokens
}

/** Real IMDS answers with `text/plain` for everything, JSON documents included. */
function plain(status: number, body: string): RouteReply {
  return text(status, body, { 'content-type': 'text/plain', server: 'EC2ws' })
}

const notFound = (): RouteReply => plain(404, 'Not Found\n')
const unauthorized = (): RouteReply => plain(401, 'Unauthorized\n')

/** The TTL a token request asks for, or undefined when it is missing or outside 1..21600. */
export function parseTokenTtl(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined
  const ttl = Number(value)
  return ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS ? ttl : undefined
}

/**
 * Whether a metadata GET may be answered: a token, when sent, must be one this world issued and
 * still live; a v2-only instance refuses token-less GETs; a v1-only instance ignores tokens.
 */
function authorizeGet(request: RouteRequest, world: ServerWorld): RouteReply | undefined {
  const profile = world.instanceProfile
  if (profile?.imdsV1Only) return undefined
  const token = headerOf(request, TOKEN_HEADER)
  if (token === undefined) return profile?.imdsV2Only ? unauthorized() : undefined
  const expiresAt = tokensOf(world).get(token)
  if (expiresAt === undefined || expiresAt <= Date.now()) return unauthorized()
  return undefined
}

/** Whether a path segment names the role: sent raw by the SDK (`a+b@c`), or percent-encoded by other clients. */
function namesRole(segment: string, roleName: string): boolean {
  if (segment === roleName) return true
  try {
    return decodeURIComponent(segment) === roleName
  } catch {
    return false
  }
}

/** A GET route behind the token check; `step`: the credential fetch step it is. */
function metadata(name: string, path: string | RegExp, answer: (request: RouteRequest, world: ServerWorld) => RouteReply, step?: 'role' | 'credentials'): Route {
  return {
    name,
    method: 'GET',
    path,
    handle(request, world) {
      return authorizeGet(request, world) ?? answer(request, world)
    },
    ...(step ? { fetch: () => ({ source: 'instanceProfile' as const, step }) } : {}),
  }
}

/** The region the instance reports: its own when the world names one, else the world's (AWS_REGION, or us-east-1). */
function placementRegionOf(world: ServerWorld): string {
  return world.instanceProfile?.region ?? world.region
}

function identityDocument(world: ServerWorld, instanceId: string): Record<string, unknown> {
  const region = placementRegionOf(world)
  return {
    accountId: world.accountId,
    architecture: 'x86_64',
    availabilityZone: `${region}a`,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: 'ami-0c0ffee0c0ffee000',
    instanceId,
    instanceType: 't3.micro',
    kernelId: null,
    pendingTime: isoSeconds(new Date(Date.now() - 3600_000)),
    privateIp: '10.0.0.1',
    ramdiskId: null,
    region,
    version: '2017-09-30',
  }
}

export const imdsRoutes: readonly Route[] = [
  {
    name: 'imds.token',
    method: 'PUT',
    path: '/latest/api/token',
    fetch: () => ({ source: 'instanceProfile', step: 'token' }),
    handle(request, world) {
      // Older IMDS (and mocks) have no token route: the SDK falls back to IMDSv1 for good on 404.
      if (world.instanceProfile?.imdsV1Only) return notFound()
      const ttl = parseTokenTtl(headerOf(request, TOKEN_TTL_HEADER))
      if (ttl === undefined) return plain(400, 'Bad Request\n')
      const token = randomBytes(42).toString('base64')
      tokensOf(world).set(token, Date.now() + ttl * 1000)
      return text(200, token, { 'content-type': 'text/plain', server: 'EC2ws', [TOKEN_TTL_HEADER]: String(ttl) })
    },
  },
  metadata('imds.roleName', /\/latest\/meta-data\/iam\/security-credentials\/?/, (_request, world) => {
    const profile = world.instanceProfile
    return profile ? plain(200, profile.roleName) : notFound()
  }, 'role'),
  metadata('imds.credentials', /\/latest\/meta-data\/iam\/security-credentials\/([^/]+)/, (request, world) => {
    const profile = world.instanceProfile
    if (!profile || !namesRole(request.params[0] ?? '', profile.roleName)) return notFound()
    const issued = profile.credentials()
    const now = new Date()
    const body = {
      Code: 'Success',
      LastUpdated: isoSeconds(now),
      Type: 'AWS-HMAC',
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      Token: issued.sessionToken ?? '',
      Expiration: isoSeconds(issued.expiration ?? new Date(now.getTime() + 6 * 3600_000)),
      AccountId: issued.accountId,
    }
    return { ...plain(200, JSON.stringify(body, null, 2)), record: { fetch: { source: 'instanceProfile', step: 'credentials', accessKeyId: issued.accessKeyId } } }
  }, 'credentials'),
  metadata('imds.info', '/latest/meta-data/iam/info', (_request, world) => {
    const profile = world.instanceProfile
    if (!profile) return notFound()
    return plain(
      200,
      JSON.stringify({
        Code: 'Success',
        LastUpdated: isoSeconds(new Date()),
        InstanceProfileArn: `arn:aws:iam::${world.accountId}:instance-profile/${profile.roleName}`,
        InstanceProfileId: 'AIPACHAINPROOF0000001',
      }, null, 2),
    )
  }),
  // Clients without a region ask IMDS for one, whether or not the machine has a role.
  metadata('imds.region', '/latest/meta-data/placement/region', (_request, world) => plain(200, placementRegionOf(world))),
  metadata('imds.availabilityZone', '/latest/meta-data/placement/availability-zone', (_request, world) => plain(200, `${placementRegionOf(world)}a`)),
  metadata('imds.instanceId', '/latest/meta-data/instance-id', (_request, world) => {
    const profile = world.instanceProfile
    return profile ? plain(200, profile.instanceId) : notFound()
  }),
  metadata('imds.identityDocument', '/latest/dynamic/instance-identity/document', (_request, world) => {
    const profile = world.instanceProfile
    return profile ? plain(200, JSON.stringify(identityDocument(world, profile.instanceId), null, 2)) : notFound()
  }),
]
