/**
 * Test-suite guard: any socket this process opens to an address other than loopback fails at
 * once and is remembered, and each test file ends by asserting there were none. (The kit's
 * own network guard for users is a separate feature; this one protects our suite.)
 */
import net from 'node:net'
import { afterAll, expect } from 'vitest'

const attempts: string[] = []
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/
const originalConnect = net.Socket.prototype.connect

function targetOf(args: unknown[]): string | undefined {
  const first = args[0] as unknown
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; port?: number } | number | string
  if (typeof options === 'object' && options !== null) {
    if (options.path) return undefined // unix socket (Docker, IPC)
    return options.host ?? 'localhost'
  }
  if (typeof options === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost'
  return undefined // a pipe path
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = targetOf(args)
  if (host !== undefined && !LOOPBACK.test(host.replace(/^\[|\]$/g, ''))) {
    attempts.push(host)
    const error = new Error(`chainproof test guard: refused a connection to ${host}; tests may only reach loopback`)
    process.nextTick(() => this.destroy(error))
    return this
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
} as typeof net.Socket.prototype.connect

afterAll(() => {
  expect(attempts, 'connections attempted to non-loopback addresses').toEqual([])
  // and chainproof's own guard (shared through globalThis by every copy of the package) refused none
  const guard = (globalThis as Record<symbol, { blocked?: unknown[] } | undefined>)[Symbol.for('chainproof.networkGuard')]
  expect(guard?.blocked ?? [], 'connections refused by the chainproof network guard').toEqual([])
})
