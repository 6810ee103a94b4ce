import { z } from 'zod'
import type { WorldSpec } from '../types.js'
import { profileNameProblem } from './names.js'
import { LOGIN_CACHE_FIELDS, LOGIN_ERRORS, LOGIN_FAULT_DOCS } from '../sources/login/faults.js'

/**
 * The fault catalogue: faults as data (`faults: [{ target, kind, … }]` in a WorldSpec). Server
 * faults (imds, container, sts) wrap a loopback route by name; file faults (webIdentityTokenFile,
 * credentialProcess, sso, ini, profile) change what the world writes. Each entry says what the
 * fault does and what the real JS SDK v3 does about it (docs/faults.md's table is generated from this data).
 */

export type { ImdsPath, StsErrorCode, StsRoleAction, ImdsFault, ContainerFault, StsFault, FileFault, ServerFault, FaultSpec } from '../fault-types.js'
import type { FaultSpec, ServerFault, FileFault } from '../fault-types.js'

export const SERVER_FAULT_TARGETS = ['imds', 'container', 'sts'] as const
export function isServerFault(fault: FaultSpec): fault is ServerFault {
  return (SERVER_FAULT_TARGETS as readonly string[]).includes(fault.target)
}

// ---------------------------------------------------------------------------------------------
// Option schemas: each message names the accepted values.

