import { ChainproofError } from '../errors.js'
import type { Credentials } from './sdk.js'

/** Whether a value is a promise or another thenable (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

/** How the credentials were obtained from the target, which decides how they are named. */
export interface TargetCredentials {
  credentials: Credentials
  /** The credentials object itself was handed over (or configured in code on a Signer): source `code`. */
  passedInCode: boolean
  /** The client's own `profile` option, which the default chain uses before AWS_PROFILE. */
  profile?: string
  kind: 'client' | 'provider' | 'credentials' | 'signer'
}

type AnyRecord = Record<string, unknown>
const isRecord = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null

function isCredentials(v: unknown): v is Credentials {
  return isRecord(v) && typeof v.accessKeyId === 'string' && typeof v.secretAccessKey === 'string'
}

/** A short description of a value for errors, never printing its contents. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`
  if (isRecord(value)) return `an object (${value.constructor?.name ?? 'Object'} with keys ${Object.keys(value).slice(0, 5).join(', ') || 'none'})`
  return `${typeof value}`
}

function checkResolved(value: unknown, what: string): Credentials {
  if (isCredentials(value)) return value
  throw new ChainproofError(`${what} did not return credentials (an object with accessKeyId and secretAccessKey); it returned ${describeValue(value)}`)
}

/**
 * Resolves the credentials of any supported target: an SDK v3 client, a credential provider,
 * a credentials object, an @aws-sdk/rds-signer Signer, or a promise of one of these.
 */
export async function credentialsOfTarget(target: unknown): Promise<TargetCredentials> {
  // a value that is not a promise is taken as it is (awaiting it would cost a turn of the microtask queue)
  const value = isThenable(target) ? await target : target
  if (typeof value === 'function') {
    return { credentials: checkResolved(await (value as () => unknown)(), 'the credential provider'), passedInCode: false, kind: 'provider' }
  }
  if (isCredentials(value)) return { credentials: value, passedInCode: true, kind: 'credentials' }
  if (isRecord(value)) {
    const config = value.config
    if (isRecord(config) && typeof config.credentials === 'function' && typeof value.send === 'function') {
      const credentials = checkResolved(await (config.credentials as () => unknown)(), `the client's config.credentials()`)
      const result: TargetCredentials = { credentials, passedInCode: false, kind: 'client' }
      if (typeof config.profile === 'string') result.profile = config.profile
      return result
    }
    if (typeof value.getAuthToken === 'function' && 'credentials' in value) {
      const c = value.credentials
      if (typeof c === 'function') return { credentials: checkResolved(await (c as () => unknown)(), `the Signer's credentials provider`), passedInCode: false, kind: 'signer' }
      return { credentials: checkResolved(c, 'the Signer'), passedInCode: true, kind: 'signer' }
    }
  }
  throw new ChainproofError(
    `expected an AWS SDK v3 client, a credential provider, a credentials object, an RDS Signer, or a promise of one; received ${describeValue(value)}`,
  )
}
