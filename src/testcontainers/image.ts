import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { chmod, copyFile, mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import { ChainproofError } from '../errors.js'
import { packageClosure, requiredPackages, type ClosureFile, type ClosureLink } from './closure.js'
import { loadTestcontainers, runtimeClient } from './engine.js'

/**
 * Images for Node programs, built locally and cached by content:
 *
 * - `node` base: `FROM node:20-slim` (used when that image is present or can be pulled);
 * - `scratch` base: `FROM scratch` with the running Node binary and the shared libraries it
 *   links (read with `ldd`), for machines that cannot reach an image registry.
 *
 * {@link buildNodeImage} (for users' own service images) copies the program's own files and the
 * packages it requires (with their dependencies) under /app, keeping their layout relative to
 * each other (symlinks included), so Node inside the image resolves modules exactly as it does
 * here. {@link buildAppImage} takes the files ready-made: the world image is one
 * self-contained file (dist/world-server.cjs) and no node_modules at all. The tag is
 * `<name>:<hash>`, the hash covering every copied file's content, the base and the Node
 * version: an image is built once per content and reused by every later run.
 */

export type ImageBase = 'auto' | 'node' | 'scratch'
export const NODE_BASE_IMAGE = 'node:20-slim'

export interface NodeImageOptions {
  /** Repository part of the tag (`chainproof-world`, `my-service`). */
  name: string
  /** The program's entry file (absolute path): `node <entry> …args` is the image's entrypoint. */
  entry: string
  /** More of the program's own files to copy (its relative requires are followed anyway). */
  files?: readonly string[]
  /** Packages the program requires, besides those found in its files; resolved from `from`. */
  packages?: readonly string[]
  /** Packages copied when installed, skipped when not. */
  optionalPackages?: readonly string[]
  /** Where packages are resolved from (default: the entry's directory). */
  from?: string
  /** `auto` (default, or CHAINPROOF_IMAGE_BASE): a Node base image when present or pullable, else `scratch`. */
  base?: ImageBase
  /** How long to try pulling the Node base image before falling back (default 20 s). */
  pullTimeoutMs?: number
  /** Where one-line progress messages go (default: stderr). */
  log?: (line: string) => void
}

export interface BuiltImage {
  /** `name:hash`. */
  image: string
  hash: string
  base: 'node' | 'scratch'
  /** False when the image was already there (the cache hit). */
  built: boolean
  /** Time spent here: collecting, hashing and (when built) building. */
  ms: number
  /** The image's size as the engine reports it. */
  sizeBytes: number
  /** Files copied into /app (the program and its packages). */
  files: number
  /** Packages copied (name@version). */
  packages: string[]
}

/**
 * What goes under /app in an image and how it runs: files and symlinks at paths relative to
 * /app (POSIX), the entry file and the working directory (relative to /app too).
 */
export interface AppContent {
  files: Array<{ source: string; target: string; mode: number }>
  links: Array<{ path: string; target: string }>
  entry: string
  workdir: string
  /** Packages in it (name@version), reported in {@link BuiltImage.packages}. */
  packages: string[]
  /** Where it came from, for the Dockerfile's comment. */
  origin: string
}

function commonAncestor(paths: readonly string[]): string {
  let common = paths[0]!.split(sep)
  for (const path of paths.slice(1)) {
    const parts = path.split(sep)
    let i = 0
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++
    common = common.slice(0, i)
  }
  return common.join(sep) || sep
}

/** The program's files and its package closure, mirrored under /app relative to their nearest common ancestor. */
async function collect(options: NodeImageOptions): Promise<AppContent> {
  const entry = await realpath(resolve(options.entry))
  const own = await requiredPackages([entry, ...(options.files ?? []).filter((f) => /\.[cm]?js$/.test(f))])
  const ownFiles = new Set([...own.files, ...(options.files ?? []).map((f) => resolve(f))])
  const from = await realpath(options.from ?? dirname(entry))
  const explicit = new Set(options.packages ?? [])
  const optional = new Set([...(options.optionalPackages ?? []), ...[...own.packages].filter((p) => !explicit.has(p))])
  const closure = await packageClosure([...explicit, ...optional], from, { optional })
  const files: ClosureFile[] = []
  for (const file of ownFiles) {
    const info = await stat(file)
    files.push({ source: file, path: file, size: info.size, mode: info.mode & 0o777 })
  }
  files.push(...closure.files)
  const root = commonAncestor([...files.map((f) => dirname(f.path)), ...closure.links.map((l) => dirname(l.path))])
  const under = (path: string) => relative(root, path).split(sep).join('/')
  return {
    files: files.map((f) => ({ source: f.source, target: under(f.path), mode: f.mode })),
    links: closure.links.map((l: ClosureLink) => ({ path: under(l.path), target: l.target })),
    entry: under(entry),
    workdir: under(dirname(entry)),
    packages: [...closure.packages.values()].sort(),
    origin: entry,
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

const ENGINE_ARCH: Record<string, string> = { x86_64: 'x64', amd64: 'x64', aarch64: 'arm64', arm64: 'arm64' }

/** Why a FROM scratch image cannot run this very Node binary (only a Linux binary of the engine's architecture can), if it cannot. */
async function scratchProblem(): Promise<string | undefined> {
  const client = await runtimeClient()
  const engineArch = client.info.containerRuntime.architecture
  if (process.platform !== 'linux') return `this Node is a ${process.platform} binary`
  if (ENGINE_ARCH[engineArch] !== undefined && ENGINE_ARCH[engineArch] !== process.arch) return `this Node is built for ${process.arch}, the engine runs ${engineArch}`
  return undefined
}

async function assertScratchPossible(): Promise<void> {
  const problem = await scratchProblem()
  if (problem) {
    throw new ChainproofError(`cannot build a FROM scratch image with this machine's Node (${problem}); make ${NODE_BASE_IMAGE} available to the engine (docker pull ${NODE_BASE_IMAGE}) and use base 'auto' or 'node'`)
  }
}

/** The running Node binary and the shared libraries it loads, as `ldd` lists them. */
async function nodeRuntimeFiles(): Promise<Array<{ source: string; target: string }>> {
  await assertScratchPossible()
  const node = await realpath(process.execPath)
  const out: Array<{ source: string; target: string }> = [{ source: node, target: '/usr/local/bin/node' }]
  let listing: string
  try {
    listing = (await promisify(execFile)('ldd', [node], { encoding: 'utf8' })).stdout
  } catch (error) {
    const message = String((error as { stdout?: string }).stdout ?? '') + String((error as { stderr?: string }).stderr ?? '')
    if (/not a dynamic executable|statically linked/.test(message)) return out
    throw new ChainproofError(
      `cannot list the shared libraries of ${node} (ldd failed: ${(error as Error).message.split('\n')[0]}); a FROM scratch image needs them. Make ${NODE_BASE_IMAGE} available (docker pull) or install ldd.`,
    )
  }
  for (const line of listing.split('\n')) {
    const match = /^\s*(?:\S+\s+=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line)
    if (match) out.push({ source: await realpath(match[1]!), target: match[1]! })
  }
  return out
}

let pullVerdict: Promise<boolean> | undefined

/** Whether the Node base image is here or can be pulled within the timeout (asked once per process). */
async function nodeBaseAvailable(timeoutMs: number): Promise<boolean> {
  pullVerdict ??= (async () => {
    const { ImageName } = await loadTestcontainers()
    const client = await runtimeClient()
    const name = ImageName.fromString(NODE_BASE_IMAGE)
    if (await imageInfo(NODE_BASE_IMAGE)) return true
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((done) => {
      timer = setTimeout(() => done(false), timeoutMs)
    })
    const pulled = client.image.pull(name).then(
      () => true,
      () => false,
    )
    const ok = await Promise.race([pulled, timeout])
    clearTimeout(timer)
    return ok && (await imageInfo(NODE_BASE_IMAGE)) !== undefined
  })()
  return pullVerdict
}

/** The engine's view of an image (uncached), or undefined when it does not exist. */
export async function imageInfo(image: string): Promise<{ Id: string; Size: number } | undefined> {
  const client = await runtimeClient()
  try {
    const info = await client.container.dockerode.getImage(image).inspect()
    return { Id: info.Id, Size: info.Size }
  } catch (error) {
    if (/no such image|404/i.test(String((error as Error).message))) return undefined
    throw error
  }
}

/** Removes an image if it exists (the bench's cold build). */
export async function removeImage(image: string): Promise<boolean> {
  const client = await runtimeClient()
  if (!(await imageInfo(image))) return false
  await client.container.dockerode.getImage(image).remove({ force: true })
  return true
}

interface Plan {
  content: AppContent
  runtime: Array<{ source: string; target: string }>
  hash: string
}

/** The hash of what is copied into /app: every file's content and mode, the links and the entry. */
async function contentHash(content: AppContent): Promise<string> {
  const hash = createHash('sha256')
  const sorted = [...content.files].sort((a, b) => (a.target < b.target ? -1 : 1))
  for (const file of sorted) hash.update(`file ${file.target} ${file.mode.toString(8)} ${await sha256File(file.source)}\n`)
  for (const link of [...content.links].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`link ${link.path} ${link.target}\n`)
  hash.update(`entry ${content.entry}\nworkdir ${content.workdir}\n`)
  return hash.digest('hex')
}

/** The image's hash: the content, plus the base (the base image's id, or this Node binary and its libraries). */
async function plan(base: 'node' | 'scratch', app: AppContent, content: string): Promise<Plan> {
  const hash = createHash('sha256')
  hash.update(`chainproof-image v1\ncontent ${content}\nbase ${base === 'node' ? NODE_BASE_IMAGE : 'scratch'}\n`)
  let runtime: Plan['runtime'] = []
  if (base === 'scratch') {
    runtime = await nodeRuntimeFiles()
    hash.update(`node ${process.version} ${process.arch}\n`)
    for (const file of runtime) {
      const info = await stat(file.source)
      hash.update(`runtime ${file.target} ${file.source} ${info.size} ${info.mtimeMs}\n`)
    }
  } else {
    const baseImage = await imageInfo(NODE_BASE_IMAGE)
    hash.update(`base-id ${baseImage?.Id ?? '?'}\n`)
  }
  return { content: app, runtime, hash: hash.digest('hex').slice(0, 16) }
}

/** `/app/<path>` (path relative to /app, POSIX; '' is /app itself). */
function appPath(path: string): string {
  return path ? `/app/${path}` : '/app'
}

async function writeContext(p: Plan, base: 'node' | 'scratch', name: string): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'chainproof-image-'))
  try {
    await fillContext(context, p, base, name)
    return context
  } catch (error) {
    await rm(context, { recursive: true, force: true }).catch(() => {})
    throw error
  }
}

