/**
 * `chainproof/client-mock`: chainproof for suites that stub their AWS calls with
 * aws-sdk-client-mock (an optional peer; only this entry refers to it, and only for types).
 *
 * - `withCredentialResolution(mockClient(S3Client))`: every mocked `send` first resolves the
 *   client's credentials in the active world, failing as production would, and records who
 *   signed each call; assert it with `toHaveReceivedCommandSignedBy` (registered by
 *   `chainproof/vitest` and `chainproof/jest` like every other matcher).
 * - chain reports say so when `STSClient` from `@aws-sdk/client-sts` is mocked while credential
 *   providers' STS calls go to the world's STS (their private client is not the one mocked).
 */
import './client-mock/register.js'
import { recordsOf, type SignedCommandCall } from './client-mock/record.js'
import { ChainproofError } from './errors.js'
import { describeValue } from './probe/target.js'

export { withCredentialResolution } from './client-mock/bridge.js'
export { isStsClientMocked } from './client-mock/sts-hint.js'
export type { SignedCommandCall } from './client-mock/record.js'
export type { CommandClass, SignerExpectation } from './matchers/types.js'

/**
 * The calls chainproof recorded on a stub wrapped with `withCredentialResolution`, oldest
 * first: command, input, and the source, profile, role, principal and access key id each was
 * made with (or the error when its credentials failed). Never holds a secret.
 */
export function signedCallsOf(stub: unknown): readonly SignedCommandCall[] {
  const records = recordsOf(stub)
  if (!records) {
    throw new ChainproofError(`signedCallsOf(stub) expects a stub wrapped with withCredentialResolution(mockClient(…)); received ${describeValue(stub)}`)
  }
  return records.map((record) => record.call)
}
