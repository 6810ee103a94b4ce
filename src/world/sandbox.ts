import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, sep } from 'node:path'

/** Variables removed on activation besides every `AWS_*`: they could lead the SDK to a real home. */
export const HOME_VARS: readonly string[] = ['HOME', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH']
/** Inherited `AWS_*` variables that only silence SDK notices and never touch credentials: kept. */
export const KEPT_AWS_VARS: readonly string[] = ['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']

export interface SandboxFile {
  path: string
  content: string
  executable?: boolean
}

/**
 * A fresh directory under the sandbox root (sandboxRoot) that becomes HOME. Fresh per world: the SDK caches
 * shared files by path. Named with the pid, so a process can account for its own sandboxes.
 * The sandbox's few small files are made with synchronous calls: each asynchronous one is a round
 * trip through libuv's thread pool, and creating a world is on every test's path (bench/lifecycle).
 */
export async function createSandboxHome(): Promise<string> {
  return mkdtempSync(join(sandboxRoot(), `chainproof-home-${process.pid}-`))
}

let root: string | undefined

/**
 * Where sandboxes are made: `CHAINPROOF_SANDBOX_DIR` when set; else, unless TMPDIR names a place,
 * a memory filesystem where Linux has one that allows executables (/dev/shm as tmpfs without
 * noexec, writable): a sandbox's files are written and removed on every test, and on a disk each
 * of those is a journalled metadata update (bench/lifecycle); else the system temp dir.
 */
export function sandboxRoot(): string {
  if (root !== undefined) return root
  const chosen = process.env.CHAINPROOF_SANDBOX_DIR
  root = chosen ? chosen : process.env.TMPDIR ? tmpdir() : (memoryFilesystem() ?? tmpdir())
  return root
}

function memoryFilesystem(): string | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const shm = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find(([, mountPoint, type]) => mountPoint === '/dev/shm' && type === 'tmpfs')
    if (!shm || shm[3]?.split(',').some((option) => option === 'noexec' || option === 'ro')) return undefined
    accessSync('/dev/shm', constants.W_OK | constants.X_OK)
    return '/dev/shm'
  } catch {
    return undefined
  }
}

/** The stamp of a path that does not exist. */
export const MISSING_STAMP = '-'

/** A file as stat sees it (inode, size, modification and change times in nanoseconds): any rewrite changes it; `-` when there is none. */
export function fileStamp(path: string): string {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false })
  return s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : MISSING_STAMP
}

/** What a world wrote into its sandbox: removing exactly that is cheaper than a recursive removal's probing (bench/lifecycle). */
export interface SandboxLayout {
  files: string[]
  /** Directories inside the sandbox, deepest first. */
  dirs: string[]
}

/** Each directory is made once, then each file written with its mode. A path listed twice keeps its last content, as writing in order would. */
export async function writeSandboxFiles(files: SandboxFile[], home?: string): Promise<SandboxLayout> {
  const byPath = new Map(files.map((file) => [file.path, file]))
  const made = new Set<string>()
  for (const file of byPath.values()) {
    const dir = dirname(file.path)
    if (!made.has(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
    made.add(dir)
    writeFileSync(file.path, file.content, { mode: file.executable ? 0o700 : 0o600 })
    // a umask may have taken the execute bit off at creation
    if (file.executable) chmodSync(file.path, 0o700)
  }
  const dirs = new Set<string>()
  if (home !== undefined) {
    for (let dir of made) {
      while (dir.startsWith(home + sep) && !dirs.has(dir)) {
        dirs.add(dir)
        dir = dirname(dir)
      }
    }
  }
  return { files: [...byPath.keys()], dirs: [...dirs].sort((a, b) => b.length - a.length) }
}

/**
 * Removes a sandbox: what the world wrote, file by file and directory by directory, when the
 * layout is known; anything else found there (a file the SDK or a test wrote) falls back to a
 * recursive removal.
 */
export async function removeSandboxHome(home: string, layout?: SandboxLayout): Promise<void> {
  removeSandboxHomeSync(home, layout)
}

export function removeSandboxHomeSync(home: string, layout?: SandboxLayout): void {
  if (layout) {
    try {
      for (const file of layout.files) rmSync(file, { force: true })
      for (const dir of layout.dirs) rmdirSync(dir)
      rmdirSync(home)
      return
    } catch {
      // not only what the world wrote: remove the rest recursively
    }
  }
  rmSync(home, { recursive: true, force: true, maxRetries: 3 })
}

/**
 * Swaps process.env for the world's: a snapshot is taken, every inherited `AWS_*` variable
 * and the home variables are removed, then the world's variables are set. `restore()` puts
 * back exactly the snapshot (same keys, same values) and is idempotent.
 */
export class EnvSandbox {
  #snapshot: Record<string, string | undefined> | undefined
  /** The object that was process.env at activation: test code may replace process.env meanwhile. */
  #env: NodeJS.ProcessEnv | undefined

  activate(worldEnv: Readonly<Record<string, string>>): void {
    if (this.#snapshot) throw new Error('sandbox already active')
    const env = process.env
    this.#env = env
    // process.env is a host object: every enumeration and read goes to the C++ environment. One
    // enumeration and one read per variable (a spread of process.env costs about twice that).
    const names = Object.keys(env)
    const snapshot: Record<string, string | undefined> = {}
    for (const name of names) snapshot[name] = env[name]
    this.#snapshot = snapshot
    for (const name of names) {
      if ((name.startsWith('AWS_') && !KEPT_AWS_VARS.includes(name)) || HOME_VARS.includes(name)) delete env[name]
    }
    Object.assign(env, worldEnv)
  }

  get active(): boolean {
    return this.#snapshot !== undefined
  }

  /**
   * Puts the snapshot back into the object that was process.env at activation, and that object
   * back as process.env if test code replaced it (`process.env = { ...process.env }`): the world's
   * HOME and AWS_* values never outlive it in either.
   */
  restore(): void {
    const snapshot = this.#snapshot
    const env = this.#env
    if (!snapshot || !env) return
    this.#snapshot = undefined
    this.#env = undefined
    for (const name of Object.keys(env)) {
      if (!Object.hasOwn(snapshot, name)) delete env[name]
    }
    for (const [name, value] of Object.entries(snapshot)) {
      if (value !== undefined && env[name] !== value) env[name] = value
    }
    if (process.env !== env) process.env = env
  }
}
