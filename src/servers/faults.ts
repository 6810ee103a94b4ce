import type { ServerFault } from '../fault-types.js'
import { headerOf, isoSeconds, json, text, type Route, type RouteReply, type RouteRequest } from './http.js'
import type { FiredFault, RouteFaults, ServerWorld } from './state.js'
import { parseAuthorization, stsError } from './sts.js'

/**
 * Server faults as data that wrap a route by name, msw-style: each fault says which routes it
 * wraps, which requests it applies to, and how it answers — instead of, around, or after the
 * route. Faults are tried in the spec's order (the first is outermost); `times` counts the
 * requests a fault has answered in this world, the report's probes included.
 */

type Next = () => Promise<RouteReply>

interface Wrapper {
  /** The routes this fault wraps (by the route's stable name and method). */
  wraps(route: Route): boolean
  /** Whether this request is one the fault answers (default: every request to a wrapped route). */
  applies?(request: RouteRequest): boolean
  answer(request: RouteRequest, world: ServerWorld, next: Next, hold: Hold): Promise<RouteReply>
}

/** Waits `ms`, or until the world is detached (false). The timer never keeps a process alive. */
type Hold = (ms: number) => Promise<boolean>

/** How long a token request that "times out" is held: far beyond the SDK's 1 s (and any sane client's) timeout. */
const TOKEN_TIMEOUT_HOLD_MS = 10_000
const TOKEN_HEADER = 'x-aws-ec2-metadata-token'

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** IMDS answers everything as text/plain, errors included. */
const imdsStatus = (status: number): RouteReply => text(status, `${STATUS_TEXT[status] ?? 'Error'}\n`, { 'content-type': 'text/plain', server: 'EC2ws' })

const IMDS_ROUTE_OF_PATH = { token: 'imds.token', role: 'imds.roleName', credentials: 'imds.credentials' } as const
const imdsPaths = (path: keyof typeof IMDS_ROUTE_OF_PATH | undefined, all: readonly (keyof typeof IMDS_ROUTE_OF_PATH)[]) =>
  (path ? [path] : all).map((p) => IMDS_ROUTE_OF_PATH[p]) as string[]
const named = (...names: string[]) => (route: Route) => names.includes(route.name)

/** Rewrites a successful JSON credentials answer; anything else passes through untouched. */
async function rewriteCredentials(next: Next, rewrite: (document: Record<string, unknown>) => Record<string, unknown>): Promise<RouteReply> {
  const reply = await next()
  if (reply.status !== 200 || reply.body === undefined) return reply
  const body = reply.body.toString()
  try {
    const document = JSON.parse(body) as Record<string, unknown>
    const pretty = body.includes('\n')
    return { ...reply, body: JSON.stringify(rewrite(document), null, pretty ? 2 : undefined) }
  } catch {
    return reply
  }
}

/** A credentials document cut short — right before the secret, so no secret is ever half-sent. */
async function truncateCredentials(next: Next): Promise<RouteReply> {
  const reply = await next()
  if (reply.status !== 200 || reply.body === undefined) return reply
  const body = reply.body.toString()
  const cut = body.indexOf('"SecretAccessKey"')
  return { ...reply, body: body.slice(0, cut > 0 ? cut : Math.min(body.length, 16)) }
}

function withoutTokenAndExpiration(document: Record<string, unknown>): Record<string, unknown> {
  const { Token: _token, Expiration: _expiration, ...rest } = document
  return rest
}

const CONTAINER_ERRORS: Record<number, { Code: string; Message: string }> = {
  401: { Code: 'Unauthorized', Message: 'The Authorization header is not valid for this task.' },
  403: { Code: 'AccessDenied', Message: 'The Authorization token was refused.' },
  404: { Code: 'NotFound', Message: 'No container credentials at this path.' },
  500: { Code: 'InternalServerError', Message: 'Unable to fetch credentials for the task role.' },
  502: { Code: 'BadGateway', Message: 'The credentials agent is not reachable.' },
  503: { Code: 'ServiceUnavailable', Message: 'The credentials agent is starting; try again.' },
}

/** The STS action of a query-protocol request (query string or form body). */
function stsActionOf(request: RouteRequest): string | undefined {
  const fromQuery = new URLSearchParams(request.rawQuery).get('Action')
  if (fromQuery) return fromQuery
  return request.method === 'POST' ? (new URLSearchParams(request.text).get('Action') ?? undefined) : undefined
}

