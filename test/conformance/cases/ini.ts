/**
 * aws-sdk-js-v3 packages-internal/credential-provider-ini: fromIni.integ.spec.ts (the inner STS
 * client's region order), resolveProfileData.spec.ts (which kind of profile wins),
 * resolveAssumeRoleCredentials.spec.ts and resolveCredentialSource.spec.ts. The unit specs mock
 * their neighbours; their facts are re-stated as whole profiles resolved by the real SDK.
 */
import type { ConformanceCase, NotExpressible } from '../types.js'
import { AR, ROLE } from './roles.js'

const integ = 'credential-provider-ini/src/fromIni.integ.spec.ts' as const
const data = 'credential-provider-ini/src/resolveProfileData.spec.ts' as const
const assume = 'credential-provider-ini/src/resolveAssumeRoleCredentials.spec.ts' as const
const credSource = 'credential-provider-ini/src/resolveCredentialSource.spec.ts' as const

/** fromIni.integ's files: AWS_PROFILE=default, a role profile (region us-stsar-1) over static keys. */
const regionOrderWorld = (opts: { roleRegion?: string; envRegion?: string | null }) => ({
  region: opts.envRegion ?? null,
  profile: 'default',
  profiles: { assume: { user: 'assume', in: 'config' as const, ...(opts.roleRegion ? { region: opts.roleRegion } : {}) } },
  files: {
    config: `[default]\noutput = json\n${opts.roleRegion ? `region = ${opts.roleRegion}\n` : ''}role_arn = ${ROLE('ROLE_ARN')}\nrole_session_name = ROLE_SESSION_NAME\nexternal_id = EXTERNAL_ID\nsource_profile = assume\n`,
  },
})
const T1 = (t: string) => `fromIni region search order > ${t}`
const roleExpect = (stsRegion: string) => ({ source: 'profile', profile: 'default', role: 'ROLE_ARN', assumptions: 1, stsRegion, codes: AR }) as const

