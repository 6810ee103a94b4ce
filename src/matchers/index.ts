import { toFailToResolveCredentials } from './to-fail-to-resolve-credentials.js'
import { toResolveCredentialsFrom } from './to-resolve-credentials-from.js'
import { toResolveToPrincipal } from './to-resolve-to-principal.js'
import { toResolveToRole } from './to-resolve-to-role.js'

export { toFailToResolveCredentials, toResolveCredentialsFrom, toResolveToPrincipal, toResolveToRole }

/** Every chainproof matcher, ready for `expect.extend(matchers)`. */
export const matchers = {
  toResolveCredentialsFrom,
  toResolveToRole,
  toResolveToPrincipal,
  toFailToResolveCredentials,
}
