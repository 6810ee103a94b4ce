import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { ChainReport, CredentialFetch, CredentialTarget, CredentialWorld, Identity, RecordedRequest, SdkName, Source, SourceName, WorldSpec } from '../types.js'
import { normalizeSource } from '../chain/sources.js'
import type { EnvServerState } from '../sources/env/plan.js'
import type { ProcessHelper, ProcessServerState } from '../sources/process/state.js'
import { Clock } from './clock.js'
import { ChainproofError } from '../errors.js'
import type { ServerWorld } from '../servers/state.js'
import { startLoopbackServers } from '../servers/index.js'
import { Ledger } from '../servers/ledger.js'
import { parseWorldSpec } from './spec.js'
import { planWorld } from './build.js'
import { type BlockedConnection, type RoutedConnection, blockedConnections, installNetworkGuard, routedConnections, setNetworkRoutes, uninstallNetworkGuard } from './guard.js'
import { EnvSandbox, type SandboxLayout, createSandboxHome, fileStamp, removeSandboxHome, removeSandboxHomeSync, writeSandboxFiles } from './sandbox.js'
import { ownerFile, sweepOnce } from './sweep.js'

/**
 * The one active world of this process. Kept on globalThis so that the ESM and CommonJS
 * builds of chainproof, if both are loaded, still agree that only one world is active.
 */
interface ActiveSlot {
  world?: WorldImpl
  /** Where the active (or activating) world was created, for the "already active" error (put into words when asked). */
  createdAt?: () => string
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
  return locationIn(new Error().stack)
}

/**
 * Where the caller is, captured now and put into words only when asked: V8 collects the frames
 * when the stack is captured but formats them on the first read of `stack`, which costs several
 * times more, and most worlds never need to say where they were made.
 */
export function callerLocationLater(): () => string {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, callerLocationLater)
  let text: string | undefined
  return () => (text ??= locationIn(holder.stack))
}

