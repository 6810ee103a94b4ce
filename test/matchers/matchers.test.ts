/**
 * The matchers against real worlds and real SDK clients, every failure message pinned.
 * test/matchers.jest.test.ts runs the same cases with the same snapshots under Jest against
 * the built package: keep the two in step (only the header differs).
 */
// ---- runner: Vitest, from source ----
import { afterAll, describe, expect, it } from 'vitest'
import { useCredentialWorld } from '../../src/vitest.js'
import { failureOf } from '../support/messages.js'
const itFails = it.fails
// ---- end runner ----
import { existsSync } from 'node:fs'
import { S3Client } from '@aws-sdk/client-s3'
import { fromIni } from '@aws-sdk/credential-providers'

const homeBefore = process.env.HOME
const outsideATest = (() => {
  try {
    return String(world.env)
  } catch (error) {
    return (error as Error).message
  }
})
const world = useCredentialWorld()
const accessedAtTopLevel = outsideATest()

describe('toResolveCredentialsFrom', () => {
  it('passes for the winning source, by canonical name or alias, and .not for the others', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
    await expect(new S3Client({})).toResolveCredentialsFrom('imds')
    await expect(new S3Client({})).not.toResolveCredentialsFrom('env')
    await expect(Promise.resolve(new S3Client({}))).resolves.toResolveCredentialsFrom('ec2')
  })

  it('fails with the chain and a hint when a higher link shadows the expected one', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('env')
    expect(await failureOf(() => expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile'))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Expected source:    "instanceProfile"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: user ci (****************XXXX)
        2. sso              fromSSO               · absent    no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent    profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent    profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent    AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent    AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  ◐ shadowed  the instance metadata service has role web (****************XXXX), but env won
      Hints:
        - To use instanceProfile instead of env: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile)."
    `)
  })

  it('fails under .not when the source is the one that won', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    expect(await failureOf(() => expect(new S3Client({})).not.toResolveCredentialsFrom('instanceMetadata'))).toMatchInlineSnapshot(`
      "expect(client).not.toResolveCredentialsFrom(source)

      Expected source:    not "instanceProfile"
      Received source:    "instanceProfile"
      Received role:      "web"
      Received principal: "arn:aws:sts::123456789012:assumed-role/web/i-INSTANCE"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: instanceProfile
        1. env              fromEnv               · absent  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  ✔ won     the instance metadata service has role web (****************XXXX)"
    `)
  })

  it('checks the profile too (AWS_PROFILE silently beats env keys in JS v3)', async () => {
    await world.set({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    await expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'dev' })
    expect(await failureOf(() => expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'prod' }))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source, options)

      Expected source:    "profile"
      Expected profile:   "prod"
      Received source:    "profile"
      Received profile:   "dev"
      Received principal: "arn:aws:iam::123456789012:user/dev"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: profile
        1. env              fromEnv               ↷ skipped  AWS_PROFILE=dev is set, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected")
        2. sso              fromSSO               · absent   no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               ✔ won      profile "dev" (AWS_PROFILE) in ~/.aws/credentials or ~/.aws/config has static keys: user dev (****************XXXX)
        4. process          fromProcess           · absent   profile "dev" has no credential_process
        5. webIdentity      fromTokenFile         · absent   AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent   AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent   the instance metadata service has no IAM role (no instance profile attached)
      Hints:
        - AWS_PROFILE=dev makes the JS SDK v3 skip the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and print "Multiple credential sources detected" — other SDKs (Java, Python, Go, the CLI) use those keys first. Unset AWS_PROFILE to use the env keys, or unset the keys to silence the warning."
    `)
  })

  it('prints the error and the chain when nothing resolves', async () => {
    await world.set({})
    expect(await failureOf(() => expect(new S3Client({})).toResolveCredentialsFrom('env'))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Expected source: "env"
      Received error:  "Could not load credentials from any providers"

      Credential chain (js-v3) — no source resolved
        1. env              fromEnv               · absent  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)
      Hints:
        - No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile."
    `)
  })

  it('throws a matcher error listing the valid names for an unknown source', async () => {
    await world.set({ env: { user: 'ci' } })
    expect(await failureOf(() => expect(new S3Client({})).toResolveCredentialsFrom('instanceprofile' as never))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Matcher error: source: unknown credential source "instanceprofile". Valid sources: env, sso, profile, process, webIdentity, container, instanceProfile, login, code (aliases: environment, ini, sharedCredentialsFile, credentialProcess, tokenFile, webIdentityToken, ecs, containerCredentials, imds, ec2, instanceMetadata)."
    `)
  })

  it('never prints a secret, a session token or a whole access key id', async () => {
    await world.set({ env: { role: 'deployer' } })
    const credentials = await new S3Client({}).config.credentials()
    expect(credentials.sessionToken).toBeTruthy()
    const message = await failureOf(() => expect(new S3Client({})).toResolveCredentialsFrom('container'))
    for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken!]) expect(message).not.toContain(secret)
    expect(message).toContain('Access key id:      ****************XXXX')
  })
})

