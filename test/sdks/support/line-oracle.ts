/**
 * Drives a real-SDK oracle of test/sdks/oracles/ that speaks JSON lines — js-v2-oracle.cjs (the
 * AWS SDK for JavaScript v2, npm aws-sdk@2) or ruby_oracle.rb (Debian's ruby-aws-sdk-core): one
 * long-lived worker asked about one world per line. The worker shares this process's network
 * namespace (it must reach the world's loopback servers) and refuses to start unless that
 * namespace is loopback-only: CI runs the suites under `unshare -n`; elsewhere the suite skips with
 * the worker's reason (CHAINPROOF_REQUIRE_ORACLES=1 makes that a failure).
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const ORACLES = join(import.meta.dirname, '..', 'oracles')
const GO_SOURCE = join(ORACLES, 'go-oracle')
/** How long one world may take: beyond the SDKs' own timeouts (Go's IMDS deadline is 5 s, the JS v2 worker gives up at 8 s). */
const ASK_TIMEOUT_MS = 12_000
/** Debian's golang-github-aws-aws-sdk-go-v2-dev puts the SDK here (a GOPATH tree: built offline, no module download). */
const GO_PATH = '/usr/share/gocode'
const GO_BINARY = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.cache', 'chainproof', 'go-oracle')

/**
 * Builds the Go oracle (test/sdks/oracles/go-oracle) against Debian's Go SDK when it is missing or
 * older than its source: `go build` in GOPATH mode, offline. Returns the binary, or why it cannot.
 */
export function goOracleBinary(): { path: string } | { refused: string } {
  const metadata = join(GO_PATH, 'src/github.com/aws/aws-sdk-go-v2/config/go_module_metadata.go')
  if (!existsSync(metadata)) return { refused: `Debian's Go SDK is not installed (${metadata} is missing): apt-get install -y golang-go golang-github-aws-aws-sdk-go-v2-dev` }
  const version = /goModuleVersion = "([^"]+)"/.exec(readFileSync(metadata, 'utf8'))?.[1] ?? 'unknown'
  const newest = Math.max(...readdirSync(GO_SOURCE).map((f) => statSync(join(GO_SOURCE, f)).mtimeMs), statSync(metadata).mtimeMs)
  if (existsSync(GO_BINARY) && statSync(GO_BINARY).mtimeMs >= newest) return { path: GO_BINARY }
  mkdirSync(join(GO_BINARY, '..'), { recursive: true })
  const built = spawnSync('go', ['build', '-ldflags', `-X main.configVersion=${version}`, '-o', GO_BINARY, '.'], {
    cwd: GO_SOURCE,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: join(GO_BINARY, '..'), GO111MODULE: 'off', GOPATH: GO_PATH, GOCACHE: join(GO_BINARY, '..', 'go-build'), GOFLAGS: '', CGO_ENABLED: '0' },
  })
  if (built.error) return { refused: `go is not installed (${built.error.message}): apt-get install -y golang-go golang-github-aws-aws-sdk-go-v2-dev` }
  if (built.status !== 0) return { refused: `go build of the Go oracle failed: ${(built.stderr || built.stdout).trim().split('\n').slice(0, 5).join(' / ')}` }
  return { path: GO_BINARY }
}

export interface OracleLine {
  id?: number
  accessKeyId?: string
  error?: string
  /** The SDK never settled (JS v2): the worker ends after this answer, and the next request starts a fresh one. */
  stuck?: boolean
  refused?: string[]
  uncaught?: string
}

export class LineOracle {
  #child: ChildProcessWithoutNullStreams | undefined
  readonly #waiting = new Map<number, (answer: OracleLine) => void>()
  readonly ready: Promise<{ sdk: string } | { refused: string }>
  #next = 1
  /** A fresh worker's readiness, when the last one ended after a request (a stuck JS v2 worker ends itself). */
  #restarted: Promise<unknown> | undefined
  readonly #command: [string, string[]]
  /** Errors v2 threw from a timer while a world was being asked (its SSO refresh can). */
  readonly uncaught: string[] = []

