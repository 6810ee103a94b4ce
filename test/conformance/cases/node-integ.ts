/**
 * aws-sdk-js-v3 packages-internal/credential-provider-node/tests/credential-provider-node.integ.spec.ts:
 * the node chain end to end, through an STS client. Its beforeEach clears AWS_REGION and writes
 * `[default] region = us-west-2` to ~/.aws/config; its STS client has region us-west-2.
 */
import type { ConformanceCase, NotExpressible } from '../types.js'
import { AR, ROLE } from './roles.js'

const spec = 'credential-provider-node/tests/credential-provider-node.integ.spec.ts' as const
const T = (path: string) => `credential-provider-node integration test > ${path}`
/** The spec's baseline default profile: a region and nothing else. */
const BASE_CONFIG = '[default]\nregion = us-west-2\noutput = json\n'
const STS_CLIENT = { kind: 'client', region: 'us-west-2', send: true } as const

export const nodeIntegCases: ConformanceCase[] = [
  {
    spec,
    title: T('fromEnv > should load static credentials from environment variables'),
    world: { region: null, env: { user: 'ci' }, files: { config: BASE_CONFIG } },
    target: STS_CLIENT,
    expect: { source: 'env', codes: { CREDENTIALS_ENV_VARS: 'g' }, credentials: { sessionToken: false } },
  },
  {
    spec,
    title: T('fromEnv > should optionally use session token and/or expiration'),
    world: { region: null, env: { role: 'ci' }, vars: { AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00.000Z' }, files: { config: BASE_CONFIG } },
    target: STS_CLIENT,
    expect: { source: 'env', codes: { CREDENTIALS_ENV_VARS: 'g' }, credentials: { sessionToken: true, expiration: '2000-01-01T00:00:00.000Z' } },
  },
  {
    spec,
    title: T('fromEnv > should (for now) resolve AWS_PROFILE instead of static credentials from ENV if both are set. However, this is subject to change.'),
    world: { region: null, env: { user: 'ci' }, profile: 'default', profiles: { default: { user: 'ini', in: 'config', region: 'us-west-2' } } },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', codes: { CREDENTIALS_PROFILE: 'n' }, links: { env: 'skipped' } },
  },
  {
    spec,
    title: T('fromIni > should resolve static credentials if directly present in config profile'),
    world: { region: null, profiles: { default: { user: 'ini', in: 'config' } } },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', codes: { CREDENTIALS_PROFILE: 'n' } },
  },
  {
    spec,
    title: T('fromIni > should resolve assumeRole credentials'),
    world: {
      region: null,
      profiles: { assume: { user: 'assume', in: 'config', region: 'us-stsar-1' } },
      files: { config: `[default]\nregion = us-stsar-1\nrole_arn = ${ROLE('ROLE_ARN')}\nrole_session_name = ROLE_SESSION_NAME\nexternal_id = EXTERNAL_ID\nsource_profile = assume\n` },
    },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'us-stsar-1', codes: AR, principal: /\/ROLE_SESSION_NAME$/ },
  },
  {
    spec,
    title: T("fromIni > should use the outer client's region for STS when the partition is AWS"),
    world: {
      region: null,
      profiles: { assume: { user: 'assume', in: 'config', region: 'eu-west-1' } },
      files: { config: `[default]\nregion = eu-west-1\nrole_arn = ${ROLE('ROLE_ARN')}\nrole_session_name = ROLE_SESSION_NAME\nexternal_id = EXTERNAL_ID\nsource_profile = assume\n` },
    },
    target: { kind: 'client', region: 'eu-west-1', send: true },
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'eu-west-1', codes: AR },
  },
  {
    spec,
    title: T("fromIni > should use the outer client's region for STS when the partition is not AWS"),
    world: {
      region: null,
      profiles: { assume: { user: 'assume', in: 'config', region: 'us-gov-stsar-1' } },
      files: { config: `[default]\nregion = us-gov-stsar-1\nrole_arn = ${ROLE('ROLE_ARN')}\nrole_session_name = ROLE_SESSION_NAME\nexternal_id = EXTERNAL_ID\nsource_profile = assume\n` },
    },
    target: { kind: 'client', region: 'us-gov-stsar-1', send: true },
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'us-gov-stsar-1', codes: AR },
  },
  {
    spec,
    title: T('fromIni > should resolve credentials from STS assumeRoleWithWebIdentity if the ini profile is configured for web identity'),
    world: { region: null, profiles: { default: { role: 'ROLE_ARN', webIdentityTokenFile: true } } },
    target: STS_CLIENT,
    expect: { source: 'webIdentity', profile: 'default', role: 'ROLE_ARN', assumptions: 1, codes: { CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: 'q', CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'k' } },
  },
  {
    spec,
    title: T('fromIni > should resolve credentials from STS assumeRoleWithWebIdentity if the ini profile is configured for web identity and the client region is not the default AWS partition'),
    world: { region: null, profiles: { default: { role: 'ROLE_ARN', webIdentityTokenFile: true, region: 'us-gov-sts-1' } } },
    target: { kind: 'client', region: 'us-gov-sts-1', send: true },
    expect: { source: 'webIdentity', profile: 'default', role: 'ROLE_ARN', assumptions: 1, codes: { CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: 'q', CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'k' } },
  },
  {
    spec,
    title: T('fromIni > should resolve process credentials if the profile is a process profile'),
    world: { region: null, profiles: { default: { process: { user: 'proc' }, region: 'us-west-2' } } },
    target: STS_CLIENT,
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROCESS: 'w', CREDENTIALS_PROFILE_PROCESS: 'v' } },
  },
  {
    spec,
    title: T('fromIni > should resolve SSO credentials if the profile is an SSO profile'),
    world: { region: null, profiles: { default: { sso: { role: 'integration-test', region: 'us-sso-region-1' }, region: 'us-west-2' } } },
    target: STS_CLIENT,
    expect: { source: 'sso', profile: 'default', role: 'integration-test', ssoRegion: 'us-sso-region-1', codes: { CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's' } },
  },
  {
    spec,
    title: T('fromIni > should be able to combine a source_profile having only credential_source with an origin profile having role_arn and source_profile'),
    world: {
      region: null,
      container: { role: 'task' },
      files: { config: `${BASE_CONFIG}role_arn = ${ROLE('ROLE_ARN')}\nsource_profile = credential_source_profile\n[profile credential_source_profile]\ncredential_source = EcsContainer\n` },
    },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'us-west-2', codes: AR },
  },
  {
    spec,
    title: T('fromIni > should be able to combine a source_profile having web_identity_token_file and role_arn with an origin profile having role_arn and source_profile'),
    world: {
      region: null,
      profiles: {
        credential_source_profile: { role: 'ROLE_ARN_1', webIdentityTokenFile: true },
        default: { role: 'ROLE_ARN_2', sourceProfile: 'credential_source_profile', region: 'us-west-2' },
      },
    },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN_2', assumptions: 2, stsRegion: 'us-west-2', codes: AR },
  },
  {
    spec,
    title: T('fromIni > should complete chained role_arn credentials'),
    world: {
      region: null,
      container: { role: 'task' },
      profiles: {
        credential_source_profile_2: { role: 'ROLE_ARN_1', credentialSource: 'EcsContainer' },
        credential_source_profile_1: { role: 'ROLE_ARN_2', sourceProfile: 'credential_source_profile_2' },
        default: { role: 'ROLE_ARN_3', sourceProfile: 'credential_source_profile_1', region: 'us-west-2' },
      },
    },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN_3', assumptions: 3, stsRegion: 'us-west-2', codes: AR },
  },
  {
    spec,
    title: T('fromIni > should complete chained role_arn credentials with optional role_arn in credential_source step'),
    world: {
      region: null,
      container: { role: 'task' },
      files: {
        config:
          `${BASE_CONFIG}role_arn = ${ROLE('ROLE_ARN_3')}\nsource_profile = credential_source_profile_1\n` +
          `[profile credential_source_profile_1]\nrole_arn = ${ROLE('ROLE_ARN_2')}\nsource_profile = credential_source_profile_2\n` +
          '[profile credential_source_profile_2]\ncredential_source = EcsContainer\n',
      },
    },
    target: STS_CLIENT,
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN_3', assumptions: 2, stsRegion: 'us-west-2', codes: AR },
  },
  {
    spec,
    title: T('fromProcess > should resolve process credentials if the profile is a process profile'),
    world: {
      region: null,
      // the spec's profile: its default (region) plus credential_process, in ~/.aws/config
      files: { config: `${BASE_CONFIG}credential_process = node -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'AKIAPROCESSRAW00001',SecretAccessKey:'x',SessionToken:'y'}))"\n` },
    },
    target: { kind: 'client', region: 'us-west-2', send: false },
    expect: { source: 'process', profile: 'default', codes: { CREDENTIALS_PROCESS: 'w', CREDENTIALS_PROFILE_PROCESS: 'v' } },
  },
  {
    spec,
    title: T('fromTokenFile > should resolve credentials with STS assumeRoleWithWebIdentity using a token'),
    world: { region: null, webIdentity: { role: 'ROLE_ARN' }, files: { config: BASE_CONFIG } },
    target: STS_CLIENT,
    expect: { source: 'webIdentity', role: 'ROLE_ARN', assumptions: 1, codes: { CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'h', CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'k' } },
  },
  {
    spec,
    title: T('remoteProvider > should use container metadata if AWS_CONTAINER_CREDENTIALS_FULL_URI is set'),
    world: { region: null, container: { role: 'task' }, files: { config: BASE_CONFIG } },
    target: STS_CLIENT,
    expect: { source: 'container', role: 'task', codes: { CREDENTIALS_HTTP: 'z' } },
  },
  {
    spec,
    title: T("Region resolution for code-level providers given to a client > fromIni assumeRole provider should use the caller client's region for STS if profile does not set region"),
    world: { region: null, profiles: { assume: { user: 'assume', in: 'config' }, default: { role: 'ROLE_ARN', sourceProfile: 'assume' } } },
    target: { kind: 'client', region: 'eu-west-1', credentials: 'fromIni', send: true },
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'eu-west-1', codes: AR },
  },
  {
    spec,
    title: T('Region resolution for code-level providers given to a client > fromIni assumeRole provider should prefer profile region for STS'),
    world: { region: null, profiles: { assume: { user: 'assume', in: 'config' }, default: { role: 'ROLE_ARN', sourceProfile: 'assume', region: 'eu-west-2' } } },
    target: { kind: 'client', region: 'eu-west-1', credentials: 'fromIni', send: true },
    expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'eu-west-2', codes: AR },
  },
  ...(['aaa', 'bbb'] as const).map(
    (name): ConformanceCase => ({
      spec,
      title: T('client-scoped code configuration of AWS profile > should allow clients to resolve credentials from different profiles') + ` [client profile ${name}]`,
      world: { region: null, profiles: { aaa: { user: 'aaa', in: 'config', region: 'ap-northeast-1' }, bbb: { user: 'bbb', in: 'config', region: 'us-east-1' } } },
      target: { kind: 'client', profile: name, send: true },
      expect: { source: 'profile', profile: name, codes: { CREDENTIALS_PROFILE: 'n' } },
    }),
  ),
  {
    spec,
    title: T('client-scoped code configuration of AWS profile > should allow client profile to control fromIni init profile in implicit (default) credentials provider'),
    world: { region: null, files: { config: BASE_CONFIG }, profiles: { static: { user: 'static', in: 'config' }, assume: { role: 'ROLE_ARN', sourceProfile: 'static', region: 'eu-west-1' } } },
    target: { kind: 'client', profile: 'assume', send: true },
    expect: { source: 'profile', profile: 'assume', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'eu-west-1', codes: AR },
  },
  {
    spec,
    title:
      T('client-scoped code configuration of AWS profile > should allow client profile to control fromIni init profile in explicit credentials provider without requiring redundant setting of profile or region on the provider factory') +
      ' [client profile assume, credentials: fromIni()]',
    world: { region: null, profiles: { default: { user: 'DEFAULT', in: 'config', region: 'us-west-2' }, static: { user: 'static', in: 'config' }, assume: { role: 'ROLE_ARN', sourceProfile: 'static', region: 'ap-northeast-1' } } },
    target: { kind: 'client', profile: 'assume', credentials: 'fromIni', send: true },
    expect: { source: 'profile', profile: 'assume', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'ap-northeast-1', codes: AR },
  },
  {
    spec,
    title:
      T('client-scoped code configuration of AWS profile > should allow client profile to control fromIni init profile in explicit credentials provider without requiring redundant setting of profile or region on the provider factory') +
      ' [a second client without a profile]',
    world: { region: null, profiles: { default: { user: 'DEFAULT', in: 'config', region: 'us-west-2' }, static: { user: 'static', in: 'config' }, assume: { role: 'ROLE_ARN', sourceProfile: 'static', region: 'ap-northeast-1' } } },
    target: { kind: 'client', send: true },
    expect: { source: 'profile', profile: 'default', assumptions: 0, codes: { CREDENTIALS_PROFILE: 'n' } },
  },
  {
    spec,
    title: T('client-scoped code configuration of AWS profile > credential provider factory init still overrides profile setting'),
    world: { region: null, profiles: { default: { user: 'DEFAULT', in: 'config', region: 'us-east-1' }, static: { user: 'static', in: 'config' }, assume: { role: 'ROLE_ARN', sourceProfile: 'static', region: 'ap-northeast-1' } } },
    target: { kind: 'client', profile: 'assume', credentials: { fromIni: { profile: 'default' } }, send: true },
    expect: { source: 'profile', profile: 'default', assumptions: 0, codes: { CREDENTIALS_PROFILE: 'n' } },
  },
  {
    spec,
    title: T('client-scoped code configuration of AWS profile > sso > should allow SSO region to be used in the SSO client request if a profile includes a region but also SSO credentials'),
    // the spec's profile also carries its own sso_region (us-sso-region-1), which the sso-session's (us-sso-region-2) overrides
    world: { region: null, files: { config: `${BASE_CONFIG}[profile sso_root]\nsso_region = us-sso-region-1\n` }, profiles: { sso_root: { region: 'ap-northeast-1', sso: { role: 'integration-test', region: 'us-sso-region-2' } } } },
    target: { kind: 'client', profile: 'sso_root', send: true },
    expect: { source: 'sso', profile: 'sso_root', role: 'integration-test', ssoRegion: 'us-sso-region-2', codes: { CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's' } },
  },
  {
    spec,
    title: T('client-scoped code configuration of AWS profile > sso > should allow SSO region to be used in the SSO client request if a client has set a region in code but selects a profile with SSO creds'),
    // the spec's profile also carries its own sso_region (us-sso-region-1), which the sso-session's (us-sso-region-2) overrides
    world: { region: null, files: { config: `${BASE_CONFIG}[profile sso_root]\nsso_region = us-sso-region-1\n` }, profiles: { sso_root: { region: 'ap-northeast-1', sso: { role: 'integration-test', region: 'us-sso-region-2' } } } },
    target: { kind: 'client', region: 'eu-west-1', credentials: { fromIni: { profile: 'sso_root' } }, send: true },
    expect: { source: 'sso', profile: 'sso_root', role: 'integration-test', ssoRegion: 'us-sso-region-2', codes: { CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's' } },
  },
  {
    spec,
    title: T('client-scoped code configuration of AWS profile > source_profile does not bring over any client configuration options') + ' [the credentials part]',
    world: { region: null, files: { config: BASE_CONFIG }, profiles: { static: { user: 'static', in: 'config', region: 'us-west-2' }, assume: { role: 'ROLE_ARN', sourceProfile: 'static', region: 'ap-northeast-1' } } },
    target: { kind: 'client', profile: 'assume', send: true },
    expect: { source: 'profile', profile: 'assume', role: 'ROLE_ARN', assumptions: 1, stsRegion: 'ap-northeast-1', codes: AR },
  },
  {
    spec,
    title: T('No credentials available > should throw CredentialsProviderError'),
    world: { region: null, vars: { AWS_EC2_METADATA_DISABLED: 'true' }, files: { config: BASE_CONFIG } },
    target: STS_CLIENT,
    expect: { fails: 'Could not load credentials from any providers' },
  },
  ...(
    [
      ['no env or profile region', null, undefined, 'us-east-1'],
      ['env region', 'eu-north-1', undefined, 'eu-north-1'],
      ['profile region', null, 'us-west-2', 'us-west-2'],
      ['profile and env conflict, it uses config region because credentials are fromIni', 'eu-north-1', 'us-west-2', 'us-west-2'],
    ] as const
  ).map(
    ([title, envRegion, profileRegion, stsRegion]): ConformanceCase => ({
      spec,
      title: T(`nested STS client > uses a variant of the default region resolution where us-east-1 is the last resort > ${title}`),
      world: {
        region: envRegion,
        profiles: { assume: { user: 'assume', in: 'config' } },
        files: { config: `[default]\n${profileRegion ? `region = ${profileRegion}\n` : ''}role_arn = ${ROLE('ROLE_ARN')}\nrole_session_name = ROLE_SESSION_NAME\nsource_profile = assume\n` },
      },
      target: { kind: 'chain' },
      expect: { source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion, codes: AR },
    }),
  ),
]