export const iniCases: ConformanceCase[] = [
  {
    spec: integ,
    title: T1('should use 2nd priority for the profile region'),
    world: regionOrderWorld({ roleRegion: 'us-stsar-1' }),
    target: { kind: 'client', region: 'ap-northeast-2', credentials: 'fromIni', send: true },
    expect: roleExpect('us-stsar-1'),
  },
  {
    spec: integ,
    title: T1('should use 3rd priority for the caller client'),
    world: regionOrderWorld({}),
    target: { kind: 'client', region: 'ap-northeast-2', credentials: 'fromIni', send: true },
    expect: roleExpect('ap-northeast-2'),
  },
  {
    spec: integ,
    title: T1('should use 4th priority for the config file region'),
    world: regionOrderWorld({ roleRegion: 'us-stsar-1' }),
    target: { kind: 'fromIni' },
    expect: roleExpect('us-stsar-1'),
  },
  {
    spec: integ,
    title: T1('should use 5th priority for the AWS_REGION value'),
    world: regionOrderWorld({ envRegion: 'ap-northeast-1' }),
    target: { kind: 'fromIni' },
    expect: roleExpect('ap-northeast-1'),
  },
  {
    spec: integ,
    title: T1("should use 6th priority for the default partition's default region"),
    world: regionOrderWorld({}),
    target: { kind: 'fromIni' },
    expect: roleExpect('us-east-1'),
  },

  // resolveProfileData: the order inside one profile
  {
    spec: data,
    title: 'resolveProfileData > throws error if all profile checks fail',
    // a profile with nothing to resolve: fromIni's error is tryNextLink, so the chain moves on (here: to its end)
    world: { profile: 'mockProfileName', files: { config: '[profile mockProfileName]\nregion = us-west-2\n' } },
    expect: { fails: 'Could not load credentials from any providers' },
  },
  {
    spec: data,
    title: 'resolveProfileData > resolves with static creds when profiles are previously visited and current profile has static creds',
    // the source profile has static keys AND a role of its own: reached as a source_profile, its keys are used, its role is not assumed
    world: {
      profiles: { base: { user: 'alice' }, other: { user: 'bob' } },
      files: { config: `[default]\nrole_arn = ${ROLE('outer')}\nsource_profile = base\n[profile base]\nrole_arn = ${ROLE('inner')}\nsource_profile = other\n` },
    },
    expect: { source: 'profile', profile: 'default', role: 'outer', assumptions: 1 },
  },
  {
    spec: data,
    title: "resolveProfileData > resolves with assumeRole > when it's static creds, but profiles are not visited",
    // the profile asked for has static keys and role_arn: the role wins
    world: {
      profiles: { default: { user: 'alice' }, src: { user: 'bob' } },
      files: { config: `[default]\nrole_arn = ${ROLE('admin')}\nsource_profile = src\n` },
    },
    expect: { source: 'profile', profile: 'default', role: 'admin', assumptions: 1, codes: AR },
  },
  {
    spec: data,
    title: "resolveProfileData > resolves with assumeRole > when it's not static creds, and profiles are visited",
    world: { profiles: { base: { user: 'alice' }, mid: { role: 'mid', sourceProfile: 'base' }, default: { role: 'top', sourceProfile: 'mid' } } },
    expect: { source: 'profile', profile: 'default', role: 'top', assumptions: 2, codes: AR },
  },
  {
    spec: data,
    title: "resolveProfileData > resolves with static creds when no profiles are visited and it's not assume role profile",
    world: { profiles: { default: { user: 'alice' } } },
    expect: { source: 'profile', profile: 'default', assumptions: 0, codes: { CREDENTIALS_PROFILE: 'n' } },
  },
  {
    spec: data,
    title: "resolveProfileData > resolves with web identity profile, when it's not static or assume role",
    world: { profiles: { default: { role: 'wi', webIdentityTokenFile: true } } },
    expect: { source: 'webIdentity', profile: 'default', role: 'wi', assumptions: 1 },
  },
  {
    spec: data,
    title: "resolveProfileData > resolves with sso profile, when it's not static or assume role or web identity",
    world: { profiles: { default: { sso: { role: 'Dev' } } } },
    expect: { source: 'sso', profile: 'default', role: 'Dev', codes: { CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's' } },
  },

  // resolveAssumeRoleCredentials
  {
    spec: assume,
    title: 'isAssumeRoleProfile > returns true for AssumeRoleWithSourceProfile',
    world: { profiles: { src: { user: 'alice' }, default: { role: 'r', sourceProfile: 'src' } } },
    expect: { source: 'profile', profile: 'default', role: 'r', codes: AR },
  },
  {
    spec: assume,
    title: 'isAssumeRoleProfile > returns true for AssumeRoleWithProviderProfile',
    world: { env: { user: 'ci' }, profile: 'default', profiles: { default: { role: 'r', credentialSource: 'Environment' } } },
    expect: { source: 'profile', profile: 'default', role: 'r'},
  },
  {
    spec: assume,
    title: 'resolveAssumeRoleCredentials > dynamically loads STS if roleAssumer is not available in options',
    // no roleAssumer in code: the SDK builds its own STS client, which reaches the world's STS
    world: { profiles: { src: { user: 'alice' }, default: { role: 'r', sourceProfile: 'src' } } },
    target: { kind: 'fromIni' },
    expect: { source: 'profile', profile: 'default', role: 'r', assumptions: 1 },
  },
  {
    spec: assume,
    title: 'resolveAssumeRoleCredentials > throws error if source_profile is in visited profiles',
    // "Detected a cycle …" is tryNextLink: the chain moves on to the instance profile
    world: {
      instanceProfile: { role: 'web' },
      profiles: { base: { user: 'alice' } },
      files: { config: `[default]\nrole_arn = ${ROLE('a')}\nsource_profile = loop\n[profile loop]\nrole_arn = ${ROLE('b')}\nsource_profile = default\n` },
    },
    expect: { source: 'instanceProfile', role: 'web', reasons: { profile: /Detected a cycle/ } },
  },
  {
    spec: assume,
    title: 'resolveAssumeRoleCredentials > gets sourceCreds from Profile data if source_profile is present',
    world: {
      profiles: { mockProfileName: { user: 'alice' } },
      files: { config: `[default]\nsource_profile = mockProfileName\nrole_arn = ${ROLE('mock_role')}\nrole_session_name = mock_role_session_name\nexternal_id = mock_external_id\nduration_seconds = 2000\n` },
    },
    expect: { source: 'profile', profile: 'default', role: 'mock_role', assumptions: 1, principal: /\/mock_role_session_name$/, codes: AR },
  },
  {
    spec: assume,
    title: 'resolveAssumeRoleCredentials > gets sourceCreds from Credentials Source if source_profile is absent',
    world: { env: { user: 'ci' }, profile: 'default', profiles: { default: { role: 'mock_role', credentialSource: 'Environment' } } },
    expect: { source: 'profile', profile: 'default', role: 'mock_role', assumptions: 1 },
  },
  {
    spec: assume,
    title: 'resolveAssumeRoleCredentials > sets role session name if not provided',
    world: { profiles: { src: { user: 'alice' } }, files: { config: `[default]\nrole_arn = ${ROLE('mock_role')}\nsource_profile = src\n` } },
    expect: { source: 'profile', profile: 'default', role: 'mock_role', principal: /\/aws-sdk-js-\d+$/ },
  },
  {
    spec: assume,
    title: 'resolveAssumeRoleCredentials > throws error is mfa_serial is provided',
    // no MFA code callback: the error is not tryNextLink, so the chain stops before the instance profile
    world: {
      instanceProfile: { role: 'web' },
      profiles: { src: { user: 'alice' } },
      files: { config: `[default]\nrole_arn = ${ROLE('mock_role')}\nsource_profile = src\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n` },
    },
    expect: { fails: 'requires multi-factor authentication, but no MFA code callback was provided', stops: true, unreached: 'instanceProfile', links: { profile: 'failed' }, reasons: { profile: /multi-factor/ } },
  },

  // resolveCredentialSource
  ...(
    [
      ['EcsContainer', { container: { role: 'task' } }],
      ['Ec2InstanceMetadata', { instanceProfile: { role: 'web' } }],
      ['Environment', { env: { user: 'ci' }, profile: 'default' }],
    ] as const
  ).map(
    ([credentialSource, world]): ConformanceCase => ({
      spec: credSource,
      title: `resolveCredentialSource > when credentialSource=${credentialSource}, calls …`,
      world: { ...world, profiles: { default: { role: 'r', credentialSource } } },
      expect: { source: 'profile', profile: 'default', role: 'r', assumptions: 1},
    }),
  ),
  {
    spec: credSource,
    title: "resolveCredentialSource > throws error if credentialSource is not one of ['EcsContainer','Ec2InstanceMetadata','Environment']",
    // "Unsupported credential source …" is a plain CredentialsProviderError (tryNextLink): the chain moves on
    world: { instanceProfile: { role: 'web' }, files: { config: `[default]\nrole_arn = ${ROLE('r')}\ncredential_source = mockCredentialSource\n` } },
    expect: { source: 'instanceProfile', role: 'web', reasons: { profile: /Unsupported credential source/ } },
  },
]

