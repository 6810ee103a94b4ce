import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { RecordedRequest, ServerName } from '../types.js'
import type { ServerWorld } from './state.js'
import { signingScopeOf } from '../sigv4.js'

export type { RouteRequest, RecordExtras, RouteReply, Route } from './state.js'
import type { RouteRequest, RouteReply, Route } from './state.js'

/** Requests larger than this are refused: every protocol served here has small bodies. */
const MAX_BODY_BYTES = 1024 * 1024

export function text(status: number, body: string, headers: Record<string, string> = {}): RouteReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body }
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): RouteReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) }
}

/** The first value of a header (node joins most repeated headers; a few come as arrays). */
export function headerOf(request: RouteRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(',') : value
}

/** AWS-style epoch-free timestamps: `2026-01-02T03:04:05Z` (no milliseconds), as IMDS and ECS write them. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Which route answers a method and path, and its capture groups. */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== '*' && route.method !== method) continue
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, params: [] }
      continue
    }
    const match = route.path.exec(path)
    if (match && match.index === 0 && match[0].length === path.length) return { route, params: match.slice(1).map((group) => group ?? '') }
  }
  return undefined
}

/** Replaces every secret the world's ledger issued, so an unexpected error can be reported safely. */
function scrubSecrets(message: string, world: ServerWorld): string {
  let out = message
  for (const secret of world.ledger.secrets()) if (secret) out = out.split(secret).join('***')
  return out
}

/**
 * One loopback HTTP server: a table of routes over whichever world is attached. It listens on
 * 127.0.0.1 (another host only when `chainproof serve --host` asks), never keeps the process
 * alive, and closes promptly even with keep-alive connections open.
 */
export class LoopbackServer {
  readonly name: ServerName
  readonly routes: readonly Route[]
  #server: Server | undefined
  #url: string | undefined
  #world: ServerWorld | undefined
  readonly #sockets = new Set<Socket>()

  /** Leading "//" read as "/": JS v2 joins IMDS endpoint and path as strings, and a world's endpoint ends with the "/" the AWS CLI needs. */
  readonly #collapseLeadingSlashes: boolean

  constructor(name: ServerName, routes: readonly Route[], options: { collapseLeadingSlashes?: boolean } = {}) {
    this.name = name
    this.routes = routes
    this.#collapseLeadingSlashes = options.collapseLeadingSlashes === true
  }

  /** `http://127.0.0.1:PORT`, once started. */
  get url(): string {
    if (!this.#url) throw new Error(`chainproof ${this.name} server is not listening`)
    return this.#url
  }

  get world(): ServerWorld | undefined {
    return this.#world
  }

  attach(world: ServerWorld): void {
    this.#world = world
  }

  detach(): void {
    this.#world?.faults?.release()
    this.#world = undefined
  }

  /**
   * Starts listening. By default on 127.0.0.1 and a random port; `host` and `port` are for a
   * standalone `chainproof serve` (a fixed port a container maps, or another interface).
   */
  async start(options: { host?: string; port?: number } = {}): Promise<string> {
    if (this.#url) return this.#url
    const host = options.host ?? '127.0.0.1'
    const port = options.port ?? 0
    const server = createServer({ keepAliveTimeout: 2000 }, (req, res) => {
      // A failure outside the route (recording, say) must still answer, never leave the client hanging.
      this.#serve(req, res).catch(() => {
        if (res.headersSent) res.destroy()
        else send(res, text(500, `chainproof ${this.name}: internal error\n`), true)
      })
    })
    server.on('connection', (socket) => {
      // An idle keep-alive connection must never keep a test worker alive.
      socket.unref()
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
    })
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      else socket.destroy()
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    server.unref()
    this.#server = server
    const address = server.address() as AddressInfo
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
    return this.#url
  }

  async close(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    this.#url = undefined
    this.#world = undefined
    if (!server) return
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    for (const socket of this.#sockets) socket.destroy()
    this.#sockets.clear()
    await closed
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = new Date()
    // The world is captured on arrival: a request answers, and is recorded by, the world it reached.
    const world = this.#world
    const method = (req.method ?? 'GET').toUpperCase()
    const rawUrl = req.url ?? '/'
    const queryAt = rawUrl.indexOf('?')
    const asked = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt)
    const path = this.#collapseLeadingSlashes ? asked.replace(/^\/{2,}/, '/') : asked
    const rawQuery = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)

    if (!world) {
      req.resume()
      send(res, text(503, `chainproof ${this.name}: no chainproof world is active (create one with createCredentialWorld or useCredentialWorld)\n`))
      return
    }

    let reply: RouteReply
    let body: Buffer
    try {
      body = await readBody(req)
    } catch (error) {
      reply = (error as { tooLarge?: boolean }).tooLarge ? text(413, `chainproof ${this.name}: request body too large\n`) : text(400, `chainproof ${this.name}: could not read the request body\n`)
      world.record({ server: this.name, method, path, status: reply.status, at })
      send(res, reply, true)
      return
    }

    const found = matchRoute(this.routes, method, path)
    let fetch: RecordedRequest['fetch']
    if (!found) {
      reply = text(404, `chainproof ${this.name}: no route for ${method} ${path}\n`)
    } else {
      const request: RouteRequest = {
        method,
        path,
        query: new URLSearchParams(rawQuery),
        rawQuery,
        headers: req.headers,
        body,
        text: body.toString('utf8'),
        params: found.params,
      }
      try {
        fetch = found.route.fetch?.(request, world)
      } catch {
        fetch = undefined
      }
      try {
        reply = await (world.faults ? world.faults.handle(found.route, request, world) : found.route.handle(request, world))
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        reply = text(500, `chainproof ${this.name}: internal error in route ${found.route.name}: ${scrubSecrets(message, world)}\n`)
      }
    }
    // The signing region is read off the wire for every signed request, whichever route or fault answered it.
    const region = signingScopeOf(req.headers.authorization, rawQuery)?.region
    const fetched = reply.record?.fetch ?? fetch
    world.record({ server: this.name, method, path, status: reply.status, at, ...reply.record, ...(region !== undefined ? { region } : {}), ...(fetched ? { fetch: fetched } : {}) })
    send(res, reply)
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data')
        req.resume()
        reject(Object.assign(new Error('request body too large'), { tooLarge: true }))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, reply: RouteReply, closeConnection = false): void {
  const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8')
  // the Date header in the world's time (a faked Date too): the SDK corrects its clock skew by it on every answer
  const headers: Record<string, string | number> = { date: new Date().toUTCString(), ...reply.headers, 'content-length': body.length }
  if (closeConnection) headers.connection = 'close'
  res.writeHead(reply.status, headers)
  res.end(body)
}

/** Escapes text for an XML element or attribute. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch)
}
