import { z } from 'zod'
import { memoByValue } from '../memo.js'
import { ChainproofError } from '../errors.js'
import type { WorldSpec } from '../types.js'
import { gatePolicyProblems } from '../servers/gate-policy.js'
import { checkFaults } from './faults.js'
import { fieldsAt, unknownFieldsMessage } from './suggest.js'
import { profileNameProblem } from './names.js'
import { loginProfileSpec } from '../sources/login/spec.js'
import { containerUrlRefused } from '../sources/container/plan.js'

import { ENV_NAME, expiresIn, profileName, region, roleName, userName } from './spec-parts.js'
import { containerSpec } from '../sources/container/spec.js'
import { instanceProfileSpec } from '../sources/instanceProfile/spec.js'
import { webIdentitySpec } from '../sources/webIdentity/spec.js'
import { envSpec } from '../sources/env/spec.js'
import { processProfileSpec } from '../sources/process/spec.js'
import { ssoProfileSpec } from '../sources/sso/spec.js'

/** Variables that would send the SDK to a real address: a world must never allow them. */
const OFF_LOOPBACK_VARS: Record<string, string> = {
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:
    "it sends the SDK to 169.254.170.2, a real address; use `container: { role, uri: 'relative' }` (the world sets it and routes 169.254.170.2 to its loopback endpoint)",
}
const URL_VARS = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_SSO',
]

/**
 * Shared-file settings that would send the SDK off the machine: `ignore_configured_endpoint_urls`
 * (unless false), and `endpoint_url` or `ec2_metadata_service_endpoint` — in a profile or nested
 * under a `[services …]` section — that is not a loopback URL. Each named with its file and line.
 */
function offMachineFileSettings(files: { credentials?: string | undefined; config?: string | undefined }, ctx: z.RefinementCtx): void {
  for (const file of ['credentials', 'config'] as const) {
    const lines = (files[file] ?? '').split(/\r?\n/)
    lines.forEach((line, index) => {
      const setting = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/.exec(line)
      if (!setting) return
      const key = setting[1]!.toLowerCase()
      const value = setting[2]!
      const where = `line ${index + 1}`
      if (key === 'ignore_configured_endpoint_urls' && value.toLowerCase() !== 'false') {
        ctx.addIssue({ code: 'custom', path: [file], message: `${where}: ignore_configured_endpoint_urls = ${value} is not allowed: ${IGNORE_ENDPOINTS_WHY}` })
      } else if ((key === 'endpoint_url' || key === 'ec2_metadata_service_endpoint') && !isLoopbackUrl(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [file],
          message: `${where}: ${key} = ${value} is not a loopback URL; a world only talks to 127.0.0.1 (leave it out: the world points every endpoint at its own mocks)`,
        })
      }
    })
  }
}

// asked of the same few URLs on every report: answers are kept by value
export const isLoopbackUrl: (value: string) => boolean = memoByValue(loopbackUrl)

function loopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname
    return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  } catch {
    return false
  }
}

/** Settings of an endpoint *mode* (not a URL): they never send the SDK off the machine while the world's endpoint URLs are set. */
const ENDPOINT_MODE_VARS = new Set(['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE', 'AWS_STS_REGIONAL_ENDPOINTS', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_S3_US_EAST_1_REGIONAL_ENDPOINT'])
const IGNORE_ENDPOINTS_WHY = "it makes the SDK ignore the world's AWS_ENDPOINT_URL_* and call the real AWS endpoints; leave it out (or set it to false)"

/** Whether a variable names an endpoint the SDK would send requests to (its value must then be a loopback URL). */
function isEndpointVariable(name: string, value: string): boolean {
  if (ENDPOINT_MODE_VARS.has(name) || !name.startsWith('AWS_')) return false
  return URL_VARS.includes(name) || name.includes('ENDPOINT') || (/_(?:URL|URI)$/.test(name) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value))
}

/** Why a world refuses this variable for sending the SDK off the machine, or undefined (capture leaves such variables out). */
export function offMachineVariable(name: string, value: string): string | undefined {
  if (name === 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS' && value.trim().toLowerCase() !== 'false') return IGNORE_ENDPOINTS_WHY
  if (OFF_LOOPBACK_VARS[name]) return OFF_LOOPBACK_VARS[name]
  if (name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI' && containerUrlRefused(value)) return undefined
  if (isEndpointVariable(name, value) && !isLoopbackUrl(value)) return 'not a loopback URL'
  return undefined
}

const vars = z.record(z.string().regex(ENV_NAME, 'expected an environment variable name'), z.string()).superRefine((record, ctx) => {
  for (const [name, value] of Object.entries(record)) {
    if (name === 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS' && value.trim().toLowerCase() !== 'false') {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name}=${value} is not allowed: ${IGNORE_ENDPOINTS_WHY}` })
    } else if (OFF_LOOPBACK_VARS[name]) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} is not allowed: ${OFF_LOOPBACK_VARS[name]}` })
    } else if (name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI' && containerUrlRefused(value)) {
      // a URL the SDK itself refuses (http to a host it does not trust) is never contacted: expressible, to show the SDK's refusal
    } else if (isEndpointVariable(name, value) && !isLoopbackUrl(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `${name}=${value} is not a loopback URL; a world only talks to 127.0.0.1 (leave it out and the world points it at its own mock)`,
      })
    } else if (name === 'HOME' || name === 'USERPROFILE') {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} is the world's sandbox home and cannot be set; use \`files\` to add ini text` })
    }
  }
})

