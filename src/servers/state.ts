import type { RecordedRequest, Source } from '../types.js'
import type { FaultSpec } from '../world/faults.js'
import type { IssuedCredentials, Ledger } from '../world/ledger.js'
import type { Route, RouteReply, RouteRequest } from './http.js'

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
    /** The role credentials IMDS serves (issued once per world, as a real instance keeps them until rotation). */
    credentials(): IssuedCredentials
  }
  /** Present when the world has a container credentials endpoint. */
  readonly container?: {
    /** Path part of AWS_CONTAINER_CREDENTIALS_FULL_URI, e.g. `/v2/credentials/<task id>`. */
    path: string
    /** The Authorization header value the endpoint requires; undefined when none is required. */
    authToken?: string
    credentials(): IssuedCredentials
  }
  /** STS: how a role session issued by AssumeRole / AssumeRoleWithWebIdentity is attributed. */
  readonly sts: {
    /** The web identity tokens the world wrote (env token file and profile token files). */
    webIdentityTokens: ReadonlySet<string>
    /** Which source and profile a session is attributed to, from its role session name. */
    originOfSession(sessionName: string, roleArn: string, via: 'AssumeRole' | 'AssumeRoleWithWebIdentity'): { source: Source; profile?: string }
  }
  /** SSO portal: the cached access token the world wrote, and the assignments it grants. */
  readonly sso?: {
    accessToken: string
    /** `accessToken`: the token of the profile's own sso-session (then only it is granted this assignment). */
    assignments: ReadonlyArray<{ accountId: string; roleName: string; profile: string; accessToken?: string }>
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
