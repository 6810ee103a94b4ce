import type { SdkName } from '../../types.js'

/**
 * Which SDKs read `login_session`, from each SDK's own source (see docs/other-sdks.md): the
 * release that added it, and where it sits among a profile's settings. Every model except the
 * latest JS v3 describes a release from before it, so those models ignore login_session — as
 * those releases do — and their reports say which release would read it.
 */
export const LOGIN_SUPPORT: Readonly<Record<SdkName, { modelled: boolean; since: string; where?: string }>> = {
  'js-v3': { modelled: true, since: '@aws-sdk/credential-provider-ini 3.936.0 (Nov 2025)', where: "last of a profile's settings: role_arn, static keys, web_identity_token_file, credential_process, SSO, then login_session" },
  'js-v3@<3.616': { modelled: false, since: '@aws-sdk/credential-provider-ini 3.936.0 (Nov 2025)', where: "last of a profile's settings" },
  'js-v2': { modelled: false, since: 'no v2 release (aws-sdk@2 is in maintenance; login_session is v3 only)' },
  'ruby-v3': { modelled: false, since: 'aws-sdk-core 3.238.0 (Nov 2025, Aws::LoginCredentials)', where: 'after static keys, before credential_process' },
  'java-v1': { modelled: false, since: 'no 1.x release (login support is in the Java SDK 2.x only)' },
  'java-v2': { modelled: false, since: 'software.amazon.awssdk 2.39.1 (with the signin module on the classpath)', where: 'after web_identity_token_file, SSO and role_arn, before credential_process and static keys' },
  'php-v3': { modelled: false, since: 'aws-sdk-php PR #3211 (merged 2025-11-19)', where: 'after env, web identity and SSO, before credential_process and the ini files’ keys and roles' },
  botocore: { modelled: false, since: 'botocore 1.41.0 (2025-11-19)', where: 'after SSO and the credentials file’s static keys, before credential_process and the config file’s static keys' },
  'aws-cli-v2': { modelled: false, since: 'the AWS CLI v2 releases that ship `aws login` (Nov 2025; botocore ≥ 1.41.0)', where: 'as botocore: after SSO and the credentials file’s static keys' },
  'go-v2': { modelled: false, since: 'github.com/aws/aws-sdk-go-v2/config v1.32.0 (2025-11-19)', where: 'after SSO, before credential_process (a role_arn then wraps it)' },
  'go-v2@1.17': { modelled: false, since: 'github.com/aws/aws-sdk-go-v2/config v1.32.0 (2025-11-19)', where: 'after SSO, before credential_process (a role_arn then wraps it)' },
}
