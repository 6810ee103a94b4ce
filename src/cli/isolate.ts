/**
 * `chainproof exec --isolate`: the world's servers and the command run inside a fresh network
 * namespace with only loopback up, so nothing the command does can leave the machine — not a
 * tool that ignores AWS_ENDPOINT_URL_STS, nor one that asks 169.254.169.254 by default.
 *
 * chainproof re-runs itself under `unshare -n` (as root) or `unshare -r -n` (an unprivileged user
 * namespace, where the kernel allows one), brings `lo` up with ip(8), and checks from inside
 * that `lo` is the only interface before it starts anything. Elsewhere (macOS, Windows, a kernel
 * or container without namespaces) it refuses with the reason.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { constants } from 'node:os'

/** Set in the re-run chainproof inside the namespace. */
export const ISOLATED_MARK = 'CHAINPROOF_EXEC_ISOLATED'

/** The interfaces of this process's network namespace, from /proc/self/net/dev; undefined where there is no such file. */
export function namespaceInterfaces(): string[] | undefined {
  try {
    return readFileSync('/proc/self/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((line) => line.split(':')[0]!.trim())
      .filter(Boolean)
  } catch {
    return undefined
  }
}

/** Whether this process is in a network namespace whose only interface is `lo`. */
export function inLoopbackOnlyNamespace(): boolean {
  const interfaces = namespaceInterfaces()
  return interfaces !== undefined && interfaces.length === 1 && interfaces[0] === 'lo'
}

const LO_UP = 'ip link set lo up'

/** How to enter a namespace here: the unshare flags that worked, or why none did. */
export function isolationPlan(): { flags: string[] } | { refused: string } {
  if (process.platform !== 'linux') return { refused: `--isolate needs Linux network namespaces; on ${process.platform} run the command without it (in a VM or container without a network if you must be sure nothing leaves)` }
  const attempts = typeof process.getuid === 'function' && process.getuid() === 0 ? [['-n'], ['-r', '-n']] : [['-r', '-n'], ['-n']]
  const failures: string[] = []
  for (const flags of attempts) {
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', LO_UP], { encoding: 'utf8', timeout: 10_000 })
    if (probe.error) {
      const code = (probe.error as NodeJS.ErrnoException).code
      return { refused: code === 'ENOENT' ? '--isolate needs unshare(1) (util-linux) on PATH' : `--isolate could not run unshare(1): ${probe.error.message}` }
    }
    if (probe.status === 0) return { flags }
    failures.push(`unshare ${flags.join(' ')}: ${(probe.stderr || probe.stdout).trim().split('\n').pop() || `exit ${probe.status}`}`)
  }
  const text = failures.join('; ')
  if (/ip: (?:not found|command not found)|ip: No such file/.test(text)) return { refused: `--isolate needs ip(8) (iproute2) on PATH to bring lo up in the new namespace (${text})` }
  return {
    refused:
      `--isolate cannot make a network namespace here (${text}): run as root, or allow unprivileged user namespaces ` +
      '(sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0; in a container, one started with --privileged or CAP_SYS_ADMIN)',
  }
}

/** The exit code of a process that ended with `code` or by `signal` (128 + the signal's number, as shells report it). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0)
}

/** Signals a wrapper passes on to the command it runs. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']

/**
 * Spawns a child that inherits stdio, passes the forwarded signals on to it, and resolves with
 * its exit code once it ends. `onSpawnError` turns a failure to start into an exit code.
 */
export function runForwarding(command: string, args: readonly string[], env: NodeJS.ProcessEnv, onSpawnError: (error: NodeJS.ErrnoException) => number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' })
    const forward = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    }
    const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const)
    for (const [signal, handler] of handlers) process.on(signal, handler)
    const done = (code: number) => {
      for (const [signal, handler] of handlers) process.off(signal, handler)
      resolve(code)
    }
    child.once('error', (error: NodeJS.ErrnoException) => done(onSpawnError(error)))
    child.once('exit', (code, signal) => done(exitCodeOf(code, signal)))
  })
}

/**
 * Runs this chainproof again with the same exec arguments inside a fresh network namespace with
 * only loopback up; resolves with its exit code.
 */
export function runIsolated(flags: readonly string[], execArgv: readonly string[]): Promise<number> {
  const script = process.argv[1]!
  const inner = [process.execPath, ...process.execArgv, script, 'exec', ...execArgv]
  return runForwarding('unshare', [...flags, 'sh', '-c', `${LO_UP} && exec "$@"`, 'chainproof-isolate', ...inner], { ...process.env, [ISOLATED_MARK]: '1' }, (error) => {
    process.stderr.write(`chainproof: --isolate could not start unshare(1): ${error.message}\n`)
    return 2
  })
}
