import type { SdkName, SourceName } from '../types.js'

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
 * Who is expected to have signed, for `toBeSignedBy` and `toHaveReceivedRequestsSignedBy`:
 * every field given must match (at least one is required).
 */
export interface SignerExpectation {
  /** The source of the signing credentials (canonical name or alias). */
  source?: SourceName
  /** The profile the signing credentials came from. */
  profile?: string
  /** A role name or role ARN: the credentials are a session of that role. */
  role?: string
  /** The principal ARN: a string, a RegExp or an asymmetric matcher. */
  principal?: string | RegExp | AsymmetricMatcherLike
}

/**
 * Who signed a request a world received, for `toHaveReceivedRequestsSignedBy`: a signer as for
 * `toBeSignedBy`, and the region it was signed for.
 */
export interface RequestSignerExpectation extends SignerExpectation {
  /** The SigV4 signing region of the request's credential scope, exactly (e.g. `'eu-west-1'`). */
  region?: string
}

/**
 * An AWS SDK command class, e.g. `GetObjectCommand` (matched with `instanceof`, as
 * aws-sdk-client-mock matches commands).
 */
export type CommandClass = abstract new (...args: any[]) => object

/** Options of `toBeSignedBy`. */
export interface SignedByOptions {
  /**
   * Values of signed headers the artifact does not carry, so that its signature can be checked:
   * a URL carries no headers, so a presigned PUT that signs `content-type` needs it here.
   */
  headers?: Record<string, string>
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
  /**
   * Passes when each named source was available but lost to a higher link of the chain (it is
   * in the chain report's `shadowed`): the precedence bug, pinned. Fails when nothing resolves.
   *
   * @example await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
   * @example await expect(new S3Client({})).toShadowCredentialsFrom(['container', 'instanceProfile'])
   */
  toShadowCredentialsFrom(source: SourceName | readonly SourceName[]): R
  /**
   * Passes when a presigned URL (string or URL), an RDS auth token or a SigV4-signed
   * `HttpRequest` (or a promise of one) was signed with such credentials of the active world.
   * The signature is verified with the world's record of the key: an artifact signed with a
   * key the world never issued, or altered after signing, fails either way (also under `.not`).
   *
   * @example await expect(getSignedUrl(s3, new GetObjectCommand(…))).toBeSignedBy('instanceProfile')
   * @example await expect(signer.getAuthToken()).toBeSignedBy({ role: 'web' })
   */
  toBeSignedBy(signer: SourceName | SignerExpectation, options?: SignedByOptions): R
  /**
   * On a world (`createCredentialWorld`, `useCredentialWorld`, or anything with `requests`):
   * passes when at least one request that reached its service gate or STS was signed with such
   * credentials (and, with `region`, for that signing region); under `.not`, when none was. For
   * applications running in other processes.
   *
   * @example await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', principal: /:user\/alice$/ })
   * @example await expect(world).toHaveReceivedRequestsSignedBy({ source: 'webIdentity', region: 'eu-west-1' })
   */
  toHaveReceivedRequestsSignedBy(signer: SourceName | RequestSignerExpectation): R
  /**
   * On an aws-sdk-client-mock stub wrapped with `withCredentialResolution` (from
   * `chainproof/client-mock`): passes when at least one call of that command was made with such
   * credentials; under `.not`, when none was. Calls whose credentials failed never count.
   *
   * @example await expect(withCredentialResolution(mockClient(S3Client))).toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile')
   * @example await expect(s3Mock).not.toHaveReceivedCommandSignedBy(PutObjectCommand, { source: 'env', principal: /:user\/ci$/ })
   */
  toHaveReceivedCommandSignedBy(command: CommandClass, signer: SourceName | SignerExpectation): R
  /**
   * On a world: passes when every named SDK's chain picks the same source there (or every one
   * fails) — a migration test. The failure names each SDK's winning link and why it won.
   *
   * @example await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])
   */
  toAgreeAcrossSdks(sdks: readonly SdkName[]): R
  /**
   * On a world: passes when that source's credentials were fetched exactly `times` times, at most
   * `atMost` times, or (with neither) at least once. A fetch: an IMDS credentials GET, a container
   * GET, an STS AssumeRole* call, SSO GetRoleCredentials, a credential_process run, a login
   * refresh — failed attempts too. The failure lists every fetch with the world's time.
   *
   * @example await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 1 })
   * @example await expect(world).toHaveFetchedCredentials('instanceProfile', { atMost: 5 })
   */
  toHaveFetchedCredentials(source: SourceName, options?: FetchCountOptions): R
  /**
   * Moves the world's clock into the client's refresh window (4 minutes before its credentials
   * expire) and passes when the same client then gets fresh credentials from that source. The
   * failure shows each generation seen, with its expiry (key ids masked).
   *
   * @example await expect(s3).toRefreshCredentialsFrom('instanceProfile')
   */
  toRefreshCredentialsFrom(source: SourceName): R
}

/** Options of `toHaveFetchedCredentials`: `times` (exactly) or `atMost`; neither: at least once. */
export interface FetchCountOptions {
  times?: number
  atMost?: number
  /** Only the fetches for this profile (role profiles, SSO, credential_process, login). */
  profile?: string
}
