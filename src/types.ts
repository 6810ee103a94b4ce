/**
 * Public types of chainproof. Names here are a contract (see DESIGN.md): add, never rename.
 */

/** Canonical credential sources: the registry's order (src/sources/index.ts; a test keeps the two equal), plus `code`. */
export const SOURCES = ['env', 'sso', 'profile', 'process', 'webIdentity', 'container', 'instanceProfile', 'login', 'code'] as const
export type Source = (typeof SOURCES)[number]

/** Names accepted wherever a source is expected; normalised to a {@link Source}, never shown back. */
export const SOURCE_ALIASES = {
  environment: 'env',
  ini: 'profile',
  sharedCredentialsFile: 'profile',
  credentialProcess: 'process',
  tokenFile: 'webIdentity',
  webIdentityToken: 'webIdentity',
  ecs: 'container',
  containerCredentials: 'container',
  imds: 'instanceProfile',
  ec2: 'instanceProfile',
  instanceMetadata: 'instanceProfile',
} as const satisfies Record<string, Source>
export type SourceAlias = keyof typeof SOURCE_ALIASES
/** A source name as users may write it: canonical or alias. A misspelling is a type error. */
export type SourceName = Source | SourceAlias

/**
 * SDKs whose default chain chainproof models. `js-v3@<3.616` is the JS SDK v3 before 3.616, where
 * defaultProvider() checked AWS_PROFILE once, when it was created (see src/chain/sdks/js-v3.ts).
 */
export type SdkName = 'js-v3' | 'js-v3@<3.616' | 'js-v2' | 'ruby-v3' | 'java-v1' | 'java-v2' | 'php-v3' | 'botocore' | 'aws-cli-v2' | 'go-v2' | 'go-v2@1.17'

export type ProfileSpec = { region?: string } & (
  /** `in`: the file its aws_access_key_id/aws_secret_access_key go to (default 'credentials'); 'config' writes them under [profile x] or [default] of ~/.aws/config. */
  | { user: string; in?: 'credentials' | 'config' }
  /** `expiresIn`: seconds the role's sessions last (STS issues them so, whatever DurationSeconds the SDK asks for); default 3600. */
  | { role: string; sourceProfile: string; expiresIn?: number }
  | { role: string; credentialSource: 'Environment' | 'Ec2InstanceMetadata' | 'EcsContainer'; expiresIn?: number }
  | { role: string; webIdentityTokenFile: true; expiresIn?: number }
  /** `expiresIn`: the helper prints an `Expiration` that far ahead and is asked again for fresh keys once they near it (see docs/time.md). */
  | { process: ({ user: string } | { role: string }) & { expiresIn?: number } }
  | {
      sso: {
        role: string
        accountId?: string
        /** sso_region of the profile's sso-session (default: the profile's region, else AWS_REGION, else us-east-1). */
        region?: string
        /** Seconds GetRoleCredentials' role credentials last (default 3600). */
        expiresIn?: number
        /** Seconds until the cached SSO access token expires (default 28800, 8 h, as `aws sso login` leaves it). */
        tokenExpiresIn?: number
      }
    }
  /** `aws login`: login_session and its token cache (`cacheDirectory` 'variable': under AWS_LOGIN_CACHE_DIRECTORY instead of ~/.aws/login/cache). */
  | {
      login: {
        role: string
        accountId?: string
        cacheDirectory?: 'home' | 'variable'
        /** Seconds each set of login credentials lasts (default 3600). */
        expiresIn?: number
        /** Seconds until the login session itself ends: from then on Signin refuses the refresh (TOKEN_EXPIRED). Default: never. */
        sessionExpiresIn?: number
      }
    }
)

/**
 * A fault injected into a world, as data: `{ target, kind, …options }` (the catalogue is in the
 * README and in `FAULT_CATALOGUE`). A misspelled target, kind or option is a type error.
 */
export type Fault = import('./fault-types.js').FaultSpec

export interface WorldSpec {
  accountId?: string
  region?: string | null
  env?: { user: string } | { role: string }
  vars?: Record<string, string>
  profile?: string
  profiles?: Record<string, ProfileSpec>
  files?: { credentials?: string; config?: string }
  /** `expiresIn`: seconds the web identity sessions last (default 3600). */
  webIdentity?: { role: string; sessionName?: string; expiresIn?: number }
  /**
   * `uri`: 'full' (default) sets AWS_CONTAINER_CREDENTIALS_FULL_URI to the loopback endpoint; 'relative' sets
   * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, so the SDK asks its hard-coded 169.254.170.2, and the in-process guard
   * routes that connection to the world's endpoint before any packet leaves (world.env keeps a loopback FULL_URI for children).
   */
  /** `expiresIn`: seconds each generation of the task role's credentials lasts (default 3600); a new one is served from 15 minutes (or half the lifetime) before it expires. */
  container?: { role: string; authToken?: 'header' | 'file' | 'none'; uri?: 'full' | 'relative'; expiresIn?: number }
  instanceProfile?: {
    role: string
    imdsV1Only?: boolean
    imdsV2Only?: boolean
    /** The region IMDS reports (`/latest/meta-data/placement/region`, the identity document); default: the world's region. */
    region?: string
    /**
     * 'variable' (default): AWS_EC2_METADATA_SERVICE_ENDPOINT points at the loopback IMDS; 'linkLocal': it is left unset, the
     * SDK asks its hard-coded http://169.254.169.254, and the in-process guard routes that to the loopback IMDS (world.env keeps the variable for children).
     */
    endpoint?: 'variable' | 'linkLocal'
    /** Seconds each generation of the role's credentials lasts (default 3600); IMDS serves a new one from 15 minutes (or half the lifetime) before it expires, as EC2 does. */
    expiresIn?: number
  }
  gate?: { allow: Record<string, string[]>; deny?: Record<string, string[]> }
  faults?: Fault[]
}

