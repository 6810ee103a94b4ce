import { newInstanceId, roleNameOf } from '../../world/ledger.js'
import { type PlanContext, lazy } from '../../world/plan-context.js'

/** `instanceProfile: { role, imdsV1Only?, imdsV2Only?, region? }`: what the loopback IMDS serves. */
export function planInstanceProfile(ctx: PlanContext): void {
  const spec = ctx.spec.instanceProfile
  if (!spec) return
  const instanceId = newInstanceId()
  const role = spec.role
  ctx.server.instanceProfile = {
    roleName: roleNameOf(role),
    instanceId,
    imdsV1Only: spec.imdsV1Only ?? false,
    imdsV2Only: spec.imdsV2Only ?? false,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    credentials: lazy(() => ctx.roleSession(role, instanceId, 'instanceProfile')),
  }
}