  /** What it asks: `js-v2` (node + aws-sdk@2), `ruby-v3` (Debian's ruby + ruby-aws-sdk-core) or `go-v2` (Debian's Go SDK, built here). */
  readonly sdk: 'js-v2' | 'ruby-v3' | 'go-v2'

  constructor(sdk: 'js-v2' | 'ruby-v3' | 'go-v2') {
    this.sdk = sdk
    const go = sdk === 'go-v2' ? goOracleBinary() : undefined
    this.#command =
      sdk === 'js-v2' ? [process.execPath, [join(ORACLES, 'js-v2-oracle.cjs')]] : sdk === 'ruby-v3' ? ['/usr/bin/ruby', [join(ORACLES, 'ruby_oracle.rb')]] : go && 'path' in go ? [go.path, []] : ['/bin/false', []]
    this.ready = go && 'refused' in go ? Promise.resolve(go) : this.#start()
  }

  #start(): Promise<{ sdk: string } | { refused: string }> {
    const sdk = this.sdk
    const install = sdk === 'ruby-v3' ? " (is Debian's ruby-aws-sdk-core installed? apt-get install -y ruby-aws-sdk-core)" : ''
    let resolveReady!: (value: { sdk: string } | { refused: string }) => void
    const ready = new Promise<{ sdk: string } | { refused: string }>((resolve) => (resolveReady = resolve))
    const child = spawn(this.#command[0], this.#command[1], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child = child
    child.stdin.on('error', () => undefined)
    child.on('error', (error) => {
      if (this.#child === child) this.#child = undefined
      resolveReady({ refused: `the ${sdk} oracle could not start: ${error.message}${install}` })
    })
    child.on('exit', (code) => {
      if (this.#child === child) this.#child = undefined
      resolveReady({ refused: `the ${sdk} oracle exited (${code}) before it was ready${install}` })
      // requests it had not answered get an error; the next request starts a fresh worker
      for (const [id, done] of this.#waiting) {
        this.#waiting.delete(id)
        done({ id, error: `the ${sdk} oracle exited (${code}) before it answered` })
      }
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as OracleLine & { ready?: boolean; sdk?: string; refused?: string }
      if (message.ready === true) return resolveReady({ sdk: message.sdk! })
      if (message.ready === false) return resolveReady({ refused: String(message.refused) })
      // a worker that reported a stuck SDK is ending: what it still says is about that world
      if (message.uncaught !== undefined) return void (this.#child === child && this.uncaught.push(message.uncaught))
      if (message.stuck && this.#child === child) this.#child = undefined
      const done = this.#waiting.get(message.id!)
      this.#waiting.delete(message.id!)
      done?.(message)
    })
    return ready
  }

  /** Resolves the SDK's default chain in a world's environment. */
  async ask(env: Readonly<Record<string, string>>, endpoints: { sts: string; sso: string; ssoOidc?: string }): Promise<OracleLine> {
    await this.ready
    if (!this.#child) await (this.#restarted ??= this.#start().finally(() => (this.#restarted = undefined)))
    const child = this.#child
    const id = this.#next++
    return new Promise((resolve) => {
      if (!child) return resolve({ id, error: `the ${this.sdk} oracle is not running` })
      // an SDK that blocks its own event loop (JS v2 on a source_profile loop) cannot time itself out: end the worker
      const timer = setTimeout(() => {
        this.#waiting.delete(id)
        if (this.#child === child) this.#child = undefined
        child.kill('SIGKILL')
        resolve({ id, error: `the ${this.sdk} oracle gave no answer in ${ASK_TIMEOUT_MS / 1000} s (the SDK never settled; the worker was ended)` })
      }, ASK_TIMEOUT_MS)
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer)
        resolve(answer)
      })
      child.stdin.write(JSON.stringify({ id, env, endpoints }) + '\n')
    })
  }

  /** Ends the worker: its stdin closes; one still busy after 2 s (a stuck SDK) is killed. */
  close(): Promise<void> {
    const child = this.#child
    if (!child) return Promise.resolve()
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000)
      child.once('exit', () => {
        clearTimeout(kill)
        resolve()
      })
      child.stdin.end()
    })
  }
}
