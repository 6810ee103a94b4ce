import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isIP, type AddressInfo } from 'node:net'
import { maskKeyId } from '../chain/mask.js'
import { ChainproofError } from '../errors.js'
import { modelActiveWorld } from '../probe/probe.js'
import { type LoopbackServers, PORT_BLOCK, PORT_OFFSETS, SERVER_NAMES, startLoopbackServers, stopLoopbackServers } from '../servers/index.js'
import type { CredentialWorld, RecordedRequest, ServerName, WorldSpec } from '../types.js'
import { loadScenario } from '../world/scenario.js'
import { parseWorldSpec } from '../world/spec.js'
import { createCredentialWorld } from '../world/world.js'
import { EXIT, UsageError, parseCommandArgs } from './args.js'
import { SERVE_HELP } from './help.js'
import type { Io } from './io.js'
import { reportJson } from './render.js'

/** Port offsets from --port-base: a contract the container-backed world relies on. */
export { PORT_OFFSETS }

/** Variables never printed, even though the world's env holds them: a program reads them from GET /env. */
export const WITHHELD_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

type EnvFormat = 'env' | 'dotenv' | 'json'
type LogFormat = 'text' | 'json' | 'none'

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

function dotenvValue(value: string): string {
  return /^[\w./:@%+,=-]*$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** One line per request for a human: time, server, method, path, status, action and signer. */
function requestLine(r: RecordedRequest): string {
  const extras = [r.action, r.principal ? `by ${r.principal}` : undefined, r.source ? `(${r.source})` : undefined].filter(Boolean).join(' ')
  return `${r.at.toISOString()} ${r.server.padEnd(9)} ${r.method} ${r.path} → ${r.status}${extras ? ` ${extras}` : ''}`
}

/** A recorded request for the JSON log: access key ids masked. */
function requestJson(r: RecordedRequest): Record<string, unknown> {
  return { ...r, at: r.at.toISOString(), ...(r.accessKeyId ? { accessKeyId: maskKeyId(r.accessKeyId) } : {}) }
}

async function specFrom(file: string | undefined, inline: string | undefined): Promise<{ spec: WorldSpec; name: string }> {
  if (file !== undefined && inline !== undefined) throw new UsageError('give a scenario file or --spec, not both', 'serve')
  if (file !== undefined) {
    const scenario = await loadScenario(file)
    return { spec: scenario.spec, name: scenario.name }
  }
  if (inline !== undefined) {
    let json: unknown
    try {
      json = JSON.parse(inline)
    } catch (error) {
      throw new ChainproofError(`--spec is not valid JSON: ${(error as Error).message}; quote it for the shell, e.g. --spec '{"instanceProfile":{"role":"web"}}'`)
    }
    return { spec: parseWorldSpec(json, 'WorldSpec given with --spec'), name: '--spec' }
  }
  return { spec: {}, name: 'empty world' }
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new ChainproofError(`the control server cannot listen on ${host}:${port} (${error.code ?? error.message}): choose another --port-base or --host`))
    })
    server.listen(port, host, () => resolve(urlOf(host, (server.address() as AddressInfo).port)))
  })
}

