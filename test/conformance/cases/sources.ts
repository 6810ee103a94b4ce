/**
 * One source each: aws-sdk-js-v3 credential-provider-env fromEnv.spec.ts, -web-identity
 * fromTokenFile.spec.ts, -process resolveProcessCredentials.spec.ts, -http fromHttp.spec.ts, and
 * smithy-typescript credential-provider-imds fromInstanceMetadata.spec.ts (as stored). Each is
 * resolved through the default chain, the world holding only that source (plus, where the spec
 * throws, a later source to show whether the chain moves on or stops).
 */
import type { ConformanceCase, NotExpressible } from '../types.js'

const env = 'credential-provider-env/src/fromEnv.spec.ts' as const
const wi = 'credential-provider-web-identity/src/fromTokenFile.spec.ts' as const
const proc = 'credential-provider-process/src/resolveProcessCredentials.spec.ts' as const
const http = 'credential-provider-http/src/fromHttp/fromHttp.spec.ts' as const
const imds = 'credential-provider-imds/src/fromInstanceMetadata.spec.ts' as const
const LATER = { instanceProfile: { role: 'web' } } as const
const movesOn = { source: 'instanceProfile', role: 'web' } as const

export const sourceCases: ConformanceCase[] = [
  // fromEnv
  {
    spec: env,
    title: 'fromEnv > should read credentials from known environment variables',
    world: { env: { role: 'ci' }, vars: { AWS_CREDENTIAL_EXPIRATION: '3000-01-01T00:00:00.000Z', AWS_ACCOUNT_ID: '123456789012' } },
    expect: { source: 'env', codes: { CREDENTIALS_ENV_VARS: 'g' }, credentials: { sessionToken: true, expiration: '3000-01-01T00:00:00.000Z', accountId: '123456789012' } },
  },
  {
    spec: env,
    title: 'fromEnv > can create credentials without a session token, accountId, or expiration',
    world: { env: { user: 'ci' } },
    expect: { source: 'env', codes: { CREDENTIALS_ENV_VARS: 'g' }, credentials: { sessionToken: false, accountId: null } },
  },
  {
    spec: env,
    title: 'fromEnv > should include accountId when it is provided in environment variables',
    world: { env: { user: 'ci' }, vars: { AWS_ACCOUNT_ID: '123456789012' } },
    expect: { source: 'env', credentials: { accountId: '123456789012' } },
  },
  {
    spec: env,
    title: 'fromEnv > should not include accountId when it is not provided in environment variables',
    world: { env: { user: 'ci' } },
    expect: { source: 'env', credentials: { accountId: null } },
  },
  ...(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const).map(
    (only): ConformanceCase => ({
      spec: env,
      title: `fromEnv > throws if env['${only === 'AWS_ACCESS_KEY_ID' ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'}'] is not found`,
      // one of the pair alone: "Unable to find environment variable credentials." is tryNextLink
      world: { ...LATER, vars: { [only]: only === 'AWS_ACCESS_KEY_ID' ? 'AKIAIOSFODNN7EXAMPLE' : 'not-a-real-secret' } },
      expect: { ...movesOn, reasons: { env: /is not set/ } },
    }),
  ),

  // fromTokenFile
  {
    spec: wi,
    title: 'fromTokenFile > reads config from env > passes values to fromWebToken',
    world: { webIdentity: { role: 'mockRoleArn', sessionName: 'mockRoleSessionName' } },
    expect: { source: 'webIdentity', role: 'mockRoleArn', assumptions: 1, principal: /\/mockRoleSessionName$/ },
  },
  {
    spec: wi,
    title: 'fromTokenFile > reads config from env > throws if ENV_TOKEN_FILE read from disk failed',
    // a missing token file is a plain Error: it stops the chain before the instance profile
    world: { ...LATER, webIdentity: { role: 'mockRoleArn' }, faults: [{ target: 'webIdentityTokenFile', kind: 'missing' }] },
    expect: { fails: 'ENOENT', stops: true, unreached: 'instanceProfile', links: { webIdentity: 'failed' } },
  },
  {
    spec: wi,
    title: 'fromTokenFile > reads config from env > throws if web_identity_token_file read from disk failed',
    world: { ...LATER, profiles: { default: { role: 'r', webIdentityTokenFile: true } }, faults: [{ target: 'webIdentityTokenFile', kind: 'missing', profile: 'default' }] },
    expect: { fails: 'ENOENT', stops: true, unreached: 'instanceProfile', links: { profile: 'failed' } },
  },
  {
    spec: wi,
    title: 'fromTokenFile > reads config from env > throws if role_arn is not specified',
    // AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN: tryNextLink, the chain moves on
    world: { ...LATER, vars: { AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/chainproof-token' } },
    expect: { ...movesOn, reasons: { webIdentity: /AWS_ROLE_ARN is not set/ } },
  },

  // resolveProcessCredentials
  {
    spec: proc,
    title: 'resolveProcessCredentials > throws Error if profileName is not available',
    world: { ...LATER, faults: [{ target: 'profile', kind: 'missing', name: 'mockProfileName' }] },
    expect: movesOn,
  },
  {
    spec: proc,
    title: 'resolveProcessCredentials > throws Error if profile does not have value for credential_process',
    world: { ...LATER, profile: 'mockProfileName', files: { config: '[profile mockProfileName]\nregion = us-west-2\n' } },
    expect: movesOn,
  },
  {
    spec: proc,
    title: 'resolveProcessCredentials > throws Error if credential_process throws',
    world: { ...LATER, profiles: { default: { process: { user: 'p' } } }, faults: [{ target: 'credentialProcess', kind: 'exitNonZero' }] },
    expect: { ...movesOn, reasons: { process: /Command failed/ } },
  },
  {
    spec: proc,
    title: 'resolveProcessCredentials > throws Error if process credentials returns invalid JSON',
    world: { ...LATER, profiles: { default: { process: { user: 'p' } } }, faults: [{ target: 'credentialProcess', kind: 'badJson' }] },
    expect: { ...movesOn, reasons: { process: /invalid JSON/ } },
  },
  {
    spec: proc,
    title: 'resolveProcessCredentials > throws Error if getValidatedProcessCredentials throws',
    world: { ...LATER, profiles: { default: { process: { user: 'p' } } }, faults: [{ target: 'credentialProcess', kind: 'badVersion' }] },
    expect: { ...movesOn, reasons: { process: /did not return Version 1/ } },
  },
  {
    spec: proc,
    title: 'resolveProcessCredentials > returns data from getValidatedProcessCredentials',
    world: { profiles: { default: { process: { user: 'p' } } } },
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROFILE_PROCESS: 'v' } },
  },

  // fromHttp
  {
    spec: http,
    title: 'fromHttp > uses the full uri',
    world: { container: { role: 'task', authToken: 'none' } },
    expect: { source: 'container', role: 'task', codes: { CREDENTIALS_HTTP: 'z' } },
  },
  {
    spec: http,
    title: 'fromHttp > can use the token',
    world: { container: { role: 'task', authToken: 'header' } },
    expect: { source: 'container', role: 'task', codes: { CREDENTIALS_HTTP: 'z' } },
  },
  {
    spec: http,
    title: 'fromHttp > can use the token file',
    world: { container: { role: 'task', authToken: 'file' } },
    expect: { source: 'container', role: 'task', codes: { CREDENTIALS_HTTP: 'z' } },
  },

  // fromInstanceMetadata
  {
    spec: imds,
    title: 'fromInstanceMetadata > gets token and profile name to fetch credentials',
    world: { instanceProfile: { role: 'web', imdsV2Only: true } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > throws CredentialsProviderError if credentials returned are incorrect',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'malformedCredentials', variant: 'missingFields' }] },
    expect: { fails: 'Could not load credentials from any providers' },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > throws Error if httpRequest for profile fails',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'status', status: 500, path: 'role' }] },
    expect: { fails: 'Could not load credentials from any providers' },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > throws Error if httpRequest for credentials fails',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'status', status: 500, path: 'credentials' }] },
    expect: { fails: 'Could not load credentials from any providers' },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > throws SyntaxError if httpRequest returns unparseable creds',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'malformedCredentials', variant: 'truncated' }] },
    expect: { fails: /JSON/, stops: true, links: { instanceProfile: 'failed' } },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > throws error if metadata token errors with statusCode 400',
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'tokenStatus', status: 400 }] },
    expect: { fails: 'Could not load credentials from any providers' },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > should call staticStabilityProvider with the credential loader',
    // expired IMDS credentials are extended (static stability), not refused
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'expiredCredentials' }] },
    expect: { source: 'instanceProfile', role: 'web' },
  },
  {
    spec: imds,
    title: 'fromInstanceMetadata > disables fetching of token > when token fetch returns with TimeoutError',
    world: { instanceProfile: { role: 'web', imdsV1Only: false }, faults: [{ target: 'imds', kind: 'tokenTimeout' }] },
    expect: { source: 'instanceProfile', role: 'web' },
  },
  ...([403, 404, 405] as const).map(
    (status): ConformanceCase => ({
      spec: imds,
      title: `fromInstanceMetadata > disables fetching of token > when token fetch errors with statusCode ${status}`,
      world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'tokenStatus', status }] },
      expect: { source: 'instanceProfile', role: 'web' },
    }),
  ),
  {
    spec: imds,
    title: 'fromInstanceMetadata > uses insecure data flow once, if error statusCode is not 400, 403, 404, 405',
    // the world's token error of another status: 429 (throttled)
    world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'throttle', path: 'token', times: 1 }] },
    expect: { source: 'instanceProfile', role: 'web' },
  },
]

