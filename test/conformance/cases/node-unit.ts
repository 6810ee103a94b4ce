/**
 * aws-sdk-js-v3 packages-internal/credential-provider-node: defaultProvider.spec.ts and
 * remoteProvider.spec.ts (both mock every provider; re-stated as worlds where the fact is about
 * which link the chain uses).
 */
import type { ConformanceCase, NotExpressible } from '../types.js'

const dp = 'credential-provider-node/src/defaultProvider.spec.ts' as const
const rp = 'credential-provider-node/src/remoteProvider.spec.ts' as const
const memo = 'credential-provider-node/src/runtime/memoize-chain.spec.ts' as const

export const nodeUnitCases: ConformanceCase[] = [
  {
    spec: dp,
    title: "defaultProvider > without fromEnv > if env['AWS_PROFILE'] is set",
    // fromEnv is not called: the env keys lose to the profile AWS_PROFILE names
    world: { env: { user: 'ci' }, profile: 'envProfile', profiles: { envProfile: { user: 'alice' } } },
    expect: { source: 'profile', profile: 'envProfile', codes: { CREDENTIALS_PROFILE: 'n' }, links: { env: 'skipped' } },
  },
  {
    spec: dp,
    title: 'defaultProvider > adds fromEnv call if profile is not available',
    world: { env: { user: 'ci' }, profiles: { default: { user: 'alice' } } },
    expect: { source: 'env', codes: { CREDENTIALS_ENV_VARS: 'g' }, links: { env: 'won', profile: 'shadowed' } },
  },
  {
    spec: rp,
    title: 'remoteProvider > returns fromContainerMetadata if env[AWS_CONTAINER_CREDENTIALS_FULL_URI] is set',
    // the container endpoint wins and IMDS is never tried
    world: { container: { role: 'task' }, instanceProfile: { role: 'web' } },
    expect: { source: 'container', role: 'task', untouched: 'imds', links: { instanceProfile: 'shadowed' } },
  },
  {
    spec: rp,
    title: "remoteProvider > throws if env['AWS_EC2_METADATA_DISABLED'] is set",
    world: { instanceProfile: { role: 'web' }, vars: { AWS_EC2_METADATA_DISABLED: '1' } },
    expect: { fails: 'Could not load credentials from any providers', links: { instanceProfile: 'skipped' } },
  },
  {
    spec: rp,
    title: 'remoteProvider > returns fromInstanceMetadata if environment variables are not set',
    world: { instanceProfile: { role: 'web' } },
    expect: { source: 'instanceProfile', role: 'web' },
  },
]

/** memoize-chain.spec's last test, where its fact is a world: a failed resolution does not stick to the memoized chain. */
nodeUnitCases.push({
  spec: memo,
  title: 'memoize runtime config aware AWS credential chain > should release locks on credential resolution failure at the end of the chain',
  // IMDS answers 500 once (the first call fails through to "Could not load credentials …"), then recovers
  world: { instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'status', status: 500, path: 'credentials', times: 1 }] },
  target: { kind: 'chain', afterOneFailure: true },
  expect: { source: 'instanceProfile', role: 'web' },
})

export const nodeUnitNotExpressible: NotExpressible[] = [
  { spec: memo, title: 'memoize runtime config aware AWS credential chain > should call composed provider functions', reason: 'passes callerClientConfig to mock providers and inspects what they received' },
  { spec: memo, title: 'memoize runtime config aware AWS credential chain > should use an active lock when no credentials exist', reason: 'counts calls of a mock provider under concurrent calls' },
  { spec: memo, title: 'memoize runtime config aware AWS credential chain > should use a cache', reason: 'counts calls of a mock provider' },
  { spec: memo, title: 'memoize runtime config aware AWS credential chain > should use a passive lock when credentials do exist', reason: 'background refresh timing of a mock provider (5 s expiry, call counts)' },
  { spec: memo, title: 'memoize runtime config aware AWS credential chain > can be force refreshed', reason: 'forceRefresh on concurrent calls of a mock provider' },
  { spec: dp, title: 'defaultProvider > without fromEnv > creates provider chain and memoizes it', reason: 'counts calls of mocked providers and the memoized second call; no world-visible effect for static credentials' },
  { spec: dp, title: 'defaultProvider > incomplete sso information should still engage the SSO provider', reason: 'SSO fields passed in code (ssoRegion)' },
  { spec: dp, title: 'credentialsTreatedAsExpired (4 cases)', reason: 'a pure function of an expiration date', rows: 4 },
  { spec: dp, title: 'credentialsWillNeedRefresh (2 cases)', reason: 'a pure function of an expiration date', rows: 2 },
]
