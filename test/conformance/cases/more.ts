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
    expect: { fails: 'The SSO session associated with this profile is invalid', stops: true, unreached: 'instanceProfile' },
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
    expect: { source: 'sso', profile: 'default', role: 'Dev' },
  },

  // getValidatedProcessCredentials, with a raw credential_process in ~/.aws/config
  {
    spec: validated,
    title: 'getValidatedProcessCredentials > throws Error when Version is 2',
    world: processWorld({ ...PROCESS_DOC, Version: 2 }, true),
    expect: movesOn,
  },
  ...(['AccessKeyId', 'SecretAccessKey'] as const).map(
    (key): ConformanceCase => ({
      spec: validated,
      title: `getValidatedProcessCredentials > throws Error when '${key}' is not defined`,
      world: processWorld(without(key), true),
      expect: movesOn,
    }),
  ),
  {
    spec: validated,
    title: 'getValidatedProcessCredentials > throws error when credentials are expired',
    world: processWorld({ ...PROCESS_DOC, Expiration: new Date(Date.now() - 24 * 3600_000).toISOString() }, true),
    expect: movesOn,
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
  { spec: sso, title: 'resolveSSOCredentials > returns valid credentials including accountId > returns valid credentials with accountId from sso.getRoleCredentials', reason: "its mock portal puts accountId inside roleCredentials; the real GetRoleCredentials RoleCredentials has no accountId (nested-clients/sso models), and the world answers like the real API" },
  { spec: sso, title: 'resolveSSOCredentials > returns valid credentials including accountId > creates SSO client with provided region, if client is not passed, and includes accountId', reason: 'as above: accountId inside roleCredentials is not part of the real API' },
  { spec: sso, title: 'resolveSSOCredentials > throws error on sso.getRoleCredentials call > if call fails', reason: 'no world fault makes GetRoleCredentials fail' },
  { spec: sso, title: "resolveSSOCredentials > throws error on sso.getRoleCredentials call > returns creds missing '%s' (4 rows)", reason: 'no world fault drops fields from the GetRoleCredentials answer', rows: 4 },
  { spec: checkUrl, title: 'checkUrl > allows https', reason: 'https URLs are not loopback: refused by WorldSpec vars (and would leave the machine)' },
  { spec: checkUrl, title: 'checkUrl > allows ECS container host', reason: '169.254.170.2: refused in vars; no container.uri "relative" in this tree' },
  { spec: checkUrl, title: 'checkUrl > allows EKS container host', reason: '169.254.170.23 / [fd00:ec2::23]: refused by WorldSpec vars' },
  { spec: checkUrl, title: 'checkUrl > rejects other http', reason: 'a URL the SDK refuses (http://abcd.com) is refused by WorldSpec vars too (issue 13.3 asks for it to be expressible)' },
  { spec: checkUrl, title: 'checkUrl > additional test cases > rejects forbidden host in full URI', reason: 'http://192.168.1.1/endpoint is refused by WorldSpec vars (issue 13.3)' },
  { spec: checkUrl, title: 'checkUrl > additional test cases > rejects forbidden link-local host in full URI', reason: 'http://169.254.170.3/endpoint is refused by WorldSpec vars (issue 13.3)' },
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
