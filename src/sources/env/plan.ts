import type { PlanContext } from '../../world/plan-context.js'

const ENV_ROLE_SESSION = 'chainproof-env'
export const ENV_RESERVED_SESSIONS = [ENV_ROLE_SESSION]

/** `env: { user }` or `{ role }`: keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for a role). */
export function planEnv(ctx: PlanContext): void {
  const spec = ctx.spec.env
  if (!spec) return
  const issued = 'user' in spec ? ctx.user(spec.user, 'env') : ctx.roleSession(spec.role, ENV_ROLE_SESSION, 'env')
  ctx.env.AWS_ACCESS_KEY_ID = issued.accessKeyId
  ctx.env.AWS_SECRET_ACCESS_KEY = issued.secretAccessKey
  if (issued.sessionToken) ctx.env.AWS_SESSION_TOKEN = issued.sessionToken
}
