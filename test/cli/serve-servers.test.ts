/**
 * What `chainproof serve --host/--port-base` needs of the loopback servers: fixed ports and a
 * host on the first start, an error (not a silent reuse) when other options are asked while
 * they run, and today's behaviour — 127.0.0.1, random ports, one shared start — otherwise.
 */
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startLoopbackServers, stopLoopbackServers } from '../../src/servers/index.js'

afterEach(() => stopLoopbackServers())

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describe('startLoopbackServers options', () => {
  it('listens on the given ports; a call without options reuses them; other options are refused', async () => {
    const [imds, gate] = [await freePort(), await freePort()]
    const servers = await startLoopbackServers({ host: '127.0.0.1', ports: { imds, gate } })
    expect(servers.urls.imds).toBe(`http://127.0.0.1:${imds}`)
    expect(servers.urls.gate).toBe(`http://127.0.0.1:${gate}`)
    expect(servers.urls.sts).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await startLoopbackServers()).toBe(servers)
    expect(await startLoopbackServers({ host: '127.0.0.1', ports: { imds, gate } })).toBe(servers)
    await expect(startLoopbackServers({ ports: { imds: imds + 1 } })).rejects.toThrow(
      'chainproof loopback servers are already running with other host/port options; call stopLoopbackServers() before starting them elsewhere',
    )
  })

  it('a port in use is an error that names the server and says what to do, and nothing is left listening', async () => {
    const blocker = createServer()
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)))
    try {
      await expect(startLoopbackServers({ ports: { sts: port } })).rejects.toThrow(`chainproof sts server cannot listen on 127.0.0.1:${port} (EADDRINUSE): choose another host or port`)
      const servers = await startLoopbackServers()
      expect(servers.urls.sts).not.toBe(`http://127.0.0.1:${port}`)
    } finally {
      blocker.close()
    }
  })

  it('without options: 127.0.0.1 and random ports, as every world uses', async () => {
    const servers = await startLoopbackServers()
    for (const url of Object.values(servers.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(startLoopbackServers()).toBe(startLoopbackServers())
  })
})