export const iniNotExpressible: NotExpressible[] = [
  { spec: integ, title: T1('should use 1st priority for the clientConfig given to the provider factory'), reason: "fromIni({ clientConfig: { region } }): a code-level option, no world equivalent" },
  { spec: assume, title: 'isAssumeRoleProfile > returns false for falsy values (7 it.each rows)', reason: 'a type guard over JavaScript values (false, 0, NaN, …); ini values are always strings', rows: 7 },
  { spec: assume, title: 'isAssumeRoleProfile > returns false for data type which is not an object (3 rows)', reason: 'a type guard over non-object values; no ini file can produce one', rows: 3 },
  { spec: assume, title: "isAssumeRoleProfile > value at 'role_arn' is not of type string", reason: 'non-string values (true, null, 1, {}) cannot come from an ini file' },
  { spec: assume, title: "isAssumeRoleProfile > value at '%s' is not of type string | undefined (3 rows)", reason: 'non-string values cannot come from an ini file', rows: 3 },
  { spec: assume, title: 'resolveAssumeRoleCredentials > populates SerialNumber and TokenCode based on mfa_serial', reason: 'needs a code-level mfaCodeProvider' },
  { spec: 'credential-provider-ini/src/fromIni.spec.ts', title: 'fromIni (all cases)', reason: 'mocks parseKnownFiles/resolveProfileData and checks the options passed through (profile, mfaCodeProvider, clientConfig): code-level plumbing; the facts are covered by the resolveProfileData and integ cases', rows: 7 },
]
