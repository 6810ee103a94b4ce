/**
 * Every way test code can try to leave the machine while a world is active, each asserted to be
 * refused — before any packet — and counted in world.blockedConnections with the host and why.
 * Used twice: by test/world/guard-vectors.test.ts (inside the loopback-only namespace in CI) and
 * test/containers/guard-vectors.test.ts (outside it).
 *
 * Beneath the guard, the suite's setup has replaced node's own TCP, UDP and DNS bindings by nets
 * that never let a non-loopback connect, datagram, query or lookup through and record any that
 * reaches them: even a broken guard sends nothing from these tests, and the record says so.
 */
import dgram from 'node:dgram'
import dns from 'node:dns'
import http from 'node:http'
import http2 from 'node:http2'
import https from 'node:https'
import net from 'node:net'
import tls from 'node:tls'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CredentialWorld, createCredentialWorld } from '../../src/index.js'
import { resetBlockedConnections } from '../../src/world/guard.js'

/** What reached node's handles past the guard: the suite's own nets beneath everything record it (test/setup/loopback-only.ts). */
function reachedPastTheGuard(): string[] {
  const nets = (globalThis as Record<symbol, { attempts: string[] } | undefined>)[Symbol.for('chainproof.test.loopbackOnly')]
  if (!nets) throw new Error('the suite setup test/setup/loopback-only.ts is not loaded: these vectors must not run without its nets')
  return nets.attempts
}

const settle = (start: (done: (error?: unknown) => void) => void, ms = 3000): Promise<unknown> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(new Error('no answer')), ms)
    start((error) => {
      clearTimeout(timer)
      resolve(error)
    })
  })

const viaSocket = (connect: () => net.Socket) =>
  settle((done) => {
    const socket = connect()
    socket.once('connect', () => done(new Error('connected')))
    socket.once('error', done)
  })

const toElsewhere = (hostname: string, options: object = {}) => (h: string, o: { all?: boolean }, cb: Fn) =>
  void (o.all ? cb(null, [{ address: hostname, family: net.isIPv6(hostname) ? 6 : 4 }]) : cb(null, hostname, net.isIPv6(hostname) ? 6 : 4))

interface Vector {
  name: string
  host: string
  attempt: () => Promise<unknown>
}

/** node's own connect, saved before any world wrapped it: the guard must refuse even through it. */
const savedConnect = net.Socket.prototype.connect