function list(values: readonly (string | number)[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)))
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}` : shown.join('')
}
function oneOf<const T extends readonly (string | number)[]>(values: T) {
  return z.literal(values as unknown as [T[number], ...T[number][]], { error: `expected ${list(values)}` })
}
function wholeNumber(min: number, max: number, what: string) {
  const error = `expected ${what}: a whole number from ${min} to ${max}`
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error })
}

const times = wholeNumber(1, 1000, 'how many requests the fault answers').optional()
/** Faults over time: from `after` seconds of the world's clock (since the world was created), for `lasting` seconds. */
const after = wholeNumber(0, 7 * 86_400, 'seconds after the world starts (its clock) when the fault begins').optional()
const lasting = wholeNumber(1, 7 * 86_400, 'seconds the fault lasts').optional()
const repeats = { times, after, lasting }
/** A profile named by a fault: validated exactly like the spec's own profile names (an injected `]\n…` never reaches a file). */
const profileOption = z
  .string({ error: 'expected a profile name' })
  .superRefine((name, ctx) => {
    const problem = profileNameProblem(name)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .optional()

interface FaultDefinition {
  /** Options besides target and kind. */
  options: z.ZodRawShape
  /** The options as the README shows them. */
  optionsDoc: string
  /** What the fault does to the world. */
  does: string
  /** What the real JS SDK v3 does (checked by test/faults). */
  sdk: string
}

const STS_ERROR_CODES = ['AccessDenied', 'ExpiredTokenException', 'InvalidIdentityToken', 'RegionDisabledException', 'Throttling'] as const

const FAULT_DEFINITIONS: Record<string, Record<string, FaultDefinition>> = {
  imds: {
    tokenStatus: {
      options: { status: oneOf([400, 403, 404, 405] as const), ...repeats },
      optionsDoc: '`status`: 400, 403, 404 or 405',
      does: 'the IMDSv2 token request (PUT /latest/api/token) answers with that status',
      sdk: '403/404/405: falls back to IMDSv1 and resolves; 400: gives up ("EC2 Metadata token request returned error"), the chain ends with "Could not load credentials from any providers"',
    },
    tokenTimeout: {
      options: { ...repeats },
      optionsDoc: '—',
      does: 'the token request gets no answer within the SDK\'s 1 s IMDS timeout',
      sdk: 'after 1 s falls back to IMDSv1 for that call and resolves (unless v1 is refused too)',
    },
    rejectV1: {
      options: { ...repeats },
      optionsDoc: '—',
      does: 'metadata GETs without a session token answer 401, as on a v2-only instance (like `instanceProfile.imdsV2Only`)',
      sdk: 'no effect while the token request works; with a token fault it fails: "Error response received from instance metadata service" (401)',
    },
    status: {
      options: { status: oneOf([500, 502, 503, 504] as const), path: oneOf(['role', 'credentials'] as const).optional(), ...repeats },
      optionsDoc: '`status`: 500, 502, 503 or 504; `path`: "role" or "credentials" (default both)',
      does: 'the role listing and/or the credentials GET answer with that status',
      sdk: 'no retries (maxRetries 0): the link fails, the chain ends with "Could not load credentials from any providers"; with `times` the next call succeeds',
    },
    throttle: {
      options: { path: oneOf(['token', 'role', 'credentials'] as const).optional(), perSecond: wholeNumber(1, 10_000, 'how many requests a second IMDS answers before throttling').optional(), ...repeats },
      optionsDoc: '`path`: "token", "role" or "credentials" (default all three); `perSecond`: answer that many requests a second (the world\'s clock) and throttle the rest (default: throttle every request)',
      does: 'answers 429 Too Many Requests, as IMDS does when queried too fast',
      sdk: 'a throttled token request makes that call use IMDSv1; a throttled GET fails the link ("Could not load credentials from any providers")',
    },
    delay: {
      options: { ms: wholeNumber(1, 30_000, 'a delay in milliseconds'), path: oneOf(['token', 'role', 'credentials'] as const).optional(), ...repeats },
      optionsDoc: '`ms` (1–30000); `path`: "token", "role" or "credentials" (default all three)',
      does: 'holds each answer `ms` milliseconds',
      sdk: 'beyond 1000 ms: a token request times out (v1 fallback for that call), a GET times out ("TimeoutError from instance metadata service") and the chain fails; about 2 s on every path',
    },
    malformedCredentials: {
      options: { variant: oneOf(['truncated', 'missingFields'] as const).optional(), ...repeats },
      optionsDoc: '`variant`: "truncated" (default) or "missingFields"',
      does: 'the credentials document is cut short (not JSON), or lacks Token and Expiration',
      sdk: 'truncated: JSON.parse throws a SyntaxError, which STOPS the chain with that message; missingFields: "Invalid response received from instance metadata service." (tryNextLink), so the chain ends with "Could not load credentials from any providers"',
    },
    expiredCredentials: {
      options: { agoSeconds: wholeNumber(1, 86_400, 'seconds since they expired').optional(), ...repeats },
      optionsDoc: '`agoSeconds` (default 900)',
      does: 'the credentials document says they expired that long ago (the gate still honours them, as AWS does during an IMDS outage)',
      sdk: 'static stability: uses them anyway, extends their expiration by 5–10 minutes and warns "Attempting credential expiration extension …"',
    },
    expiringCredentials: {
      options: { inSeconds: wholeNumber(1, 21_600, 'seconds until they expire'), ...repeats },
      optionsDoc: '`inSeconds` (1–21600)',
      does: 'the credentials document says they expire in that many seconds from each answer',
      sdk: 'resolves; under 5 minutes left the default chain treats them as expiring and fetches again in the background on its next call',
    },
  },
  container: {
    status: {
      options: { status: oneOf([401, 403, 404, 500, 502, 503] as const), ...repeats },
      optionsDoc: '`status`: 401, 403, 404, 500, 502 or 503',
      does: 'the container credentials endpoint answers with that status (401/403 as for a bad Authorization token)',
      sdk: 'fromHttp retries 3 times, 1 s apart (~3 s), then fromContainerMetadata tries once; the chain ends with "Could not load credentials from any providers" — IMDS is never tried. With `times` below 4 a retry succeeds',
    },
    malformedBody: {
      options: { variant: oneOf(['truncated', 'missingFields'] as const).optional(), ...repeats },
      optionsDoc: '`variant`: "truncated" (default) or "missingFields"',
      does: 'the endpoint answers 200 with a body cut short (not JSON), or without Token and Expiration',
      sdk: 'truncated: fromHttp retries, then its JSON.parse SyntaxError (which escapes its own error wrapping) STOPS the chain; missingFields: fromHttp ("… not of the required format") and fromContainerMetadata ("Invalid response …") fail, the chain ends with "Could not load credentials from any providers"',
    },
    delay: {
      options: { ms: wholeNumber(1, 30_000, 'a delay in milliseconds'), ...repeats },
      optionsDoc: '`ms` (1–30000)',
      does: 'holds each answer `ms` milliseconds',
      sdk: 'fromHttp WAITS: its 1000 ms requestTimeout only logs "a request has exceeded the configured 1000 ms requestTimeout" (@smithy/node-http-handler without throwOnRequestTimeout), and the container wins when the answer comes',
    },
  },
  sts: {
    error: {
      options: { code: oneOf(STS_ERROR_CODES), action: oneOf(['AssumeRole', 'AssumeRoleWithWebIdentity'] as const).optional(), ...repeats },
      optionsDoc: '`code`: AccessDenied, ExpiredTokenException, InvalidIdentityToken, RegionDisabledException or Throttling; `action`: AssumeRole or AssumeRoleWithWebIdentity (default both; InvalidIdentityToken: web identity only)',
      does: 'STS answers the role assumption with that error, in the query protocol\'s XML',
      sdk: 'the error STOPS the chain (a role profile or web identity never falls through); Throttling is retried by the nested STS client (3 attempts) first',
    },
  },
  webIdentityTokenFile: {
    missing: {
      options: { profile: profileOption },
      optionsDoc: '`profile`: a profile with webIdentityTokenFile (default: the `webIdentity` token file)',
      does: 'the token file is not written (the variable or web_identity_token_file still names it)',
      sdk: 'fromTokenFile reads the file on every call: ENOENT STOPS the chain',
    },
    empty: {
      options: { profile: profileOption },
      optionsDoc: 'as `missing`',
      does: 'the token file is empty',
      sdk: 'sends an empty WebIdentityToken; STS answers ValidationError, which STOPS the chain',
    },
  },
  credentialProcess: {
    exitNonZero: {
      options: { profile: profileOption, exitCode: wholeNumber(1, 255, 'an exit code').optional() },
      optionsDoc: '`profile` (default: the only profile with `process`); `exitCode` (default 1)',
      does: 'the credential_process writes to stderr and exits with that code',
      sdk: '"Command failed: …": the profile and process links fail and the chain MOVES ON (e.g. to the instance profile)',
    },
    badJson: {
      options: { profile: profileOption },
      optionsDoc: '`profile`',
      does: 'the credential_process prints a log line before its JSON',
      sdk: '"credential_process returned invalid JSON.": the chain moves on',
    },
    badVersion: {
      options: { profile: profileOption },
      optionsDoc: '`profile`',
      does: 'the credential_process prints `"Version": 2`',
      sdk: '"credential_process did not return Version 1.": the chain moves on',
    },
    expired: {
      options: { profile: profileOption },
      optionsDoc: '`profile`',
      does: 'the credential_process prints an Expiration an hour ago',
      sdk: '"credential_process returned expired credentials.": the chain moves on',
    },
  },
  sso: {
    tokenExpired: {
      options: { profile: profileOption },
      optionsDoc: '`profile` (default: the only profile with `sso`)',
      does: 'the cached SSO token (with its refresh token) expired an hour ago, and refreshing it fails (AWS_ENDPOINT_URL_SSO_OIDC points at the loopback SSO server, which has no CreateToken)',
      sdk: '"Token is expired. To refresh this SSO session run \'aws sso login\' …" STOPS the chain',
    },
  },
  ini: {
    malformed: {
      options: { file: oneOf(['credentials', 'config'] as const), how: oneOf(['unclosedSection', 'colonSeparator'] as const).optional() },
      optionsDoc: '`file`: "credentials" or "config"; `how`: "unclosedSection" (default: `[default` without `]`) or "colonSeparator" (`key: value`, which Python accepts)',
      does: 'the generated file is written malformed',
      sdk: 'the SDK\'s ini parser silently drops what it cannot read: the profiles in that file vanish and the chain moves on',
    },
  },
  login: {
    missingCache: { options: { profile: profileOption }, optionsDoc: '`profile` (default: the only profile with `login`)', ...LOGIN_FAULT_DOCS.missingCache },
    invalidCache: { options: { profile: profileOption, field: oneOf(LOGIN_CACHE_FIELDS).optional() }, optionsDoc: '`profile`; `field`: accessToken, clientId, refreshToken, dpopKey (default) or accountId', ...LOGIN_FAULT_DOCS.invalidCache },
    expired: { options: { profile: profileOption }, optionsDoc: '`profile`', ...LOGIN_FAULT_DOCS.expired },
    refreshRefused: { options: { profile: profileOption, error: oneOf(LOGIN_ERRORS).optional() }, optionsDoc: '`profile`; `error`: TOKEN_EXPIRED (default), USER_CREDENTIALS_CHANGED or INSUFFICIENT_PERMISSIONS', ...LOGIN_FAULT_DOCS.refreshRefused },
    refreshUnavailable: { options: { profile: profileOption, status: oneOf([400, 500] as const).optional() }, optionsDoc: '`profile`; `status`: 500 (default) or 400', ...LOGIN_FAULT_DOCS.refreshUnavailable },
  },
  profile: {
    sourceProfileLoop: {
      options: { profile: profileOption },
      optionsDoc: '`profile` (default: `profile` of the spec, else "default")',
      does: 'writes that profile and "<profile>-source" assuming roles through each other (source_profile loop)',
      sdk: '"Detected a cycle attempting to resolve credentials …" is a tryNextLink error: the chain MOVES ON',
    },
    missing: {
      options: { name: profileOption },
      optionsDoc: '`name` (default "missing")',
      does: 'sets AWS_PROFILE to a profile that is in neither file',
      sdk: 'the env keys are skipped (AWS_PROFILE is set), fromIni and fromProcess find no profile and the chain moves on to web identity, container and IMDS',
    },
  },
}

/** One fault of the catalogue, as documented: plain data (the option schemas stay internal). */
export interface FaultCatalogueEntry {
  /** The names of its options, besides target and kind. */
  readonly options: readonly string[]
  /** The options as the docs show them. */
  readonly optionsDoc: string
  /** What the fault does to the world. */
  readonly does: string
  /** What the real JS SDK v3 does (checked by test/faults). */
  readonly sdk: string
}

/** Every fault, by target and kind. */
export const FAULT_CATALOGUE: Readonly<Record<string, Readonly<Record<string, FaultCatalogueEntry>>>> = Object.fromEntries(
  Object.entries(FAULT_DEFINITIONS).map(([target, kinds]) => [
    target,
    Object.fromEntries(Object.entries(kinds).map(([kind, { options, optionsDoc, does, sdk }]) => [kind, { options: Object.keys(options), optionsDoc, does, sdk }])),
  ]),
)

export const FAULT_TARGETS = Object.keys(FAULT_DEFINITIONS)

// ---------------------------------------------------------------------------------------------
// Validation

export interface FaultIssue {
  /** Relative to the spec: ['faults', 0, 'status']. */
  path: (string | number)[]
  message: string
}

const article = (word: string) => (/^([aeiou]|sso|sts)/i.test(word) ? 'an' : 'a')

function zodMessage(issue: z.core.$ZodIssue, target: string, kind: string, entry: FaultDefinition, options: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') {
    const accepted = Object.keys(entry.options)
    return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; ${article(target)} ${target} ${kind} fault takes ${accepted.length ? list(accepted) : 'no options'}`
  }
  const field = issue.path[0]
  if (issue.path.length === 1 && typeof field === 'string' && options[field] === undefined) return `required; ${issue.message}`
  return issue.message
}

