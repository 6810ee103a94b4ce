import { mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { GenericContainer, StartedTestContainer } from 'testcontainers'
import { ChainproofError } from '../errors.js'
import type { ChainLink, ChainReport, RecordedRequest, ServerName, Source, WorldSpec } from '../types.js'
import { parseWorldSpec } from '../world/spec.js'
import { CONTROL_TOKEN_VARIABLE, newControlToken } from '../cli/control-token.js'
import { containerEngine, loadTestcontainers, runtimeClient } from './engine.js'
import { hostView, parseBanner, servePorts, type ServeBanner } from './env.js'
import { buildAppImage, findPackageRoot, type BuiltImage, type ImageBase } from './image.js'
import { PORT_OFFSETS, releasePortBlock, reservePortBlock } from './ports.js'

export interface CredentialWorldContainerOptions {
  /**
   * `host` (default): the container shares this machine's network and `chainproof serve` binds
   * 127.0.0.1 on a free block of six ports. `mapped`: the container has its own network, serve
   * binds inside it and each port is published on 127.0.0.1 only; `env` and `endpoints` carry
   * the mapped ports. (Use `mapped` where host networking is unavailable, e.g. Docker Desktop.)
   */
  network?: 'host' | 'mapped'
  /** With `mapped`: the engine network to attach the container to (default: the engine's default network). */
  mappedNetwork?: string
  /** The first of the six ports (imds, container, sts, sso, gate, control). Default: a free block (host) or 7000 (mapped). */
  portBase?: number
  /** Run this image instead of building one (its entrypoint must take `chainproof serve`'s arguments, `serve` first). */
  image?: string
  /** Base of the built image: `auto` (default: node:20-slim when present or pullable, else FROM scratch), `node` or `scratch`. */
  base?: ImageBase
  /** The chainproof package whose `dist/world-server.cjs` is put in the image (default: this one). */
  packageRoot?: string
  /**
   * Bind-mount a fresh directory of this machine at the same path in the container, as the
   * world's TMPDIR, so the world's HOME (its `.aws` files, token files) exists here too at the
   * path `env.HOME` names: hand `env` to a process here, or mount {@link StartedCredentialWorldContainer.bindMounts}
   * into another container. Default: true with host networking.
   */
  shareHome?: boolean
  /** How long the container may take to print its banner (default 60 s). */
  startupTimeoutMs?: number
  /** Where one-line progress messages go (default: stderr). */
  log?: (line: string) => void
}

/** The report of `GET /explain`, as a {@link ChainReport}. */
interface ExplainJson {
  sdk?: string
  winner?: Source
  shadowed?: Source[]
  links?: ChainLink[]
  hints?: string[]
  text?: string
}

const LABEL = 'org.chainproof.world'
/** The world image's program, under the package's dist (see src/testcontainers/world-server.ts). */
const WORLD_SERVER = 'world-server.cjs'

/** A world served by `chainproof serve` in a container, as seen from this machine. */
export class StartedCredentialWorldContainer implements AsyncDisposable {
  /** Every variable the world sets, endpoints rewritten for this machine: hand it to the service under test. */
  readonly env: Readonly<Record<string, string>>
  readonly endpoints: Readonly<Record<ServerName, string>>
  /** The control server (`/requests`, `/explain`, `/env`, `/healthz`); it answers only with the world's control token, which {@link requests} and {@link explain} send. */
  readonly control: string
  readonly spec: Readonly<WorldSpec>
  /** The image that runs the world. */
  readonly image: string
  /** The first of the six ports serve listens on (inside the container's network). */
  readonly portBase: number
  readonly network: 'host' | 'mapped'
  /** The underlying testcontainers container. */
  readonly container: StartedTestContainer
  /** Mounts that give another container the world's HOME at the same path (empty without shareHome). */
  readonly bindMounts: ReadonlyArray<{ source: string; target: string; mode: 'rw' | 'ro' }>
  /**
   * The variables as seen from inside the world container's network (its own ports). The same
   * as {@link env} with host networking; with mapped ports, what a container that joins the
   * world's network namespace ({@link applyTo}) must be given.
   */
  readonly containerEnv: Readonly<Record<string, string>>
  readonly #logs: string[]
  readonly #cleanup: () => Promise<void>
  readonly #controlToken: string
  #stopping: Promise<void> | undefined

  constructor(init: {
    banner: ServeBanner
    inside: ServeBanner
    spec: WorldSpec
    image: string
    portBase: number
    network: 'host' | 'mapped'
    container: StartedTestContainer
    bindMounts: StartedCredentialWorldContainer['bindMounts']
    controlToken: string
    logs: string[]
    cleanup: () => Promise<void>
  }) {
    this.env = Object.freeze({ ...init.banner.env })
    this.containerEnv = Object.freeze({ ...init.inside.env })
    this.endpoints = Object.freeze({ ...init.banner.endpoints })
    this.control = init.banner.control
    this.spec = Object.freeze(structuredClone(init.spec))
    this.image = init.image
    this.portBase = init.portBase
    this.network = init.network
    this.container = init.container
    this.bindMounts = Object.freeze(init.bindMounts.map((m) => Object.freeze({ ...m })))
    this.#logs = init.logs
    this.#cleanup = init.cleanup
    this.#controlToken = init.controlToken
  }

  /** The world's HOME (a path inside the container; also on this machine with shareHome). */
  get home(): string {
    return this.env.HOME ?? ''
  }

  /** What the container printed so far (stdout and stderr lines). Holds no secret: serve prints none. */
  get logs(): readonly string[] {
    return this.#logs
  }

  async #get(path: string): Promise<unknown> {
    if (this.#stopping) throw new ChainproofError(`this container world has been stopped; cannot GET ${path}`)
    let response: Response
    try {
      response = await fetch(this.control + path, { headers: { authorization: `Bearer ${this.#controlToken}` }, signal: AbortSignal.timeout(30_000) })
    } catch (error) {
      throw new ChainproofError(`the world container's control server (${this.control}${path}) did not answer: ${(error as Error).message}`)
    }
    const body = await response.text()
    if (!response.ok) throw new ChainproofError(`the world container's control server answered ${response.status} to GET ${path}: ${body.slice(0, 500)}`)
    return JSON.parse(body) as unknown
  }

  /**
   * Configures another container (the service under test) to run in this world: on its
   * network (host networking, or the world container's own network namespace with mapped
   * ports), with the world's variables and its shared HOME mounted at the same path, as this
   * machine's user. Returns the container, for chaining.
   */
  applyTo<T extends GenericContainer>(container: T): T {
    container.withNetworkMode(this.network === 'host' ? 'host' : `container:${this.container.getId()}`)
    container.withEnvironment({ ...this.containerEnv })
    if (this.bindMounts.length) {
      container.withBindMounts(this.bindMounts.map((m) => ({ ...m })))
      if (typeof process.getuid === 'function' && typeof process.getgid === 'function') container.withUser(`${process.getuid()}:${process.getgid()}`)
    }
    return container
  }

  /** The requests that reached the world's servers so far, as the container recorded them. */
  async requests(): Promise<RecordedRequest[]> {
    const raw = (await this.#get('/requests')) as Array<Omit<RecordedRequest, 'at'> & { at: string | number }>
    if (!Array.isArray(raw)) throw new ChainproofError('the world container answered GET /requests with something other than an array')
    return raw.map((request) => ({ ...request, at: new Date(request.at) }))
  }

  /** The chain report of the world's own environment, computed in the container. */
  async explain(): Promise<ChainReport> {
    const raw = (await this.#get('/explain')) as ExplainJson
    const text = raw.text ?? ''
    const report: ChainReport = {
      sdk: raw.sdk ?? 'js-v3',
      links: raw.links ?? [],
      shadowed: raw.shadowed ?? [],
      hints: raw.hints ?? [],
      toString: () => text,
    }
    if (raw.winner !== undefined) report.winner = raw.winner
    return report
  }

  /** Stops the container (SIGTERM, then a kill after 5 s), removes it and the shared HOME. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      try {
        await this.container.stop({ timeout: 5_000, remove: true })
      } finally {
        await this.#cleanup()
      }
    })()
    return this.#stopping
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop()
  }
}

const images = new Map<string, Promise<BuiltImage>>()

/** chainproof's own package root: where this module was loaded from (src/ or dist/). */
async function ownPackageRoot(): Promise<string> {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const root = await findPackageRoot(here, 'chainproof')
  if (!root) throw new ChainproofError(`cannot find the chainproof package above ${here}; pass packageRoot`)
  return root
}

/** This process's owner labels: host name, PID namespace and PID, so only a dead owner's containers are reaped. */
async function ownerLabels(): Promise<Record<string, string>> {
  const pidns = await readlink('/proc/self/ns/pid').catch(() => 'unknown')
  return { [`${LABEL}.host`]: hostname(), [`${LABEL}.pidns`]: pidns, [`${LABEL}.pid`]: String(process.pid) }
}

/**
 * Removes world containers left behind by processes that died without stopping them (there is
 * no reaper): only those labelled with this host name and PID namespace whose PID is gone.
 */
let reaped: Promise<void> | undefined
async function reapOrphans(): Promise<void> {
  reaped ??= (async () => {
    const client = await runtimeClient()
    const owner = await ownerLabels()
    if (owner[`${LABEL}.pidns`] === 'unknown') return
    const filters = { label: [`${LABEL}.host=${owner[`${LABEL}.host`]}`, `${LABEL}.pidns=${owner[`${LABEL}.pidns`]}`] }
    const containers = await client.container.dockerode.listContainers({ all: true, filters })
    for (const info of containers) {
      const pid = Number(info.Labels[`${LABEL}.pid`])
      if (!Number.isInteger(pid) || pid === process.pid) continue
      try {
        process.kill(pid, 0)
        continue
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') continue
      }
      await client.container.dockerode
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => {})
      const home = info.Labels[`${LABEL}.home`]
      if (home?.startsWith(join(tmpdir(), 'chainproof-world-'))) await rm(home, { recursive: true, force: true }).catch(() => {})
    }
  })().catch(() => {})
  return reaped
}

/**
 * A credential world in a container: `chainproof serve` from this package, in an image built
 * locally (and cached by content), on loopback only.
 *
 * ```ts
 * await using world = await new CredentialWorldContainer({ instanceProfile: { role: 'web' } }).start()
 * // run the service under test with world.env …
 * await expect(world).toHaveReceivedRequestsSignedBy('instanceProfile')
 * ```
 */
export class CredentialWorldContainer {
  readonly spec: Readonly<WorldSpec>
  readonly options: Readonly<CredentialWorldContainerOptions>

  constructor(spec: WorldSpec = {}, options: CredentialWorldContainerOptions = {}) {
    this.spec = parseWorldSpec(spec)
    this.options = { ...options }
  }

  /**
   * Builds the world image for a chainproof package (default: this one), or finds it in the
   * engine's cache: `chainproof-world:<hash of dist/world-server.cjs, the base and the Node
   * version>`. The image holds a Node runtime and that one self-contained file (`chainproof
   * serve` with every dependency inlined at package build time): no node_modules, so it is the
   * same wherever chainproof is installed (npm, pnpm, a workspace, nested).
   */
  static async buildImage(options: Pick<CredentialWorldContainerOptions, 'base' | 'packageRoot' | 'log'> = {}): Promise<BuiltImage> {
    const started = performance.now()
    const root = options.packageRoot ?? (await ownPackageRoot())
    const server = join(root, 'dist', WORLD_SERVER)
    if (!(await stat(server).catch(() => undefined))?.isFile()) {
      throw new ChainproofError(
        `the world image needs ${server}, which does not exist: it is chainproof's self-contained world server, built with the package. ` +
          `In a clone of chainproof run \`npm run build\` (tsup); in a project, reinstall chainproof (the published package ships dist/${WORLD_SERVER})` +
          (options.packageRoot ? `, or check packageRoot (${options.packageRoot})` : ''),
      )
    }
    const meta = await readFile(join(root, 'dist', 'world-server.meta.json'), 'utf8')
      .then((text) => JSON.parse(text) as { packages?: unknown })
      .catch(() => undefined)
    const packages = Array.isArray(meta?.packages) ? meta.packages.filter((p): p is string => typeof p === 'string') : []
    return buildAppImage(
      'chainproof-world',
      { files: [{ source: server, target: WORLD_SERVER, mode: 0o444 }], links: [], entry: WORLD_SERVER, workdir: '', packages, origin: server },
      options,
      started,
    )
  }

  async #image(): Promise<string> {
    if (this.options.image) return this.options.image
    const key = `${this.options.packageRoot ?? ''}\u0000${this.options.base ?? 'auto'}`
    let pending = images.get(key)
    if (!pending) {
      pending = CredentialWorldContainer.buildImage(this.options)
      images.set(key, pending)
      pending.catch(() => images.delete(key))
    }
    return (await pending).image
  }

  async start(): Promise<StartedCredentialWorldContainer> {
    const engine = await containerEngine()
    if (!engine.available) throw new ChainproofError(`cannot start a credential world container: ${engine.reason}`)
    const { Wait } = await loadTestcontainers()
    await reapOrphans()
    const image = await this.#image()
    const network = this.options.network ?? 'host'
    const shareHome = this.options.shareHome ?? network === 'host'
    const timeout = this.options.startupTimeoutMs ?? 60_000
    const attempts = this.options.portBase === undefined && network === 'host' ? 4 : 1
    let lastError: unknown
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const portBase = this.options.portBase ?? (network === 'host' ? await reservePortBlock() : 7000)
      const shared = shareHome ? await mkdtemp(join(tmpdir(), 'chainproof-world-')) : undefined
      const cleanup = async () => {
        if (this.options.portBase === undefined) releasePortBlock(portBase)
        if (shared) await rm(shared, { recursive: true, force: true }).catch(() => {})
      }
      const logs: string[] = []
      let bannerSeen: (banner: ServeBanner) => void = () => {}
      const banner = new Promise<ServeBanner>((resolve) => (bannerSeen = resolve))
      const consume = (stream: Readable) => {
        let partial = ''
        stream.setEncoding?.('utf8')
        stream.on('data', (chunk: string | Buffer) => {
          partial += String(chunk)
          let newline: number
          while ((newline = partial.indexOf('\n')) >= 0) {
            const line = partial.slice(0, newline).replace(/\r$/, '')
            partial = partial.slice(newline + 1)
            if (logs.length < 2_000) logs.push(line)
            const parsed = parseBanner(line)
            if (parsed) bannerSeen(parsed)
          }
        })
      }
      // mapped ports reach the container's own network namespace from outside it: listen beyond its loopback (the control server still needs the token)
      const host = network === 'host' ? '127.0.0.1' : '0.0.0.0'
      const controlToken = newControlToken()
      const container = (await loopbackContainer(image))
        .withCommand(['serve', '--spec', JSON.stringify(this.spec), '--host', host, ...(network === 'host' ? [] : ['--allow-non-loopback']), '--port-base', String(portBase), '--format', 'json'])
        .withEnvironment({ [CONTROL_TOKEN_VARIABLE]: controlToken })
        .withLabels({ [LABEL]: 'true', ...(await ownerLabels()), ...(shared ? { [`${LABEL}.home`]: shared } : {}) })
        .withLogConsumer(consume)
        .withWaitStrategy(Wait.forLogMessage(/"control"\s*:/))
        .withStartupTimeout(timeout)
      if (network === 'host') container.withNetworkMode('host')
      else {
        container.publishOnLoopback(servePorts(portBase))
        if (this.options.mappedNetwork) container.withNetworkMode(this.options.mappedNetwork)
      }
      const bindMounts = shared ? [{ source: shared, target: shared, mode: 'rw' as const }] : []
      if (shared) {
        container.withBindMounts(bindMounts).withEnvironment({ TMPDIR: shared })
        if (typeof process.getuid === 'function' && typeof process.getgid === 'function') container.withUser(`${process.getuid()}:${process.getgid()}`)
      }
      let started: StartedTestContainer | undefined
      try {
        started = await container.start()
        // A ref'd timer: testcontainers unrefs the log stream, so nothing else keeps this process up meanwhile.
        let timer: NodeJS.Timeout | undefined
        const printed = await Promise.race([banner, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 10_000)))])
        clearTimeout(timer)
        if (!printed) throw new ChainproofError(`the world container printed no banner line (the first stdout line of chainproof serve --format json)`)
        let mapping: Map<number, number> | undefined
        if (network === 'mapped') {
          const running = started
          mapping = new Map(servePorts(portBase).map((port) => [port, running.getMappedPort(port)]))
        }
        const control = hostView(printed, mapping).control
        const authorization = { authorization: `Bearer ${controlToken}` }
        const health = await fetch(`${control}/healthz`, { headers: authorization, signal: AbortSignal.timeout(10_000) }).catch((error: Error) => error)
        if (health instanceof Error || !health.ok) {
          throw new ChainproofError(`the world container's control server ${control}/healthz is not reachable from this machine: ${health instanceof Error ? health.message : health.status}`)
        }
        // The banner withholds secrets (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); GET /env has every variable.
        const full = await fetch(`${control}/env`, { headers: authorization, signal: AbortSignal.timeout(10_000) })
        if (!full.ok) throw new ChainproofError(`the world container's control server answered ${full.status} to GET /env`)
        const world: ServeBanner = { ...printed, env: (await full.json()) as Record<string, string> }
        return new StartedCredentialWorldContainer({
          banner: hostView(world, mapping),
          inside: hostView(world),
          spec: this.spec,
          image,
          portBase,
          network,
          container: started,
          bindMounts,
          controlToken,
          logs,
          cleanup,
        })
      } catch (error) {
        lastError = error
        await started?.stop({ timeout: 0, remove: true }).catch(() => {})
        await cleanup()
        const clash = logs.some((line) => /EADDRINUSE|address already in use/i.test(line))
        if (clash && attempt < attempts) continue
        const tail = logs.slice(-15).map((line) => `    ${line}`).join('\n')
        throw new ChainproofError(
          `the credential world container (${image}) did not start: ${(error as Error).message.split('\n')[0]}` + (tail ? `\n  container output:\n${tail}` : ''),
        )
      }
    }
    throw lastError
  }
}

/** A GenericContainer whose published ports bind 127.0.0.1 only (never every interface). */
interface LoopbackContainer extends GenericContainer {
  publishOnLoopback(ports: number[]): this
}

let loopbackClass: Promise<new (image: string) => LoopbackContainer> | undefined

/** Defined on first use: testcontainers is an optional peer, loaded lazily. */
function loopbackContainer(image: string): Promise<LoopbackContainer> {
  loopbackClass ??= loadTestcontainers().then(({ GenericContainer: Base }) => {
    class Loopback extends Base implements LoopbackContainer {
      publishOnLoopback(ports: number[]): this {
        this.withExposedPorts(...ports)
        const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {}
        for (const port of ports) bindings[`${port}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: '0' }]
        this.hostConfig.PortBindings = bindings
        return this
      }
    }
    return Loopback
  })
  return loopbackClass.then((Class) => new Class(image))
}

export { PORT_OFFSETS }
