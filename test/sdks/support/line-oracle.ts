/**
 * Drives a real-SDK oracle of test/sdks/oracles/ that speaks JSON lines — js-v2-oracle.cjs (the
 * AWS SDK for JavaScript v2, npm aws-sdk@2) or ruby_oracle.rb (Debian's ruby-aws-sdk-core): one
 * long-lived worker asked about one world per line. The worker shares this process's network
 * namespace (it must reach the world's loopback servers) and refuses to start unless that
 * namespace is loopback-only: CI runs the suites under `unshare -n`; elsewhere the suite skips with
 * the worker's reason (CHAINPROOF_REQUIRE_ORACLES=1 makes that a failure).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const ORACLES = join(import.meta.dirname, '..', 'oracles')

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

  /** What it asks: `js-v2` (node + aws-sdk@2) or `ruby-v3` (Debian's ruby + ruby-aws-sdk-core). */
  readonly sdk: 'js-v2' | 'ruby-v3'

  constructor(sdk: 'js-v2' | 'ruby-v3') {
    this.sdk = sdk
    const [command, script] = sdk === 'js-v2' ? [process.execPath, join(ORACLES, 'js-v2-oracle.cjs')] : ['/usr/bin/ruby', join(ORACLES, 'ruby_oracle.rb')]
    this.#child = spawn(command, [script], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child.on('error', () => undefined)
    let resolveReady!: (value: { sdk: string } | { refused: string }) => void
    this.ready = new Promise((resolve) => (resolveReady = resolve))
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