/** Parses one fault against the catalogue; issues are relative to the fault. */
export function parseFault(value: unknown): { fault?: FaultSpec; issues: FaultIssue[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { issues: [{ path: [], message: 'expected a fault object { target, kind, … } (see the fault catalogue)' }] }
  }
  const { target, kind, ...options } = value as Record<string, unknown>
  const byTarget = typeof target === 'string' && Object.hasOwn(FAULT_DEFINITIONS, target) ? FAULT_DEFINITIONS[target] : undefined
  if (!byTarget) return { issues: [{ path: ['target'], message: `expected ${list(FAULT_TARGETS)}` }] }
  const entry = typeof kind === 'string' && Object.hasOwn(byTarget, kind) ? byTarget[kind] : undefined
  if (!entry) return { issues: [{ path: ['kind'], message: `expected ${list(Object.keys(byTarget))} (the kinds of target "${String(target)}")` }] }
  const result = z.strictObject(entry.options).safeParse(options)
  if (!result.success) {
    return { issues: result.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: zodMessage(issue, target as string, kind as string, entry, options) })) }
  }
  const fault = { target, kind, ...result.data } as FaultSpec
  if (fault.target === 'sts' && fault.code === 'InvalidIdentityToken' && fault.action === 'AssumeRole') {
    return { issues: [{ path: ['action'], message: 'InvalidIdentityToken is only answered to AssumeRoleWithWebIdentity: leave action out or use "AssumeRoleWithWebIdentity"' }] }
  }
  return { fault, issues: [] }
}