const ROLE_HOW = ['sourceProfile', 'credentialSource', 'webIdentityTokenFile'] as const

/**
 * A profile section. Its credential settings may be combined, as real files often do (old
 * keys left next to sso_session settings): the SDK then picks by its own order, which is
 * exactly what a world should reproduce.
 */
const profileSpec = z
  .strictObject({
    region: region.optional(),
    user: userName.optional(),
    in: z.enum(['credentials', 'config'], { error: 'in is the file the user keys go to: "credentials" (default) or "config"' }).optional(),
    role: roleName.optional(),
    sourceProfile: profileName.optional(),
    credentialSource: z.enum(['Environment', 'Ec2InstanceMetadata', 'EcsContainer']).optional(),
    webIdentityTokenFile: z.literal(true).optional(),
    expiresIn,
    process: processProfileSpec,
    sso: ssoProfileSpec,
    login: loginProfileSpec,
  })
  .superRefine((profile, ctx) => {
    const how = ROLE_HOW.filter((k) => profile[k] !== undefined)
    if (profile.role !== undefined && how.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['role'],
        message: `a role needs exactly one of sourceProfile, credentialSource or webIdentityTokenFile: true${how.length ? ` (got ${how.join(' and ')})` : ''}`,
      })
    }
    if (profile.expiresIn !== undefined && profile.role === undefined) {
      const inside = (['process', 'sso', 'login'] as const).filter((k) => profile[k] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['expiresIn'],
        message: inside.length
          ? `expiresIn here is the lifetime of a role's sessions, and this profile assumes no role: put it inside ${inside.join(' / ')} (e.g. ${inside[0]}: { …, expiresIn: ${profile.expiresIn} })`
          : "expiresIn is the lifetime of a role's sessions: add role, or remove expiresIn (a user's keys never expire)",
      })
    }
    if (profile.in !== undefined && profile.user === undefined) {
      ctx.addIssue({ code: 'custom', path: ['in'], message: 'in says which file holds a user\'s keys: add user, or remove in' })
    }
    if (profile.role === undefined) {
      for (const k of how) ctx.addIssue({ code: 'custom', path: [k], message: `${k} needs a role to assume: add role` })
    }
    if (profile.user === undefined && profile.role === undefined && profile.process === undefined && profile.sso === undefined && profile.login === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'a profile needs credentials: one or more of { user }, { role, sourceProfile | credentialSource | webIdentityTokenFile: true }, { process }, { sso }, { login } (plus an optional region)',
      })
    }
  })

const worldSpecSchema = z
  .strictObject({
    accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id, e.g. "123456789012"').optional(),
    region: region.nullable().optional(),
    env: envSpec,
    vars: vars.optional(),
    profile: profileName.optional(),
    profiles: z.record(profileName, profileSpec).optional(),
    files: z.strictObject({ credentials: z.string().optional(), config: z.string().optional() }).superRefine(offMachineFileSettings).optional(),
    webIdentity: webIdentitySpec,
    container: containerSpec,
    instanceProfile: instanceProfileSpec,
    gate: z
      .strictObject({ allow: z.record(z.string(), z.array(z.string())), deny: z.record(z.string(), z.array(z.string())).optional() })
      .superRefine((gate, ctx) => {
        for (const problem of gatePolicyProblems(gate)) ctx.addIssue({ code: 'custom', path: [], message: problem.replace(/^gate\./, '') })
      })
      .optional(),
    // each fault is checked against the catalogue (and the world) below, so its messages can name the accepted values
    faults: z.array(z.unknown()).optional(),
  })
  .superRefine((spec, ctx) => {
    for (const [name, profile] of Object.entries(spec.profiles ?? {})) {
      // a profile with anything but user keys is a [profile NAME] section of ~/.aws/config, which holds fewer names
      const problem = writesConfig(profile) && !profileNameProblem(name) ? profileNameProblem(name, 'config') : undefined
      if (problem) ctx.addIssue({ code: 'custom', path: ['profiles', name], message: problem })
      if (profile.sourceProfile !== undefined && !Object.hasOwn(spec.profiles ?? {}, profile.sourceProfile) && !mentionsProfile(spec.files, profile.sourceProfile)) {
        ctx.addIssue({
          code: 'custom',
          path: ['profiles', name, 'sourceProfile'],
          message: `source profile "${profile.sourceProfile}" is not defined: add it to \`profiles\` (or to \`files\`)`,
        })
      }
    }
    const checked = checkFaults(spec as WorldSpec)
    for (const issue of checked.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
    if (!checked.issues.length && spec.faults) spec.faults = checked.faults
  })

/** Whether the world writes this profile into ~/.aws/config (everything but user keys goes there). */
function writesConfig(profile: object): boolean {
  return Object.entries(profile).some(([key, value]) => value !== undefined && key !== 'user' && !(key === 'in' && value === 'credentials'))
}

/**
 * Keys zod's records skip without a word (`__proto__` from JSON.parse): found on the raw input,
 * so such a profile is refused instead of vanishing.
 */
function rawKeyIssues(input: unknown): { path: PropertyKey[]; message: string }[] {
  const profiles = typeof input === 'object' && input !== null ? (input as { profiles?: unknown }).profiles : undefined
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) return []
  return Object.keys(profiles)
    .filter((name) => name === '__proto__')
    .map((name) => ({ path: ['profiles', name], message: profileNameProblem(name)! }))
}

