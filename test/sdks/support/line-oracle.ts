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
  refused?: string[]
  uncaught?: string
}

export class LineOracle {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #waiting = new Map<number, (answer: OracleLine) => void>()
  readonly ready: Promise<{ sdk: string } | { refused: string }>
  #next = 1
  #exited = false
  /** Errors v2 threw from a timer while a world was being asked (its SSO refresh can). */
  readonly uncaught: string[] = []

  /** What it asks: `js-v2` (node + aws-sdk@2), `ruby-v3` (Debian's ruby + ruby-aws-sdk-core) or `go-v2` (Debian's Go SDK, built here). */
  readonly sdk: 'js-v2' | 'ruby-v3' | 'go-v2'

  constructor(sdk: 'js-v2' | 'ruby-v3' | 'go-v2') {
    this.sdk = sdk
    let resolveReady!: (value: { sdk: string } | { refused: string }) => void
    this.ready = new Promise((resolve) => (resolveReady = resolve))
    const go = sdk === 'go-v2' ? goOracleBinary() : undefined
    const [command, args]: [string, string[]] =
      sdk === 'js-v2' ? [process.execPath, [join(ORACLES, 'js-v2-oracle.cjs')]] : sdk === 'ruby-v3' ? ['/usr/bin/ruby', [join(ORACLES, 'ruby_oracle.rb')]] : go && 'path' in go ? [go.path, []] : ['/bin/false', []]
    if (go && 'refused' in go) resolveReady(go)
    this.#child = spawn(command, args, { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child.stdin.on('error', () => undefined)
    this.#child.on('error', (error) => {
      this.#exited = true
      resolveReady({ refused: `the ${sdk} oracle could not start: ${error.message}${sdk === 'ruby-v3' ? " (is Debian's ruby-aws-sdk-core installed? apt-get install -y ruby-aws-sdk-core)" : ''}` })
    })
    this.#child.on('exit', (code) => {
      this.#exited = true
      resolveReady({ refused: `the ${sdk} oracle exited (${code}) before it was ready${sdk === 'ruby-v3' ? ' (is Debian\'s ruby-aws-sdk-core installed? apt-get install -y ruby-aws-sdk-core)' : ''}` })
    })
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as OracleLine & { ready?: boolean; sdk?: string; refused?: string }
      if (message.ready === true) return resolveReady({ sdk: message.sdk! })
      if (message.ready === false) return resolveReady({ refused: String(message.refused) })
      if (message.uncaught !== undefined) return void this.uncaught.push(message.uncaught)
      const done = this.#waiting.get(message.id!)
      this.#waiting.delete(message.id!)
      done?.(message)
    })
  }

  /** Resolves the SDK's default chain in a world's environment. */
  ask(env: Readonly<Record<string, string>>, endpoints: { sts: string; sso: string }): Promise<OracleLine> {
    const id = this.#next++
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve)
      this.#child.stdin.write(JSON.stringify({ id, env, endpoints }) + '\n')
    })
  }

  close(): Promise<void> {
    if (this.#exited) return Promise.resolve()
    return new Promise((resolve) => {
      this.#child.once('exit', () => resolve())
      this.#child.stdin.end()
    })
  }
}
