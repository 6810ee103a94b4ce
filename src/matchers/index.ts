import { awaited } from './awaited.js'
import { toAgreeAcrossSdks as toAgreeAcrossSdksUnwrapped } from './to-agree-across-sdks.js'
import { toBeSignedBy as toBeSignedByUnwrapped } from './to-be-signed-by.js'
import { toFailToResolveCredentials as toFailToResolveCredentialsUnwrapped } from './to-fail-to-resolve-credentials.js'
import { toHaveReceivedCommandSignedBy as toHaveReceivedCommandSignedByUnwrapped } from './to-have-received-command-signed-by.js'
import { toHaveReceivedRequestsSignedBy as toHaveReceivedRequestsSignedByUnwrapped } from './to-have-received-requests-signed-by.js'
import { toResolveCredentialsFrom as toResolveCredentialsFromUnwrapped } from './to-resolve-credentials-from.js'
import { toResolveToPrincipal as toResolveToPrincipalUnwrapped } from './to-resolve-to-principal.js'
import { toResolveToRole as toResolveToRoleUnwrapped } from './to-resolve-to-role.js'
import { toShadowCredentialsFrom as toShadowCredentialsFromUnwrapped } from './to-shadow-credentials-from.js'
import { toHaveFetchedCredentials as toHaveFetchedCredentialsUnwrapped } from './to-have-fetched-credentials.js'
import { toRefreshCredentialsFrom as toRefreshCredentialsFromUnwrapped } from './to-refresh-credentials-from.js'

/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toAgreeAcrossSdks = awaited('toAgreeAcrossSdks', toAgreeAcrossSdksUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toBeSignedBy = awaited('toBeSignedBy', toBeSignedByUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toFailToResolveCredentials = awaited('toFailToResolveCredentials', toFailToResolveCredentialsUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toHaveReceivedCommandSignedBy = awaited('toHaveReceivedCommandSignedBy', toHaveReceivedCommandSignedByUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toHaveReceivedRequestsSignedBy = awaited('toHaveReceivedRequestsSignedBy', toHaveReceivedRequestsSignedByUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toResolveCredentialsFrom = awaited('toResolveCredentialsFrom', toResolveCredentialsFromUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toResolveToPrincipal = awaited('toResolveToPrincipal', toResolveToPrincipalUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toResolveToRole = awaited('toResolveToRole', toResolveToRoleUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toShadowCredentialsFrom = awaited('toShadowCredentialsFrom', toShadowCredentialsFromUnwrapped)

/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toHaveFetchedCredentials = awaited('toHaveFetchedCredentials', toHaveFetchedCredentialsUnwrapped)
/** See the matcher's own documentation; a forgotten `await` is reported as such. */
export const toRefreshCredentialsFrom = awaited('toRefreshCredentialsFrom', toRefreshCredentialsFromUnwrapped)

/** Every chainproof matcher, ready for `expect.extend(matchers)`. */
export const matchers = {
  toResolveCredentialsFrom,
  toResolveToRole,
  toResolveToPrincipal,
  toFailToResolveCredentials,
  toShadowCredentialsFrom,
  toBeSignedBy,
  toHaveReceivedRequestsSignedBy,
  toHaveReceivedCommandSignedBy,
  toAgreeAcrossSdks,
  toHaveFetchedCredentials,
  toRefreshCredentialsFrom,
}
