/**
 * Cases that became expressible with the `login` source (profiles.x.login, the login faults)
 * and with the SDK's hard-coded addresses routed to loopback (container.uri 'relative',
 * instanceProfile.endpoint 'linkLocal'), and a container URL the SDK refuses (vars).
 * aws-sdk-js-v3 packages-internal/credential-provider-login, -ini, -node, -http and smithy's
 * credential-provider-imds specs.
 */
import type { ConformanceCase, NotExpressible } from '../types.js'

const fromLogin = 'credential-provider-login/src/fromLoginCredentials.spec.ts' as const
const fetcher = 'credential-provider-login/src/LoginCredentialsFetcher.spec.ts' as const
const iniLogin = 'credential-provider-ini/src/resolveLoginCredentials.spec.ts' as const
const data = 'credential-provider-ini/src/resolveProfileData.spec.ts' as const
const integ = 'credential-provider-node/tests/credential-provider-node.integ.spec.ts' as const
const rp = 'credential-provider-node/src/remoteProvider.spec.ts' as const
const http = 'credential-provider-http/src/fromHttp/fromHttp.spec.ts' as const
const checkUrl = 'credential-provider-http/src/fromHttp/checkUrl.spec.ts' as const
const containerMetadata = 'credential-provider-imds/src/fromContainerMetadata.spec.ts' as const
const endpoint = 'credential-provider-imds/src/utils/getInstanceMetadataEndpoint.spec.ts' as const

/** The spec's profile with login_session, as `aws login` leaves it (the world writes the session ARN and its cache). */
const LOGIN = { profiles: { default: { region: 'us-west-2', login: { role: 'Admin' } } }, instanceProfile: { role: 'web' } } as const
const LOGIN_CODES = { CREDENTIALS_PROFILE_LOGIN: 'AC', CREDENTIALS_LOGIN: 'AD' }
const REFUSED = (fails: RegExp) => ({ fails, stops: true, unreached: 'instanceProfile' as const, links: { profile: 'failed' as const } })