function locationIn(stackText: string | undefined): string {
  const stack = stackText?.split('\n').slice(1) ?? []
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

/** Sources world.rotate can rotate, and what it does for each (docs/time.md). */
const ROTATES_BY_FETCH: readonly Source[] = ['webIdentity', 'sso', 'login']

export class WorldImpl implements CredentialWorld {
  #env: Readonly<Record<string, string>>
  readonly clock = new Clock()
  readonly home: string
  readonly endpoints: CredentialWorld['endpoints']
  readonly spec: Readonly<WorldSpec>
  readonly ledger: Ledger
  readonly #createdAt: () => string
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
  readonly #layout: SandboxLayout | undefined
  /** The shared files as the world wrote them (path → stamp), for a report to tell whether they were changed since. */
  readonly sharedFileStamps: ReadonlyMap<string, string>

  constructor(init: {
    spec: WorldSpec
    env: Record<string, string>
    home: string
    endpoints: CredentialWorld['endpoints']
    ledger: Ledger
    server: Omit<ServerWorld, 'record'>
    sandbox: EnvSandbox
    detach: () => void
    /** Where it was made, put into words when first asked. */
    createdAt: () => string
    childEnv?: Record<string, string | null>
    routes?: boolean
    layout?: SandboxLayout
  }) {
    this.spec = Object.freeze(structuredClone(init.spec))
    const env: Record<string, string> = { ...init.env }
    for (const [name, value] of Object.entries(init.childEnv ?? {})) {
      if (value === null) delete env[name]
      else env[name] = value
    }
    this.#env = Object.freeze(env)
    this.#routes = init.routes ?? false
    this.#layout = init.layout
    const aws = join(init.home, '.aws')
    this.sharedFileStamps = new Map([env.AWS_SHARED_CREDENTIALS_FILE ?? join(aws, 'credentials'), env.AWS_CONFIG_FILE ?? join(aws, 'config')].map((path) => [path, fileStamp(path)]))
    this.home = init.home
    this.endpoints = Object.freeze({ ...init.endpoints })
    this.ledger = init.ledger
    this.#createdAt = init.createdAt
    this.#sandbox = init.sandbox
    this.#detach = init.detach
    this.server = {
      ...init.server,
      record: (request) => {
        if (this.#quiet !== 0) return
        this.#requests.push(request)
        if (request.fetch) this.#countFetch(request.fetch, request.status, request.at, this.#requests.length)
      },
    }
  }

  get env(): Readonly<Record<string, string>> {
    return this.#env
  }

  /** Where the world was created (`file:line:column` of the caller, or what the runner helper said). */
  get createdAt(): string {
    return this.#createdAt()
  }

  get requests(): readonly RecordedRequest[] {
    return this.#requests
  }

  /** Runs of plain credential_process scripts during the report's probes, per run log: not the app's. */
  readonly #quietRuns = new Map<string, number>()

  #processHelpers(): ProcessHelper[] {
    return (this.server.parts?.process as ProcessServerState | undefined)?.helpers ?? []
  }

  #runsOf(log: string): number {
    return this.#runLines(log).length
  }

  /** The key id each run handed out, in order (`run AKIA…` lines). */
  #runLines(log: string): string[] {
    try {
      return readFileSync(log, 'utf8').split('\n').slice(0, -1).map((line) => line.slice(4))
    } catch {
      return []
    }
  }

  /** Each counted run of a plain script: when it was first seen (a script cannot read the world's clock) and the key it handed out. */
  readonly #runsSeen = new Map<string, { at: Date; accessKeyId: string }[]>()

  /** Takes note of the plain scripts' runs since the last look (the probe's excepted), while their logs are there to read. */
  #noticeProcessRuns(): void {
    for (const helper of this.#processHelpers()) {
      if (!helper.runLog) continue
      const lines = this.#runLines(helper.runLog)
      const runs = Math.max(0, lines.length - (this.#quietRuns.get(helper.runLog) ?? 0))
      const seen = this.#runsSeen.get(helper.runLog) ?? []
      while (seen.length < runs) seen.push({ at: new Date(), accessKeyId: lines[lines.length - runs + seen.length] ?? '' })
      this.#runsSeen.set(helper.runLog, seen)
    }
  }

  /** The recorded fetches counted per source and profile as they are recorded (what fetchGroups reads without listing every fetch). */
  readonly #fetchGroups = new Map<string, FetchGroup & { first: number; order: number }>()

  #countFetch(tag: NonNullable<RecordedRequest['fetch']>, status: number, at: Date, order: number): void {
    const key = fetchGroupKey(tag.source, tag.profile)
    let group = this.#fetchGroups.get(key)
    if (!group) this.#fetchGroups.set(key, (group = { n: 0, failed: 0, token: 0, role: 0, first: at.getTime(), order }))
    else if (at.getTime() < group.first) Object.assign(group, { first: at.getTime(), order })
    countFetch(group, tag.step, status)
  }

  /**
   * The world's credential fetches counted per source and profile (`instanceProfile`, `profile (app)`),
   * in order of first fetch: what grouping `fetches` gives, without building the list (a report asks on every call).
   */
  fetchGroups(): Map<string, FetchGroup> {
    if (!this.#disposed) this.#noticeProcessRuns()
    const groups = [...this.#fetchGroups].map(([key, { n, failed, token, role, first, order }]) => ({ key, group: { n, failed, token, role }, first, order }))
    for (const helper of this.#processHelpers()) {
      const runs = this.#runsSeen.get(helper.runLog ?? '') ?? []
      if (!runs.length) continue
      const key = fetchGroupKey('process', helper.profile)
      const known = groups.find((g) => g.key === key)
      if (known) known.group.n += runs.length
      else groups.push({ key, group: { n: runs.length, failed: 0, token: 0, role: 0 }, first: Math.min(...runs.map((r) => r.at.getTime())), order: Number.MAX_SAFE_INTEGER })
    }
    groups.sort((a, b) => a.first - b.first || a.order - b.order)
    return new Map(groups.map(({ key, group }) => [key, group]))
  }

  get fetches(): readonly CredentialFetch[] {
    if (!this.#disposed) this.#noticeProcessRuns()
    const out: CredentialFetch[] = []
    for (const request of this.#requests) {
      const tag = request.fetch
      if (!tag) continue
      const fetch: CredentialFetch = { source: tag.source, step: tag.step, what: fetchWhat(request), status: request.status, at: request.at }
      if (tag.profile !== undefined) fetch.profile = tag.profile
      if (tag.accessKeyId !== undefined && request.status < 300) fetch.accessKeyId = tag.accessKeyId
      out.push(fetch)
    }
    for (const helper of this.#processHelpers()) {
      for (const { at, accessKeyId } of this.#runsSeen.get(helper.runLog ?? '') ?? []) {
        out.push({ source: 'process', profile: helper.profile, step: 'credentials', what: 'credential_process', status: 0, at, ...(accessKeyId && accessKeyId !== '-' ? { accessKeyId } : {}) })
      }
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime())
  }

  generations(source?: SourceName, profile?: string): Identity[] {
    const wanted = source === undefined ? undefined : normalizeSource(source)
    return this.ledger.all().filter((identity) => (wanted === undefined || identity.source === wanted) && (profile === undefined || identity.profile === profile))
  }

  async rotate(source?: SourceName, options: { profile?: string } = {}): Promise<void> {
    if (this.#disposed) throw new ChainproofError('this credential world has been disposed; create a new one to rotate its credentials')
    const wanted = source === undefined ? undefined : normalizeSource(source)
    const helpers = this.#processHelpers().filter((h) => options.profile === undefined || h.profile === options.profile)
    const env = this.server.parts?.env as EnvServerState | undefined
    const can: Record<string, (() => void) | undefined> = {
      instanceProfile: this.server.instanceProfile ? () => void this.server.instanceProfile!.rotate() : undefined,
      container: this.server.container ? () => void this.server.container!.rotate() : undefined,
      env: env ? () => this.#rotateEnv(env) : undefined,
      process: helpers.length ? () => helpers.forEach((h) => this.#rotateProcess(h)) : undefined,
    }
    if (wanted === undefined) {
      for (const rotate of Object.values(can)) rotate?.()
      return
    }
    const rotate = can[wanted]
    if (rotate) return rotate()
    if (ROTATES_BY_FETCH.includes(wanted) || (wanted === 'profile' && this.#hasRoleProfile(options.profile))) return
    const why =
      wanted === 'process' && options.profile !== undefined
        ? `profile "${options.profile}" has no credential_process in this world`
        : wanted === 'profile'
          ? "a profile's static keys live in ~/.aws/credentials, which the SDK reads once per process and caches by path: a rewritten file would never be read, so chainproof does not pretend to rotate them (a role profile's sessions are new at every AssumeRole already)"
          : wanted === 'code'
            ? 'credentials passed in code are not the world\'s to rotate'
            : `this world has no ${wanted} source`
    throw new ChainproofError(`world.rotate(${JSON.stringify(source)}): ${why}. Rotatable here: ${Object.keys(can).filter((k) => can[k]).join(', ') || 'nothing'}.`)
  }

  #hasRoleProfile(profile: string | undefined): boolean {
    return Object.entries(this.spec.profiles ?? {}).some(([name, p]) => (profile === undefined || name === profile) && 'role' in p && p.role !== undefined)
  }

  #rotateEnv(env: EnvServerState): void {
    const variables = env.rotate()
    Object.assign(process.env, variables)
    this.#env = Object.freeze({ ...this.#env, ...variables })
  }

  #rotateProcess(helper: ProcessHelper): void {
    if (helper.stream) {
      helper.stream.rotate()
      return
    }
    const file = helper.rewrite!()
    const temporary = `${file.path}.${process.pid}.tmp`
    writeFileSync(temporary, file.content, { mode: 0o700 })
    renameSync(temporary, file.path)
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
    const logs = this.#quiet === 0 ? this.#processHelpers().flatMap((h) => (h.runLog ? [h.runLog] : [])) : []
    const before = logs.map((log) => this.#runsOf(log))
    this.#quiet++
    try {
      return await fn()
    } finally {
      this.#quiet--
      logs.forEach((log, i) => this.#quietRuns.set(log, (this.#quietRuns.get(log) ?? 0) + this.#runsOf(log) - before[i]!))
    }
  }

  explain(target?: CredentialTarget, options: { sdk?: SdkName } = {}): Promise<ChainReport> {
    if (this.#disposed) return Promise.reject(new ChainproofError('this credential world has been disposed; create a new one to explain'))
    if (!explainer) return Promise.reject(new ChainproofError('chainproof probe is not loaded'))
    return explainer(this, target, options)
  }

  async dispose(): Promise<void> {
    if (this.#release()) await removeSandboxHome(this.home, this.#layout)
  }

  /** Synchronous last-resort cleanup (process exit): env restored, home removed. */
  disposeSync(): void {
    if (this.#release()) removeSandboxHomeSync(this.home, this.#layout)
  }

  /** Restores env, detaches the servers and the guard, frees the slot; false when already disposed. */
  #release(): boolean {
    if (this.#disposed) return false
    this.#noticeProcessRuns() // the plain scripts' run logs are in the sandbox, which is about to go
    this.#disposed = true
    this.clock.dispose()
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

/** A world's credential fetches of one source and profile: credential fetches (`n`, of which `failed`), token PUTs and role-name GETs. */
export interface FetchGroup {
  n: number
  failed: number
  token: number
  role: number
}

/** The group a fetch counts in: its source, and its profile when it has one (`profile (app)`). */
export function fetchGroupKey(source: string, profile: string | undefined): string {
  return profile !== undefined ? `${source} (${profile})` : source
}

/** Counts one fetch into its group: a credential fetch (failed when its status is 300 or more), else its step. */
export function countFetch(group: FetchGroup, step: CredentialFetch['step'], status: number): void {
  if (step === 'credentials') {
    group.n++
    if (status >= 300) group.failed++
  } else group[step]++
}

/** How a recorded fetch is named: the action, or the method and path. */
function fetchWhat(request: RecordedRequest): string {
  if (request.action) return request.action
  return `${request.method} ${request.path}`
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
      `A credential world is already active in this process (created at ${s.createdAt()}). ` +
        'Dispose it first (await world.dispose(), or `await using world = …`); only one world can own process.env at a time, ' +
        'so tests that run concurrently (test.concurrent) cannot each have one — run them sequentially.',
    )
  }
  const given = options.createdAt
  const createdAt = given !== undefined ? () => given : callerLocationLater()
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
    const layout = await writeSandboxFiles([ownerFile(home), ...plan.files], home)
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
      layout,
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
