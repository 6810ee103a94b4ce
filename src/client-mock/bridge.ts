/**
 * `withCredentialResolution(stub)`: every call of a mocked client's `send` first resolves the
 * client's credentials through the real chain in the active world, as the real `send` would
 * before signing, and records which source and principal it was made with.
 *
 * The hook is the sinon stub's `invoke` (what sinon calls for every call of the stub, before it
 * records the call and picks the configured behaviour). Wrapping it keeps the stub a real sinon
 * stub on the client, so aws-sdk-client-mock's own `restore()`, `reset()`, `calls()` and its
 * Jest/Vitest matchers behave as before; the call is recorded, and the user's behaviour
 * (`on(…).resolves(…)`, `callsFake`, `*Once` chains) runs, only once the credentials resolved.
 */
import type { AwsStub } from 'aws-sdk-client-mock'
import { ChainproofError } from '../errors.js'
import { probe } from '../probe/probe.js'
import { describeValue } from '../probe/target.js'
import { activeWorld } from '../world/world.js'
import { type CallRecord, type SinonStubLike, commandNameOf, ensureRecords, isAwsStub } from './record.js'

const BRIDGED = Symbol.for('chainproof.clientMock.bridged')

type Invoke = SinonStubLike['invoke'] & { [BRIDGED]?: true }

function clientNameOfInstance(client: unknown, fallback: string): string {
  const name = (client as { constructor?: { name?: unknown } } | null)?.constructor?.name
  return typeof name === 'string' && name && name !== 'Object' ? name : fallback
}

function noWorldError(client: string, command: string): ChainproofError {
  return new ChainproofError(
    `${client}.send(${command}): withCredentialResolution resolves the client's credentials in the active credential world, and none is active. ` +
      'Create one first: useCredentialWorld() from chainproof/vitest or chainproof/jest, or createCredentialWorld(spec). ' +
      'chainproof never resolves against the real machine in a test.',
  )
}

/** Resolves the sending client's credentials in the active world, recording the call either way; rejects as the real send would. */
async function resolveBeforeSend(records: CallRecord[], stubClientName: string, clientInstance: unknown, command: unknown): Promise<void> {
  const client = clientNameOfInstance(clientInstance, stubClientName)
  const commandName = commandNameOf(command)
  const base = { client, command: commandName, input: (command as { input?: unknown } | null)?.input, at: new Date() }
  const world = activeWorld()
  const record = (call: CallRecord['call']) => records.push({ call, commandObject: command, clientInstance, world })
  if (!world) {
    const error = noWorldError(client, commandName)
    record({ ...base, resolved: false, error: error.message })
    throw error
  }
  const outcome = await probe(clientInstance)
  if (!outcome.ok) {
    record({ ...base, resolved: false, error: outcome.message })
    throw outcome.error
  }
  const { source, principal, role, profile, accessKeyId } = outcome.resolution
  record({
    ...base,
    resolved: true,
    source,
    principal,
    accessKeyId,
    ...(role !== undefined ? { role } : {}),
    ...(profile !== undefined ? { profile } : {}),
  })
}

/** Makes every call of this sinon stub resolve credentials first (once per stub; idempotent). */
function bridgeSend(send: SinonStubLike, stubClientName: string, records: CallRecord[]): void {
  const original = send.invoke as Invoke
  if (original[BRIDGED]) return
  const invoke: Invoke = function (this: SinonStubLike, func: unknown, thisValue: unknown, args: unknown[]) {
    return resolveBeforeSend(records, stubClientName, thisValue, args[0]).then(() => original.call(this, func, thisValue, args))
  }
  invoke[BRIDGED] = true
  Object.defineProperty(send, 'invoke', { value: invoke, configurable: true, writable: true, enumerable: false })
}

/** Wraps a method of the stub object (e.g. `reset`) so that it also does `after`. */
function after<K extends 'reset' | 'resetHistory'>(stub: { [key in K]: () => unknown }, key: K, fn: () => void): void {
  const method = stub[key]
  Object.defineProperty(stub, key, {
    value: function (this: unknown, ...args: unknown[]) {
      const result = (method as (...a: unknown[]) => unknown).apply(this, args)
      fn()
      return result
    },
    configurable: true,
    writable: true,
    enumerable: false,
  })
}

const wrapped = new WeakSet<object>()

/**
 * Applied to the stub `mockClient(…)` returns (a class or an instance stub), makes every mocked
 * `send` first resolve the client's credentials through the real chain in the active credential
 * world, as the real client would before signing:
 *
 * - a missing or wrong source fails the call with the SDK's own error (e.g. `CredentialsProviderError:
 *   Could not load credentials from any providers`), and the call never reaches the mock;
 * - otherwise the call goes on to whatever the mock was configured to do, and chainproof records
 *   which source, profile, role and principal it was made with: assert it with
 *   `await expect(stub).toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile')`.
 *
 * Returns the same stub, so it reads `const s3 = withCredentialResolution(mockClient(S3Client))`.
 * `stub.reset()` and `stub.resetHistory()` also clear chainproof's record; a new `mockClient(…)`
 * of the same client replaces the stub, so wrap the new one too.
 */
export function withCredentialResolution<S extends AwsStub<any, any, any>>(stub: S): S {
  const value: unknown = stub
  if (!isAwsStub(value)) {
    throw new ChainproofError(
      `withCredentialResolution(stub) expects the stub that mockClient(…) from aws-sdk-client-mock returns, e.g. withCredentialResolution(mockClient(S3Client)); received ${describeValue(stub)}`,
    )
  }
  const records = ensureRecords(value)
  const clientName = value.clientName()
  bridgeSend(value.send, clientName, records)
  if (!wrapped.has(value)) {
    wrapped.add(value)
    const bridged = value as unknown as { send: SinonStubLike; reset(): unknown; resetHistory(): unknown }
    // reset() installs a new sinon stub: bridge that one too, with a clean record.
    after(bridged, 'reset', () => {
      records.length = 0
      bridgeSend(bridged.send, clientName, records)
    })
    after(bridged, 'resetHistory', () => {
      records.length = 0
    })
  }
  return stub
}