async function fillContext(context: string, p: Plan, base: 'node' | 'scratch', name: string): Promise<void> {
  const { content } = p
  for (const file of content.files) {
    const target = join(context, 'app', ...file.target.split('/'))
    await mkdir(dirname(target), { recursive: true })
    await copyFile(file.source, target)
    await chmod(target, file.mode | 0o444)
  }
  for (const link of content.links) {
    const target = join(context, 'app', ...link.path.split('/'))
    await mkdir(dirname(target), { recursive: true })
    await rm(target, { recursive: true, force: true })
    await symlink(link.target, target)
  }
  await mkdir(join(context, 'app'), { recursive: true })
  const entry = appPath(content.entry)
  const workdir = appPath(content.workdir)
  const lines = [`# ${name}: built by chainproof from ${content.origin}`]
  if (base === 'scratch') {
    for (const file of p.runtime) {
      const target = join(context, 'rootfs', ...file.target.split('/').filter(Boolean))
      await mkdir(dirname(target), { recursive: true })
      await copyFile(file.source, target)
      await chmod(target, 0o755)
    }
    await mkdir(join(context, 'rootfs', 'tmp'), { recursive: true })
    await chmod(join(context, 'rootfs', 'tmp'), 0o1777)
    lines.push('FROM scratch', 'COPY rootfs/ /', 'ENV PATH=/usr/local/bin')
  } else {
    lines.push(`FROM ${NODE_BASE_IMAGE}`)
  }
  lines.push(
    'COPY app/ /app/',
    'ENV NODE_ENV=production AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true',
    `WORKDIR ${workdir}`,
    `ENTRYPOINT ${JSON.stringify(['/usr/local/bin/node', entry])}`,
  )
  await writeFile(join(context, 'Dockerfile'), lines.join('\n') + '\n')
}