function stsParam(request: RouteRequest, name: string): string | undefined {
  return new URLSearchParams(request.rawQuery).get(name) ?? new URLSearchParams(request.text).get(name) ?? undefined
}

/** The error STS answers, with the real service's wording. Nothing secret: the caller is named by its ARN. */
function stsFaultReply(code: string, action: string, request: RouteRequest, world: ServerWorld): RouteReply {
  const roleArn = stsParam(request, 'RoleArn') ?? 'the role'
  const record = { service: 'sts', action }
  switch (code) {
    case 'AccessDenied': {
      if (action === 'AssumeRoleWithWebIdentity') return { ...stsError(403, code, 'Not authorized to perform sts:AssumeRoleWithWebIdentity'), record }
      const key = parseAuthorization(headerOf(request, 'authorization') ?? '')?.accessKeyId
      const caller = (key && world.ledger.identityOf(key)?.principal) ?? `arn:aws:iam::${world.accountId}:user/unknown`
      return { ...stsError(403, code, `User: ${caller} is not authorized to perform: sts:${action} on resource: ${roleArn}`), record }
    }
    case 'ExpiredTokenException': {
      const now = Math.floor(Date.now() / 1000)
      const message =
        action === 'AssumeRoleWithWebIdentity'
          ? `Token expired: current date/time ${now} must be before the expiration date/time ${now - 3600}`
          : 'The security token included in the request is expired'
      return { ...stsError(400, code, message), record }
    }
    case 'InvalidIdentityToken':
      return { ...stsError(400, code, "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements"), record }
    case 'RegionDisabledException':
      return {
        ...stsError(403, code, `STS is not activated in this region for account:${world.accountId}. Your account administrator can activate STS in this region using the IAM Console.`),
        record,
      }
    default:
      return { ...stsError(400, 'Throttling', 'Rate exceeded'), record }
  }
}

/** How each fault of the catalogue wraps its routes. */
function wrapperOf(fault: ServerFault): Wrapper {
  switch (fault.target) {
    case 'imds':
      switch (fault.kind) {
        case 'tokenStatus':
          return { wraps: named('imds.token'), answer: async () => imdsStatus(fault.status) }
        case 'tokenTimeout':
          return {
            wraps: named('imds.token'),
            answer: async (_request, _world, next, hold) => ((await hold(TOKEN_TIMEOUT_HOLD_MS)) ? next() : detached()),
          }
        case 'rejectV1':
          return {
            wraps: (route) => route.method === 'GET' && route.name.startsWith('imds.'),
            applies: (request) => headerOf(request, TOKEN_HEADER) === undefined,
            answer: async () => imdsStatus(401),
          }
        case 'status':
          return { wraps: named(...imdsPaths(fault.path, ['role', 'credentials'])), answer: async () => imdsStatus(fault.status) }
        case 'throttle': {
          if (fault.perSecond === undefined) return { wraps: named(...imdsPaths(fault.path, ['token', 'role', 'credentials'])), answer: async () => imdsStatus(429) }
          // a rate limit: the requests of the last second (the world's clock) up to perSecond pass, the rest are throttled
          const passed: number[] = []
          const limit = fault.perSecond
          return {
            wraps: named(...imdsPaths(fault.path, ['token', 'role', 'credentials'])),
            applies: () => {
              const now = Date.now()
              while (passed.length && passed[0]! <= now - 1000) passed.shift()
              if (passed.length < limit) {
                passed.push(now)
                return false
              }
              return true
            },
            answer: async () => imdsStatus(429),
          }
        }
        case 'delay':
          return {
            wraps: named(...imdsPaths(fault.path, ['token', 'role', 'credentials'])),
            answer: async (_request, _world, next, hold) => ((await hold(fault.ms)) ? next() : detached()),
          }
        case 'malformedCredentials':
          return {
            wraps: named('imds.credentials'),
            answer: (_request, _world, next) => (fault.variant === 'missingFields' ? rewriteCredentials(next, withoutTokenAndExpiration) : truncateCredentials(next)),
          }
        case 'expiredCredentials':
          return {
            wraps: named('imds.credentials'),
            answer: (_request, _world, next) => {
              const expired = new Date(Date.now() - (fault.agoSeconds ?? 900) * 1000)
              return rewriteCredentials(next, (document) => ({ ...document, LastUpdated: isoSeconds(new Date(expired.getTime() - 6 * 3600_000)), Expiration: isoSeconds(expired) }))
            },
          }
        case 'expiringCredentials':
          return {
            wraps: named('imds.credentials'),
            answer: (_request, _world, next) => rewriteCredentials(next, (document) => ({ ...document, Expiration: isoSeconds(new Date(Date.now() + fault.inSeconds * 1000)) })),
          }
      }
      break
    case 'container':
      switch (fault.kind) {
        case 'status':
          return { wraps: named('container.credentials'), answer: async () => json(fault.status, CONTAINER_ERRORS[fault.status]) }
        case 'malformedBody':
          return {
            wraps: named('container.credentials'),
            answer: (_request, _world, next) => (fault.variant === 'missingFields' ? rewriteCredentials(next, withoutTokenAndExpiration) : truncateCredentials(next)),
          }
        case 'delay':
          return {
            wraps: named('container.credentials'),
            answer: async (_request, _world, next, hold) => ((await hold(fault.ms)) ? next() : detached()),
          }
      }
      break
    case 'sts': {
      const actions = fault.action ? [fault.action] : fault.code === 'InvalidIdentityToken' ? ['AssumeRoleWithWebIdentity'] : ['AssumeRole', 'AssumeRoleWithWebIdentity']
      return {
        wraps: named('sts.query'),
        applies: (request) => actions.includes(stsActionOf(request) ?? ''),
        answer: async (request, world) => stsFaultReply(fault.code, stsActionOf(request)!, request, world),
      }
    }
  }
  throw new Error(`chainproof: no server wrapper for fault ${(fault as ServerFault).target} ${(fault as ServerFault).kind}`)
}

