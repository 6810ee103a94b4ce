import type { SourceName } from '../types.js'

/** Options of `toResolveCredentialsFrom`. */
export interface ResolveFromOptions {
  /** The profile the credentials must come from (checked as well as the source). */
  profile?: string
}

/** Something with `asymmetricMatch`, e.g. `expect.stringMatching(…)` or `expect.stringContaining(…)`. */
export interface AsymmetricMatcherLike {
  asymmetricMatch(other: unknown, ...rest: any[]): boolean
}

/**
 * chainproof's matchers as a runner sees them. All are asynchronous: always `await` them.
 * `R` is the runner's return type; chainproof's own augmentations use `Promise<void>`.
 */
export interface ChainproofMatchers<R = Promise<void>> {
  /**
   * Passes when the target's credentials come from `source` (a canonical name such as
   * `'env'`, `'profile'`, `'instanceProfile'`, or an alias such as `'imds'`), and from
   * `options.profile` when given. A failure prints the whole credential chain and hints.
   *
   * @example await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
   */
  toResolveCredentialsFrom(source: SourceName, options?: ResolveFromOptions): R
  /**
   * Passes when the credentials are a session of that role: a bare name compares role
   * names, an ARN compares account and role name.
   *
   * @example await expect(client).toResolveToRole('web')
   */
  toResolveToRole(roleNameOrArn: string): R
  /**
   * Passes when the principal ARN equals the string, matches the RegExp or satisfies the
   * asymmetric matcher.
   *
   * @example await expect(client).toResolveToPrincipal(/:assumed-role\/web\//)
   */
  toResolveToPrincipal(principal: string | RegExp | AsymmetricMatcherLike): R
  /**
   * Passes when resolution fails; with `message`, only when the error message contains
   * that string or matches that RegExp.
   *
   * @example await expect(client).toFailToResolveCredentials(/Could not load credentials/)
   */
  toFailToResolveCredentials(message?: string | RegExp): R
}
