/**
 * Drives test/sdks/oracles/js-v2-oracle.cjs: one long-lived node worker that asks the real AWS
 * SDK for JavaScript v2 (npm aws-sdk@2, a dev dependency) about a world, one JSON line per world.
 * The worker shares this process's network namespace (it must reach the world's loopback
 * servers) and refuses to start unless that namespace is loopback-only: CI runs the suites under
 * `unshare -n`; elsewhere the suite skips with the worker's reason (CHAINPROOF_REQUIRE_ORACLES=1
 * makes that a failure).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const SCRIPT = join(import.meta.dirname, '..', 'oracles', 'js-v2-oracle.cjs')

export interface JsV2Answer {
  id?: number
  accessKeyId?: string
  error?: string
  refused?: string[]
  uncaught?: string
}

export class JsV2Oracle {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #waiting = new Map<number, (answer: JsV2Answer) => void>()
  readonly ready: Promise<{ sdk: string } | { refused: string }>
  #next = 1
  #exited = false
  /** Errors v2 threw from a timer while a world was being asked (its SSO refresh can). */
  readonly uncaught: string[] = []

  constructor() {
    this.#child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let resolveReady!: (value: { sdk: string } | { refused: string }) => void
    this.ready = new Promise((resolve) => (resolveReady = resolve))
    this.#child.on('exit', (code) => {
      this.#exited = true
      resolveReady({ refused: `the js-v2 oracle exited (${code}) before it was ready` })
    })
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as JsV2Answer & { ready?: boolean; sdk?: string; refused?: string }
      if (message.ready === true) return resolveReady({ sdk: message.sdk! })
      if (message.ready === false) return resolveReady({ refused: String(message.refused) })
      if (message.uncaught !== undefined) return void this.uncaught.push(message.uncaught)
      const done = this.#waiting.get(message.id!)
      this.#waiting.delete(message.id!)
      done?.(message)
    })
  }

  /** Resolves the v2 default chain in a world's environment. */
  ask(env: Readonly<Record<string, string>>, endpoints: { sts: string; sso: string }): Promise<JsV2Answer> {
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
