/**
 * Runs the built CLI (dist/cjs/cli.cjs) as a child process, the way a user runs the bin, with
 * a world's env as "the machine". Every output is kept so each file can prove, at its end, that
 * no secret the worlds issued was ever printed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, it } from 'vitest'
import type { CredentialWorld } from '../../src/index.js'

export const ROOT = join(import.meta.dirname, '..', '..')
/** The built bin; CHAINPROOF_CLI_UNDER_TEST points elsewhere (a private build) while dist is being rebuilt. */
export const CLI = process.env.CHAINPROOF_CLI_UNDER_TEST ?? join(ROOT, 'dist', 'cjs', 'cli.cjs')
export const FIXTURES = join(ROOT, 'fixtures', 'scenarios')
/** Preloaded into every CLI child: refuses any connection off loopback. */
export const GUARD = join(import.meta.dirname, 'loopback-guard.cjs')
const GUARD_MARK = 'CHAINPROOF-TEST-GUARD'

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with \`npx tsup\` (\`npm test\` builds before it runs the suites)`)
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Every stdout and stderr of the file's CLI runs, for the secret scan. */
const outputs: string[] = []
/** Every world the file created, whose ledgers hold the secrets to look for. */
const worlds: CredentialWorld[] = []

export function recordOutput(text: string): void {
  outputs.push(text)
}

/** The environment of "the machine": PATH and the world's variables, nothing inherited. */
export function machineEnv(world: CredentialWorld, extra: Record<string, string> = {}): Record<string, string> {
  worlds.push(world)
  return { PATH: process.env.PATH ?? '', ...world.env, ...extra }
}

export function spawnCli(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  assertBuilt()
  return spawn(process.execPath, ['--require', GUARD, CLI, ...args], { env, cwd: ROOT })
}

/** Runs the CLI to its end (asynchronously: the test process serves the world's endpoints meanwhile). */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      outputs.push(stdout, stderr)
      if (stderr.includes(GUARD_MARK) || stdout.includes(GUARD_MARK)) reject(new Error(`the CLI tried to leave loopback:\n${stderr}`))
      else resolve({ code, signal, stdout, stderr })
    })
  })
}

/**
 * Reads a long-running child's stdout line by line: resolves with the first line; every line
 * (the first included) is kept in `lines`.
 */
export function readLines(child: ChildProcessWithoutNullStreams, timeoutMs = 10_000): { first: Promise<string>; lines: string[] } {
  const lines: string[] = []
  const reader = createInterface({ input: child.stdout })
  const first = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no first line on stdout')), timeoutMs)
    reader.on('line', (line) => {
      lines.push(line)
      if (lines.length === 1) {
        clearTimeout(timer)
        resolve(line)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (lines.length === 0) reject(new Error(`exited (${code}) before printing a line`))
    })
  })
  return { first, lines }
}

/** Random parts of an output made stable for snapshots: homes, temp dirs, ports, key ids, instance and task ids. */
export function normalize(text: string, world?: CredentialWorld): string {
  let out = text
  if (world) out = out.split(world.home).join('<HOME>')
  return out
    .replace(/\/tmp\/chainproof-[\w-]+/g, '<TMP>')
    .replace(/(127\.0\.0\.1|localhost):\d+/g, '$1:<PORT>')
    .replace(/\*{16}[A-Z2-7]{4}/g, '****************<KEY>')
    .replace(/\bi-[0-9a-f]{8,17}\b/g, 'i-<INSTANCE>')
    .replace(/\/v2\/credentials\/[0-9a-f]{32}/g, '/v2/credentials/<TASK>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<TIME>')
}

/** Every secret the file's worlds issued (secret keys, session tokens) plus their container tokens. */
export function worldSecrets(): string[] {
  const secrets = new Set<string>()
  for (const world of worlds) {
    for (const s of (world as unknown as { ledger: { secrets(): string[] } }).ledger.secrets()) secrets.add(s)
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN']) {
      const value = world.env[name]
      if (value) secrets.add(value)
    }
  }
  return [...secrets]
}

/** The last test of a file: no CLI output of the file holds any secret its worlds issued, nor a full access key id. */
export function itNeverPrintsASecret(options: { extraSecrets?: () => string[]; keyIdsAllowed?: boolean } = {}): void {
  it(`never printed a secret key or session token${options.keyIdsAllowed ? '' : ', nor a full access key id,'} in any output of this file`, () => {
    const secrets = [...worldSecrets(), ...(options.extraSecrets?.() ?? [])]
    expect(outputs.length).toBeGreaterThan(0)
    expect(secrets.length).toBeGreaterThan(0)
    const all = outputs.join('\n')
    const leaked = secrets.filter((s) => all.includes(s))
    expect(leaked.map((s) => `${s.slice(0, 4)}…`)).toEqual([])
    if (!options.keyIdsAllowed) expect(all.match(/\b(AKIA|ASIA)[A-Z2-7]{16}\b/g) ?? []).toEqual([])
  })
}
