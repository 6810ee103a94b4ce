import { newInstanceId, roleNameOf } from '../../servers/ledger.js'
import { type PlanContext, imdsEndpointVariable, lifetimeOf, renewing } from '../../world/plan-context.js'

/** `instanceProfile: { role, imdsV1Only?, imdsV2Only?, region? }`: what the loopback IMDS serves. */
export function planInstanceProfile(ctx: PlanContext): void {
  const spec = ctx.spec.instanceProfile
  if (!spec) return
  const instanceId = newInstanceId()
  const role = spec.role
  const lifetime = lifetimeOf(spec)
  const stream = renewing(() => ctx.roleSession(role, instanceId, 'instanceProfile', undefined, lifetime))
  ctx.server.instanceProfile = {
    roleName: roleNameOf(role),
    instanceId,
    imdsV1Only: spec.imdsV1Only ?? false,
    imdsV2Only: spec.imdsV2Only ?? false,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    credentials: stream.current,
    rotate: stream.rotate,
  }
  if (spec.endpoint === 'linkLocal') {
    // the SDK asks its default http://169.254.169.254; the guard routes that to the loopback IMDS. Children keep the variable.
    delete ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
    ctx.routes.push({ host: IMDS_HOST, port: 80, to: 'imds' }, { host: IMDS_HOST_IPV6, port: 80, to: 'imds' })
    ctx.childEnv.AWS_EC2_METADATA_SERVICE_ENDPOINT = imdsEndpointVariable(ctx.endpoints.imds)
  }
}

/** The instance metadata service's IPv4 address, the SDK's default endpoint. */
export const IMDS_HOST = '169.254.169.254'
/** Its IPv6 address, the default with AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6. */
export const IMDS_HOST_IPV6 = 'fd00:ec2::254'
