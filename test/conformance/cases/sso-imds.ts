/**
 * aws-sdk-js-v3 credential-provider-sso fromSSO.spec.ts, fromSSO.integ.spec.ts and
 * validateSsoProfile.spec.ts (fromIni's SSO branch calls fromSSO({ profile })), and
 * smithy-typescript credential-provider-imds fromInstanceMetadata.e2e.spec.ts (live EC2 tests:
 * here the world is the instance), utils/staticStabilityProvider.spec.ts and
 * utils/getInstanceMetadataEndpoint.spec.ts.
 */
import type { ConformanceCase, NotExpressible } from '../types.js'

const fromSso = 'credential-provider-sso/src/fromSSO.spec.ts' as const
const fromSsoInteg = 'credential-provider-sso/src/fromSSO.integ.spec.ts' as const
const validate = 'credential-provider-sso/src/validateSsoProfile.spec.ts' as const
const e2e = 'credential-provider-imds/src/fromInstanceMetadata.e2e.spec.ts' as const
const stability = 'credential-provider-imds/src/utils/staticStabilityProvider.spec.ts' as const
const endpoint = 'credential-provider-imds/src/utils/getInstanceMetadataEndpoint.spec.ts' as const
const login = 'credential-provider-ini/src/resolveLoginCredentials.spec.ts' as const
/** A raw login_session profile (aws login) whose token the world never cached. */
const LOGIN_CONFIG = '[default]\nregion = us-west-2\nlogin_session = arn:aws:sts::123456789012:assumed-role/MyRole/user\n'
const LATER = { instanceProfile: { role: 'web' } } as const
const LEGACY_SSO = { sso_start_url: 'https://chainproof.invalid/start', sso_account_id: '123456789012', sso_region: 'us-east-1', sso_role_name: 'Dev' }
const legacyProfile = (keys: Record<string, string>) => `[default]\n${Object.entries(keys).map(([k, v]) => `${k} = ${v}\n`).join('')}`
const withoutKey = (key: string) => Object.fromEntries(Object.entries(LEGACY_SSO).filter(([k]) => k !== key))

