import net from 'node:net'

/** One connection the guard refused while a world was active. */
export interface BlockedConnection {
  host: string
  port?: number
  at: Date
  /** What the world lacks that made the code reach for this address. */
  why: string
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3}|0:0:0:0:0:0:0:1)$/i

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host.replace(/^\[|\]$/g, ''))
}

/** Says which world setting would have kept the code on loopback, from the address it tried. */
export function whyBlocked(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === '169.254.169.254' || h === 'fd00:ec2::254') {
    return 'that is the EC2 instance metadata service: something bypassed AWS_EC2_METADATA_SERVICE_ENDPOINT (an explicit endpoint or AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE in code?); give the world an instanceProfile and keep the default endpoint'
  }
  if (h === '169.254.170.2' || h === '169.254.170.23' || h === 'fd00:ec2::23') {
    return 'that is the ECS/EKS container credentials endpoint: use `container: { role }` in the world instead of AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'
  }
  if (h.endsWith('.amazonaws.com') || h.endsWith('.amazonaws.com.cn') || h.endsWith('.aws')) {
    return 'that is a real AWS endpoint: a client was given an explicit `endpoint`, or a request carries its own URL (an SQS QueueUrl, a presigned URL); the world points AWS_ENDPOINT_URL at its loopback gate — leave the endpoint unset in tests, or point it at world.endpoints.gate'
  }
  return 'only loopback addresses may be reached while a chainproof world is active'
}

interface GuardState {
  installed: number
  original?: typeof net.Socket.prototype.connect
  blocked: BlockedConnection[]
}
const STATE_KEY = Symbol.for('chainproof.networkGuard')
function state(): GuardState {
  const g = globalThis as { [STATE_KEY]?: GuardState }
  return (g[STATE_KEY] ??= { installed: 0, blocked: [] })
}

function targetOf(args: unknown[]): { host: string; port?: number } | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0]
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string }
    if (options.path) return undefined // a unix socket or pipe (Docker, IPC)
    const target: { host: string; port?: number } = { host: options.host ?? 'localhost' }
    if (options.port !== undefined) target.port = Number(options.port)
    return target
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) }
  }
  return undefined // a pipe path
}

/**
 * While a world is active, every socket the process opens (node net/tls/http/https and
 * fetch/undici all end in net.Socket#connect) may only go to loopback. Anything else fails
 * at once — before a packet leaves — with an error naming the host and the missing world
 * setting, and is counted. Installs once however many times it is asked; `uninstall` undoes
 * one `install`.
 */
export function installNetworkGuard(): void {
  const s = state()
  s.installed++
  if (s.installed > 1) return
  const original = net.Socket.prototype.connect
  s.original = original
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args)
    if (state().installed > 0 && target && !isLoopbackHost(target.host)) {
      const why = whyBlocked(target.host)
      const blocked: BlockedConnection = { host: target.host, at: new Date(), why }
      if (target.port !== undefined) blocked.port = target.port
      state().blocked.push(blocked)
      const error = Object.assign(
        new Error(`chainproof network guard: refused a connection to ${target.host}${target.port ? `:${target.port}` : ''} while a credential world is active — ${why}`),
        { code: 'ECHAINPROOFGUARD', host: target.host },
      )
      process.nextTick(() => this.destroy(error))
      return this
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
}

export function uninstallNetworkGuard(): void {
  const s = state()
  if (s.installed === 0) return
  s.installed--
  if (s.installed === 0 && s.original) {
    net.Socket.prototype.connect = s.original
    delete s.original
  }
}

/** Every connection refused in this process since it started (or since the last reset). */
export function blockedConnections(): readonly BlockedConnection[] {
  return state().blocked
}

export function resetBlockedConnections(): void {
  state().blocked.length = 0
}
