import type { LoginFault } from './sources/login/faults.js'

/** The fault catalogue's types (its data and validation are in src/world/faults.ts). Imports nothing but source-owned fault types, so types.ts and the servers can use them without a cycle. */
export type ImdsPath = 'token' | 'role' | 'credentials'
export type StsErrorCode = 'AccessDenied' | 'ExpiredTokenException' | 'InvalidIdentityToken' | 'RegionDisabledException' | 'Throttling'
export type StsRoleAction = 'AssumeRole' | 'AssumeRoleWithWebIdentity'

/** `times`: how many requests the fault answers before the route answers normally again (default: every request). */
interface Repeats {
  times?: number
  /** Seconds after the world starts (by its clock: the runner's fake timers or world.clock) when the fault begins; default 0. */
  after?: number
  /** Seconds the fault lasts once begun; default: for good. */
  lasting?: number
}

export type ImdsFault = Repeats &
  (
    | { target: 'imds'; kind: 'tokenStatus'; status: 400 | 403 | 404 | 405 }
    | { target: 'imds'; kind: 'tokenTimeout' }
    | { target: 'imds'; kind: 'rejectV1' }
    | { target: 'imds'; kind: 'status'; status: 500 | 502 | 503 | 504; path?: 'role' | 'credentials' }
    | { target: 'imds'; kind: 'throttle'; path?: ImdsPath; /** Answer this many requests a second normally and throttle the rest (default: throttle every request). */ perSecond?: number }
    | { target: 'imds'; kind: 'delay'; ms: number; path?: ImdsPath }
    | { target: 'imds'; kind: 'malformedCredentials'; variant?: 'truncated' | 'missingFields' }
    | { target: 'imds'; kind: 'expiredCredentials'; agoSeconds?: number }
    | { target: 'imds'; kind: 'expiringCredentials'; inSeconds: number }
  )

export type ContainerFault = Repeats &
  (
    | { target: 'container'; kind: 'status'; status: 401 | 403 | 404 | 500 | 502 | 503 }
    | { target: 'container'; kind: 'malformedBody'; variant?: 'truncated' | 'missingFields' }
    | { target: 'container'; kind: 'delay'; ms: number }
  )

export type StsFault = Repeats & { target: 'sts'; kind: 'error'; code: StsErrorCode; action?: StsRoleAction }

export type FileFault =
  | { target: 'webIdentityTokenFile'; kind: 'missing' | 'empty'; profile?: string }
  | { target: 'credentialProcess'; kind: 'exitNonZero'; profile?: string; exitCode?: number }
  | { target: 'credentialProcess'; kind: 'badJson' | 'badVersion' | 'expired'; profile?: string }
  | { target: 'sso'; kind: 'tokenExpired'; profile?: string }
  | { target: 'ini'; kind: 'malformed'; file: 'credentials' | 'config'; how?: 'unclosedSection' | 'colonSeparator' }
  | { target: 'profile'; kind: 'sourceProfileLoop'; profile?: string }
  | { target: 'profile'; kind: 'missing'; name?: string }
  | LoginFault

export type ServerFault = ImdsFault | ContainerFault | StsFault
/** One fault of the catalogue, as a WorldSpec's `faults` holds it once validated. */
export type FaultSpec = ServerFault | FileFault

