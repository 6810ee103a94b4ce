import { join } from 'node:path'
import { memoByValue } from '../../memo.js'
import { newTaskId } from '../../servers/ledger.js'
import { type PlanContext, lifetimeOf, randomToken, renewing } from '../../world/plan-context.js'

/** The ECS task metadata address the SDK prefixes AWS_CONTAINER_CREDENTIALS_RELATIVE_URI with. */
export const ECS_CONTAINER_HOST = '169.254.170.2'

/**
 * Whether the SDK refuses this AWS_CONTAINER_CREDENTIALS_FULL_URI before connecting: fromHttp
 * takes https, loopback, 169.254.170.2, 169.254.170.23 and [fd00:ec2::23] only, and
 * fromContainerMetadata only localhost and 127.0.0.1. Such a URL is never contacted.
 */
// a report asks of the same variable again and again: answers are kept by value
export const containerUrlRefused: (value: string) => boolean = memoByValue(refusedUrl)

function refusedUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return true
  }
  if (url.protocol === 'https:') return false
  const host = url.hostname
  if ([ECS_CONTAINER_HOST, '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]', '[0000:0000:0000:0000:0000:0000:0000:0001]'].includes(host)) return false
  const parts = host.split('.')
  return !(parts.length === 4 && parts[0] === '127' && parts.slice(1).every((c) => { const n = parseInt(c, 10); return n >= 0 && n <= 255 }))
}

/** `container: { role, authToken?, uri? }`: AWS_CONTAINER_CREDENTIALS_FULL_URI at the loopback endpoint, and its authorization token (header variable or file). */
export function planContainer(ctx: PlanContext): void {
  const spec = ctx.spec.container
  if (!spec) return
  const taskId = newTaskId()
  const path = `/v2/credentials/${taskId}`
  const mode = spec.authToken ?? 'header'
  const authToken = mode === 'none' ? undefined : randomToken('chainproof-')
  const role = spec.role
  const stream = renewing(() => ctx.roleSession(role, taskId, 'container', undefined, lifetimeOf(spec)))
  ctx.server.container = { path, credentials: stream.current, rotate: stream.rotate, ...(authToken ? { authToken } : {}) }
  if (spec.uri === 'relative') {
    // the SDK asks http://169.254.170.2<path>; the guard routes that to the loopback endpoint. Children get a loopback FULL_URI.
    ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = path
    ctx.routes.push({ host: ECS_CONTAINER_HOST, port: 80, to: 'container' })
    ctx.childEnv.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = null
    ctx.childEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI = ctx.endpoints.container + path
  } else {
    ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = ctx.endpoints.container + path
  }
  if (mode === 'header' && authToken) ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = authToken
  if (mode === 'file' && authToken) {
    const tokenPath = join(ctx.awsDir, 'container-authorization-token')
    ctx.files.push({ path: tokenPath, content: authToken })
    ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenPath
  }
}