/** `CHAINPROOF_IMAGE_BASE=scratch|node|auto`: the default base when the caller names none. */
function baseFromEnv(): ImageBase | undefined {
  const value = process.env.CHAINPROOF_IMAGE_BASE
  if (value === undefined || value === '') return undefined
  if (value === 'auto' || value === 'node' || value === 'scratch') return value
  throw new ChainproofError(`CHAINPROOF_IMAGE_BASE must be auto, node or scratch; got ${JSON.stringify(value)}`)
}

const building = new Map<string, Promise<BuiltImage>>()

/**
 * Builds (or finds in the cache) an image running `node <entry>`. Concurrent calls for the same
 * content in one process share one build.
 */
export async function buildNodeImage(options: NodeImageOptions): Promise<BuiltImage> {
  const started = performance.now()
  return buildAppImage(options.name, await collect(options), options, started)
}

/**
 * Builds (or finds in the cache) an image of `content` under /app on a Node base: the engine's
 * side of {@link buildNodeImage}, also used for the world image (one self-contained file).
 */
export async function buildAppImage(
  name: string,
  app: AppContent,
  options: Pick<NodeImageOptions, 'base' | 'pullTimeoutMs' | 'log'> = {},
  started = performance.now(),
): Promise<BuiltImage> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'))
  const requested = options.base ?? baseFromEnv() ?? 'auto'
  const tag = (hash: string) => `${name}:${hash}`

  // The cache first: an image for either base, already built, needs no registry at all.
  const candidates: Array<'node' | 'scratch'> = requested === 'auto' ? ['node', 'scratch'] : [requested]
  const content = await contentHash(app)
  for (const base of candidates) {
    if (base === 'node' && !(await imageInfo(NODE_BASE_IMAGE))) continue
    if (base === 'scratch' && requested === 'auto' && (await scratchProblem())) continue
    const p = await plan(base, app, content)
    const found = await imageInfo(tag(p.hash))
    if (found) return result(tag(p.hash), p, base, false, found.Size, started)
  }

  let base: 'node' | 'scratch'
  if (requested === 'scratch') base = 'scratch'
  else if (await nodeBaseAvailable(options.pullTimeoutMs ?? 20_000)) base = 'node'
  else if (requested === 'node') throw new ChainproofError(`cannot pull ${NODE_BASE_IMAGE} (no registry reachable?); use base: 'scratch' to build from the running Node binary instead`)
  else {
    const problem = await scratchProblem()
    if (problem) throw new ChainproofError(`${NODE_BASE_IMAGE} cannot be pulled (no registry reachable?) and a FROM scratch image cannot run this machine's Node (${problem}): make ${NODE_BASE_IMAGE} available to the engine`)
    base = 'scratch'
    log(`chainproof: ${NODE_BASE_IMAGE} cannot be pulled (no registry reachable); building ${name} FROM scratch with this machine's Node ${process.version} and its shared libraries`)
  }
  const p = await plan(base, app, content)
  const image = tag(p.hash)
  const key = image
  let pending = building.get(key)
  if (!pending) {
    pending = (async () => {
      const existing = await imageInfo(image)
      if (existing) return result(image, p, base, false, existing.Size, started)
      const context = await writeContext(p, base, name)
      try {
        const { GenericContainer } = await loadTestcontainers()
        try {
          await GenericContainer.fromDockerfile(context).build(image, { deleteOnExit: false })
        } catch (error) {
          throw new ChainproofError(
            `building image ${image} failed: ${(error as Error).message}. Run with DEBUG=testcontainers:build for the engine's output.`,
          )
        }
      } finally {
        await rm(context, { recursive: true, force: true }).catch(() => {})
      }
      const info = await imageInfo(image)
      return result(image, p, base, true, info?.Size ?? 0, started)
    })()
    building.set(key, pending)
    // Only concurrent callers share a build; a later call looks at the engine again (the image may have been removed).
    pending.then(
      () => building.delete(key),
      () => building.delete(key),
    )
  }
  return pending
}

function result(image: string, p: Plan, base: 'node' | 'scratch', built: boolean, sizeBytes: number, started: number): BuiltImage {
  return {
    image,
    hash: p.hash,
    base,
    built,
    ms: Math.round(performance.now() - started),
    sizeBytes,
    files: p.content.files.length,
    packages: p.content.packages,
  }
}

/** The nearest directory above `from` holding a package.json named `name`. */
export async function findPackageRoot(from: string, name: string): Promise<string | undefined> {
  let dir = resolve(from)
  for (;;) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined)
    if (manifest) {
      try {
        if ((JSON.parse(manifest) as { name?: string }).name === name) return dir
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