function mentionsProfile(files: { credentials?: string | undefined; config?: string | undefined } | undefined, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const section = new RegExp(`^\\s*\\[\\s*(?:profile\\s+)?${escaped}\\s*\\]`, 'm')
  return section.test(files?.credentials ?? '') || section.test(files?.config ?? '')
}

function unionMessage(path: PropertyKey[]): string | undefined {
  if (path.length === 1 && path[0] === 'env') return 'env needs exactly one of { user: "<name>" } (static user keys) or { role: "<name>" } (session keys)'
  if (path.length === 2 && path[0] === 'profiles') {
    return 'a profile needs exactly one of: { user }, { role, sourceProfile }, { role, credentialSource }, { role, webIdentityTokenFile: true }, { process }, { sso }, { login } (plus an optional region)'
  }
  if (path.length === 3 && path[2] === 'process') return 'process needs exactly one of { user } or { role }'
  return undefined
}

function describePath(path: PropertyKey[]): string {
  const segment = (p: PropertyKey, i: number) =>
    typeof p === 'number' ? `[${p}]` : typeof p === 'string' && !/^[\w-]+$/.test(p) ? `[${JSON.stringify(p)}]` : i ? `.${String(p)}` : String(p)
  return path.length ? path.map(segment).join('') : '(root)'
}

/** The top-level fields of a WorldSpec. */
export const WORLD_SPEC_FIELDS: readonly string[] = Object.keys(worldSpecSchema.shape)

/** A zod issue in chainproof's words: "required" for a missing field, "expected a string, got a number" for a wrong type. */
export function chainproofWording(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const words: Record<string, string> = { record: 'object', array: 'list' }
    const expected = words[String(issue.expected)] ?? String(issue.expected)
    const rawReceived = /received (\w+)/.exec(issue.message)?.[1]
    const received = rawReceived === undefined ? undefined : (words[rawReceived] ?? rawReceived)
    const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`)
    if (received === 'undefined' || expected === 'nonoptional') return expected === 'nonoptional' ? 'required' : `required: ${article(expected)}`
    return `expected ${article(expected)}, got ${received ? article(received) : 'something else'}`
  }
  return issue.message
}

/**
 * Validates a WorldSpec. Every problem is reported at once, each naming its field, so a
 * user fixes a spec in one pass. `where` names the origin (a scenario file) in the message.
 */
export function parseWorldSpec(input: unknown, where = 'WorldSpec'): WorldSpec {
  const result = worldSpecSchema.safeParse(input ?? {})
  const rawIssues = rawKeyIssues(input)
  if (result.success && rawIssues.length === 0) return result.data as WorldSpec
  const lines = rawIssues.map((issue) => `  - ${describePath(issue.path)}: ${issue.message}`)
  lines.push(...(result.success ? [] : result.error.issues).map((issue) => {
    let message = chainproofWording(issue)
    if (issue.code === 'unrecognized_keys') message = unknownFieldsMessage(issue.keys, fieldsAt(worldSpecSchema, issue.path))
    if (issue.code === 'invalid_union') message = unionMessage(issue.path) ?? message
    if (issue.code === 'invalid_key') message = issue.issues.map((inner) => inner.message).join('; ') || message
    return `  - ${describePath(issue.path)}: ${message}`
  }))
  throw new ChainproofError(`Invalid ${where}:\n${lines.join('\n')}`)
}
