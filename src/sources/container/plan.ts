import { join } from 'node:path'
import { newTaskId } from '../../world/ledger.js'
import { type PlanContext, lazy, randomToken } from '../../world/plan-context.js'

/** `container: { role, authToken? }`: AWS_CONTAINER_CREDENTIALS_FULL_URI at the loopback endpoint, and its authorization token (header variable or file). */
export function planContainer(ctx: PlanContext): void {
  const spec = ctx.spec.container
  if (!spec) return
  const taskId = newTaskId()
  const path = `/v2/credentials/${taskId}`
  const mode = spec.authToken ?? 'header'
  const authToken = mode === 'none' ? undefined : randomToken('chainproof-')
  const role = spec.role
  ctx.server.container = { path, credentials: lazy(() => ctx.roleSession(role, taskId, 'container')), ...(authToken ? { authToken } : {}) }
  ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = ctx.endpoints.container + path
  if (mode === 'header' && authToken) ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = authToken
  if (mode === 'file' && authToken) {
    const tokenPath = join(ctx.awsDir, 'container-authorization-token')
    ctx.files.push({ path: tokenPath, content: authToken })
    ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenPath
  }
}
