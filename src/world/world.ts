import { fileURLToPath } from 'node:url'
import type { ChainReport, CredentialTarget, CredentialWorld, Identity, RecordedRequest, SdkName, WorldSpec } from '../types.js'
import { ChainproofError } from '../errors.js'
import type { ServerWorld } from '../servers/state.js'
import { startLoopbackServers } from '../servers/index.js'
import { Ledger } from '../servers/ledger.js'
import { parseWorldSpec } from './spec.js'
import { planWorld } from './build.js'
import { type BlockedConnection, type RoutedConnection, blockedConnections, installNetworkGuard, routedConnections, setNetworkRoutes, uninstallNetworkGuard } from './guard.js'
import { EnvSandbox, createSandboxHome, removeSandboxHome, removeSandboxHomeSync, writeSandboxFiles } from './sandbox.js'
import { ownerFile, sweepOnce } from './sweep.js'

/**
 * The one active world of this process. Kept on globalThis so that the ESM and CommonJS
 * builds of chainproof, if both are loaded, still agree that only one world is active.
 */
interface ActiveSlot {
  world?: WorldImpl
  /** Where the active (or activating) world was created, for the "already active" error. */
  createdAt?: string
}
const SLOT_KEY = Symbol.for('chainproof.activeWorld')
function slot(): ActiveSlot {
  const g = globalThis as { [SLOT_KEY]?: ActiveSlot }
  return (g[SLOT_KEY] ??= {})
}

export function activeWorld(): WorldImpl | undefined {
  return slot().world
}

/** chainproof's own directory (src/ or dist/), whose frames are skipped when naming a caller. */
const OWN_ROOT = fileURLToPath(new URL('../', import.meta.url))

export function callerLocation(): string {
  const stack = new Error().stack?.split('\n').slice(1) ?? []
  const frame = stack.find((line) => !line.includes(OWN_ROOT) && !/node:internal|[\\/]node_modules[\\/]|\(<anonymous>\)/.test(line))
  if (!frame) return 'an unknown location (inside a test hook)'
  const trimmed = frame.trim().replace(/^at\s+/, '')
  return trimmed.match(/\((.*)\)$/)?.[1] ?? trimmed
}

type Explainer = (world: WorldImpl, target: CredentialTarget | undefined, options: { sdk?: SdkName }) => Promise<ChainReport>
let explainer: Explainer | undefined
/** The probe registers how a world explains itself (keeps world/ free of probe imports). */
export function registerExplainer(fn: Explainer): void {
  explainer = fn
}

export class WorldImpl implements CredentialWorld {
  readonly env: Readonly<Record<string, string>>
  readonly home: string
  readonly endpoints: CredentialWorld['endpoints']
  readonly spec: Readonly<WorldSpec>
  readonly ledger: Ledger
  readonly createdAt: string
  readonly server: ServerWorld
  readonly #requests: RecordedRequest[] = []
  readonly #sandbox: EnvSandbox
  readonly #detach: () => void
  #quiet = 0
  #disposed = false
  /** Where this world's share of the guard's record starts. */
  readonly #blockedFrom = blockedConnections().length
  readonly #routedFrom = routedConnections().length
  readonly #routes: boolean

