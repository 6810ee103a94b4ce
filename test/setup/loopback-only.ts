/**
 * Test-suite guard: beneath everything — node's own TCP and UDP handles and its DNS resolver —
 * any connect, datagram, name-server query or system lookup of this thread that would leave
 * loopback fails at once and is remembered, and each test file ends by asserting there were
 * none. Nothing can reach past it: not a saved reference to a JS function, not http2 or undici.
 * (The kit's own network guard for users is a separate feature, installed above this one by
 * each world; this one protects our suite, and proves the kit's guard let nothing through.)
 */
import net from 'node:net'
import { afterAll, expect } from 'vitest'

type Fn = (...args: unknown[]) => unknown
const KEY = Symbol.for('chainproof.test.loopbackOnly')
const LOOPBACK = new net.BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6')
const loopback = (address: string) => {
  const family = net.isIP(address)
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

interface SuiteGuard {
  attempts: string[]
}

function binding(name: string): Record<string, any> {
  return (process as unknown as { binding(n: string): Record<string, any> }).binding(name)
}

function install(): SuiteGuard {
  const guard: SuiteGuard = { attempts: [] }
  const refuse = (proto: Record<string, Fn>, method: string, addressAt: number, what: string) => {
    const original = proto[method]
    if (typeof original !== 'function') return
    proto[method] = function (this: unknown, ...args: unknown[]) {
      const address = args[addressAt]
      if (typeof address === 'string' && !loopback(address)) {
        guard.attempts.push(`${what} ${address}`)
        return -13 // EACCES
      }
      return original.apply(this, args)
    }
  }
  const tcp = binding('tcp_wrap').TCP.prototype
  refuse(tcp, 'connect', 1, 'tcp')
  refuse(tcp, 'connect6', 1, 'tcp')
  const udp = binding('udp_wrap').UDP.prototype
  for (const m of ['send', 'send6']) refuse(udp, m, 4, 'udp')
  for (const m of ['connect', 'connect6']) refuse(udp, m, 0, 'udp')
  const cares = binding('cares_wrap')
  const channel = cares.ChannelWrap.prototype as Record<string, Fn>
  for (const method of Object.getOwnPropertyNames(channel).filter((m) => m.startsWith('query') || m === 'getHostByAddr')) {
    const original = channel[method]!
    channel[method] = function (this: { getServers(): [string, number][] }, ...args: unknown[]) {
      const outside = this.getServers().find(([a]) => !loopback(a))
      if (outside) {
        guard.attempts.push(`dns query to ${outside[0]}`)
        return -13
      }
      return original.apply(this, args)
    }
  }
  const getaddrinfo = cares.getaddrinfo as Fn
  cares.getaddrinfo = function (this: unknown, ...args: unknown[]) {
    const name = String(args[1])
    if (!/^localhost\.?$/i.test(name) && net.isIP(name) === 0) {
      guard.attempts.push(`lookup ${name}`)
      return -13
    }
    return getaddrinfo.apply(this, args)
  }
  return guard
}

// once per thread: setup files run again for every test file of a worker
const guard: SuiteGuard = ((globalThis as Record<symbol, SuiteGuard | undefined>)[KEY] ??= install())
const startedAt = guard.attempts.length

afterAll(() => {
  expect(guard.attempts.slice(startedAt), 'connections attempted to non-loopback addresses').toEqual([])
  // and chainproof's own guard (shared through globalThis by every copy of the package) refused none
  const kit = (globalThis as Record<symbol, { blocked?: unknown[] } | undefined>)[Symbol.for('chainproof.networkGuard')]
  expect(kit?.blocked ?? [], 'connections refused by the chainproof network guard').toEqual([])
})
