/**
 * aws-sdk-js-v3 credential-provider-sso resolveSSOCredentials.spec.ts, credential-provider-process
 * getValidatedProcessCredentials.spec.ts, credential-provider-http checkUrl.spec.ts,
 * credential-provider-ini resolveWebIdentityCredentials.spec.ts, and smithy-typescript
 * credential-provider-imds fromInstanceMetadataRegion.spec.ts, re-stated as worlds.
 */
import type { ConformanceCase, NotExpressible } from '../types.js'

const sso = 'credential-provider-sso/src/resolveSSOCredentials.spec.ts' as const
const validated = 'credential-provider-process/src/getValidatedProcessCredentials.spec.ts' as const
const checkUrl = 'credential-provider-http/src/fromHttp/checkUrl.spec.ts' as const
const wiProfile = 'credential-provider-ini/src/resolveWebIdentityCredentials.spec.ts' as const
const imdsRegion = 'credential-provider-imds/src/fromInstanceMetadataRegion.spec.ts' as const
const ssoProfile = 'credential-provider-ini/src/resolveSsoCredentials.spec.ts' as const
const fromProcess = 'credential-provider-process/src/fromProcess.spec.ts' as const
const containerMetadata = 'credential-provider-imds/src/fromContainerMetadata.spec.ts' as const
const iniProcess = 'credential-provider-ini/src/resolveProcessCredentials.spec.ts' as const
const httpInteg = 'credential-provider-http/src/fromHttp/fromHttp.integ.spec.ts' as const
const LATER = { instanceProfile: { role: 'web' } } as const
const movesOn = { source: 'instanceProfile', role: 'web' } as const