type P = Partial<{ user: string; role: string; sourceProfile: string; credentialSource: string; webIdentityTokenFile: true; process: object; sso: object; login: object; region: string }>
const profilesOf = (spec: WorldSpec): [string, P][] => Object.entries(spec.profiles ?? {}) as [string, P][]

/** The profile a file fault applies to: the named one, or the only profile with that setting. */
function pickProfile(spec: WorldSpec, target: string, named: string | undefined, has: (p: P) => boolean, what: string, add: string): { name?: string; issue?: FaultIssue } {
  const candidates = profilesOf(spec).filter(([, p]) => has(p)).map(([name]) => name)
  if (named !== undefined) {
    if (candidates.includes(named)) return { name: named }
    return {
      issue: {
        path: ['profile'],
        message: candidates.length ? `profile "${named}" has no ${what}: expected ${list(candidates)}` : `profile "${named}" has no ${what}: ${add}`,
      },
    }
  }
  if (candidates.length === 1) return { name: candidates[0]! }
  if (candidates.length === 0) return { issue: { path: [], message: `${article(target)} ${target} fault needs a profile with ${what}: ${add}` } }
  return { issue: { path: ['profile'], message: `several profiles have ${what}: name one, expected ${list(candidates)}` } }
}

function mentions(spec: WorldSpec, pattern: RegExp): boolean {
  return pattern.test(spec.files?.config ?? '') || pattern.test(spec.files?.credentials ?? '')
}

