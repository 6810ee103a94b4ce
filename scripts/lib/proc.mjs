/**
 * Process plumbing shared by the scripts that install the packed tarball into throwaway
 * projects (scripts/consumers.mjs, compat/run.mjs).
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { performance } from 'node:perf_hooks'

/** Runs a command; resolves with its exit code, output and duration (never rejects). */
export function run(command, argv, { cwd, env = process.env, timeoutMs = 15 * 60_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk) => {
      output += chunk
      if (output.length > 2_000_000) output = output.slice(-1_000_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => collect(`\n${error.message}\n`))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? (signal ? 128 : 1), output, ms: performance.now() - t0 })
    })
  })
}

/** A pool of `size` slots: `use(fn)` waits for a free one. */
export function pool(size) {
  let active = 0
  const waiting = []
  const release = () => {
    active--
    waiting.shift()?.()
  }
  return async (fn) => {
    if (active >= size) await new Promise((resolve) => waiting.push(resolve))
    active++
    try {
      return await fn()
    } finally {
      release()
    }
  }
}

/** `npm install` as the throwaway projects run it: quiet, from the cache when it can. */
export const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-update-notifier']

/** What npm and pnpm print when no version of a package satisfies a range. */
const NO_MATCHING_VERSION = /\bETARGET\b|ERR_PNPM_NO_MATCHING_VERSION/

/**
 * An install (npm or pnpm) that may answer from the package cache (`--prefer-offline`).
 *
 * With `--prefer-offline`, npm takes a cached packument as it is and, when no version in it
 * satisfies a range, fails with ETARGET instead of asking the registry again (pacote's
 * registry fetcher leaves "ETARGET ... revalidation of cached packuments" as a to-do). So a
 * package cache older than the registry breaks installs whenever a dependency was published
 * after the cache last saw its packument: a new SDK release whose `@aws-sdk/core` asks for a
 * `@aws-sdk/checksums` the cache has never heard of. Such a failure runs once more with
 * `--prefer-online`, which revalidates every packument; any other failure stands as it is.
 */
export async function runInstall(command, argv, options) {
  const first = await run(command, argv, options)
  if (first.code === 0 || !argv.includes('--prefer-offline') || !NO_MATCHING_VERSION.test(first.output)) return first
  const online = argv.map((arg) => (arg === '--prefer-offline' ? '--prefer-online' : arg))
  const again = await run(command, online, options)
  return {
    ...again,
    ms: first.ms + again.ms,
    retried: true,
    output: `${first.output}\n[the package cache had no version for a range (above); installed again with --prefer-online]\n${again.output}`,
  }
}

let netnsChecked = false
/**
 * With CHAINPROOF_NETNS=1 (CI), a command runs where only loopback is up, as the repo's own
 * suites do: returns the command and arguments to spawn instead.
 */
export function isolated(command, argv) {
  if (process.env.CHAINPROOF_NETNS !== '1') return [command, argv]
  if (!netnsChecked) {
    const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' })
    if (probe.status !== 0) throw new Error(`CHAINPROOF_NETNS=1 but unshare -n failed: ${probe.stderr.trim()}`)
    netnsChecked = true
  }
  return ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns', command, ...argv]]
}

/** Pass counts from a runner's JSON report (Vitest writes Jest's shape). */
export function countsOf(file) {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'))
    return { passed: data.numPassedTests ?? 0, failed: (data.numFailedTests ?? 0) + (data.numRuntimeErrorTestSuites ?? 0) }
  } catch {
    return { passed: 0, failed: 0 }
  }
}

/** The last lines of a command's output. */
export const tail = (text, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n')

/**
 * The environment a user project's checks see: a fresh HOME, PATH (with `nodeBin`'s directory
 * first when given), nothing else of this machine's — but CI's decoy AWS_* variables, which
 * the worlds must shut out.
 */
export function userProjectEnv(home, nodeBin) {
  return {
    PATH: nodeBin ? `${dirname(nodeBin)}:${process.env.PATH ?? ''}` : (process.env.PATH ?? ''),
    HOME: home,
    CI: 'true',
    NO_COLOR: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_'))),
  }
}

/** The pnpm the throwaway projects install with (from the npm registry), pinned: one for every script and suite. */
export const PNPM = 'pnpm@10.34.9'
