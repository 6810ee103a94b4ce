/**
 * What the client-mock bridge records for each mocked `send`, kept on the stub itself under a
 * global symbol. The matchers read it from here, so that `chainproof/vitest` and
 * `chainproof/jest` never import aws-sdk-client-mock (an optional peer).
 */
import type { Source } from '../types.js'
import type { WorldImpl } from '../world/world.js'

/** One call of a mocked client's `send`, and the credentials it was made with. Never holds a secret. */
export type SignedCommandCall = {
  /** The mocked client's class, e.g. `S3Client`. */
  client: string
  /** The command's class, e.g. `GetObjectCommand`. */
  command: string
  /** The command's input, as sent. */
  input: unknown
  at: Date
} & (
  | {
      /** The credentials resolved: the call went on to the mock's configured behaviour. */
      resolved: true
      source: Source
      principal: string
      role?: string
      profile?: string
      /** The access key id (not a secret; chainproof masks it in every message). */
      accessKeyId: string
    }
  | {
      /** The credentials could not be resolved: the call rejected with that error and never reached the mock. */
      resolved: false
      /** The error's message, with no secret in it. */
      error: string
    }
)

/** A recorded call with what the matcher needs but users do not: the objects themselves. */
export interface CallRecord {
  call: SignedCommandCall
  /** The command object (matched with `instanceof`, as aws-sdk-client-mock matches commands). */
  commandObject: unknown
  /** The client instance that sent it. */
  clientInstance: unknown
  /** The world it was resolved in (its chain explains a failure, while it is still active). */
  world: WorldImpl | undefined
}

export const CALLS = Symbol.for('chainproof.clientMock.calls')

interface Bridged {
  [CALLS]?: CallRecord[]
}

/** The records of a stub passed to `withCredentialResolution`, or undefined for any other value. */
export function recordsOf(stub: unknown): CallRecord[] | undefined {
  if ((typeof stub !== 'object' && typeof stub !== 'function') || stub === null) return undefined
  const records = (stub as Bridged)[CALLS]
  return Array.isArray(records) ? records : undefined
}

/** Starts (or returns) the record of a stub. */
export function ensureRecords(stub: object): CallRecord[] {
  const bridged = stub as Bridged
  if (!Array.isArray(bridged[CALLS])) Object.defineProperty(stub, CALLS, { value: [], configurable: true, enumerable: false, writable: true })
  return bridged[CALLS]!
}

/** The mocked client's class name, as aws-sdk-client-mock's `clientName()` reports it. */
export function clientNameOf(stub: unknown): string {
  const s = stub as { clientName?: () => unknown; client?: { constructor?: { name?: string } } }
  try {
    const name = typeof s.clientName === 'function' ? s.clientName() : s.client?.constructor?.name
    return typeof name === 'string' && name ? name : 'client'
  } catch {
    return 'client'
  }
}

/** A command's class name (`GetObjectCommand`). */
export function commandNameOf(command: unknown): string {
  const name = (command as { constructor?: { name?: unknown } } | null)?.constructor?.name
  return typeof name === 'string' && name ? name : 'unknown command'
}

/**
 * Whether a value is the stub `mockClient(…)` returns (an AwsStub), told by its shape: its
 * `send` is a sinon stub and it names its client. No import of aws-sdk-client-mock or sinon.
 */
export function isAwsStub(value: unknown): value is { client: object; send: SinonStubLike; clientName(): string } {
  const v = value as { client?: unknown; send?: unknown; clientName?: unknown } | null
  return typeof v === 'object' && v !== null && typeof v.clientName === 'function' && typeof v.client === 'object' && v.client !== null && isSinonStubLike(v.send)
}

/** The part of a sinon stub the bridge touches. */
export interface SinonStubLike {
  (...args: unknown[]): unknown
  isSinonProxy: true
  invoke(func: unknown, thisValue: unknown, args: unknown[]): unknown
  restore?: () => void
}

/** aws-sdk-client-mock's own test (`isSinonStub`): a sinon proxy that can be restored. */
export function isSinonStubLike(value: unknown): value is SinonStubLike {
  return typeof value === 'function' && (value as { isSinonProxy?: unknown }).isSinonProxy === true && typeof (value as { invoke?: unknown }).invoke === 'function'
}