export const sourceNotExpressible: NotExpressible[] = [
  { spec: wi, title: 'fromTokenFile > reads config from env > prefers init parameters over environmental variables', reason: 'code-level init (webIdentityTokenFile, roleArn) beside env variables' },
  { spec: wi, title: 'fromTokenFile > reads config from env > throws if web_identity_token_file is not specified', reason: 'calls fromTokenFile() directly with no token file; in the default chain the link is simply absent (covered by every world without webIdentity)' },
  { spec: http, title: 'fromHttp > passes custom timeout as requestTimeout to handle()', reason: 'code-level timeout option' },
  { spec: http, title: 'fromHttp > destroys the request handler after the provider resolves', reason: 'internal: the request handler’s destroy()' },
  { spec: http, title: 'fromHttp > destroys the request handler even when the request fails', reason: 'internal: the request handler’s destroy()' },
  { spec: imds, title: 'fromInstanceMetadata > trims profile returned name from IMDS', reason: 'the world serves its own role listing; no padded role name' },
  { spec: imds, title: 'fromInstanceMetadata > passes {} to providerConfigFromInit if init not defined', reason: 'internal plumbing of init options' },
  { spec: imds, title: 'fromInstanceMetadata > passes init to providerConfigFromInit', reason: 'code-level init (maxRetries, timeout)' },
  { spec: imds, title: 'fromInstanceMetadata > passes maxRetries returned from providerConfigFromInit to retry', reason: 'code-level maxRetries' },
  { spec: imds, title: 'fromInstanceMetadata > uses insecure data flow once, if error is not TimeoutError', reason: 'a non-HTTP error from the token request: no world fault produces one' },
]