/** Whether the world writes ~/.aws/credentials (user keys) and ~/.aws/config (everything else). */
function writesFile(spec: WorldSpec, file: 'credentials' | 'config'): boolean {
  if (file === 'credentials') return profilesOf(spec).some(([, p]) => p.user !== undefined) || Boolean(spec.files?.credentials)
  return (
    profilesOf(spec).some(([, p]) => p.role !== undefined || p.process !== undefined || p.sso !== undefined || p.login !== undefined || p.region !== undefined) ||
    Boolean(spec.files?.config) ||
    (spec.faults ?? []).some((f) => (f as { target?: unknown; kind?: unknown }).target === 'profile' && (f as { kind?: unknown }).kind === 'sourceProfileLoop')
  )
}

/** What the world must have for a fault to apply, in words that say what to add; undefined when it has it. */
function worldIssue(fault: FaultSpec, spec: WorldSpec): FaultIssue | undefined {
  const isWebProfile = (p: P) => p.webIdentityTokenFile === true
  switch (fault.target) {
    case 'imds':
      return spec.instanceProfile ? undefined : { path: [], message: 'an imds fault needs an instance profile: add instanceProfile: { role: "<name>" }' }
    case 'container':
      return spec.container ? undefined : { path: [], message: 'a container fault needs a container endpoint: add container: { role: "<name>" }' }
    case 'sts': {
      const assumeRole = profilesOf(spec).some(([, p]) => p.role !== undefined && !isWebProfile(p)) || mentions(spec, /^\s*(source_profile|credential_source)\s*=/m)
      const web = Boolean(spec.webIdentity) || profilesOf(spec).some(([, p]) => isWebProfile(p)) || mentions(spec, /^\s*web_identity_token_file\s*=/m)
      const action = fault.action ?? (fault.code === 'InvalidIdentityToken' ? 'AssumeRoleWithWebIdentity' : undefined)
      if (action === 'AssumeRole' && !assumeRole) return { path: [], message: 'an sts AssumeRole fault needs a profile that assumes a role: add profiles: { <name>: { role, sourceProfile | credentialSource } }' }
      if (action === 'AssumeRoleWithWebIdentity' && !web) return { path: [], message: 'an sts AssumeRoleWithWebIdentity fault needs web identity: add webIdentity: { role } or a profile with { role, webIdentityTokenFile: true }' }
      if (!assumeRole && !web) {
        return { path: [], message: 'an sts fault needs something that calls STS: add a profile with { role, sourceProfile | credentialSource }, webIdentity: { role }, or a profile with { role, webIdentityTokenFile: true }' }
      }
      return undefined
    }
    case 'webIdentityTokenFile':
      if (fault.profile !== undefined) return pickProfile(spec, fault.target, fault.profile, isWebProfile, 'webIdentityTokenFile: true', 'add { role, webIdentityTokenFile: true } to it').issue
      return spec.webIdentity ? undefined : { path: [], message: 'a webIdentityTokenFile fault needs a token file: add webIdentity: { role } (or set this fault\'s profile to a profile with webIdentityTokenFile: true)' }
    case 'credentialProcess':
      return pickProfile(spec, fault.target, fault.profile, (p) => p.process !== undefined, 'process', 'add profiles: { <name>: { process: { user } } }').issue
    case 'sso':
      return pickProfile(spec, fault.target, fault.profile, (p) => p.sso !== undefined, 'sso', 'add profiles: { <name>: { sso: { role } } }').issue
    case 'login':
      return pickProfile(spec, fault.target, fault.profile, (p) => p.login !== undefined, 'login', 'add profiles: { <name>: { login: { role } } }').issue
    case 'ini':
      if (writesFile(spec, fault.file)) return undefined
      return {
        path: ['file'],
        message:
          fault.file === 'credentials'
            ? 'the world writes no ~/.aws/credentials: add a profile with { user } (or files.credentials)'
            : 'the world writes no ~/.aws/config: add a profile with a role, process, sso or region (or files.config)',
      }
    case 'profile': {
      if (fault.kind === 'missing') {
        const name = fault.name ?? DEFAULT_MISSING_PROFILE
        if (spec.profile !== undefined || spec.vars?.AWS_PROFILE !== undefined) {
          return { path: [], message: `a profile missing fault sets AWS_PROFILE itself (to its name, default "${DEFAULT_MISSING_PROFILE}"): remove \`profile\` and vars.AWS_PROFILE from the spec` }
        }
        if (hasProfile(spec, name) || mentions(spec, sectionPattern(name))) return { path: ['name'], message: `profile "${name}" is defined in this world; a missing profile must not be: choose another name` }
        return undefined
      }
      const name = loopProfileName(fault, spec)
      // the loop is written as [profile NAME] sections of ~/.aws/config
      for (const written of [name, `${name}-source`]) {
        const problem = profileNameProblem(written, 'config')
        if (problem) return { path: fault.profile !== undefined ? ['profile'] : [], message: `the loop fault writes profile "${written}" into ~/.aws/config: ${problem}` }
      }
      for (const taken of [name, `${name}-source`]) {
        if (hasProfile(spec, taken) || mentions(spec, sectionPattern(taken))) {
          return { path: ['profile'], message: `profile "${taken}" is already defined; the loop fault writes its own profiles "${name}" and "${name}-source": name another profile` }
        }
      }
      return undefined
    }
  }
}

