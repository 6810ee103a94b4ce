import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { WorldSpec } from '../../src/types.js'

async function hintsOf(spec: WorldSpec): Promise<string[]> {
  await using world = await createCredentialWorld(spec)
  return (await world.explain()).hints
}

describe('hints name what to change, and where it comes from', () => {
  it('env keys over the instance role', async () => {
    expect(await hintsOf({ env: { role: 'ci' }, instanceProfile: { role: 'web' } })).toMatchInlineSnapshot(`
      [
        "To use instanceProfile instead of env: unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile).",
      ]
    `)
  })

  it('old static keys in ~/.aws/credentials over an SSO session and credential_process in the same profile', async () => {
    expect(await hintsOf({ profiles: { default: { user: 'old-keys', process: { user: 'tool' }, sso: { role: 'Dev' } } } })).toMatchInlineSnapshot(`
      [
        "To use process instead of profile: remove aws_access_key_id and aws_secret_access_key from [default] in ~/.aws/credentials.",
        "To use sso instead of profile: remove aws_access_key_id and aws_secret_access_key from [default] in ~/.aws/credentials; then remove credential_process from [default] in ~/.aws/config.",
      ]
    `)
  })

  it('a role profile over IRSA', async () => {
    expect(
      await hintsOf({ profile: 'deploy', profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base' } }, webIdentity: { role: 'pod' } }),
    ).toMatchInlineSnapshot(`
      [
        "To use webIdentity instead of profile: remove role_arn and source_profile from [profile deploy] in ~/.aws/config.",
      ]
    `)
  })

  it('container variables over the instance role', async () => {
    expect(await hintsOf({ container: { role: 'task' }, instanceProfile: { role: 'web' } })).toMatchInlineSnapshot(`
      [
        "To use instanceProfile instead of container: unset AWS_CONTAINER_CREDENTIALS_FULL_URI (and its authorization token variable).",
      ]
    `)
  })

  it('AWS_PROFILE and env keys both set: the SDK warning explained', async () => {
    expect(await hintsOf({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })).toMatchInlineSnapshot(`
      [
        "AWS_PROFILE=dev makes the JS SDK v3 skip the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and print "Multiple credential sources detected" — other SDKs (Java, Python, Go, the CLI) use those keys first. Unset AWS_PROFILE to use the env keys, or unset the keys to silence the warning.",
      ]
    `)
  })

  it('nothing anywhere', async () => {
    expect(await hintsOf({})).toMatchInlineSnapshot(`
      [
        "No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile.",
      ]
    `)
  })
})