/** What the world's ledger knows about one access key it handed out. Never holds a secret. */
export interface Identity {
  accessKeyId: string
  source: Source
  profile?: string
  principal: string
  accountId: string
  role?: string
  roleArn?: string
  user?: string
  sessionName?: string
  expiration?: Date
  /** When the world issued them (the world's clock). */
  issuedAt?: Date
  /** Which set of credentials of its source (and profile) this is: 1 for the first, 2 after a rotation or refresh, … */
  generation?: number
}

/** What a credential fetch was: one request (or run) by which the SDK obtained, or tried to obtain, credentials. */
export type FetchStep = 'token' | 'role' | 'credentials'

/**
 * One credential fetch a world saw: an IMDS credentials GET (and, as steps of it, token PUTs and
 * role-name GETs), a container endpoint GET, an STS AssumeRole / AssumeRoleWithWebIdentity call, an
 * SSO GetRoleCredentials call, a credential_process run, a login refresh. Failed attempts count.
 */
export interface CredentialFetch {
  source: Source
  profile?: string
  /** `credentials`: the fetch itself; `token` and `role`: the IMDS steps before it. */
  step: FetchStep
  /** How it was fetched: `GET /latest/meta-data/iam/security-credentials/web`, `AssumeRole`, `credential_process`, … */
  what: string
  /** The HTTP status answered (a process run: 0 when it printed credentials). */
  status: number
  at: Date
  /** The access key id handed out, when the fetch succeeded. */
  accessKeyId?: string
}

/** The world's time, which the SDK in this process and the world's servers share (see docs/time.md). */
export interface WorldClock {
  /** The time as the SDK sees it (`new Date()`). */
  now(): Date
  /**
   * Moves time forward by `ms`: with the runner's fake timers on (a faked `Date`), through them (as
   * `vi.setSystemTime`/`jest.setSystemTime` would, firing no timers); otherwise the world shifts
   * `Date` itself until it is disposed.
   */
  advance(ms: number): Promise<void>
  /** How far the world has moved time so far, in ms (0 when the runner's fake timers move it). */
  readonly offset: number
}

export type ServerName = 'imds' | 'container' | 'sts' | 'sso' | 'signin' | 'gate'

export interface RecordedRequest {
  server: ServerName
  method: string
  path: string
  status: number
  at: Date
  accessKeyId?: string
  principal?: string
  source?: Source
  service?: string
  action?: string
  /** The SigV4 signing region (the credential scope's), on every signed request; unsigned requests have none. */
  region?: string
  /** When the request fetched credentials (or was a step of a fetch): whose, and which step. */
  fetch?: { source: Source; profile?: string; step: FetchStep; accessKeyId?: string }
}

export type LinkStatus = 'won' | 'shadowed' | 'absent' | 'skipped' | 'failed' | 'unreached'

export interface ChainLink {
  source: Source
  name: string
  status: LinkStatus
  reason: string
}

export interface ChainReport {
  sdk: string
  links: ChainLink[]
  winner?: Source
  shadowed: Source[]
  hints: string[]
  /** The SDK release a model describes (reports of other SDKs' models, and of js-v3 through modelChainFor). */
  release?: string
  /** `run`: the model is checked against the real SDK in chainproof's CI; `source`: read from the SDK's source, not run. */
  modelledFrom?: 'run' | 'source'
  toString(): string
}

export interface Resolution {
  source: Source
  profile?: string
  principal: string
  role?: string
  accessKeyId: string
  expiration?: Date
  features: Record<string, string>
  report: ChainReport
  /** Where the ledger and the SDK's own `$source` codes disagree, in words (empty when they agree). */
  disagreements?: string[]
}

/** Anything chainproof can resolve: a v3 client, a provider, credentials, an RDS Signer, or a promise of one. */
export type CredentialTarget = unknown

export interface CredentialWorld extends AsyncDisposable {
  readonly env: Readonly<Record<string, string>>
  readonly home: string
  readonly endpoints: { imds: string; container: string; sts: string; sso: string; signin: string; gate: string }
  readonly requests: readonly RecordedRequest[]
  readonly spec: Readonly<WorldSpec>
  /** Connections to non-loopback addresses the network guard refused while this world was active. */
  readonly blockedConnections: readonly { host: string; port?: number; at: Date; why: string }[]
  /** Connections to the SDK's hard-coded addresses that the guard routed to this world's servers (`container.uri: 'relative'`, `instanceProfile.endpoint: 'linkLocal'`), counted. */
  readonly routedConnections: readonly { from: string; to: string; at: Date }[]
  identityOf(accessKeyId: string): Identity | undefined
  explain(target?: CredentialTarget, options?: { sdk?: SdkName }): Promise<ChainReport>
  /** Every credential fetch the world saw, in order (the chain report's own probes not counted). */
  readonly fetches: readonly CredentialFetch[]
  /** Every set of credentials the world issued, oldest first (`source` and `profile` narrow it): their generations and expiries. */
  generations(source?: SourceName, profile?: string): Identity[]
  /** The world's time. */
  readonly clock: WorldClock
  /**
   * That source (every rotatable one without an argument) issues new credentials from now on; the
   * old ones stay valid until they expire, as on EC2 and ECS. See docs/time.md for what each source does.
   */
  rotate(source?: SourceName, options?: { profile?: string }): Promise<void>
  dispose(): Promise<void>
}
