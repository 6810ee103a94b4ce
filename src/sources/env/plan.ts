import type { PlanContext } from '../../world/plan-context.js'

const ENV_ROLE_SESSION = 'chainproof-env'
export const ENV_RESERVED_SESSIONS = [ENV_ROLE_SESSION]

/** `env: { user }` or `{ role }`: keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for a role). */
export function planEnv(ctx: PlanContext): void {
  const spec = ctx.spec.env
  if (!spec) return
  const variables = (): Record<string, string> => {
    const issued = 'user' in spec ? ctx.user(spec.user, 'env') : ctx.roleSession(spec.role, ENV_ROLE_SESSION, 'env')
    return { AWS_ACCESS_KEY_ID: issued.accessKeyId, AWS_SECRET_ACCESS_KEY: issued.secretAccessKey, ...(issued.sessionToken ? { AWS_SESSION_TOKEN: issued.sessionToken } : {}) }
  }
  Object.assign(ctx.env, variables())
  // world.rotate('env'): new keys in the variables; providers that read them again (fromEnv, a new client) get them
  ctx.server.parts.env = { rotate: variables } satisfies EnvServerState
}

/** What world.rotate('env') asks of the env part: the variables of a new set of keys. */
export interface EnvServerState {
  rotate(): Record<string, string>
}