function controlServer(world: CredentialWorld): Server {
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
    res.end(body)
  }
  const routes: Record<string, () => Promise<[number, string, string?]>> = {
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
    const path = (req.url ?? '/').split('?')[0]!
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined
    if (!route) return send(res, 404, JSON.stringify({ error: `no route ${path}; the control server answers GET ${Object.keys(routes).join(', ')}` }))
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, JSON.stringify({ error: `${req.method} ${path}: only GET` }))
    route().then(
      ([status, body, type]) => send(res, status, body, type),
      (error: unknown) => send(res, 500, JSON.stringify({ error: (error as Error).message })),
    )
  })
}

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'serve',
    argv,
    {
      spec: { type: 'string' },
      host: { type: 'string' },
      'port-base': { type: 'string' },
      format: { type: 'string' },
      log: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  )
  if (values.help) {
    io.out(SERVE_HELP)
    return EXIT.ok
  }
  const format = (values.format ?? 'env') as EnvFormat
  if (!['env', 'dotenv', 'json'].includes(format)) throw new UsageError(`--format must be env, dotenv or json (got ${JSON.stringify(values.format)})`, 'serve')
  const log = (values.log ?? 'text') as LogFormat
  if (!['text', 'json', 'none'].includes(log)) throw new UsageError(`--log must be text, json or none (got ${JSON.stringify(values.log)})`, 'serve')
  const host = values.host ?? '127.0.0.1'
  if (isIP(host) === 0 && host !== 'localhost') throw new UsageError(`--host must be an IP address such as 127.0.0.1 or 0.0.0.0 (got ${JSON.stringify(host)})`, 'serve')
  let portBase: number | undefined
  if (values['port-base'] !== undefined) {
    portBase = Number(values['port-base'])
    if (!/^\d+$/.test(values['port-base']) || portBase < 1 || portBase + PORT_BLOCK - 1 > 65535) {
      throw new UsageError(`--port-base must be a port from 1 to ${65535 - PORT_BLOCK + 1} (it uses n to n+${PORT_BLOCK - 1}); got ${JSON.stringify(values['port-base'])}`, 'serve')
    }
  }
  const { spec, name } = await specFrom(positionals[0], values.spec)

  // A stop asked for during start-up is honoured once everything is up, so nothing is left behind.
  let stopRequested: (() => void) | undefined
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve))
  const onSignal = () => stopRequested!()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  let servers: LoopbackServers
  try {
    const ports: Partial<Record<ServerName, number>> | undefined =
      portBase === undefined ? undefined : Object.fromEntries(SERVER_NAMES.map((name) => [name, portBase + PORT_OFFSETS[name]]))
    servers = await startLoopbackServers({ host, ...(ports ? { ports } : {}) })
  } catch (error) {
    throw new ChainproofError(`${(error as Error).message}${portBase !== undefined ? ' (--port-base)' : ''}`)
  }
  let world: CredentialWorld
  try {
    world = await createCredentialWorld(spec)
  } catch (error) {
    await servers.close()
    throw error
  }
  const control = controlServer(world)
  let controlUrl: string
  try {
    controlUrl = await listen(control, host, portBase === undefined ? 0 : portBase + PORT_OFFSETS.control)
  } catch (error) {
    await world.dispose()
    await servers.close()
    throw error
  }

  const printed = Object.fromEntries(Object.entries(world.env).filter(([k]) => !(WITHHELD_VARIABLES as readonly string[]).includes(k)))
  const withheld = WITHHELD_VARIABLES.filter((k) => k in world.env)
  if (format === 'json') {
    io.out(JSON.stringify({ env: printed, endpoints: world.endpoints, control: controlUrl, withheld }))
  } else {
    const lines = [`# chainproof control: ${controlUrl}`]
    if (withheld.length) lines.push(`# withheld (secrets are never printed; GET ${controlUrl}/env has them): ${withheld.join(', ')}`)
    for (const [k, v] of Object.entries(printed)) lines.push(format === 'env' ? `export ${k}=${shellQuote(v)}` : `${k}=${dotenvValue(v)}`)
    io.out(lines.join('\n'))
  }
  if (log === 'text') {
    const endpoints = Object.entries(world.endpoints).map(([k, v]) => `${k} ${v}`).join(', ')
    io.err(`chainproof serve: ${name} — ${endpoints}; control ${controlUrl}. SIGINT (Ctrl-C) or SIGTERM stops it.`)
  }

  let logged = 0
  const flush = () => {
    const all = world.requests
    for (; logged < all.length; logged++) {
      const r = all[logged]!
      if (log === 'json') io.err(JSON.stringify(requestJson(r)))
      else if (log === 'text') io.err(requestLine(r))
    }
  }
  const ticker = setInterval(flush, 50)

  await stopped
  clearInterval(ticker)
  flush()
  await new Promise<void>((resolve) => {
    control.close(() => resolve())
    control.closeAllConnections()
  })
  await world.dispose()
  await stopLoopbackServers()
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  if (log === 'text') io.err('chainproof serve: stopped')
  return EXIT.ok
}