const VECTORS: Vector[] = [
  { name: 'net.connect({ host, port })', host: '169.254.169.254', attempt: () => viaSocket(() => net.connect({ host: '169.254.169.254', port: 80 })) },
  { name: 'net.connect(port, host)', host: '10.1.2.3', attempt: () => viaSocket(() => net.connect(80, '10.1.2.3')) },
  { name: "socket.connect(' 80', host): a string port with a space", host: '169.254.169.254', attempt: () => viaSocket(() => new net.Socket().connect(' 80' as never, '169.254.169.254')) },
  { name: "socket.connect('0x50', host): a hex string port", host: '169.254.169.254', attempt: () => viaSocket(() => new net.Socket().connect('0x50' as never, '169.254.169.254')) },
  { name: "socket.connect('80 ', host)", host: '169.254.170.2', attempt: () => viaSocket(() => new net.Socket().connect('80 ' as never, '169.254.170.2')) },
  { name: 'net.connect with a lookup that maps localhost to 10.1.2.3', host: 'localhost (10.1.2.3)', attempt: () => viaSocket(() => net.connect({ host: 'localhost', port: 80, lookup: toElsewhere('10.1.2.3') as never })) },
  { name: 'http.get with a lookup that maps localhost elsewhere', host: 'localhost (10.1.2.3)', attempt: () => settle((done) => http.get({ host: 'localhost', port: 80, lookup: toElsewhere('10.1.2.3') as never }, () => done(new Error('answered'))).once('error', done)) },
  { name: 'IPv4-mapped IPv6 (::ffff:10.1.2.3)', host: '::ffff:10.1.2.3', attempt: () => viaSocket(() => net.connect({ host: '::ffff:10.1.2.3', port: 80 })) },
  { name: 'IPv4-mapped IPv6 in hex (::ffff:a01:203)', host: '::ffff:a01:203', attempt: () => viaSocket(() => net.connect({ host: '::ffff:a01:203', port: 80 })) },
  { name: 'the IMDS IPv6 address', host: 'fd00:ec2::254', attempt: () => viaSocket(() => net.connect({ host: 'fd00:ec2::254', port: 80 })) },
  { name: 'a name that looks like 127.x (127.0.0.999)', host: '127.0.0.999', attempt: () => viaSocket(() => net.connect(80, '127.0.0.999')) },
  { name: 'a name that looks like 127.x (127.08.0.1)', host: '127.08.0.1', attempt: () => viaSocket(() => net.connect(80, '127.08.0.1')) },
  { name: 'an odd IPv4 form (2130706433, 0x7f.1)', host: '0x7f.1', attempt: () => viaSocket(() => net.connect(80, '0x7f.1')) },
  { name: 'a saved reference to the original connect', host: '10.1.2.3', attempt: () => viaSocket(() => savedConnect.call(new net.Socket(), { host: '10.1.2.3', port: 80 } as never)) },
  { name: 'tls.connect', host: '10.1.2.3', attempt: () => viaSocket(() => tls.connect({ host: '10.1.2.3', port: 443, servername: 'x' })) },
  { name: 'https.get to a real AWS endpoint', host: 'sts.amazonaws.com', attempt: () => settle((done) => https.get('https://sts.amazonaws.com/', () => done(new Error('answered'))).once('error', done)) },
  {
    name: 'http2.connect (no false connect event)',
    host: '10.1.2.3',
    attempt: () =>
      settle((done) => {
        const session = http2.connect('http://10.1.2.3:80')
        session.once('connect', () => done(new Error('false connect event')))
        session.once('error', (error) => {
          session.destroy()
          done(error)
        })
      }),
  },
  { name: 'fetch (undici)', host: '10.1.2.3', attempt: () => fetch('http://10.1.2.3/').then(() => new Error('answered'), (e: Error & { cause?: unknown }) => e.cause ?? e) },
  {
    name: 'dgram send',
    host: '10.1.2.3',
    attempt: () =>
      settle((done) => {
        const socket = dgram.createSocket('udp4')
        socket.send('x', 53, '10.1.2.3', (error) => {
          socket.close()
          done(error ?? new Error('sent'))
        })
      }),
  },
  {
    name: 'dgram connect',
    host: '10.1.2.3',
    attempt: () =>
      settle((done) => {
        const socket = dgram.createSocket('udp4')
        socket.once('error', (error) => done(error))
        socket.connect(53, '10.1.2.3', ((error?: Error) => done(error ?? new Error('connected'))) as () => void)
        socket.once('close', () => undefined)
        setTimeout(() => socket.close(), 500)
      }),
  },
  {
    name: 'a dns.Resolver asking a non-loopback name server',
    host: '10.1.2.3',
    attempt: () =>
      settle((done) => {
        const resolver = new dns.Resolver()
        resolver.setServers(['10.1.2.3'])
        try {
          resolver.resolve4('example.com', (error) => done(error ?? new Error('resolved')))
        } catch (error) {
          done(error)
        }
      }),
  },
  {
    name: 'dns.promises.Resolver',
    host: '10.1.2.3',
    attempt: async () => {
      const resolver = new dns.promises.Resolver()
      resolver.setServers(['10.1.2.3'])
      return resolver.resolveTxt('example.com').then(() => new Error('resolved'), (e: unknown) => e)
    },
  },
  {
    name: 'a Worker thread (net and fetch inside it)',
    host: '10.9.8.7',
    attempt: () =>
      settle((done) => {
        const code = `
          const { parentPort } = require('node:worker_threads')
          const net = require('node:net')
          const socket = net.connect(80, '10.9.8.7')
          socket.once('connect', () => parentPort.postMessage('connected'))
          socket.once('error', (e) => fetch('http://10.9.8.6/').then(() => parentPort.postMessage('fetched'), (f) => parentPort.postMessage(String(e.message) + ' | ' + String(f.cause?.message ?? f.message))))`
        const worker = new Worker(code, { eval: true })
        worker.once('message', (message: string) => {
          void worker.terminate()
          // the worker's refusals reach this thread on a BroadcastChannel: give them a moment
          setTimeout(() => done(/^(connected|fetched)$/.test(message) ? new Error(message) : Object.assign(new Error(message), { fromWorker: true })), 100)
        })
        worker.once('error', done)
      }, 8000),
  },
  { name: 'dns.lookup of a real name (it would ask the machine’s name servers)', host: 'example.com', attempt: () => settle((done) => dns.lookup('example.com', (error) => done(error ?? new Error('resolved')))) },
]

/** The suite: `where` says inside or outside the namespace, for the test names. */
export function guardVectorSuite(where: string): void {
  describe(`every way out is refused and counted (${where})`, () => {
    let reachedBefore = 0
    beforeAll(() => {
      reachedBefore = reachedPastTheGuard().length
    })
    afterAll(() => {
      // deliberate refusals: the suite-wide check must not count them
      resetBlockedConnections()
    })

    it.each(VECTORS.map((v) => [v.name, v] as const))('%s', async (_, vector) => {
      const world: CredentialWorld = await createCredentialWorld({})
      try {
        const before = world.blockedConnections.length
        const outcome = await vector.attempt()
        expect(outcome, `${vector.name}: expected a refusal`).toBeInstanceOf(Error)
        expect((outcome as Error).message).not.toMatch(/^(connected|answered|sent|resolved|false connect event|no answer)$/)
        const counted = world.blockedConnections.slice(before)
        expect(counted.map((b) => b.host), `${vector.name}: counted`).toContain(vector.host)
        expect(counted.every((b) => b.why.length > 20)).toBe(true)
      } finally {
        await world.dispose()
      }
      // nothing got past the guard to the nets beneath it
      expect(reachedPastTheGuard().slice(reachedBefore)).toEqual([])
    })

    it('loopback still works, by address and by the name localhost', async () => {
      const world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
      try {
        const port = new URL(world.endpoints.imds).port
        expect((await fetch(`http://127.0.0.1:${port}/latest/meta-data/placement/region`)).status).toBe(200)
        expect((await fetch(`http://localhost:${port}/latest/meta-data/placement/region`)).status).toBe(200)
        expect(world.blockedConnections).toEqual([])
      } finally {
        await world.dispose()
      }
    })
  })
}
