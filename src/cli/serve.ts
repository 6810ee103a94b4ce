import type { Server } from 'node:http'
import { isIP, type AddressInfo } from 'node:net'
import { maskKeyId } from '../chain/mask.js'
import { ChainproofError } from '../errors.js'
import { type LoopbackServers, PORT_BLOCK, PORT_OFFSETS, SERVER_NAMES, startLoopbackServers, stopLoopbackServers } from '../servers/index.js'
import type { CredentialWorld, RecordedRequest, ServerName, WorldSpec } from '../types.js'
import { loadScenario } from '../world/scenario.js'
import { parseWorldSpec } from '../world/spec.js'
import { createCredentialWorld } from '../world/world.js'
import { EXIT, UsageError, parseCommandArgs } from './args.js'
import { CONTROL_TOKEN_VARIABLE, CONTROL_URL_VARIABLE, checkGivenToken, controlServer, newControlToken } from './control.js'
import { isLoopbackHost } from '../world/guard.js'
import { SERVE_HELP } from './help.js'
import type { Io } from './io.js'
import { safeText } from './render.js'
import { WITHHELD_VARIABLES, dotenvValue, shellQuote, splitServedEnv, writeSecretFiles } from './served-env.js'

/** Port offsets from --port-base: a contract the container-backed world relies on. */
export { PORT_OFFSETS, WITHHELD_VARIABLES }

type EnvFormat = 'env' | 'dotenv' | 'json'
type LogFormat = 'text' | 'json' | 'none'

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** One line per request for a human: time, server, method, path, status, action and signer. */
export function requestLine(r: RecordedRequest): string {
  const extras = [r.action, r.principal ? `by ${r.principal}` : undefined, r.source ? `(${r.source})` : undefined].filter(Boolean).join(' ')
  return `${r.at.toISOString()} ${r.server.padEnd(9)} ${r.method} ${r.path} → ${r.status}${extras ? ` ${extras}` : ''}`
}

/** A recorded request for the JSON log: access key ids masked. */
export function requestJson(r: RecordedRequest): Record<string, unknown> {
  return { ...r, at: r.at.toISOString(), ...(r.accessKeyId ? { accessKeyId: maskKeyId(r.accessKeyId) } : {}) }
}

/** The world a command runs: a scenario file, --spec JSON, or the empty world. */
export async function specFrom(command: string, file: string | undefined, inline: string | undefined): Promise<{ spec: WorldSpec; name: string }> {
  if (file !== undefined && inline !== undefined) throw new UsageError('give a scenario file or --spec, not both', command)
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
      reject(new ChainproofError(`the control server cannot listen on ${host}:${port} (${error.code ?? error.message}): choose another --port-base, or leave it out and free ports are picked`))
    })
    server.listen(port, host, () => resolve(urlOf(host, (server.address() as AddressInfo).port)))
  })
}

/**
 * --host: an IP address or localhost. Anything beyond loopback (0.0.0.0, ::, a LAN address) lets
 * every process that can reach this machine ask the world's servers, so it needs
 * --allow-non-loopback as well.
 */