/** A raw `credential_process` line: node prints this document (keys the world never issued; no secret of any world). */
function printing(document: Record<string, unknown>): string {
  const literal = JSON.stringify(document).replace(/"/g, "'")
  return `credential_process = node -e "process.stdout.write(JSON.stringify(${literal}))"\n`
}
const IN_A_DAY = new Date(Date.now() + 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '.000Z')
const PROCESS_DOC = { Version: 1, AccessKeyId: 'AKIAPROCESSCONFORM01', SecretAccessKey: 'not-a-secret', SessionToken: 'not-a-token', Expiration: IN_A_DAY, AccountId: '123456789012' }
const processWorld = (document: Record<string, unknown>, later = false) => ({
  ...(later ? LATER : {}),
  files: { config: `[default]\n${printing(document)}` },
})
const without = (key: string) => Object.fromEntries(Object.entries(PROCESS_DOC).filter(([k]) => k !== key))

export const moreCases: ConformanceCase[] = [
  // resolveSSOCredentials
  {
    spec: sso,
    title: 'resolveSSOCredentials > throws error if getSSOTokenFromFile fails',
    // a legacy SSO profile (no sso_session) with no cached token: "… is invalid", not tryNextLink — the chain stops
    world: { ...LATER, files: { config: '[default]\nsso_start_url = https://chainproof.invalid/start\nsso_account_id = 123456789012\nsso_region = us-east-1\nsso_role_name = Dev\n' } },
    expect: { fails: 'The SSO session associated with this profile is invalid', stops: true, unreached: 'instanceProfile', links: { profile: 'failed' } },
  },
  {
    spec: sso,
    title: 'resolveSSOCredentials > uses the SSOTokenProvider if SSO Session name is present',
    world: { profiles: { default: { sso: { role: 'Dev' } } } },
    expect: { source: 'sso', profile: 'default', role: 'Dev' },
  },
  {
    spec: sso,
    title: 'resolveSSOCredentials > throws error on expiration > throws error if SSO session has expired',
    // through sso_session the token provider reports it ("Token is expired …"); either way it stops the chain
    world: { ...LATER, profiles: { default: { sso: { role: 'Dev' } } }, faults: [{ target: 'sso', kind: 'tokenExpired' }] },
    expect: { fails: /expired/i, stops: true, unreached: 'instanceProfile' },
  },
  {
    spec: sso,
    title: 'resolveSSOCredentials > returns valid credentials > returns valid credentials from sso.getRoleCredentials',
    world: { profiles: { default: { sso: { role: 'mock_sso_role_name' } } } },
    expect: { source: 'sso', profile: 'default', role: 'mock_sso_role_name', credentials: { sessionToken: true } },
  },
  {
    spec: sso,
    title: 'resolveSSOCredentials > returns valid credentials > creates SSO client with provided region, if client is not passed',
    world: { region: 'us-west-2', profiles: { default: { region: 'eu-west-1', sso: { role: 'Dev', region: 'ap-southeast-2' } } } },
    expect: { source: 'sso', profile: 'default', role: 'Dev', ssoRegion: 'ap-southeast-2' },
  },

  // getValidatedProcessCredentials, with a raw credential_process in ~/.aws/config
  {
    spec: validated,
    title: 'getValidatedProcessCredentials > throws Error when Version is 2',
    world: processWorld({ ...PROCESS_DOC, Version: 2 }, true),
    expect: { ...movesOn, reasons: { process: /did not return Version 1/ } },
  },
  ...(['AccessKeyId', 'SecretAccessKey'] as const).map(
    (key): ConformanceCase => ({
      spec: validated,
      title: `getValidatedProcessCredentials > throws Error when '${key}' is not defined`,
      world: processWorld(without(key), true),
      expect: { ...movesOn, reasons: { process: /returned invalid credentials/ } },
    }),
  ),
  {
    spec: validated,
    title: 'getValidatedProcessCredentials > throws error when credentials are expired',
    world: processWorld({ ...PROCESS_DOC, Expiration: new Date(Date.now() - 24 * 3600_000).toISOString() }, true),
    expect: { ...movesOn, reasons: { process: /expired/ } },
  },
  {
    spec: validated,
    title: 'getValidatedProcessCredentials > returns validated Process credentials > with all values',
    world: processWorld(PROCESS_DOC),
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROCESS: 'w' }, credentials: { sessionToken: true, expiration: IN_A_DAY, accountId: '123456789012' } },
  },
  {
    spec: validated,
    title: "getValidatedProcessCredentials > returns validated Process credentials > without 'SessionToken'",
    world: processWorld(without('SessionToken')),
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROCESS: 'w' }, credentials: { sessionToken: false } },
  },
  {
    spec: validated,
    title: "getValidatedProcessCredentials > returns validated Process credentials > without 'Expiration'",
    world: processWorld(without('Expiration')),
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROCESS: 'w' }, credentials: { sessionToken: true } },
  },

  // checkUrl: the world's container endpoint is plain http on 127.0.0.1
  {
    spec: checkUrl,
    title: 'checkUrl > allows localhost',
    world: { container: { role: 'task' } },
    expect: { source: 'container', role: 'task', untouched: 'imds' },
  },

  // resolveWebIdentityCredentials (fromIni's web identity branch)
  {
    spec: wiProfile,
    title: 'isWebIdentityProfile > returns true for WebIdentityProfile',
    world: { profiles: { default: { role: 'mock_role', webIdentityTokenFile: true } } },
    expect: { source: 'webIdentity', profile: 'default', role: 'mock_role', codes: { CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: 'q' } },
  },
  {
    spec: wiProfile,
    title: 'resolveWebIdentityCredentials > throws error when fromTokenFile throws',
    world: { ...LATER, profiles: { default: { role: 'mock_role', webIdentityTokenFile: true } }, faults: [{ target: 'webIdentityTokenFile', kind: 'missing', profile: 'default' }] },
    expect: { fails: 'ENOENT', stops: true, unreached: 'instanceProfile' },
  },
  {
    spec: wiProfile,
    title: 'resolveWebIdentityCredentials > returns creds from fromTokenFile',
    world: { profiles: { default: { role: 'mock_role', webIdentityTokenFile: true } } },
    expect: { source: 'webIdentity', profile: 'default', role: 'mock_role', assumptions: 1 },
  },

  // resolveSsoCredentials (fromIni's SSO branch): any one sso_* key makes the profile an SSO profile
  {
    spec: ssoProfile,
    title: 'isSsoProfile > returns false for empty profile',
    world: { ...LATER, files: { config: '[default]\n' } },
    expect: movesOn,
  },
  ...(['sso_start_url', 'sso_account_id', 'sso_region', 'sso_role_name'] as const).map(
    (key): ConformanceCase => ({
      spec: ssoProfile,
      title: `isSsoProfile > returns true if value at '${key}' is of type string`,
      // routed to fromSSO, whose validation error is not tryNextLink: the chain stops
      world: { ...LATER, files: { config: `[default]\n${key} = string\n` } },
      expect: { fails: 'Profile is configured with invalid SSO credentials', stops: true, unreached: 'instanceProfile', links: { profile: 'failed' }, reasons: { profile: /invalid SSO credentials/ } },
    }),
  ),
  {
    spec: ssoProfile,
    title: "isSsoProfile > returns true if value at 'sso_session' is of type string",
    // routed to fromSSO, which looks up the (missing) [sso-session string] section and throws a TypeError: the chain stops
    world: { ...LATER, files: { config: '[default]\nsso_session = string\n' } },
    expect: { fails: 'sso_region', stops: true, unreached: 'instanceProfile' },
  },
  {
    spec: ssoProfile,
    title: 'resolveSsoCredentials > throws error when fromSSO throws error',
    world: { ...LATER, profiles: { default: { sso: { role: 'Dev' } } }, faults: [{ target: 'sso', kind: 'tokenExpired' }] },
    expect: { fails: /expired/i, stops: true, unreached: 'instanceProfile' },
  },
  {
    spec: ssoProfile,
    title: 'resolveSsoCredentials > calls fromSSO',
    world: { profile: 'mockProfileName', profiles: { mockProfileName: { sso: { role: 'Dev' } } } },
    expect: { source: 'sso', profile: 'mockProfileName', role: 'Dev', codes: { CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's' } },
  },

  // resolveProcessCredentials of fromIni (its credential_process branch)
  {
    spec: iniProcess,
    title: 'isProcessProfile > returns true for ProcessProfile',
    world: processWorld(PROCESS_DOC),
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROFILE_PROCESS: 'v' } },
  },
  {
    spec: iniProcess,
    title: 'resolveProcessCredentials > throws error when fromProcess throws',
    world: { ...LATER, profile: 'mockProfileName', profiles: { mockProfileName: { process: { user: 'p' } } }, faults: [{ target: 'credentialProcess', kind: 'exitNonZero', exitCode: 3 }] },
    expect: movesOn,
  },
  {
    spec: iniProcess,
    title: 'resolveProcessCredentials > returns creds from fromProcess',
    world: { profile: 'mockProfileName', profiles: { mockProfileName: { process: { role: 'proc-role' } } } },
    expect: { source: 'process', profile: 'mockProfileName', role: 'proc-role', codes: { CREDENTIALS_PROFILE_PROCESS: 'v' } },
  },

  // fromProcess (the chain's own process link, after fromIni's)
  {
    spec: fromProcess,
    title: 'fromProcess > rethrows error if resolving process creds fails',
    world: { ...LATER, profile: 'mockProfileName', profiles: { mockProfileName: { process: { user: 'p' } } }, faults: [{ target: 'credentialProcess', kind: 'exitNonZero' }] },
    expect: movesOn,
  },
  {
    spec: fromProcess,
    title: 'fromProcess > returns resolved process creds',
    world: { profile: 'mockProfileName', profiles: { mockProfileName: { process: { user: 'p' } } } },
    expect: { source: 'process', profile: 'mockProfileName' },
  },

  // fromInstanceMetadataRegion: a client with no region asks IMDS for one
  {
    spec: imdsRegion,
    title: 'fromInstanceMetadataRegion > returns the region from IMDSv2',
    world: { region: null, instanceProfile: { role: 'web', region: 'us-west-2' } },
    target: { kind: 'client', send: true },
    expect: { source: 'instanceProfile', role: 'web', signedRegion: 'us-west-2' },
  },
  {
    spec: imdsRegion,
    title: 'fromInstanceMetadataRegion > issues a PUT to /latest/api/token before the region GET',
    // a v2-only instance answers token-less GETs with 401: the region is read with a session token
    world: { region: null, instanceProfile: { role: 'web', region: 'eu-north-1', imdsV2Only: true } },
    target: { kind: 'client', send: true },
    expect: { source: 'instanceProfile', role: 'web', signedRegion: 'eu-north-1' },
  },
]