describe('toResolveToRole', () => {
  it('passes for the role name or the role ARN', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveToRole('web')
    await expect(new S3Client({})).toResolveToRole('arn:aws:iam::123456789012:role/web')
    await expect(new S3Client({})).not.toResolveToRole('arn:aws:iam::210987654321:role/web')
  })

  it('fails naming the role that was assumed', async () => {
    await world.set({ container: { role: 'task' } })
    expect(await failureOf(() => expect(new S3Client({})).toResolveToRole('web'))).toMatchInlineSnapshot(`
      "expect(client).toResolveToRole(role)

      Expected role:      "web"
      Received source:    "container"
      Received role:      "task"
      Received principal: "arn:aws:sts::123456789012:assumed-role/task/TASK"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: container
        1. env              fromEnv               · absent   AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent   no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent   profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent   profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent   AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              ✔ won      AWS_CONTAINER_CREDENTIALS_FULL_URI is set: role task (****************XXXX)
        7. instanceProfile  fromInstanceMetadata  ↷ skipped  AWS_CONTAINER_CREDENTIALS_FULL_URI is set, so the SDK asks the container endpoint and never the instance metadata service"
    `)
  })

  it('fails for user credentials, saying so', async () => {
    await world.set({ env: { user: 'ci' } })
    expect(await failureOf(() => expect(new S3Client({})).toResolveToRole('web'))).toMatchInlineSnapshot(`
      "expect(client).toResolveToRole(role)

      Expected role:      "web"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX
      Note:               these are user credentials, not a role session

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: user ci (****************XXXX)
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)"
    `)
  })

  it('fails under .not for the assumed role', async () => {
    await world.set({ profiles: { default: { role: 'admin', sourceProfile: 'base' }, base: { user: 'alice' } } })
    expect(await failureOf(() => expect(new S3Client({})).not.toResolveToRole('admin'))).toMatchInlineSnapshot(`
      "expect(client).not.toResolveToRole(role)

      Expected role:      not "admin"
      Received source:    "profile"
      Received profile:   "default"
      Received role:      "admin"
      Received principal: "arn:aws:sts::123456789012:assumed-role/admin/chainproof-default"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: profile
        1. env              fromEnv               · absent  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               ✔ won     profile "default" (the default profile) in ~/.aws/credentials or ~/.aws/config assumed a role: role admin (****************XXXX)
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)"
    `)
  })
})