  constructor(init: {
    spec: WorldSpec
    env: Record<string, string>
    home: string
    endpoints: CredentialWorld['endpoints']
    ledger: Ledger
    server: Omit<ServerWorld, 'record'>
    sandbox: EnvSandbox
    detach: () => void
    createdAt: string
    childEnv?: Record<string, string | null>
    routes?: boolean
  }) {
    this.spec = Object.freeze(structuredClone(init.spec))
    const env: Record<string, string> = { ...init.env }
    for (const [name, value] of Object.entries(init.childEnv ?? {})) {
      if (value === null) delete env[name]
      else env[name] = value
    }
    this.env = Object.freeze(env)
    this.#routes = init.routes ?? false
    this.home = init.home
    this.endpoints = Object.freeze({ ...init.endpoints })
    this.ledger = init.ledger
    this.createdAt = init.createdAt
    this.#sandbox = init.sandbox
    this.#detach = init.detach
    this.server = {
      ...init.server,
      record: (request) => {
        if (this.#quiet === 0) this.#requests.push(request)
      },
    }
  }

  get requests(): readonly RecordedRequest[] {
    return this.#requests
  }

  /** Connections to non-loopback addresses that the network guard refused while this world was active (should be none). */
  get blockedConnections(): readonly BlockedConnection[] {
    return blockedConnections().slice(this.#blockedFrom)
  }

  /** Connections to the SDK's hard-coded addresses (container.uri 'relative', instanceProfile.endpoint 'linkLocal') that the guard sent to this world's servers. */
  get routedConnections(): readonly RoutedConnection[] {
    return routedConnections().slice(this.#routedFrom)
  }

  get disposed(): boolean {
    return this.#disposed
  }

  identityOf(accessKeyId: string): Identity | undefined {
    return this.ledger.identityOf(accessKeyId)
  }

  /** Runs fn without recording what reaches the servers: the report's probes are not the app's traffic. */
  async quietly<T>(fn: () => Promise<T>): Promise<T> {
    this.#quiet++
    try {
      return await fn()
    } finally {
      this.#quiet--
    }
  }

  explain(target?: CredentialTarget, options: { sdk?: SdkName } = {}): Promise<ChainReport> {
    if (this.#disposed) return Promise.reject(new ChainproofError('this credential world has been disposed; create a new one to explain'))
    if (!explainer) return Promise.reject(new ChainproofError('chainproof probe is not loaded'))
    return explainer(this, target, options)
  }

  async dispose(): Promise<void> {
    if (this.#release()) await removeSandboxHome(this.home)
  }

  /** Synchronous last-resort cleanup (process exit): env restored, home removed. */
  disposeSync(): void {
    if (this.#release()) removeSandboxHomeSync(this.home)
  }

  /** Restores env, detaches the servers and the guard, frees the slot; false when already disposed. */
  #release(): boolean {
    if (this.#disposed) return false
    this.#disposed = true
    this.#sandbox.restore()
    this.#detach()
    if (this.#routes) setNetworkRoutes([])
    uninstallNetworkGuard()
    const s = slot()
    if (s.world === this) {
      s.world = undefined
      s.createdAt = undefined
    }
    return true
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose()
  }
}

/** Signals whose default action ends the process: the active world is disposed first. */
const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let deferred = 0

/**
 * For `chainproof exec`, which passes signals on to its command and disposes the world itself
 * once the command has ended: while held, a signal does not dispose the world. Returns the release.
 */
export function holdSignalCleanup(): () => void {
  deferred++
  let released = false
  return () => {
    if (!released) deferred--
    released = true
  }
}

let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => activeWorld()?.disposeSync())
  for (const signal of CLEANUP_SIGNALS) {
    const onSignal = () => {
      if (deferred === 0) activeWorld()?.disposeSync()
      // Alone, this listener would have kept the process alive: end it as the signal would have (128 + n).
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal)
        process.kill(process.pid, signal)
      }
    }
    process.on(signal, onSignal)
  }
}

/**
 * Creates and activates a credential world: a sandbox HOME with generated shared files,
 * process.env swapped for the world's variables, and the loopback servers serving its state.
 * Only one world is active per process; dispose it (or `await using`) before the next.
 */
export async function createCredentialWorld(input: WorldSpec = {}, options: { createdAt?: string } = {}): Promise<CredentialWorld> {
  const s = slot()
  sweepOnce()
  if (s.createdAt !== undefined) {
    throw new ChainproofError(
      `A credential world is already active in this process (created at ${s.createdAt}). ` +
        'Dispose it first (await world.dispose(), or `await using world = …`); only one world can own process.env at a time, ' +
        'so tests that run concurrently (test.concurrent) cannot each have one — run them sequentially.',
    )
  }
  const createdAt = options.createdAt ?? callerLocation()
  const spec = parseWorldSpec(input)
  s.createdAt = createdAt
  let home: string | undefined
  const sandbox = new EnvSandbox()
  try {
    const servers = await startLoopbackServers()
    home = await createSandboxHome()
    const ledger = new Ledger()
    const endpoints = { ...servers.urls }
    const plan = planWorld(spec, home, endpoints, ledger)
    await writeSandboxFiles([ownerFile(home), ...plan.files])
    let world!: WorldImpl
    world = new WorldImpl({
      spec,
      env: plan.env,
      home,
      endpoints,
      ledger,
      server: plan.server,
      sandbox,
      detach: () => servers.detach(world.server),
      createdAt,
      childEnv: plan.childEnv,
      routes: plan.routes.length > 0,
    })
    sandbox.activate(plan.env)
    installNetworkGuard()
    setNetworkRoutes(plan.routes.map((route) => ({ host: route.host, port: route.port, to: Number(new URL(endpoints[route.to]).port) })))
    servers.attach(world.server)
    s.world = world
    installExitHook()
    return world
  } catch (error) {
    sandbox.restore()
    if (home) await removeSandboxHome(home).catch(() => {})
    s.createdAt = undefined
    s.world = undefined
    throw error
  }
}
