import type { IssuedCredentials } from './ledger.js'
import type { RouteReply, RouteRequest } from './http.js'
import type { GateProtocol } from './gate-protocols.js'
import type { ServerWorld } from './state.js'

/**
 * The shape of one service the gate models: how a request names its operation, which IAM
 * action and resource that is, and a handler per modelled operation. Services are data, in the
 * spirit of msw's handlers: see gate-s3.ts and gate-json.ts.
 */

/** What a request asks for, as the gate names it before any handler runs. */
export interface GateOperation {
  /** The operation (the SDK command without `Command`): `GetObject`, `SendMessage`. Recorded as `action`. */
  action: string
  /** The IAM action that authorises it, named in AccessDenied messages: `s3:ListBucket` for ListObjectsV2. */
  iamAction: string
  /** The resource ARN the call is on (or `*`), named in AccessDenied messages. */
  resource: string
  /** The parsed input, for the handler. */
  input?: unknown
}

/** A request the service cannot even name (malformed input): answered with the protocol's validation error. */
export interface GateInvalid {
  invalid: string
  action?: string
}

/** Everything a handler may use. */
export interface GateContext {
  readonly request: RouteRequest
  readonly world: ServerWorld
  /** The verified signer, from the ledger (holds secrets: never put any of it but identity in a reply). */
  readonly caller: IssuedCredentials
  /** The region of the request's credential scope. */
  readonly region: string
  readonly requestId: string
  readonly operation: GateOperation
  readonly store: GateStore
}

export type GateHandler = (context: GateContext) => RouteReply | Promise<RouteReply>

export interface GateService {
  /** The SigV4 signing name, also the IAM service prefix: `s3`, `dynamodb`, `sqs`. */
  readonly service: string
  readonly protocol: GateProtocol
  /** SigV4 details: S3 signs the path as sent, without double-encoding. */
  readonly uriEscapePath?: boolean
  /** How production words AccessDenied: S3 quotes the resource, SQS lower-cases the action. */
  readonly deniedStyle?: { quoteResource?: boolean; lowerCaseAction?: boolean }
  operation(request: RouteRequest, world: ServerWorld): GateOperation | GateInvalid
  /** Modelled operations by name; any other operation of the service is answered 501 NotImplemented. */
  readonly handlers: Readonly<Record<string, GateHandler>>
}

export function isInvalid(value: GateOperation | GateInvalid): value is GateInvalid {
  return 'invalid' in value
}

// ---------------------------------------------------------------------------------------------
// A tiny per-world store, so a PutObject can be read back by GetObject in the same world.

export interface StoredObject {
  body: Buffer
  contentType: string
  etag: string
  lastModified: Date
}

export interface StoredMessage {
  messageId: string
  body: string
  md5: string
}

export interface GateStore {
  /** bucket → key → object */
  readonly objects: Map<string, Map<string, StoredObject>>
  /** table name → items, in the order they were put */
  readonly items: Map<string, Record<string, unknown>[]>
  /** `account/queue` → messages not yet received */
  readonly queues: Map<string, StoredMessage[]>
}

const stores = new WeakMap<ServerWorld, GateStore>()

/** The store of one world: created on first use, gone with the world. */
export function gateStoreOf(world: ServerWorld): GateStore {
  let store = stores.get(world)
  if (!store) {
    store = { objects: new Map(), items: new Map(), queues: new Map() }
    stores.set(world, store)
  }
  return store
}