export const moreNotExpressible: NotExpressible[] = [
  { spec: iniProcess, title: 'isProcessProfile > falsy / non-object / non-string values (3 groups)', reason: 'type guards over JavaScript values an ini file cannot produce', rows: 11 },
  { spec: httpInteg, title: 'fromHttp socket cleanup > destroys sockets after each credential fetch', reason: "the SDK's own socket handling (open connections on the server side)" },
  { spec: httpInteg, title: 'fromHttp socket cleanup > re-reads token file on each request', reason: 'rewrites the authorization token file between two calls: a world is fixed once created' },
  { spec: httpInteg, title: 'fromHttp socket cleanup > destroys sockets even when requests fail', reason: "the SDK's own socket handling, with code-level maxRetries and timeout" },
  { spec: ssoProfile, title: 'resolveSsoCredentials > passes through clientConfig and parentClientConfig to the fromSSO provider', reason: 'code-level clientConfig (requestHandler, logger)' },
  { spec: fromProcess, title: 'fromProcess > rethrows error if parsing known files fails', reason: 'mocks parseKnownFiles to throw; the real ini parser drops what it cannot read instead (see the ini malformed fault)' },
  { spec: containerMetadata, title: 'fromContainerMetadata > should reject the promise with a terminal error if the container credentials environment variable is not set', reason: 'calls fromContainerMetadata directly; in the chain, the remote provider picks IMDS when no container variable is set' },
  { spec: containerMetadata, title: 'fromContainerMetadata > should inject an authorization header containing the contents of the AWS_CONTAINER_AUTHORIZATION_TOKEN environment variable if defined', reason: "in the chain fromHttp answers first, so fromContainerMetadata's own header is never sent (fromHttp's 'can use the token' case covers the header)" },
  { spec: containerMetadata, title: 'fromContainerMetadata > AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (4 cases)', reason: 'calls fromContainerMetadata directly; in the chain fromHttp answers a RELATIVE_URI first (container.uri "relative" cases: remoteProvider, fromHttp "uses the relative uri")', rows: 4 },
  { spec: containerMetadata, title: 'fromContainerMetadata > AWS_CONTAINER_CREDENTIALS_FULL_URI > should pass relevant configuration to httpRequest', reason: 'code-level timeout and the request options' },
  { spec: containerMetadata, title: 'fromContainerMetadata > AWS_CONTAINER_CREDENTIALS_FULL_URI > should reject the promise with a terminal error if a unexpected protocol is specified', reason: 'wss://localhost:8080/path is refused by WorldSpec vars (not a loopback http URL of the world)' },
  { spec: containerMetadata, title: 'fromContainerMetadata > AWS_CONTAINER_CREDENTIALS_FULL_URI > should reject the promise with a terminal error if a unexpected hostname is specified', reason: 'fromHttp accepts any https URL and would contact it: refused by WorldSpec vars (a world never leaves loopback)' },
  { spec: sso, title: 'resolveSSOCredentials > returns valid credentials including accountId > returns valid credentials with accountId from sso.getRoleCredentials', reason: "its mock portal puts accountId inside roleCredentials; the real GetRoleCredentials RoleCredentials has no accountId (nested-clients/sso models), and the world answers like the real API" },
  { spec: sso, title: 'resolveSSOCredentials > returns valid credentials including accountId > creates SSO client with provided region, if client is not passed, and includes accountId', reason: 'as above: accountId inside roleCredentials is not part of the real API' },
  { spec: sso, title: 'resolveSSOCredentials > throws error on sso.getRoleCredentials call > if call fails', reason: 'no world fault makes GetRoleCredentials fail' },
  { spec: sso, title: "resolveSSOCredentials > throws error on sso.getRoleCredentials call > returns creds missing '%s' (4 rows)", reason: 'no world fault drops fields from the GetRoleCredentials answer', rows: 4 },
  { spec: checkUrl, title: 'checkUrl > allows https', reason: 'https URLs are not loopback: refused by WorldSpec vars (and would leave the machine)' },
  { spec: checkUrl, title: 'checkUrl > allows EKS container host', reason: '169.254.170.23 / [fd00:ec2::23]: refused by WorldSpec vars' },
  { spec: checkUrl, title: 'checkUrl > additional test cases > allows http loopback v4 URI', reason: 'the world serves on 127.0.0.1 only, not 127.0.0.2, and vars cannot name its port' },
  { spec: wiProfile, title: 'isWebIdentityProfile > falsy / non-object / non-string values (4 groups)', reason: 'type guards over JavaScript values an ini file cannot produce', rows: 13 },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > passes the configured timeout to both IMDS requests', reason: 'code-level timeout option' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > defaults timeout to 1000 ms', reason: 'a request option, not an outcome' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > trims whitespace from the region response', reason: 'the world answers the placement region without padding' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > throws ProviderError with tryNextLink when AWS_EC2_METADATA_DISABLED is set', reason: "the outcome is the client's 'Region is missing', not a credential resolution (test/servers/sso-imds-region.test.ts proves it)" },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > throws ProviderError with tryNextLink on empty region body', reason: 'no world fault empties the placement region' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > wraps non-ProviderError failures with tryNextLink', reason: 'a connection error (ECONNREFUSED) of IMDS: no world fault refuses connections' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > memoizes negative results within the cache TTL', reason: 'counts mocked calls across providers; process-wide cache' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > retries the token PUT up to maxRetries times before failing', reason: 'code-level maxRetries' },
  { spec: imdsRegion, title: 'fromInstanceMetadataRegion > defaults maxRetries to 0', reason: 'counts mocked calls after a connection error' },
]
