import type { RecordedRequest, Source } from '../types.js'
import type { FaultSpec } from '../fault-types.js'
import type { IssuedCredentials, Ledger } from './ledger.js'
import type { IncomingHttpHeaders } from 'node:http'

/** A fault that answered a request: which one (its index in the spec's `faults`), on which route, when. */
export interface FiredFault {
  index: number
  fault: FaultSpec
  route: string
  at: Date
}

/** A world's server faults, wrapping routes by name (see servers/faults.ts). */
export interface RouteFaults {
  /** Answers a request to `route`, through whichever faults wrap it. */
  handle(route: Route, request: RouteRequest, world: ServerWorld): Promise<RouteReply>
  /** Ends every held answer: called when the world is detached. */
  release(): void
  /** Every request a fault answered, in order. */
  readonly fired: readonly FiredFault[]
}

/**
 * What a loopback server sees of the active world. Servers start once per worker and are
 * reused; the world swaps this state in on activation and out on dispose. Servers know
 * nothing of matchers, and nothing of how the state was built.
 */
export interface ServerWorld {
  readonly accountId: string
  readonly region: string
  readonly ledger: Ledger
  /** Present when the world has an instance profile. */
  readonly instanceProfile?: {
    roleName: string
    instanceId: string
    imdsV1Only: boolean
    imdsV2Only: boolean
    /** The region the instance is in, as IMDS reports it (placement, identity document); absent: the world's region. */
    region?: string
    /** The role credentials IMDS serves now: the current generation, renewed before it expires (see CredentialStream). */
    credentials(): IssuedCredentials
    /** Starts a new generation now (world.rotate). */
    rotate(): IssuedCredentials
  }
  /** Present when the world has a container credentials endpoint. */
  readonly container?: {
    /** Path part of AWS_CONTAINER_CREDENTIALS_FULL_URI, e.g. `/v2/credentials/<task id>`. */
    path: string
    /** The Authorization header value the endpoint requires; undefined when none is required. */
    authToken?: string
    credentials(): IssuedCredentials
    rotate(): IssuedCredentials
  }
  /** STS: how a role session issued by AssumeRole / AssumeRoleWithWebIdentity is attributed. */
  readonly sts: {
    /** The web identity tokens the world wrote (env token file and profile token files). */
    webIdentityTokens: ReadonlySet<string>
    /** Which source and profile a session is attributed to, from its role session name. */
    originOfSession(sessionName: string, roleArn: string, via: 'AssumeRole' | 'AssumeRoleWithWebIdentity'): { source: Source; profile?: string }
    /** The lifetime (ms) the spec gives sessions of that origin (`expiresIn`), which wins over the DurationSeconds asked for; undefined: as asked. */
    lifetimeOf?(origin: { source: Source; profile?: string }): number | undefined
  }
  /** SSO portal: the cached access token the world wrote, and the assignments it grants. */
  readonly sso?: {
    accessToken: string
    /** `accessToken`: the token of the profile's own sso-session (then only it is granted this assignment). */
    assignments: ReadonlyArray<{
      accountId: string
      roleName: string
      profile: string
      accessToken?: string
      /** The role session name: the profile's collision-free key. */
      sessionName?: string
      /** Lifetime of the role credentials (ms); default one hour. */
      lifetimeMs?: number
      /** When the cached access token expires (ms since the epoch): the portal refuses it from then on. */
      tokenExpiresAt?: number
    }>
  }
  /**
   * The service gate's policy: principal name (role or user name, or full ARN) → actions such
   * as `s3:GetObject`, `s3:*`, `*`. `undefined` when the world has no gate rules: then every
   * request signed with a key the world issued is allowed (the signature is still verified).
   * `deny` holds explicit denies, which win over allows, as in IAM.
   */
  readonly gate?: {
    allow: Readonly<Record<string, readonly string[]>>
    deny: Readonly<Record<string, readonly string[]>>
  }
  /** Faults wrapping this world's routes; absent when the world has none. */
  readonly faults?: RouteFaults
  /** Server state of sources that keep their own (by source name; e.g. `login`'s Signin sessions): each source's server reads its part. */
  readonly parts?: Readonly<Record<string, unknown>>
  record(request: RecordedRequest): void
}

/** A request as a route sees it: the body is read in full before the route runs. */
export interface RouteRequest {
  readonly method: string
  /** The path exactly as sent, without the query string (still percent-encoded). */
  readonly path: string
  /** Query parameters, decoded. */
  readonly query: URLSearchParams
  /** The query string exactly as sent, without the `?`; SigV4 verification needs the raw form. */
  readonly rawQuery: string
  /** Header names are lower-case (as node gives them). */
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** The body as UTF-8 text. */
  readonly text: string
  /** The capture groups when the route's path is a RegExp. */
  readonly params: readonly string[]
}

/** What the request adds to the world's record besides server, method, path, status and time. */
export type RecordExtras = Partial<Pick<RecordedRequest, 'accessKeyId' | 'principal' | 'source' | 'service' | 'action' | 'region' | 'fetch'>>

/** Whose credential fetch a request is (or a step of), decided before it is answered: faulted and failed attempts count too. */
export type FetchTag = NonNullable<RecordedRequest['fetch']>

export interface RouteReply {
  status: number
  headers?: Record<string, string>
  body?: string | Buffer
  /** Extra facts to record about this request (who signed it, which action). */
  record?: RecordExtras
}

export interface Route {
  /** A stable name (`imds.token`, `sts.query`): a world's faults wrap a route by name (servers/faults.ts). */
  readonly name: string
  /** An HTTP method, or `*` for any. */
  readonly method: string
  /** An exact path, or a RegExp tested against the whole path (anchor it). */
  readonly path: string | RegExp
  handle(request: RouteRequest, world: ServerWorld): RouteReply | Promise<RouteReply>
  /** When requests to this route fetch credentials: whose, and which step (a reply's own `record.fetch` adds the key handed out). */
  fetch?(request: RouteRequest, world: ServerWorld): FetchTag | undefined
}

