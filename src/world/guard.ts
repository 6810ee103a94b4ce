import dns from 'node:dns'
import { existsSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import workerThreads from 'node:worker_threads'
import net from 'node:net'
import { constants } from 'node:os'

/** One connection the guard refused while a world was active. */
export interface BlockedConnection {
  host: string
  port?: number
  at: Date
  /** What the world lacks that made the code reach for this address. */
  why: string
}

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x, in every spelling an address can have (a BlockList compares numbers, not text). */
const LOOPBACK = new net.BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6')

/** Whether an IP address (not a name) is a loopback one. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const family = net.isIP(bare)
  return family !== 0 && LOOPBACK.check(bare, family === 6 ? 'ipv6' : 'ipv4')
}

/** The one name the guard lets a socket look up: it resolves on the machine, and what it resolves to is checked too. */
function isLocalhostName(host: string): boolean {
  return /^localhost\.?$/i.test(host)
}

/** Whether a host (an address, or the name localhost) may be connected to while a world is active; a name is checked again once looked up. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '')
  return isLocalhostName(bare) || isLoopbackAddress(bare)
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
  /** In a worker thread: where each refusal is reported (the thread that owns the world). */
  report?: (blocked: BlockedConnection) => void
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

type Normalize = (args: unknown[]) => unknown[]
/** node's own argument normalization for connect (a port ' 80' or '0x50' is a port, as node takes it); undefined where it is gone. */
const normalizeArgs = (net as unknown as { _normalizeArgs?: Normalize })._normalizeArgs

function targetOf(args: unknown[]): { host: string; port?: number; options?: Record<string, unknown> } | undefined {
  const normalized = Array.isArray(args[0]) ? (args[0] as unknown[]) : normalizeArgs ? normalizeArgs(args) : args
  const first = normalized[0]
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string }
    if (options.path !== undefined && options.path !== null) return undefined // a unix socket or pipe (Docker, IPC)
    const target: { host: string; port?: number; options?: Record<string, unknown> } = { host: String(options.host ?? 'localhost'), options: options as Record<string, unknown> }
    if (options.port !== undefined) target.port = Number(options.port)
    return target
  }
  return undefined
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void
type Lookup = (hostname: string, options: object, callback: LookupCallback) => void

/** A lookup that refuses, before the socket connects, any answer that is not a loopback address (a custom lookup, or /etc/hosts, mapping localhost elsewhere). */
function guardedLookup(lookup: Lookup, host: string, port: number | undefined): Lookup {
  return (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family)
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address]
      const outside = addresses.find((a) => !isLoopbackAddress(a))
      if (outside === undefined) return callback(null, address, family)
      callback(refusal(`${host} (${outside})`, port, `${host} resolved to ${outside}, which is not loopback: only loopback addresses may be reached while a chainproof world is active`), address, family)
    })
  }
}

/** The guard's message on a socket that node's handles refused: the EACCES error node builds is replaced as the socket is destroyed. */
function explainRefusal(socket: net.Socket, host: string, port: number | undefined): void {
  const destroy = socket.destroy
  socket.destroy = function (this: net.Socket, error?: Error) {
    socket.destroy = destroy
    const refused = error !== undefined && (error as NodeJS.ErrnoException).code === 'EACCES'
    const why = whyBlocked(host)
    const explained = refused ? guardError(host, port, why) : error
    return destroy.call(this, explained)
  } as typeof socket.destroy
}

/** Records a refused connection and returns the error that says why. */
function refusal(host: string, port: number | undefined, why: string = whyBlocked(host)): NodeJS.ErrnoException {
  const blocked: BlockedConnection = { host, at: new Date(), why }
  if (port !== undefined && !Number.isNaN(port)) blocked.port = port
  state().blocked.push(blocked)
  state().report?.(blocked)
  return guardError(host, port, why)
}