function hasProfile(spec: WorldSpec, name: string): boolean {
  return spec.profiles !== undefined && Object.hasOwn(spec.profiles, name)
}

function sectionPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\s*\\[\\s*(?:profile\\s+)?${escaped}\\s*\\]`, 'm')
}

export const DEFAULT_MISSING_PROFILE = 'missing'

export function loopProfileName(fault: { profile?: string }, spec: WorldSpec): string {
  return fault.profile ?? spec.profile ?? 'default'
}

/**
 * Every problem with a spec's `faults`, each with its path: a value the catalogue does not
 * accept names the accepted values; a target the world lacks says what to add.
 */
export function faultIssues(spec: WorldSpec): FaultIssue[] {
  return checkFaults(spec).issues
}

/** Parses and checks a spec's faults once: the parsed faults (when there are no issues) and every issue. */
export function checkFaults(spec: WorldSpec): { faults: FaultSpec[]; issues: FaultIssue[] } {
  const issues: FaultIssue[] = []
  const faults: FaultSpec[] = []
  ;(spec.faults ?? []).forEach((value, i) => {
    const parsed = parseFault(value)
    for (const issue of parsed.issues) issues.push({ path: ['faults', i, ...issue.path], message: issue.message })
    if (!parsed.fault) return
    faults.push(parsed.fault)
    const missing = worldIssue(parsed.fault, spec)
    if (missing) issues.push({ path: ['faults', i, ...missing.path], message: missing.message })
  })
  return { faults, issues }
}

/** The faults of a spec that parseWorldSpec validated (it keeps the parsed faults: nothing parses them twice). */
export function faultsOf(spec: WorldSpec): FaultSpec[] {
  return (spec.faults ?? []) as FaultSpec[]
}

/** The profile a file fault applies to (after validation). */
export function faultProfile(fault: FileFault, spec: WorldSpec): string | undefined {
  const has = (key: keyof P) => (p: P) => p[key] !== undefined
  switch (fault.target) {
    case 'credentialProcess':
      return pickProfile(spec, fault.target, fault.profile, has('process'), '', '').name
    case 'sso':
      return pickProfile(spec, fault.target, fault.profile, has('sso'), '', '').name
    case 'login':
      return pickProfile(spec, fault.target, fault.profile, has('login'), '', '').name
    case 'webIdentityTokenFile':
      return fault.profile
    default:
      return undefined
  }
}

/** What a fault does, in words, for reports: `IMDS answers the token request … with HTTP 403`. */
export function describeFault(fault: FaultSpec): string {
  const entry = FAULT_DEFINITIONS[fault.target]?.[fault.kind]
  const options = Object.entries(fault)
    .filter(([key]) => key !== 'target' && key !== 'kind')
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
  return `${fault.target} ${fault.kind}${options.length ? ` (${options.join(', ')})` : ''}: ${entry?.does ?? ''}`
}