export const loginRoutingCases: ConformanceCase[] = [
  // login: fromLoginCredentials and its fetcher, through the profile that names the session
  { spec: fromLogin, title: 'fromLoginCredentials > should return credentials when profile has login_session', world: LOGIN, expect: { source: 'login', profile: 'default', role: 'Admin', links: { instanceProfile: 'shadowed' } } },
  { spec: fromLogin, title: 'fromLoginCredentials > should set credential feature id for login credentials', world: LOGIN, expect: { source: 'login', profile: 'default', codes: { CREDENTIALS_LOGIN: 'AD' }, credentials: { accountId: '123456789012', sessionToken: true } } },
  { spec: fetcher, title: 'LoginCredentialsFetcher > should load cached credentials successfully', world: LOGIN, expect: { source: 'login', profile: 'default', credentials: { accountId: '123456789012' } } },
  { spec: fetcher, title: 'LoginCredentialsFetcher > should use default path construction', world: LOGIN, expect: { source: 'login', profile: 'default' } },
  { spec: fetcher, title: 'LoginCredentialsFetcher > should throw error when cache file not found', world: { ...LOGIN, faults: [{ target: 'login', kind: 'missingCache' }] }, expect: REFUSED(/Failed to load token from .*login\/cache/) },
  ...(['accessToken', 'refreshToken', 'clientId', 'dpopKey'] as const).map((field) => ({
    spec: fetcher,
    title: `LoginCredentialsFetcher > should throw error when missing ${field}`,
    world: { ...LOGIN, faults: [{ target: 'login' as const, kind: 'invalidCache' as const, field }] },
    expect: REFUSED(new RegExp(`missing fields: ${field}`)),
  })),
  {
    spec: fetcher,
    title: 'LoginCredentialsFetcher > should refresh expired credentials successfully',
    // the world's Signin endpoint answers CreateOAuth2Token after verifying the DPoP proof the SDK signs with the cached key
    world: { ...LOGIN, faults: [{ target: 'login', kind: 'expired' }] },
    expect: { source: 'login', profile: 'default', role: 'Admin', credentials: { accountId: '123456789012', sessionToken: true } },
  },
  {
    spec: fetcher,
    title: 'LoginCredentialsFetcher > should throw error when refresh fails',
    world: { profiles: LOGIN.profiles, faults: [{ target: 'login', kind: 'refreshUnavailable' }] },
    target: { kind: 'fromIni' },
    expect: { fails: /Failed to refresh token: .*Please re-authenticate using aws login/ },
  },
  {
    spec: fetcher,
    title: 'LoginCredentialsFetcher > should throw error when refresh token is expired (400 Bad Request)',
    world: { profiles: LOGIN.profiles, faults: [{ target: 'login', kind: 'refreshUnavailable', status: 400 }] },
    target: { kind: 'fromIni' },
    expect: { fails: /Failed to refresh token: .*Please re-authenticate using aws login/ },
  },
  {
    spec: fetcher,
    title: 'LoginCredentialsFetcher > should create custom directory when refreshing token if path is set through env var',
    world: { profiles: { default: { login: { role: 'Admin', cacheDirectory: 'variable' } } }, faults: [{ target: 'login', kind: 'expired' }] },
    expect: { source: 'login', profile: 'default' },
  },
  { spec: iniLogin, title: 'resolveLoginCredentials > calls fromLoginCredentials and adds profile feature', world: LOGIN, expect: { source: 'login', profile: 'default', codes: LOGIN_CODES } },
  { spec: data, title: "resolveProfileData > resolves with login profile, when it's not static or assume role or web identity or sso", world: LOGIN, expect: { source: 'login', profile: 'default', links: { profile: 'won' } } },
  { spec: integ, title: 'credential-provider-node integration test > fromIni > should resolve login credentials if the profile has login_session', world: LOGIN, target: { kind: 'fromIni' }, expect: { source: 'login', profile: 'default', codes: LOGIN_CODES } },

  // the container endpoint at the SDK's own 169.254.170.2 (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), routed to loopback
  {
    spec: rp,
    title: 'remoteProvider > returns fromContainerMetadata if env[AWS_CONTAINER_CREDENTIALS_RELATIVE_URI] is set',
    world: { container: { role: 'task', uri: 'relative' }, instanceProfile: { role: 'web' } },
    expect: { source: 'container', role: 'task', untouched: 'imds', links: { container: 'won', instanceProfile: 'shadowed' } },
  },
  { spec: http, title: 'fromHttp > uses the relative uri', world: { container: { role: 'task', uri: 'relative' } }, expect: { source: 'container', role: 'task' } },
  { spec: checkUrl, title: 'checkUrl > allows ECS container host', world: { container: { role: 'task', uri: 'relative' } }, expect: { source: 'container', role: 'task' } },
  {
    spec: containerMetadata,
    title: 'fromContainerMetadata > AWS_CONTAINER_CREDENTIALS_FULL_URI > should prefer AWS_CONTAINER_CREDENTIALS_RELATIVE_URI to AWS_CONTAINER_CREDENTIALS_FULL_URI',
    // FULL_URI names a loopback port nothing serves: the SDK follows RELATIVE_URI instead
    world: { container: { role: 'task', uri: 'relative' }, vars: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/never' } },
    expect: { source: 'container', role: 'task' },
  },
  // a FULL_URI the SDK refuses before connecting: expressible, never contacted
  ...(['http://192.168.1.1/endpoint', 'http://169.254.170.3/endpoint', 'http://abcd.com'] as const).map((url, i) => ({
    spec: checkUrl,
    title: ['checkUrl > additional test cases > rejects forbidden host in full URI', 'checkUrl > additional test cases > rejects forbidden link-local host in full URI', 'checkUrl > rejects other http'][i]!,
    world: { vars: { AWS_CONTAINER_CREDENTIALS_FULL_URI: url }, instanceProfile: { role: 'web' } },
    expect: { fails: 'Could not load credentials from any providers', unreached: 'instanceProfile' as const, links: { container: 'failed' as const }, reasons: { container: /URL not accepted/ } },
  })),

  // IMDS at the SDK's default addresses, routed to loopback
  { spec: endpoint, title: 'getInstanceMetadataEndpoint > when endpoint is not defined > returns %s when endpointMode=%s (IPv4)', world: { instanceProfile: { role: 'web', endpoint: 'linkLocal' } }, expect: { source: 'instanceProfile', role: 'web' } },
  {
    spec: endpoint,
    title: 'getInstanceMetadataEndpoint > when endpoint is not defined > returns %s when endpointMode=%s (IPv6)',
    world: { instanceProfile: { role: 'web', endpoint: 'linkLocal' }, vars: { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv6' } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
]

export const loginRoutingNotExpressible: NotExpressible[] = [
  { spec: fromLogin, title: 'fromLoginCredentials > should throw error when profile does not contain login_session', reason: 'calls fromLoginCredentials on its own; in the chain a profile without login_session never reaches it (fromIni answers "Could not resolve credentials using profile")' },
  { spec: fromLogin, title: 'fromLoginCredentials > should use profile specified in the provider if given', reason: 'a code-level provider option (init.profile)' },
  { spec: fromLogin, title: 'fromLoginCredentials > should pass SharedConfigInit options to parseKnownFiles', reason: 'code-level filepath/configFilepath/ignoreCache options' },
  { spec: fetcher, title: 'LoginCredentialsFetcher > should create cache directory before saving refreshed token', reason: 'inspects the mkdir call; the refreshed cache being written is checked in test/sources/login.test.ts' },
  { spec: fetcher, title: 'LoginCredentialsFetcher > derToRawSignature (4 cases)', reason: "a pure DER → r||s conversion; end to end, the world's Signin endpoint verifies every DPoP signature the SDK makes", rows: 4 },
]