/** The error a refused socket fails with: the host, and what the world lacks. */
function guardError(host: string, port: number | undefined, why: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`chainproof network guard: refused a connection to ${host}${port ? `:${port}` : ''} while a credential world is active — ${why}`), {
    code: 'ECHAINPROOFGUARD',
    host,
  })
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
    if (state().installed > 0 && target) {
      if (!isLoopbackHost(target.host)) {
        if (!bindings()?.length) {
          const error = refusal(target.host, target.port)
          process.nextTick(() => this.destroy(error))
          return this
        }
        // node's own handles refuse it (and count it) below; the socket fails as node fails a connect — no false
        // 'connect' for http2 — with the guard's message in place of node's EACCES
        explainRefusal(this, target.host, target.port)
        return (original as (...a: unknown[]) => net.Socket).apply(this, args)
      }
      if (isLocalhostName(target.host.replace(/^\[|\]$/g, ''))) {
        // the name is fine; what it resolves to is checked before the socket connects
        const options = { ...target.options, lookup: guardedLookup((target.options?.lookup as Lookup | undefined) ?? (dns.lookup as unknown as Lookup), target.host, target.port) }
        const callback = (Array.isArray(args[0]) ? (args[0] as unknown[])[1] : args.find((a) => typeof a === 'function')) as (() => void) | undefined
        return (original as (...a: unknown[]) => net.Socket).call(this, options, ...(callback ? [callback] : []))
      }
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
  installBindingGuard()
  guardWorkers()
}

/** The channel worker threads report their refusals on. */
export const GUARD_CHANNEL = 'chainproof.networkGuard'

/** In a worker thread (guard-preload): report each refusal to the thread that owns the world. */
export function reportBlockedTo(report: (blocked: BlockedConnection) => void): void {
  state().report = report
}

interface WorkerGuard {
  original: typeof workerThreads.Worker
  channel: InstanceType<typeof workerThreads.BroadcastChannel>
}
const WORKERS_KEY = Symbol.for('chainproof.networkGuard.workers')

/** The preload file, wherever this copy of chainproof runs from (dist/cjs, dist/esm, or the sources beside a build). */
function preloadFile(): string | undefined {
  let here: string
  try {
    here = dirname(fileURLToPath(import.meta.url))
  } catch {
    return undefined
  }
  return [join(here, 'guard-preload.cjs'), join(here, '..', 'cjs', 'guard-preload.cjs'), join(here, '..', '..', 'dist', 'cjs', 'guard-preload.cjs')].find((file) => existsSync(file))
}

/**
 * While a world is active, every worker thread the process starts gets the guard too: the
 * Worker class of node:worker_threads (for require and import alike) adds the preload to the
 * worker's execArgv, and the refusals its threads report are counted here.
 */
function guardWorkers(): void {
  listenToWorkers(globalThis as { [WORKERS_KEY]?: WorkerGuard }, preloadFile())
}

function listenToWorkers(g: { [WORKERS_KEY]?: WorkerGuard }, preload: string | undefined): void {
  if (g[WORKERS_KEY] || !preload) return
  const original = workerThreads.Worker
  const channel = new workerThreads.BroadcastChannel(GUARD_CHANNEL)
  channel.unref()
  channel.onmessage = (event: unknown) => {
    const data = (event as { data?: BlockedConnection & { at: string } }).data
    if (data && state().installed > 0) state().blocked.push({ ...data, at: new Date(data.at) })
  }
  class GuardedWorker extends original {
    constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
      const execArgv = [...(options.execArgv ?? process.execArgv), '--require', preload!]
      super(filename, state().installed > 0 ? { ...options, execArgv } : options)
    }
  }
  workerThreads.Worker = GuardedWorker as typeof workerThreads.Worker
  syncBuiltinESMExports()
  g[WORKERS_KEY] = { original, channel }
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
    uninstallBindingGuard()
    // The worker guard stays: it adds the preload only while a world is active, and putting
    // worker_threads.Worker back costs a syncBuiltinESMExports on every world (bench/lifecycle).
  }
}

/** Every connection refused in this process since it started (or since the last reset). */
export function blockedConnections(): readonly BlockedConnection[] {
  return state().blocked
}

export function resetBlockedConnections(): void {
  state().blocked.length = 0
}

/**
 * The last line, where every socket of this thread ends whatever called it (a saved reference
 * to the original connect, http2, undici, a custom lookup): node's own TCP and UDP handles and
 * its c-ares resolver. While a world is active they refuse — before any packet — a TCP connect
 * or a UDP send to an address that is not loopback, a DNS query to a server that is not, and a
 * system lookup of any name but localhost; each refusal is counted with the host and why.
 * Where node no longer offers its bindings, the guard above still stands.
 */