/** What a held request answers when its world goes away first: nothing is left to serve it. */
const detached = (): RouteReply => text(503, 'chainproof: the world was disposed while this answer was held\n')

interface Active {
  index: number
  fault: ServerFault
  wrapper: Wrapper
  remaining: number
}

/** A world's server faults: per-world counters, pending holds, and a record of what fired. */
export class ServerFaults implements RouteFaults {
  readonly #active: Active[]
  readonly #holds = new Set<{ timer: NodeJS.Timeout; resolve(value: boolean): void }>()
  readonly #fired: FiredFault[] = []
  #released = false

  /** `faults` with their index in the spec's `faults` (file faults are not here). */
  constructor(faults: readonly { index: number; fault: ServerFault }[]) {
    this.#active = faults.map(({ index, fault }) => ({ index, fault, wrapper: wrapperOf(fault), remaining: fault.times ?? Number.POSITIVE_INFINITY }))
    this.#start = Date.now()
  }

  /** When the world started, by its clock: `after` and `lasting` count from here. */
  readonly #start: number

  /** Whether a fault is in effect now, by the world's clock (its `after` and `lasting`). */
  #inEffect(fault: ServerFault): boolean {
    const elapsed = Date.now() - this.#start
    const from = (fault.after ?? 0) * 1000
    return elapsed >= from && (fault.lasting === undefined || elapsed < from + fault.lasting * 1000)
  }

  get fired(): readonly FiredFault[] {
    return this.#fired
  }

  handle(route: Route, request: RouteRequest, world: ServerWorld): Promise<RouteReply> {
    const chain = this.#active.filter((a) => a.wrapper.wraps(route))
    const run = (i: number): Promise<RouteReply> => {
      const active = chain[i]
      if (!active) return Promise.resolve(route.handle(request, world))
      if (active.remaining <= 0 || !this.#inEffect(active.fault) || (active.wrapper.applies && !active.wrapper.applies(request))) return run(i + 1)
      active.remaining--
      this.#fired.push({ index: active.index, fault: active.fault, route: route.name, at: new Date() })
      return active.wrapper.answer(request, world, () => run(i + 1), this.#hold)
    }
    return run(0)
  }

  /** Ends every hold at once (the world is detached): no timer outlives its world. */
  release(): void {
    this.#released = true
    for (const hold of this.#holds) {
      clearTimeout(hold.timer)
      hold.resolve(false)
    }
    this.#holds.clear()
  }

  readonly #hold: Hold = (ms) => {
    if (this.#released) return Promise.resolve(false)
    return new Promise<boolean>((resolve) => {
      const hold = {
        timer: setTimeout(() => {
          this.#holds.delete(hold)
          resolve(true)
        }, ms),
        resolve,
      }
      hold.timer.unref()
      this.#holds.add(hold)
    })
  }
}
