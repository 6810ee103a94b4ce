/**
 * The network guard. Beneath it, the suite's setup (test/setup/loopback-only.ts) refuses and
 * records any non-loopback connect at node's own handles, so even a broken guard could not send
 * a packet anywhere from this file — and the file fails if one got there.
 */
import net from 'node:net'
import { beforeEach, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { blockedConnections, installNetworkGuard, isLoopbackHost, resetBlockedConnections, uninstallNetworkGuard, whyBlocked } from '../../src/world/guard.js'

/** What connect is with no world: the guard puts it back after each. */
let unguardedConnect: typeof net.Socket.prototype.connect
beforeEach(() => {
  unguardedConnect = net.Socket.prototype.connect
})

describe('the network guard', () => {
  it('refuses non-loopback connections while a world is active, naming the host and what the world lacks', async () => {
    const world = await createCredentialWorld({})
    const before = blockedConnections().length
    const viaNet = await new Promise<Error>((resolve) => {
      const socket = net.connect({ host: '169.254.169.254', port: 80 })
      socket.on('error', resolve)
    })
    expect(viaNet.message).toContain('chainproof network guard: refused a connection to 169.254.169.254:80 while a credential world is active — that is the EC2 instance metadata service')
    const viaFetch = await fetch('http://sqs.us-east-1.amazonaws.com/123456789012/queue').catch((e: Error & { cause?: Error }) => e.cause ?? e)
    expect((viaFetch as Error).message).toContain('refused a connection to sqs.us-east-1.amazonaws.com:80')
    expect((viaFetch as Error).message).toContain('that is a real AWS endpoint')
    // loopback still works: the world's own servers answer
    expect((await fetch(`${world.endpoints.imds}/latest/meta-data/placement/region`)).status).toBe(200)
    expect(world.blockedConnections.map((b) => b.host)).toEqual(['169.254.169.254', 'sqs.us-east-1.amazonaws.com'])
    expect(blockedConnections().length - before).toBe(2)
    await world.dispose()
    // these two were deliberate: the suite-wide check (test/setup) must not count them
    resetBlockedConnections()
  })

  it('is off when no world is active, and counts stay per world', async () => {
    const world = await createCredentialWorld({})
    await world.dispose()
    expect(net.Socket.prototype.connect).toBe(unguardedConnect)
    expect(world.blockedConnections).toEqual([])
  })

  it('nests: one uninstall per install', () => {
    installNetworkGuard()
    installNetworkGuard()
    uninstallNetworkGuard()
    expect(net.Socket.prototype.connect.name).toBe('guardedConnect')
    uninstallNetworkGuard()
    expect(net.Socket.prototype.connect).toBe(unguardedConnect)
  })

  it('explains each kind of address', () => {
    expect(whyBlocked('169.254.170.2')).toContain('container: { role }')
    expect(whyBlocked('s3.amazonaws.com')).toContain('real AWS endpoint')
    expect(whyBlocked('192.0.2.10')).toBe('only loopback addresses may be reached while a chainproof world is active')
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('10.0.0.1')).toBe(false)
  })
})
