import type { ServerName } from '../types.js'
import { REGISTRY } from '../sources/index.js'
import { gateRoutes } from './gate.js'
import { LoopbackServer, type Route } from './http.js'
import type { ServerWorld } from './state.js'
import { stsRoutes } from './sts.js'

export type { ServerWorld } from './state.js'

export interface LoopbackServers {
  /** `http://127.0.0.1:PORT` of each server (no trailing slash). */
  readonly urls: Readonly<Record<ServerName, string>>
  /** Makes this world the one every server answers for (replacing any other). */
  attach(world: ServerWorld): void
  /** Detaches the world, if it is the one attached; servers then answer 503. */
  detach(world: ServerWorld): void
  close(): Promise<void>
}

/** Each source's own server and the ones several share (STS, the service gate), in port order: imds, container, sts, sso, gate, signin. */
type ServerDefinition = { name: ServerName; routes: readonly Route[]; portOffset: number }
const SERVERS: readonly ServerDefinition[] = [
  ...REGISTRY.flatMap((s): ServerDefinition[] => (s.server ? [s.server] : [])),
  { name: 'sts' as const, routes: [...REGISTRY.flatMap((s) => s.stsRoutes ?? []), ...stsRoutes], portOffset: 2 },
  { name: 'gate' as const, routes: gateRoutes, portOffset: 4 },
].sort((a, b) => a.portOffset - b.portOffset)
export const SERVER_NAMES: readonly ServerName[] = SERVERS.map((s) => s.name)

/** `chainproof serve --port-base n` and the container world: each server's port is n + its offset; the control server's is fixed at 5. */
export const PORT_OFFSETS: Readonly<Record<ServerName | 'control', number>> = Object.fromEntries(
  [...SERVERS.map((s) => [s.name, s.portOffset] as const), ['control', 5] as const].sort((a, b) => a[1] - b[1]),
) as Record<ServerName | 'control', number>
/** How many ports from the base a world needs. */
export const PORT_BLOCK = Math.max(...Object.values(PORT_OFFSETS)) + 1

function createServers(): Record<ServerName, LoopbackServer> {
  return Object.fromEntries(
    SERVERS.map(({ name, routes }) => [name, new LoopbackServer(name, routes as Route[], { collapseLeadingSlashes: name === 'imds' })]),
  ) as Record<ServerName, LoopbackServer>
}

/**
 * Where the servers listen. The default (127.0.0.1, a random port each) is what worlds use;
 * `chainproof serve` may pick another host and fixed ports.
 */
export interface LoopbackServerOptions {
  host?: string
  ports?: Partial<Record<ServerName, number>>
}

let running: Promise<LoopbackServers> | undefined
let runningServers: LoopbackServers | undefined
let runningKey: string | undefined

function optionsKey(options: LoopbackServerOptions): string {
  return JSON.stringify({ host: options.host ?? '127.0.0.1', ports: SERVER_NAMES.map((name) => options.ports?.[name] ?? 0) })
}

async function start(options: LoopbackServerOptions): Promise<LoopbackServers> {
  const servers = createServers()
  const all = SERVER_NAMES.map((name) => servers[name])
  try {
    await Promise.all(
      SERVER_NAMES.map((name) => {
        const listen: { host?: string; port?: number } = {}
        if (options.host !== undefined) listen.host = options.host
        const port = options.ports?.[name]
        if (port !== undefined) listen.port = port
        return servers[name].start(listen).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
            throw Object.assign(new Error(`chainproof ${name} server cannot listen on ${listen.host ?? '127.0.0.1'}:${listen.port ?? 0} (${error.code}): choose another host or port`), { code: error.code })
          }
          throw error
        })
      }),
    )
  } catch (error) {
    await Promise.all(all.map((server) => server.close()))
    throw error
  }
  let attached: ServerWorld | undefined
  const handle: LoopbackServers = {
    urls: Object.fromEntries(SERVER_NAMES.map((name) => [name, servers[name].url])) as Record<ServerName, string>,
    attach(world) {
      attached = world
      for (const server of all) server.attach(world)
    },
    detach(world) {
      if (attached !== world) return
      attached = undefined
      for (const server of all) server.detach()
    },
    async close() {
      if (runningServers === handle) {
        running = undefined
        runningServers = undefined
        runningKey = undefined
      }
      attached = undefined
      await Promise.all(all.map((server) => server.close()))
    },
  }
  return handle
}

/**
 * The loopback servers of this process (worker): started on first use, then reused by every
 * later world. Concurrent callers share one start. `options` apply to the first start only;
 * asking for other options while the servers run is an error (stop them first). Without
 * options a call reuses whatever runs.
 */
export function startLoopbackServers(options?: LoopbackServerOptions): Promise<LoopbackServers> {
  if (running && options !== undefined && optionsKey(options) !== runningKey) {
    return Promise.reject(
      new Error('chainproof loopback servers are already running with other host/port options; call stopLoopbackServers() before starting them elsewhere'),
    )
  }
  if (!running) {
    runningKey = optionsKey(options ?? {})
    const starting = start(options ?? {}).then((servers) => {
      if (running === starting) runningServers = servers
      return servers
    })
    running = starting
    starting.catch(() => {
      if (running === starting) {
        running = undefined
        runningKey = undefined
      }
    })
  }
  return running
}

/** Closes the servers, if started; the next {@link startLoopbackServers} starts new ones. */
export async function stopLoopbackServers(): Promise<void> {
  const current = running
  running = undefined
  runningServers = undefined
  runningKey = undefined
  if (!current) return
  const servers = await current.catch(() => undefined)
  await servers?.close()
}