export const ssoImdsCases: ConformanceCase[] = [
  {
    spec: fromSso,
    title: 'fromSSO > all sso* values are not set > throws error if Sso Profile validation fails',
    world: { ...LATER, files: { config: legacyProfile(withoutKey('sso_role_name')) } },
    expect: { fails: 'Profile is configured with invalid SSO credentials', stops: true, unreached: 'instanceProfile' },
  },
  {
    spec: fromSso,
    title: 'fromSSO > all sso* values are not set > calls resolveSSOCredentials with values from validated SSO profile',
    world: { profiles: { default: { sso: { role: 'mock_sso_role_name' } } } },
    expect: { source: 'sso', profile: 'default', role: 'mock_sso_role_name', codes: { CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's' } },
  },
  ...(['sso_start_url', 'sso_account_id', 'sso_region', 'sso_role_name'] as const).map(
    (key): ConformanceCase => ({
      spec: validate,
      title: `validateSsoProfile > throws if '${key}' is missing from profile`,
      // a legacy (session-less) SSO profile missing one key: not tryNextLink, the chain stops
      world: { ...LATER, files: { config: legacyProfile(withoutKey(key)) } },
      expect: { fails: 'Profile is configured with invalid SSO credentials', stops: true, unreached: 'instanceProfile' },
    }),
  ),
  {
    spec: validate,
    title: "validateSsoProfile > does not throw if 'sso_session' is missing from profile",
    // all four keys, no sso_session: validation passes; with no token cached for the start URL the SSO session is then "invalid" (still a stop)
    world: { ...LATER, files: { config: legacyProfile(LEGACY_SSO) } },
    expect: { fails: 'The SSO session associated with this profile is invalid', stops: true, unreached: 'instanceProfile' },
  },

  // resolveLoginCredentials on a raw login_session profile whose token was never cached (profiles.x.login cases: login-routing.ts)
  {
    spec: login,
    title: 'isLoginProfile > returns false for empty profile',
    world: { ...LATER, files: { config: '[default]\n' } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
  {
    spec: login,
    title: 'isLoginProfile > returns false for profile without login_session',
    world: { ...LATER, files: { config: '[default]\nregion = us-west-2\n' } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
  {
    spec: login,
    title: 'isLoginProfile > returns true for profile with login_session',
    // routed to fromLoginCredentials: with no cached token the error is not tryNextLink — the chain stops
    world: { ...LATER, files: { config: LOGIN_CONFIG } },
    expect: { fails: /Failed to load token/, stops: true, unreached: 'instanceProfile', links: { profile: 'failed' } },
  },
  {
    spec: login,
    title: 'resolveLoginCredentials > throws error when fromLoginCredentials throws error',
    world: { ...LATER, files: { config: LOGIN_CONFIG } },
    expect: { fails: /login\/cache/, stops: true, unreached: 'instanceProfile' },
  },

  // fromInstanceMetadata e2e: the world is the EC2 instance
  {
    spec: e2e,
    title: 'fromInstanceMetadata (Live EC2 E2E Tests) > should fetch metadata token successfully',
    world: { instanceProfile: { role: 'web', imdsV2Only: true } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
  {
    spec: e2e,
    title: 'fromInstanceMetadata (Live EC2 E2E Tests) > retrieves credentials successfully',
    world: { instanceProfile: { role: 'web' } },
    expect: { source: 'instanceProfile', role: 'web', credentials: { sessionToken: true } },
  },
  {
    spec: e2e,
    title: 'fromInstanceMetadata (Live EC2 E2E Tests) > retrieves credentials with account ID on allowlisted instances',
    world: { accountId: '210987654321', instanceProfile: { role: 'web' } },
    expect: { source: 'instanceProfile', role: 'web', credentials: { accountId: '210987654321' } },
  },
  {
    spec: e2e,
    title: 'fromInstanceMetadata (Live EC2 E2E Tests) > IMDS access disabled via AWS_EC2_METADATA_DISABLED',
    world: { instanceProfile: { role: 'web' }, vars: { AWS_EC2_METADATA_DISABLED: 'true' } },
    expect: { fails: 'Could not load credentials from any providers', links: { instanceProfile: 'skipped' } },
  },

  // staticStabilityProvider
  {
    spec: stability,
    title: 'staticStabilityProvider > should throw if cannot load credentials at 1st load',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'status', status: 503 }] },
    expect: { fails: 'Could not load credentials from any providers' },
  },
  {
    spec: stability,
    title: 'staticStabilityProvider > should extend expired credentials if loaded expired credentials',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'expiredCredentials', agoSeconds: 3600 }] },
    expect: { source: 'instanceProfile', role: 'web' },
  },

  // getInstanceMetadataEndpoint: the world's AWS_EC2_METADATA_SERVICE_ENDPOINT is http://127.0.0.1:<port>
  {
    spec: endpoint,
    title: 'getInstanceMetadataEndpoint > when endpoint is defined > returns host when endpoint is valid > with port',
    world: { instanceProfile: { role: 'web' } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
]

export const ssoImdsNotExpressible: NotExpressible[] = [
  { spec: login, title: 'resolveLoginCredentials > passes options to fromLoginCredentials', reason: 'code-level options (logger, clientConfig)' },
  { spec: login, title: 'resolveLoginCredentials > should pass callerClientConfig through', reason: 'code-level callerClientConfig with a mock request handler' },
  { spec: fromSso, title: 'fromSSO > throws error if profile is not found', reason: 'fromSSO({ profile }) called in code; fromIni only calls it for a profile it found' },
  { spec: fromSso, title: 'fromSSO > all sso* values are not set > throws error if profile is not an Sso Profile', reason: 'unreachable through fromIni, which calls fromSSO only for SSO profiles; fromSSO({ profile }) in code' },
  { spec: fromSso, title: "fromSSO > throws error if any required sso* values are not set > missing '%s' (4 rows)", reason: 'the fromSSO() argument hash: SSO fields passed in code', rows: 4 },
  { spec: fromSso, title: 'fromSSO > calls resolveSSOCredentials if all sso* values are set', reason: 'SSO fields and an ssoClient passed in code' },
  { spec: fromSsoInteg, title: 'fromSSO integration > SSO with sso-session > should use clientConfig.requestHandler for token refresh if provided', reason: 'a code-level requestHandler and the SSO-OIDC CreateToken refresh, which worlds do not serve' },
  { spec: validate, title: 'validateSsoProfile > returns if values all required sso values are available', reason: 'a resolving legacy SSO profile needs a token cached under sha1(sso_start_url); a world caches tokens for sso_session profiles only' },
  { spec: e2e, title: 'fromInstanceMetadata (Live EC2 E2E Tests) > Empty configured profile name should throw error', reason: 'AWS_EC2_INSTANCE_PROFILE_NAME is newer than the installed @smithy/credential-provider-imds, which ignores it (measured: the listed role is used); not a world limit' },
  { spec: e2e, title: 'fromInstanceMetadata (Live EC2 E2E Tests) > Uses configured profile name from env', reason: 'as above; the spec accepts success or failure alike' },
  { spec: e2e, title: 'fromInstanceMetadata (Live EC2 E2E Tests) > Multiple calls return stable results', reason: 'two calls of one memoized provider; no world-visible difference' },
  { spec: e2e, title: 'fromInstanceMetadata (Live EC2 E2E Tests) > should timeout as expected when a request exceeds the specified duration', reason: 'it.skip in the spec (and a code-level timeout of 1 ms)' },
  { spec: stability, title: 'staticStabilityProvider > should refresh credentials if provider is functional', reason: 'wraps a mock provider that returns new keys per call' },
  { spec: stability, title: 'staticStabilityProvider > should extend expired credentials if refresh fails', reason: 'needs IMDS to succeed and then fail; world faults fail first, then recover (times)' },
  { spec: stability, title: 'staticStabilityProvider > should allow custom logger to print warning messages', reason: 'a code-level logger' },
  { spec: endpoint, title: 'getInstanceMetadataEndpoint > when endpoint is defined > throws error when endpoint is invalid', reason: 'AWS_EC2_METADATA_SERVICE_ENDPOINT is the world’s; a non-loopback value is refused in vars' },
  { spec: endpoint, title: 'getInstanceMetadataEndpoint > when endpoint is defined > returns host when endpoint is valid > without port', reason: 'http://127.0.0.1 means port 80, where no world listens' },
  { spec: endpoint, title: 'getInstanceMetadataEndpoint > when endpoint is not defined > throws Error when endpointMode is unsupported', reason: 'an unsupported mode makes the SDK throw before any request; not restated' },
  { spec: endpoint, title: 'getInstanceMetadataEndpoint > when endpoint is not defined > rethrows Error when reading endpointMode throws error', reason: 'mocks loadConfig to throw' },
  { spec: endpoint, title: 'getInstanceMetadataEndpoint > when reading endpoint throws error > rethrows error', reason: 'mocks loadConfig to throw' },
]
