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

/** A connection the guard sent to a world's loopback server instead of the hard-coded address the SDK asked for. */
export interface RoutedConnection {
  /** `169.254.170.2:80`: what the code connected to. */
  from: string
  /** `127.0.0.1:PORT`: where it went. */
  to: string
  at: Date
}

interface GuardState {
  installed: number
  original?: typeof net.Socket.prototype.connect
  blocked: BlockedConnection[]
  /** `host:port` → the loopback port that answers for it, while a world that asks for it is active. */
  routes: Map<string, number>
  routed: RoutedConnection[]
}
const STATE_KEY = Symbol.for('chainproof.networkGuard')
function state(): GuardState {
  const g = globalThis as { [STATE_KEY]?: GuardState }
  const st = (g[STATE_KEY] ??= { installed: 0, blocked: [], routes: new Map(), routed: [] })
  st.routes ??= new Map()
  st.routed ??= []
  return st
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
    const routedTo = target && state().installed > 0 ? state().routes.get(`${target.host.replace(/^\[|\]$/g, '').toLowerCase()}:${target.port ?? 80}`) : undefined
    if (target && routedTo !== undefined) {
      // a hard-coded address the world serves (169.254.170.2, 169.254.169.254): to its loopback server, before any packet leaves
      state().routed.push({ from: `${target.host}:${target.port ?? 80}`, to: `127.0.0.1:${routedTo}`, at: new Date() })
      return (original as (...a: unknown[]) => net.Socket).apply(this, rerouted(args, routedTo))
    }
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

/** The connect arguments with the target replaced by 127.0.0.1:port (node's normalized [options, cb] array is changed in place: it carries a marker). */
function rerouted(args: unknown[], port: number): unknown[] {
  if (Array.isArray(args[0])) {
    const normalized = args[0] as unknown[]
    normalized[0] = { ...(normalized[0] as object), host: '127.0.0.1', port }
    return args
  }
  if (typeof args[0] === 'object' && args[0] !== null) return [{ ...(args[0] as object), host: '127.0.0.1', port }, ...args.slice(1)]
  return [port, '127.0.0.1', ...args.slice(2)]
}

/**
 * While a world that asks for it is active, connections to these hard-coded addresses
 * (`169.254.170.2:80`, `169.254.169.254:80`) go to the world's loopback servers instead. Replaces
 * any routes set before; an empty list removes them.
 */
export function setNetworkRoutes(routes: ReadonlyArray<{ host: string; port: number; to: number }>): void {
  const table = state().routes
  table.clear()
  for (const route of routes) table.set(`${route.host.toLowerCase()}:${route.port}`, route.to)
}

/** Whether connections to host:port are routed to a world's server right now. */
export function isRouted(host: string, port = 80): boolean {
  return state().installed > 0 && state().routes.has(`${host.replace(/^\[|\]$/g, '').toLowerCase()}:${port}`)
}

/** Every connection routed in this process since it started. */
export function routedConnections(): readonly RoutedConnection[] {
  return state().routed
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
