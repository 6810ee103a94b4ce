/**
 * Drives test/sdks/oracles/botocore_oracle.py: one long-lived Debian python3 worker that asks
 * the real botocore (python3-botocore) or the real AWS CLI v2 (awscli) about a world, one JSON
 * line per world. The worker shares this process's network namespace (it must reach the world's
 * loopback servers); it checks every endpoint is loopback and guards its own sockets.
 */
import { namespaceInterfaces as interfacesOfNamespace } from '../../../src/cli/isolate.js'
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * Debian's interpreter, where python3-botocore and awscli install (not a pyenv or venv python
 * that may sit first on PATH). CHAINPROOF_ORACLE_PYTHON overrides it (to test the skip path).
 */
export const DEBIAN_PYTHON = process.env.CHAINPROOF_ORACLE_PYTHON || '/usr/bin/python3'
const SCRIPT = join(import.meta.dirname, '..', 'oracles', 'botocore_oracle.py')

export interface OracleAnswer {
  id?: number
  /** botocore: the winning provider's METHOD (null: no credentials). */
  method?: string | null
  /** cli: the Type column of `aws configure list`'s access_key row (null: "<not set>"). */
  type?: string | null
  accessKeyId?: string
  fetchError?: string
  error?: string
  refused?: string
  refusedConnections?: string[]
}

export interface OracleVersions {
  botocore: string
  cli: string | null
  python: string
}

/** The interfaces of this process's network namespace (the oracle workers share it). */
function namespaceInterfaces(): string[] {
  return interfacesOfNamespace() ?? ['(unreadable: /proc/self/net/dev)']
}

/** Why the oracle cannot run here, or undefined when it can (checked without starting a worker). */
export function oracleUnavailable(mode: 'botocore' | 'cli'): string | undefined {
  if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} is missing`
  // the worker refuses to start outside a loopback-only network namespace (it shares ours)
  const links = namespaceInterfaces()
  if (links.join(',') !== 'lo') return `not a loopback-only network namespace (interfaces: ${links.join(', ')}); the suites run the oracles under unshare -n (CHAINPROOF_NETNS=1)`
  const module = mode === 'cli' ? 'awscli.clidriver' : 'botocore.session'
  const pkg = mode === 'cli' ? 'awscli' : 'python3-botocore'
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } })
  if (probe.status !== 0) return `Debian's ${pkg} is not installed (apt-get install -y ${pkg}): ${probe.stderr.trim().split('\n').pop()}`
  return undefined
}

/**
 * Which oracles can run. A missing one is skipped with one printed line for the suite, or —
 * with CHAINPROOF_REQUIRE_ORACLES=1 (CI installs the packages, so a missing one is a broken
 * CI) — fails the suite.
 */
export function oracleGates(suite: string): { botocore: { skip: boolean }; cli: { skip: boolean } } {
  const why = { botocore: oracleUnavailable('botocore'), cli: oracleUnavailable('cli') }
  const missing = Object.entries(why).filter(([, reason]) => reason !== undefined)
  if (missing.length) {
    const reasons = missing.map(([mode, reason]) => `${mode === 'cli' ? 'AWS CLI v2' : 'botocore'}: ${reason}`).join('; ')
    if (process.env.CHAINPROOF_REQUIRE_ORACLES === '1') throw new Error(`CHAINPROOF_REQUIRE_ORACLES=1 but a real-SDK oracle cannot run (${suite}): ${reasons}`)
    console.log(`${suite}: skipping the real-SDK checks — ${reasons}`)
  }
  return { botocore: { skip: why.botocore !== undefined }, cli: { skip: why.cli !== undefined } }
}

export class PythonOracle {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #waiting = new Map<number, (answer: OracleAnswer) => void>()
  readonly #ready: Promise<OracleVersions>
  readonly #home: string
  #next = 1
  #stderr = ''

  readonly mode: 'botocore' | 'cli'

  /** One worker per mode: the CLI aliases its vendored botocore as "botocore", so the two cannot share an interpreter. */
  constructor(mode: 'botocore' | 'cli') {
    this.mode = mode
    // A minimal environment: the worker imports botocore with an empty HOME, never the host's
    // (or CI's decoy) ~/.aws; each request carries the world's own variables.
    const home = (this.#home = mkdtempSync(join(tmpdir(), 'chainproof-oracle-')))
    this.#child = spawn(DEBIAN_PYTHON, ['-u', SCRIPT, mode], { env: { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' }, stdio: 'pipe' })
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000)
    })
    const lines = createInterface({ input: this.#child.stdout })
    let resolveReady!: (v: OracleVersions) => void
    let rejectReady!: (e: Error) => void
    this.#ready = new Promise((resolve, reject) => {
      resolveReady = resolve
      rejectReady = reject
    })
    lines.on('line', (line) => {
      const message = JSON.parse(line) as OracleAnswer & { ready?: boolean } & OracleVersions
      if (message.ready) return resolveReady({ botocore: message.botocore, cli: message.cli, python: message.python })
      const settle = this.#waiting.get(message.id!)
      this.#waiting.delete(message.id!)
      settle?.(message)
    })
    this.#child.on('exit', (code) => {
      const error = new Error(`the python oracle exited (${code}): ${this.#stderr}`)
      rejectReady(error)
      for (const settle of this.#waiting.values()) settle({ error: error.message })
      this.#waiting.clear()
    })
  }

  get ready(): Promise<OracleVersions> {
    return this.#ready
  }

  /** Asks about one world: its variables (world.env, HOME included) and which tool answers. */
  async ask(env: Readonly<Record<string, string>>): Promise<OracleAnswer> {
    await this.#ready
    const id = this.#next++
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve)
      this.#child.stdin.write(JSON.stringify({ id, env }) + '\n')
    })
  }

  async close(): Promise<void> {
    if (this.#child.exitCode === null) {
      const exited = new Promise((resolve) => this.#child.once('exit', resolve))
      this.#child.stdin.end()
      await exited
    }
    rmSync(this.#home, { recursive: true, force: true })
  }
}
