import http from 'node:http'
import { expect, it } from 'vitest'
import { LoopbackServer, text } from '../../src/servers/http.js'
import { fakeWorld } from './fake-world.js'

// In a file of its own: the count of live handles must not be disturbed by other tests' connections.
it('never keeps the process alive: neither the listening server nor an idle keep-alive connection is ref\'d', async () => {
  const count = (type: string) => process.getActiveResourcesInfo().filter((t) => t === type).length
  const listening0 = count('TCPServerWrap')
  const sockets0 = count('TCPSocketWrap')
  const server = new LoopbackServer('gate', [{ name: 'test.ok', method: 'GET', path: '/ok', handle: () => text(200, 'ok') }])
  const url = await server.start()
  server.attach(fakeWorld())
  const agent = new http.Agent({ keepAlive: true })
  try {
    expect(count('TCPServerWrap')).toBe(listening0)
    await new Promise<void>((resolve, reject) => {
      http.get(`${url}/ok`, { agent }, (res) => {
        res.resume()
        res.on('end', resolve)
      }).on('error', reject)
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(Object.keys(agent.freeSockets)).toHaveLength(1)
    // Node's agent unrefs its idle client socket; the server's end of it must be unref'd too.
    expect(count('TCPSocketWrap')).toBe(sockets0)
  } finally {
    agent.destroy()
    await server.close()
  }
})