export function checkHost(command: string, host: string, allowNonLoopback: boolean): void {
  if (isIP(host) === 0 && host !== 'localhost') throw new UsageError(`--host must be an IP address such as 127.0.0.1 (got ${JSON.stringify(host)})`, command)
  if (isLoopbackHost(host) || allowNonLoopback) return
  throw new UsageError(
    `--host ${host} is not a loopback address: the world's servers (its IMDS, container endpoint, STS, SSO portal and control server) would answer other machines too. ` +
      'Keep the default 127.0.0.1; if that is what you want (a world in a container reached through published ports), add --allow-non-loopback',
    command,
  )
}

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'serve',
    argv,
    {
      spec: { type: 'string' },
      host: { type: 'string' },
      'allow-non-loopback': { type: 'boolean' },
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
  const beyondLoopback = values['allow-non-loopback'] === true
  checkHost('serve', host, beyondLoopback)
  let portBase: number | undefined
  if (values['port-base'] !== undefined) {
    portBase = Number(values['port-base'])
    if (!/^\d+$/.test(values['port-base']) || portBase < 1 || portBase + PORT_BLOCK - 1 > 65535) {
      throw new UsageError(`--port-base must be a port from 1 to ${65535 - PORT_BLOCK + 1} (it uses n to n+${PORT_BLOCK - 1}); got ${JSON.stringify(values['port-base'])}`, 'serve')
    }
  }
  const givenToken = io.env[CONTROL_TOKEN_VARIABLE]
  const token = givenToken !== undefined && givenToken !== '' ? checkGivenToken(givenToken) : newControlToken()
  const { spec, name } = await specFrom('serve', positionals[0], values.spec)

  // A stop asked for during start-up is honoured once everything is up, so nothing is left behind.
  let stopRequested: (() => void) | undefined
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve))
  const onSignal = () => stopRequested!()
  // `on`, not `once`: while serve listens, the world's own signal cleanup leaves the stopping to it
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

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
  const served = splitServedEnv(world.env)
  const control = controlServer(world, { token, beyondLoopback })
  let controlUrl: string
  let secretFiles: Record<string, string> = {}
  try {
    controlUrl = await listen(control, host, portBase === undefined ? 0 : portBase + PORT_OFFSETS.control)
    if (format === 'env') secretFiles = await writeSecretFiles(world.home, served.secret)
  } catch (error) {
    control.close()
    await world.dispose()
    await servers.close()
    throw error
  }

  const printedToken = givenToken ? undefined : token
  if (format === 'json') {
    const env = Object.fromEntries(Object.entries(world.env).filter(([k]) => !served.omitted.includes(k)))
    io.out(JSON.stringify({ env, endpoints: world.endpoints, control: controlUrl, ...(printedToken ? { token: printedToken } : {}), withheld: served.omitted }))
  } else {
    const tokenNote = printedToken ? '' : ` (token from ${CONTROL_TOKEN_VARIABLE})`
    const lines = [`# chainproof control: ${controlUrl}${tokenNote}`]
    const assign = (k: string, v: string) => (format === 'env' ? `export ${k}=${shellQuote(v)}` : `${k}=${dotenvValue(v)}`)
    lines.push(assign(CONTROL_URL_VARIABLE, controlUrl))
    if (printedToken) lines.push(assign(CONTROL_TOKEN_VARIABLE, printedToken))
    if (format === 'env') {
      const secret = Object.keys(served.secret)
      if (secret.length) lines.push(`# secrets are never printed: ${secret.join(', ')} are read from files in the world's sandbox when this is sourced`)
      for (const [k, v] of Object.entries(world.env)) lines.push(k in served.secret ? `export ${k}="$(cat ${shellQuote(secretFiles[k]!)})"` : assign(k, v))
    } else {
      if (served.omitted.length) {
        lines.push(
          `# withheld: ${served.omitted.join(', ')} — secrets are never printed, and their group is left out whole so no tool sees partial credentials; ` +
            `use --format env (it reads them from files), run the tool with \`chainproof exec\`, or GET ${controlUrl}/env with the token`,
        )
      }
      for (const [k, v] of Object.entries(world.env)) if (!served.omitted.includes(k)) lines.push(assign(k, v))
    }
    io.out(lines.join('\n'))
  }
  if (log === 'text') {
    const endpoints = Object.entries(world.endpoints).map(([k, v]) => `${k} ${v}`).join(', ')
    io.err(`chainproof serve: ${safeText(name)} — ${endpoints}; control ${controlUrl}. SIGINT (Ctrl-C) or SIGTERM stops it.`)
  }
  if (beyondLoopback && !isLoopbackHost(host)) {
    io.err(`chainproof serve: WARNING — listening on ${host}, beyond loopback (--allow-non-loopback): other machines can ask this world's IMDS, container endpoint, STS and SSO portal; the control server still needs its token.`)
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
