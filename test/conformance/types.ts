/**
 * The shape of a conformance case: one test of the AWS SDK team's own credential specs,
 * re-stated as a chainproof world (facts carried over; no code of theirs).
 */
import type { LinkStatus, Source, WorldSpec } from '../../src/index.js'

/** The spec files the cases come from (aws/aws-sdk-js-v3 packages-internal/…, smithy-lang/smithy-typescript packages/…). */
export type SpecFile =
  | 'credential-provider-node/tests/credential-provider-node.integ.spec.ts'
  | 'credential-provider-node/src/defaultProvider.spec.ts'
  | 'credential-provider-node/src/remoteProvider.spec.ts'
  | 'credential-provider-env/src/fromEnv.spec.ts'
  | 'credential-provider-ini/src/fromIni.integ.spec.ts'
  | 'credential-provider-ini/src/resolveProfileData.spec.ts'
  | 'credential-provider-ini/src/resolveAssumeRoleCredentials.spec.ts'
  | 'credential-provider-ini/src/resolveCredentialSource.spec.ts'
  | 'credential-provider-web-identity/src/fromTokenFile.spec.ts'
  | 'credential-provider-process/src/resolveProcessCredentials.spec.ts'
  | 'credential-provider-http/src/fromHttp/fromHttp.spec.ts'
  | 'credential-provider-imds/src/fromInstanceMetadata.spec.ts'
  | 'credential-provider-imds/src/fromInstanceMetadataRegion.spec.ts'
  | 'credential-provider-sso/src/resolveSSOCredentials.spec.ts'
  | 'credential-provider-process/src/getValidatedProcessCredentials.spec.ts'
  | 'credential-provider-http/src/fromHttp/checkUrl.spec.ts'
  | 'credential-provider-ini/src/resolveWebIdentityCredentials.spec.ts'
  | 'credential-provider-ini/src/resolveSsoCredentials.spec.ts'
  | 'credential-provider-process/src/fromProcess.spec.ts'
  | 'credential-provider-imds/src/fromContainerMetadata.spec.ts'
  | 'credential-provider-sso/src/fromSSO.spec.ts'
  | 'credential-provider-node/src/runtime/memoize-chain.spec.ts'
  | 'credential-provider-ini/src/resolveLoginCredentials.spec.ts'
  | 'credential-provider-ini/src/resolveProcessCredentials.spec.ts'
  | 'credential-provider-http/src/fromHttp/fromHttp.integ.spec.ts'
  | 'credential-provider-sso/src/fromSSO.integ.spec.ts'
  | 'credential-provider-sso/src/validateSsoProfile.spec.ts'
  | 'credential-provider-imds/src/fromInstanceMetadata.e2e.spec.ts'
  | 'credential-provider-imds/src/utils/staticStabilityProvider.spec.ts'
  | 'credential-provider-imds/src/utils/getInstanceMetadataEndpoint.spec.ts'
  | 'credential-provider-login/src/fromLoginCredentials.spec.ts'
  | 'credential-provider-login/src/LoginCredentialsFetcher.spec.ts'

/**
 * What resolves credentials, as in the spec:
 * - `chain`: the default chain, `fromNodeProviderChain()` (what `defaultProvider()` builds);
 * - `fromIni`: `fromIni({ profile? })()` called on its own, outside any client;
 * - `client`: an STSClient like the spec's `new STS({ region, profile, credentials })`; with `send`
 *   it first sends GetCallerIdentity (so the outer client's region reaches the providers), then
 *   reads `client.config.credentials()`.
 */
export type CaseTarget =
  | { kind: 'chain'; /** call it once and let that call fail first (the spec's "release locks on failure"), then resolve */ afterOneFailure?: boolean }
  | { kind: 'fromIni'; profile?: string }
  | { kind: 'client'; region?: string; profile?: string; credentials?: 'fromIni' | { fromIni: { profile: string } }; send?: boolean }

export type Expectation =
  | {
      source: Source
      /** The profile chainproof must name (profile-based sources). */
      profile?: string
      /** The role of the final session (a bare name). */
      role?: string
      /** Number of role assumptions the SDK performs (AssumeRole / AssumeRoleWithWebIdentity) — the spec's `assumeRoleArns`. */
      assumptions?: number
      /** The SigV4 region every AssumeRole request was signed for (the inner STS client's region). */
      stsRegion?: string
      /** The SDK's own `$source` feature codes on the credentials, as the spec expects them. */
      codes?: Record<string, string>
      /** Fields of the credentials object (accountId, expiration as ISO text, a session token present). */
      credentials?: { accountId?: string | null; expiration?: string; sessionToken?: boolean }
      /** The principal's session name, when the spec pins it (RegExp over the ARN). */
      principal?: RegExp
      /** The SigV4 region of the client's own GetCallerIdentity (the client's region, e.g. from IMDS placement). */
      signedRegion?: string
      /** The region the SDK's SSO client is configured for (GetRoleCredentials is unsigned: read off the SDK's nested SSO client, real SDK only). */
      ssoRegion?: string
      /** Statuses chainproof's report must give these links (a spec's "fromEnv is not called" is env `skipped`); `shadowed` ones also pass toShadowCredentialsFrom. */
      links?: Partial<Record<Source, LinkStatus>>
      /** What chainproof's report must say about these links (the SDK's reason a link gave nothing). */
      reasons?: Partial<Record<Source, RegExp>>
      /** A loopback server the SDK must never ask (e.g. IMDS once a container endpoint is set). */
      untouched?: 'imds' | 'container'
    }
  | {
      /** Resolution fails with this message. */
      fails: string | RegExp
      /** true: the error stops the chain (a later source the world has is never reached). */
      stops?: boolean
      /** A source the world has that the stopped chain never reaches (no request reaches its server; the report says `unreached`). */
      unreached?: 'instanceProfile' | 'container'
      /** Statuses chainproof's report must give these links (`failed`: the link whose error stopped the chain). */
      links?: Partial<Record<Source, LinkStatus>>
      /** What chainproof's report must say about these links. */
      reasons?: Partial<Record<Source, RegExp>>
    }

export interface ConformanceCase {
  spec: SpecFile
  /** The spec's own test title, `describe > it`. */
  title: string
  world: WorldSpec
  target?: CaseTarget
  expect: Expectation
  /** chainproof disagrees today (issue 13): which gap. Its chainproof test runs with it.fails. */
  gap?: string
}

export interface NotExpressible {
  spec: SpecFile | 'credential-provider-ini/src/fromIni.spec.ts' | 'credential-provider-sso/src/fromSSO.spec.ts'
  title: string
  reason: string
  /** How many of the spec's tests this row stands for (it.each rows, a describe of pure-function tests); default 1. */
  rows?: number
}
