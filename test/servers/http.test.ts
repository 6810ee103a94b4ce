import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LoopbackServer, matchRoute, text, type Route } from '../../src/servers/http.js'
import { startLoopbackServers, stopLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import { fakeWorld, installLoopbackGuard } from './fake-world.js'

let servers: LoopbackServers
let removeGuard: () => void

beforeAll(async () => {
  removeGuard = installLoopbackGuard()
  servers = await startLoopbackServers()
})
afterAll(() => removeGuard())
afterEach(() => {
  // Leave nothing attached for the next test.
  for (const world of attachedWorlds.splice(0)) servers.detach(world)
})

const attachedWorlds: ReturnType<typeof fakeWorld>[] = []
function attachNew(options: Parameters<typeof fakeWorld>[0] = {}): ReturnType<typeof fakeWorld> {
  const world = fakeWorld(options)
  servers.attach(world)
  attachedWorlds.push(world)
  return world
}

describe('startLoopbackServers', () => {
  it('listens on 127.0.0.1 with a distinct port per server and no trailing slash', () => {
    const urls = Object.values(servers.urls)
    expect(urls).toHaveLength(6)
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(new Set(urls).size).toBe(6)
  })

  it('is memoized: concurrent and later callers get the same servers', async () => {
    const [a, b] = await Promise.all([startLoopbackServers(), startLoopbackServers()])
    expect(a).toBe(servers)
    expect(b).toBe(servers)
    expect(startLoopbackServers()).toBe(startLoopbackServers())
  })

  it('starts fresh servers after stopLoopbackServers, and the old ports stop answering', async () => {
    const oldImds = servers.urls.imds
    await stopLoopbackServers()
    await expect(fetch(`${oldImds}/latest/meta-data/placement/region`)).rejects.toThrow()
    servers = await startLoopbackServers()
    expect(servers.urls.imds).not.toBe(oldImds)
    const world = attachNew({ region: 'eu-west-3' })
    const res = await fetch(`${servers.urls.imds}/latest/meta-data/placement/region`)
    expect(await res.text()).toBe('eu-west-3')
    expect(world.requests).toHaveLength(1)
  })
})

describe('attach and detach', () => {
  it('answers 503 at once on every server when no world is attached, and records nothing', async () => {
    const world = fakeWorld()
    for (const [name, url] of Object.entries(servers.urls)) {
      const started = Date.now()
      const res = await fetch(`${url}/anything`)
      expect(res.status, name).toBe(503)
      expect(await res.text()).toMatch(/no chainproof world is active/)
      expect(Date.now() - started).toBeLessThan(500)
    }
    expect(world.requests).toEqual([])
  })

  it('detach(world) only detaches the world that is attached', async () => {
    const first = fakeWorld({ region: 'eu-north-1' })
    const second = attachNew({ region: 'ap-south-1' })
    servers.detach(first)
    const res = await fetch(`${servers.urls.imds}/latest/meta-data/placement/region`)
    expect(await res.text()).toBe('ap-south-1')
    expect(second.requests.map((r) => r.status)).toEqual([200])
    servers.detach(second)
    expect((await fetch(`${servers.urls.imds}/latest/meta-data/placement/region`)).status).toBe(503)
  })

  it('records each request on the world it reached, with the path but not the query string', async () => {
    const world = attachNew()
    const before = new Date()
    const res = await fetch(`${servers.urls.sso}/no/such/route?x=1&y=2`, { method: 'DELETE' })
    expect(res.status).toBe(404)
    expect(world.requests).toHaveLength(1)
    const [entry] = world.requests
    expect(entry).toMatchObject({ server: 'sso', method: 'DELETE', path: '/no/such/route', status: 404 })
    expect(entry!.at).toBeInstanceOf(Date)
    expect(entry!.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5)
  })
})

describe('the gate', () => {
  // Its behaviour is tested in gate.test.ts; here only that it is routed and recorded like the others.
  it('answers any method and path (unsigned: refused with 403), and records it as the gate', async () => {
    const world = attachNew()
    const get = await fetch(`${servers.urls.gate}/my-bucket/key.txt`)
    const post = await fetch(`${servers.urls.gate}/`, { method: 'POST', body: 'Action=ListUsers' })
    expect(get.status).toBe(403)
    expect(post.status).toBe(403)
    expect(await get.text()).toMatch(/<Code>AccessDenied<\/Code>/)
    expect(world.requests.map((r) => [r.server, r.method, r.path, r.status])).toEqual([
      ['gate', 'GET', '/my-bucket/key.txt', 403],
      ['gate', 'POST', '/', 403],
    ])
  })
})

describe('LoopbackServer', () => {
  const routes: Route[] = [
    { name: 'test.exact', method: 'GET', path: '/exact', handle: () => text(200, 'exact') },
    { name: 'test.param', method: 'POST', path: /\/items\/([^/]+)/, handle: (req) => text(201, `${req.params[0]}:${req.query.get('q')}:${req.text}`) },
    {
      name: 'test.throws',
      method: 'GET',
      path: '/boom',
      handle: (_req, world) => {
        throw new Error(`failed with ${world.ledger.secrets()[0]}`)
      },
    },
  ]

  it('routes by method and path (exact or whole-path RegExp) and hands the route the body and query', async () => {
    const server = new LoopbackServer('gate', routes)
    const url = await server.start()
    try {
      const world = fakeWorld()
      server.attach(world)
      expect(await (await fetch(`${url}/exact`)).text()).toBe('exact')
      const created = await fetch(`${url}/items/abc?q=1`, { method: 'POST', body: 'payload' })
      expect(created.status).toBe(201)
      expect(await created.text()).toBe('abc:1:payload')
      expect((await fetch(`${url}/items/abc/extra`, { method: 'POST' })).status).toBe(404)
      expect((await fetch(`${url}/exact`, { method: 'PUT' })).status).toBe(404)
      expect(world.requests.map((r) => r.status)).toEqual([200, 201, 404, 404])
    } finally {
      await server.close()
    }
  })

  it('answers 500 when a route throws, with every issued secret scrubbed from the text', async () => {
    const server = new LoopbackServer('gate', routes)
    const url = await server.start()
    try {
      const world = fakeWorld()
      const secret = world.user('alice').secretAccessKey
      server.attach(world)
      const res = await fetch(`${url}/boom`)
      const body = await res.text()
      expect(res.status).toBe(500)
      expect(body).toContain('test.throws')
      expect(body).not.toContain(secret)
      expect(body).toContain('***')
      expect(world.requests[0]).toMatchObject({ status: 500, path: '/boom' })
    } finally {
      await server.close()
    }
  })

  it('closes promptly while a client holds a keep-alive connection open', async () => {
    const server = new LoopbackServer('gate', routes)
    const url = await server.start()
    server.attach(fakeWorld())
    const agent = new http.Agent({ keepAlive: true })
    try {
      await new Promise<void>((resolve, reject) => {
        http.get(`${url}/exact`, { agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        }).on('error', reject)
      })
      expect(Object.keys(agent.freeSockets)).toHaveLength(1)
      const started = Date.now()
      await server.close()
      expect(Date.now() - started).toBeLessThan(500)
    } finally {
      agent.destroy()
    }
  })

  it('matchRoute requires a RegExp to match the whole path', () => {
    expect(matchRoute(routes, 'POST', '/items/x')?.params).toEqual(['x'])
    expect(matchRoute(routes, 'POST', '/prefix/items/x')).toBeUndefined()
    expect(matchRoute(routes, 'GET', '/exact/')).toBeUndefined()
  })
})
