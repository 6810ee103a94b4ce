import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

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
 * A fresh directory under the system temp dir that becomes HOME. Fresh per world: the SDK caches
 * shared files by path. Named with the pid, so a process can account for its own sandboxes.
 */
export async function createSandboxHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), `chainproof-home-${process.pid}-`))
}

/**
 * Each directory is made once, then the files are written concurrently: creating a world is on
 * every test's path, and one file after another cost a round of syscalls each (bench/lifecycle).
 * A path listed twice keeps its last content, as writing in order would.
 */
export async function writeSandboxFiles(files: SandboxFile[]): Promise<void> {
  const byPath = new Map(files.map((file) => [file.path, file]))
  for (const dir of new Set([...byPath.keys()].map((path) => dirname(path)))) await mkdir(dir, { recursive: true, mode: 0o700 })
  await Promise.all(
    [...byPath.values()].map(async (file) => {
      await writeFile(file.path, file.content, { mode: file.executable ? 0o700 : 0o600 })
      if (file.executable) await chmod(file.path, 0o700)
    }),
  )
}

export async function removeSandboxHome(home: string): Promise<void> {
  await rm(home, { recursive: true, force: true, maxRetries: 3 })
}

export function removeSandboxHomeSync(home: string): void {
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
    this.#env = process.env
    this.#snapshot = { ...process.env }
    for (const name of Object.keys(process.env)) {
      if ((name.startsWith('AWS_') && !KEPT_AWS_VARS.includes(name)) || HOME_VARS.includes(name)) delete process.env[name]
    }
    Object.assign(process.env, worldEnv)
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
