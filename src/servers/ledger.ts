import { randomUUID } from 'node:crypto'
import { randomBytes } from './random.js'
import type { Identity, Source } from '../types.js'
import { auditSecret } from '../audit.js'

/** Credentials as the world hands them out: the identity plus the secret parts, which never leave the world's servers and files. */
export interface IssuedCredentials extends Identity {
  secretAccessKey: string
  sessionToken?: string
}

export type Principal =
  | { kind: 'user'; name: string; accountId: string }
  | { kind: 'role'; name: string; arn: string; accountId: string; sessionName: string }

export interface IssueRequest {
  source: Source
  profile?: string
  principal: Principal
  /** Lifetime of session credentials; default one hour. Users' keys never expire, unless given one (a credential_process may print an Expiration for them). */
  lifetimeMs?: number
}

/** The generations of one source (and profile) are counted together. */
const streamOf = (source: Source, profile: string | undefined) => `${source}\u0000${profile ?? ''}`

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function randomKeySuffix(length: number): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const byte of bytes) out += KEY_ALPHABET[byte % KEY_ALPHABET.length]
  return out
}

/** `arn:aws:iam::<account>:role/<name>` from a bare name, or the ARN itself. */
export function roleArnOf(roleNameOrArn: string, accountId: string): string {
  return roleNameOrArn.startsWith('arn:') ? roleNameOrArn : `arn:aws:iam::${accountId}:role/${roleNameOrArn}`
}

/** The role's name (last path segment) from a bare name or an ARN. */
export function roleNameOf(roleNameOrArn: string): string {
  if (!roleNameOrArn.startsWith('arn:')) return roleNameOrArn
  const resource = roleNameOrArn.split(':').slice(5).join(':')
  return resource.slice(resource.lastIndexOf('/') + 1)
}

/** The account id inside an ARN, or undefined for a bare name. */
export function accountOfArn(arn: string): string | undefined {
  return arn.startsWith('arn:') ? arn.split(':')[4] || undefined : undefined
}

export function userNameOf(userNameOrArn: string): string {
  return roleNameOf(userNameOrArn)
}

export function principalArnOf(principal: Principal): string {
  return principal.kind === 'user'
    ? `arn:aws:iam::${principal.accountId}:user/${principal.name}`
    : `arn:aws:sts::${principal.accountId}:assumed-role/${principal.name}/${principal.sessionName}`
}

/**
 * Every credential a world hands out, by access key id. Identification of what the SDK
 * resolved is done here (authoritative), not by the SDK's internal `$source` codes.
 */
export class Ledger {
  readonly #byKey = new Map<string, IssuedCredentials>()
  readonly #generations = new Map<string, number>()

  issue(request: IssueRequest): IssuedCredentials {
    const { principal } = request
    const isSession = principal.kind === 'role'
    let accessKeyId: string
    do accessKeyId = (isSession ? 'ASIA' : 'AKIA') + randomKeySuffix(16)
    while (this.#byKey.has(accessKeyId))
    const stream = streamOf(request.source, request.profile)
    const generation = (this.#generations.get(stream) ?? 0) + 1
    this.#generations.set(stream, generation)
    const now = Date.now()
    const issued: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40),
      source: request.source,
      principal: principalArnOf(principal),
      accountId: principal.accountId,
      issuedAt: new Date(now),
      generation,
    }
    if (request.profile !== undefined) issued.profile = request.profile
    if (principal.kind === 'user') {
      issued.user = principal.name
      if (request.lifetimeMs !== undefined) issued.expiration = new Date(now + request.lifetimeMs)
    } else {
      issued.role = principal.name
      issued.roleArn = principal.arn
      issued.sessionName = principal.sessionName
      issued.sessionToken = 'IQoJchainproof' + randomBytes(96).toString('base64')
      issued.expiration = new Date(now + (request.lifetimeMs ?? 3600_000))
    }
    this.#byKey.set(accessKeyId, issued)
    auditSecret(issued.secretAccessKey)
    if (issued.sessionToken) auditSecret(issued.sessionToken)
    return issued
  }

  /** The full record, secrets included: for the world's servers only. */
  credentialsOf(accessKeyId: string): IssuedCredentials | undefined {
    return this.#byKey.get(accessKeyId)
  }

  /** Whether these are the newest credentials of their source (and profile): nothing was issued in that stream since. */
  isLatest(accessKeyId: string): boolean {
    const issued = this.#byKey.get(accessKeyId)
    return issued !== undefined && issued.generation === this.#generations.get(streamOf(issued.source, issued.profile))
  }

  identityOf(accessKeyId: string): Identity | undefined {
    const issued = this.#byKey.get(accessKeyId)
    return issued ? toIdentity(issued) : undefined
  }

  /** Every set of credentials issued, oldest first, as identities (no secrets). */
  all(): Identity[] {
    return [...this.#byKey.values()].map(toIdentity)
  }

  /** Every secret and token issued, so tests can prove none leaked. */
  secrets(): string[] {
    const out: string[] = []
    for (const c of this.#byKey.values()) {
      out.push(c.secretAccessKey)
      if (c.sessionToken) out.push(c.sessionToken)
    }
    return out
  }

  get size(): number {
    return this.#byKey.size
  }
}

export function toIdentity(issued: IssuedCredentials): Identity {
  // the rest is a new object already: the caller's to keep or change
  const { secretAccessKey: _secret, sessionToken: _token, ...identity } = issued
  return identity
}

export function newInstanceId(): string {
  return 'i-' + randomBytes(8).toString('hex').slice(0, 17)
}

export function newTaskId(): string {
  return randomUUID().replace(/-/g, '')
}
