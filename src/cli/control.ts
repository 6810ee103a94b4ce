/**
 * serve's control server: GET /healthz, /env, /requests, /explain — readable by its owner only.
 *
 * - every route needs `Authorization: Bearer <token>`, a per-run token compared in constant time
 *   (printed once on serve's stdout, or taken from CHAINPROOF_CONTROL_TOKEN and never printed);
 * - a request whose Host is a name other than localhost is refused (421): a web page that points
 *   its own DNS name at 127.0.0.1 (DNS rebinding) never gets an answer, token or not;
 * - a request that carries an Origin header (a browser's fetch) is refused (403), and nothing
 *   sends CORS headers, so no page can read an answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isIP } from 'node:net'
import { modelActiveWorld } from '../probe/probe.js'
import type { CredentialWorld } from '../types.js'
import { isLoopbackAddress, isLoopbackHost } from '../world/guard.js'
import { CONTROL_TOKEN_VARIABLE, tokensEqual } from './control-token.js'
import { reportJson } from './render.js'

export { isLoopbackAddress }
export { CONTROL_TOKEN_VARIABLE, CONTROL_URL_VARIABLE, checkGivenToken, newControlToken, tokensEqual } from './control-token.js'

/** The host part of a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`), lower case; undefined when malformed. */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/@]+)(?::\d{1,5})?$/.exec(header.trim())
  return match ? match[1]!.toLowerCase() : undefined
}

/**
 * Whether a Host header names this server as its owner would: `localhost` or a loopback address,
 * or — only when serve was told to listen beyond loopback — any IP address. A DNS name that
 * resolves to 127.0.0.1 (DNS rebinding) is never accepted.
 */
export function hostAllowed(header: string | undefined, beyondLoopback: boolean): boolean {
  const host = hostOfHeader(header)
  if (host === undefined) return false
  if (isLoopbackHost(host)) return true
  return beyondLoopback && isIP(host.replace(/^\[|\]$/g, '')) !== 0
}

export interface ControlServerOptions {
  token: string
  /** serve --allow-non-loopback: IP-address Hosts other than loopback are accepted too (the token still is needed). */
  beyondLoopback: boolean
}

type Answer = [status: number, body: string, type?: string]

/** The control server of one served world. */
export function controlServer(world: CredentialWorld, options: ControlServerOptions): Server {
  const send = (res: ServerResponse, [status, body, type = 'application/json']: Answer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers })
    res.end(body)
  }
  const error = (status: number, message: string): Answer => [status, JSON.stringify({ error: message })]
  const routes: Record<string, () => Promise<Answer>> = {
    '/healthz': async () => [200, 'ok', 'text/plain; charset=utf-8'],
    '/env': async () => [200, JSON.stringify(world.env)],
    '/requests': async () => [200, JSON.stringify(world.requests)],
    '/explain': async () => {
      const report = await modelActiveWorld()
      return [200, JSON.stringify({ ...reportJson(report), text: String(report) })]
    },
  }
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    if (!hostAllowed(req.headers.host, options.beyondLoopback)) {
      return send(res, error(421, `Host ${JSON.stringify(req.headers.host ?? '')} is not this control server: ask it as http://127.0.0.1:<port> or http://localhost:<port>`))
    }
    if (req.headers.origin !== undefined) return send(res, error(403, 'requests from a web page (with an Origin header) are refused; the control server is for programs on this machine'))
    const authorization = req.headers.authorization
    const given = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined
    if (given === undefined || !tokensEqual(given, options.token)) {
      return send(
        res,
        error(401, `${given === undefined ? 'no' : 'a wrong'} control token: send "Authorization: Bearer <token>" with the token serve printed (${CONTROL_TOKEN_VARIABLE})`),
        { 'www-authenticate': 'Bearer realm="chainproof"' },
      )
    }
    const path = (req.url ?? '/').split('?')[0]!
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined
    if (!route) return send(res, error(404, `no route ${path}; the control server answers GET ${Object.keys(routes).join(', ')}`))
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, error(405, `${req.method} ${path}: only GET`), { allow: 'GET, HEAD' })
    route().then(
      (answer) => send(res, answer),
      (failure: unknown) => send(res, error(500, (failure as Error).message)),
    )
  })
}
