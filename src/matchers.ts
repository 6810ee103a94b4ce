/**
 * `chainproof/matchers`: the raw matcher functions, for `expect.extend(matchers)` by hand
 * (e.g. under a runner chainproof has no entry for). They register nothing themselves.
 */
export {
  matchers,
  toAgreeAcrossSdks,
  toBeSignedBy,
  toFailToResolveCredentials,
  toHaveReceivedCommandSignedBy,
  toHaveReceivedRequestsSignedBy,
  toResolveCredentialsFrom,
  toResolveToPrincipal,
  toResolveToRole,
  toShadowCredentialsFrom,
  toHaveFetchedCredentials,
  toRefreshCredentialsFrom,
} from './matchers/index.js'
export type { MatcherContext, MatcherResult, MatcherUtils } from './matchers/context.js'
export type { AsymmetricMatcherLike, ChainproofMatchers, CommandClass, ResolveFromOptions, SignedByOptions, SignerExpectation, RequestSignerExpectation, FetchCountOptions } from './matchers/types.js'
export { maskKeyId } from './matchers/format.js'