describe('toResolveToPrincipal', () => {
  it('matches a string, a RegExp or an asymmetric matcher', async () => {
    await world.set({ env: { user: 'ci' } })
    await expect(new S3Client({})).toResolveToPrincipal('arn:aws:iam::123456789012:user/ci')
    await expect(new S3Client({})).toResolveToPrincipal(/:user\/ci$/)
    await expect(new S3Client({})).toResolveToPrincipal(expect.stringContaining(':user/'))
    await expect(fromIni({ profile: 'default' })).not.toResolveToPrincipal(expect.stringContaining(':assumed-role/'))
  })

  it('fails showing the principal that resolved', async () => {
    await world.set({ webIdentity: { role: 'irsa' } })
    expect(await failureOf(() => expect(new S3Client({})).toResolveToPrincipal(/:assumed-role\/node\//))).toMatchInlineSnapshot(`
      "expect(client).toResolveToPrincipal(principal)

      Expected principal: /:assumed-role\\/node\\//
      Received source:    "webIdentity"
      Received principal: "arn:aws:sts::123456789012:assumed-role/irsa/chainproof-web-identity"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: webIdentity
        1. env              fromEnv               · absent  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         ✔ won     AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set: role irsa (****************XXXX)
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)"
    `)
  })

  it('fails under .not when the principal matches', async () => {
    await world.set({ env: { user: 'ci' } })
    expect(await failureOf(() => expect(new S3Client({})).not.toResolveToPrincipal(expect.stringMatching(/:user\/ci$/)))).toMatchInlineSnapshot(`
      "expect(client).not.toResolveToPrincipal(principal)

      Expected principal: not StringMatching /:user\\/ci$/
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: user ci (****************XXXX)
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)"
    `)
  })
})

describe('toFailToResolveCredentials', () => {
  it('passes when nothing resolves, optionally checking the message', async () => {
    await world.set({})
    await expect(new S3Client({})).toFailToResolveCredentials()
    await expect(new S3Client({})).toFailToResolveCredentials('Could not load credentials from any providers')
    await expect(new S3Client({})).toFailToResolveCredentials(/any providers/)
    await expect(new S3Client({})).not.toFailToResolveCredentials(/timed out/)
  })

  it('fails naming what resolved when credentials resolve', async () => {
    await world.set({ env: { user: 'ci' } })
    await expect(new S3Client({})).not.toFailToResolveCredentials()
    expect(await failureOf(() => expect(new S3Client({})).toFailToResolveCredentials())).toMatchInlineSnapshot(`
      "expect(client).toFailToResolveCredentials()

      Expected:           credential resolution to fail
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: user ci (****************XXXX)
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)"
    `)
  })

  it('fails when the error message differs', async () => {
    await world.set({})
    expect(await failureOf(() => expect(new S3Client({})).toFailToResolveCredentials(/timed out/))).toMatchInlineSnapshot(`
      "expect(client).toFailToResolveCredentials(message)

      Expected pattern: /timed out/
      Received message: "Could not load credentials from any providers"

      Credential chain (js-v3) — no source resolved
        1. env              fromEnv               · absent  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent  profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)
      Hints:
        - No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile."
    `)
  })

  it('fails under .not when resolution fails', async () => {
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    expect(await failureOf(() => expect(new S3Client({})).not.toFailToResolveCredentials())).toMatchInlineSnapshot(`
      "expect(client).not.toFailToResolveCredentials()

      Expected:         credentials to resolve
      Received message: "Could not load credentials from any providers"

      Credential chain (js-v3) — no source resolved
        1. env              fromEnv               · absent   AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent   no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent   profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent   profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent   AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent   AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  ↷ skipped  AWS_EC2_METADATA_DISABLED=true is set, so the SDK never asks the instance metadata service
      Hints:
        - No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile."
    `)
  })
})

describe('useCredentialWorld', () => {
  it('refuses to be used outside a test, saying where to use it', () => {
    expect(accessedAtTopLevel).toMatchInlineSnapshot(`"useCredentialWorld(): the world exists only while a test runs. Use the handle inside it()/test() or a beforeEach/afterEach hook registered after useCredentialWorld(), not at the top level of a file, in describe() or in beforeAll()."`)
  })

  it('gives every test a fresh default world that the handle forwards to', async () => {
    expect(world.env.HOME).toBe(world.home)
    expect(process.env.HOME).toBe(world.home)
    expect(world.spec).toEqual({})
    expect(world.endpoints.imds).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    const next = await world.set({ env: { user: 'ci' } })
    expect(world.current).toBe(next)
    expect(world.home).toBe(next.home)
    const { accessKeyId } = await new S3Client({}).config.credentials()
    expect(world.identityOf(accessKeyId)).toMatchObject({ source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
    expect(String(await world.explain())).toContain('winner: env')
    expect(Array.isArray(world.requests)).toBe(true)
  })

  let homeOfFailedTest: string | undefined
  itFails('disposes the world after a test that threw …', async () => {
    await world.set({ env: { user: 'ci' } })
    homeOfFailedTest = world.home
    throw new Error('the test failed')
  })

  it('… so the next test gets a new world, and HOME points at it', async () => {
    expect(homeOfFailedTest).toBeDefined()
    expect(existsSync(homeOfFailedTest!)).toBe(false)
    expect(world.home).not.toBe(homeOfFailedTest)
    expect(process.env.HOME).toBe(world.home)
    await expect(new S3Client({})).toFailToResolveCredentials()
  })

  afterAll(() => {
    // afterEach disposed every world: the environment is the one from before the suite.
    expect(process.env.HOME).toBe(homeBefore)
  })
})
