/**
 * Sandboxes left behind by processes that are gone. A world's sandbox HOME holds its (simulated)
 * secrets; a run killed with SIGKILL, or aborted, cannot remove its own. Each sandbox carries an
 * owner file (pid and host name); the first world a process starts, and `chainproof serve` and
 * `exec`, remove every sandbox in the temp dir whose owner on this host no longer runs.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sandboxRoot } from './sandbox.js'

/** The owner file in every sandbox HOME. */
export const OWNER_FILE = '.chainproof-owner.json'
const PREFIX = 'chainproof-home-'
/** A sandbox without an owner file (an older chainproof's) is swept only when its pid is gone and it is this old. */
const UNOWNED_AGE_MS = 60 * 60 * 1000

/** The owner file of a sandbox this process creates, written with the world's own files. */
export function ownerFile(home: string): { path: string; content: string } {
  return { path: join(home, OWNER_FILE), content: JSON.stringify({ pid: process.pid, host: hostname() }) }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, as another user's process
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether a sandbox directory's owner is gone: its owner file names this host and a pid that no longer runs. */
function stale(dir: string, name: string): boolean {
  const pidOfName = Number(/^chainproof-home-(\d+)-/.exec(name)?.[1])
  if (!Number.isInteger(pidOfName) || pidOfName === process.pid) return false
  let owner: { pid?: unknown; host?: unknown } | undefined
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as { pid?: unknown; host?: unknown }
  } catch {
    owner = undefined
  }
  if (owner) return owner.host === hostname() && owner.pid === pidOfName && !alive(pidOfName)
  try {
    return !alive(pidOfName) && Date.now() - statSync(dir).mtimeMs > UNOWNED_AGE_MS
  } catch {
    return false
  }
}

/** Removes every stale sandbox in `root` (default: the temp dir); returns the paths removed. */
export function sweepStaleSandboxes(root: string = sandboxRoot()): string[] {
  let names: string[]
  try {
    names = readdirSync(root).filter((name) => name.startsWith(PREFIX))
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const dir = join(root, name)
    if (!stale(dir, name)) continue
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 })
      removed.push(dir)
    } catch {
      // another process is sweeping it, or it is not ours to remove: leave it
    }
  }
  return removed
}

let swept = false
/** The sweep, once per process (at its first world). */
export function sweepOnce(): void {
  if (swept) return
  swept = true
  sweepStaleSandboxes()
  // sandboxes made where an earlier release (or an earlier TMPDIR) put them
  if (tmpdir() !== sandboxRoot()) sweepStaleSandboxes(tmpdir())
}
