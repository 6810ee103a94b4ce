import { toAgreeAcrossSdks } from './to-agree-across-sdks.js'
import { toBeSignedBy } from './to-be-signed-by.js'
import { toFailToResolveCredentials } from './to-fail-to-resolve-credentials.js'
import { toHaveReceivedCommandSignedBy } from './to-have-received-command-signed-by.js'
import { toHaveReceivedRequestsSignedBy } from './to-have-received-requests-signed-by.js'
import { toResolveCredentialsFrom } from './to-resolve-credentials-from.js'
import { toResolveToPrincipal } from './to-resolve-to-principal.js'
import { toResolveToRole } from './to-resolve-to-role.js'
import { toShadowCredentialsFrom } from './to-shadow-credentials-from.js'

export {
  toAgreeAcrossSdks,
  toBeSignedBy,
  toFailToResolveCredentials,
  toHaveReceivedCommandSignedBy,
  toHaveReceivedRequestsSignedBy,
  toResolveCredentialsFrom,
  toResolveToPrincipal,
  toResolveToRole,
  toShadowCredentialsFrom,
}

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
}