interface Binding {
  proto: Record<string, (...args: unknown[]) => unknown>
  method: string
  original: (...args: unknown[]) => unknown
}
const BINDINGS_KEY = Symbol.for('chainproof.networkGuard.bindings')
const EACCES = -(constants.errno.EACCES ?? 13)

function bindings(): Binding[] | undefined {
  return (globalThis as { [BINDINGS_KEY]?: Binding[] })[BINDINGS_KEY]
}

function internal(name: string): Record<string, { prototype: Record<string, (...args: unknown[]) => unknown> }> | undefined {
  try {
    return (process as unknown as { binding(name: string): Record<string, { prototype: Record<string, (...args: unknown[]) => unknown> }> }).binding(name)
  } catch {
    return undefined
  }
}

function patch(list: Binding[], proto: Record<string, (...args: unknown[]) => unknown> | undefined, method: string, replace: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): void {
  const original = proto?.[method]
  if (!proto || typeof original !== 'function') return
  proto[method] = replace(original)
  list.push({ proto, method, original })
}

function installBindingGuard(): void {
  if (bindings()) return
  const list: Binding[] = []
  const active = () => state().installed > 0
  const tcp = internal('tcp_wrap')?.TCP?.prototype
  for (const method of ['connect', 'connect6']) {
    patch(list, tcp, method, (original) => function (this: unknown, ...args: unknown[]) {
      const [, address, port] = args as [unknown, string, number]
      if (active() && !isLoopbackAddress(String(address))) {
        refusal(String(address), port)
        return EACCES
      }
      return original.apply(this, args)
    })
  }
  const udp = internal('udp_wrap')?.UDP?.prototype
  for (const [method, at] of [['send', 4], ['send6', 4], ['connect', 0], ['connect6', 0]] as const) {
    patch(list, udp, method, (original) => function (this: unknown, ...args: unknown[]) {
      const address = args[at]
      // send on a connected socket passes no address: the connect was checked
      if (active() && typeof address === 'string' && !isLoopbackAddress(address)) {
        refusal(address, Number(args[at === 0 ? 1 : 3]), `a UDP ${method.startsWith('send') ? 'datagram' : 'socket'} to ${address}: only loopback addresses may be reached while a chainproof world is active`)
        return EACCES
      }
      return original.apply(this, args)
    })
  }
  const cares = internal('cares_wrap') as (Record<string, unknown> & { ChannelWrap?: { prototype: Record<string, (...args: unknown[]) => unknown> } }) | undefined
  const channel = cares?.ChannelWrap?.prototype
  for (const method of Object.getOwnPropertyNames(channel ?? {}).filter((m) => /^query|^getHostByAddr$/.test(m))) {
    patch(list, channel, method, (original) => function (this: { getServers(): [string, number][] }, ...args: unknown[]) {
      if (active()) {
        const outside = this.getServers().find(([address]) => !isLoopbackAddress(address))
        if (outside) {
          refusal(outside[0], outside[1], `a DNS query (${String(args[1])}) to the name server ${outside[0]}: only loopback addresses may be reached while a chainproof world is active`)
          return EACCES
        }
      }
      return original.apply(this, args)
    })
  }
  patch(list, cares as unknown as Record<string, (...args: unknown[]) => unknown>, 'getaddrinfo', (original) => function (this: unknown, ...args: unknown[]) {
    const hostname = String(args[1])
    if (active() && !isLocalhostName(hostname) && net.isIP(hostname) === 0) {
      const known = whyBlocked(hostname)
      refusal(hostname, undefined, known.startsWith('only loopback') ? `a lookup of ${hostname} would ask the machine's name servers: only localhost and loopback addresses may be reached while a chainproof world is active` : known)
      return EACCES
    }
    return original.apply(this, args)
  })
  ;(globalThis as { [BINDINGS_KEY]?: Binding[] })[BINDINGS_KEY] = list
}

function uninstallBindingGuard(): void {
  const list = bindings()
  if (!list) return
  for (const { proto, method, original } of list.reverse()) proto[method] = original
  delete (globalThis as { [BINDINGS_KEY]?: Binding[] })[BINDINGS_KEY]
}