export const nodeIntegNotExpressible: NotExpressible[] = [
  { spec, title: T('fromSSO > should resolve SSO credentials if legacy SSO parameters are supplied directly'), reason: 'SSO fields passed in code to defaultProvider({ ssoStartUrl, … }): no world equivalent (profile-based SSO is covered)' },
  { spec, title: T('fromSSO > should use clientConfig.requestHandler for SSO OIDC token refresh'), reason: 'asserts a code-level requestHandler sees the OIDC refresh; worlds have no SSO-OIDC CreateToken' },
  { spec, title: T('fromTokenFile > should use the caller client region when combined with one'), reason: 'code-level fromTokenFile({ roleArn, webIdentityTokenFile }); its fact is the region of AssumeRoleWithWebIdentity, which is unsigned, so no signing region reaches the wire' },
  { spec, title: T('fromTokenFile > prefers AWS_REGION over profile region when profile is not the credential source'), reason: 'region of the unsigned AssumeRoleWithWebIdentity call: not observable on the wire' },
  { spec, title: T('fromTokenFile > should use the caller client region if derived from AWS_REGION'), reason: 'region of the unsigned AssumeRoleWithWebIdentity call: not observable on the wire' },
  { spec, title: T('remoteProvider > should use instance metadata unless IMDS is disabled'), reason: 'it.skip (TODO) in the spec: no expectation to restate (remoteProvider.spec covers it)' },
  { spec, title: T('Region resolution for code-level providers given to a client > fromCognitoIdentity provider should use caller client region'), reason: 'Cognito Identity is not a default-chain source; worlds have no Cognito endpoint' },
  { spec, title: T('Region resolution for code-level providers given to a client > fromCognitoIdentityPool provider should use caller client region'), reason: 'Cognito Identity is not a default-chain source; worlds have no Cognito endpoint' },
  { spec, title: T('Region resolution for code-level providers given to a client > fromWebToken provider should use caller client region'), reason: 'code-level web token string; AssumeRoleWithWebIdentity is unsigned, so its region is not on the wire' },
  { spec, title: T('Region resolution for code-level providers given to a client > fromSSO (SSO) provider is excluded from testing …'), reason: 'it.skip in the spec' },
  { spec, title: T('Region resolution for code-level providers given to a client > fromSso (SSO-OIDC) provider is excluded from testing …'), reason: 'it.skip in the spec' },
  { spec, title: T('client-scoped code configuration of AWS profile > should load various configuration properties from different profiles'), reason: 'retry_mode, max_attempts, FIPS/dualstack: client configuration, not credentials' },
  { spec, title: T('extension provided credentials > allows an extension to modify client config credentials'), reason: 'credentials set by a client extension in code' },
  { spec, title: T('extension provided credentials > the extension provided credentials are still memoized'), reason: 'memoization of code-supplied credentials (forceRefresh)' },
  { spec, title: T('forceRefresh should update credentials returned by the cache > subsequent calls without forceRefresh return the refreshed credentials'), reason: 'changes process.env mid-test and calls provider({ forceRefresh }): a world is fixed once created' },
  { spec, title: T('forceRefresh should update credentials returned by the cache > works with INI profile credentials'), reason: 'rewrites the ini file mid-test (the file cache) and forceRefresh: a world is fixed once created' },
  { spec, title: T('nested STS client > the clientConfig is propagated to the inner STS client used for AssumeRole'), reason: 'code-level clientConfig/clientPlugins (user agent, logger, endpoint https://localhost/endpoint) of defaultProvider' },
]
