import { S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import { Signer } from '@aws-sdk/rds-signer'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, resolveCredentials } from '../src/index.js'

describe('resolveCredentials targets', () => {
  it('accepts a client, a provider, a promise, and an RDS Signer', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const fromClient = await resolveCredentials(new S3Client({}))
    const fromProvider = await resolveCredentials(fromNodeProviderChain())
    const fromPromise = await resolveCredentials(Promise.resolve(new S3Client({})))
    const fromSigner = await resolveCredentials(new Signer({ hostname: 'db.internal', port: 5432, username: 'app', region: 'us-east-1' }))
    for (const r of [fromClient, fromProvider, fromPromise, fromSigner]) {
      expect(r).toMatchObject({ source: 'instanceProfile', role: 'web' })
      expect(r.principal).toMatch(/^arn:aws:sts::123456789012:assumed-role\/web\/i-[0-9a-f]+$/)
      expect(r.expiration!.getTime()).toBeGreaterThan(Date.now())
    }
    expect(world.identityOf(fromClient.accessKeyId)?.source).toBe('instanceProfile')
  })

  it('names credentials passed in code "code", and still identifies a world key', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const worldKey = { accessKeyId: world.env.AWS_ACCESS_KEY_ID!, secretAccessKey: world.env.AWS_SECRET_ACCESS_KEY! }
    const object = await resolveCredentials(worldKey)
    expect(object).toMatchObject({ source: 'code', principal: 'arn:aws:iam::123456789012:user/ci' })
    const client = await resolveCredentials(new S3Client({ credentials: { accessKeyId: 'AKIAFOREIGNKEY000001', secretAccessKey: 'x' } }))
    expect(client.source).toBe('code')
    expect(client.features).toEqual({ CREDENTIALS_CODE: 'e' })
    expect(client.principal).toContain('never issued')
  })

  it('says when a provider returns credentials from outside the world, without the secret', async () => {
    await using _world = await createCredentialWorld({})
    const foreign = async () => ({ accessKeyId: 'AKIAFOREIGNKEY000002', secretAccessKey: 'the-foreign-secret' })
    const error = await resolveCredentials(foreign).catch((e: Error) => e)
    expect((error as Error).message).toContain('were not issued by this world: they came from outside it')
    expect((error as Error).message).toContain('****************0002')
    expect((error as Error).message).not.toContain('the-foreign-secret')
    expect((error as Error).message).not.toContain('AKIAFOREIGNKEY000002')
  })

  it('reports a disagreement between the ledger and the SDK $source codes instead of hiding it', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const mislabelled = async () => ({
      accessKeyId: world.env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: world.env.AWS_SECRET_ACCESS_KEY!,
      $source: { CREDENTIALS_PROFILE: 'n' },
    })
    const r = await resolveCredentials(mislabelled)
    expect(r.source).toBe('env')
    expect(r.disagreements).toEqual([`the SDK's $source codes (n) point to profile, but the world's ledger says env`])
  })

  it("honours a client's own profile option, as the default chain does", async () => {
    await using _world = await createCredentialWorld({ env: { user: 'ci' }, profiles: { deploy: { user: 'deployer' } } })
    const r = await resolveCredentials(new S3Client({ profile: 'deploy' }))
    expect(r).toMatchObject({ source: 'profile', profile: 'deploy' })
    expect(r.report.links[0]).toMatchObject({ source: 'env', status: 'skipped' })
    expect(r.report.links[0]!.reason).toContain(`the client's profile option is "deploy"`)
  })

  it('rejects what is not a target, saying what it expected', async () => {
    await using _world = await createCredentialWorld({})
    await expect(resolveCredentials(42)).rejects.toThrow(
      'expected an AWS SDK v3 client, a credential provider, a credentials object, an RDS Signer, or a promise of one; received number',
    )
  })

  it('needs an active world', async () => {
    await expect(resolveCredentials(fromNodeProviderChain())).rejects.toThrow('resolving credentials needs an active credential world')
  })
})

describe('every kind of profile, resolved by the real SDK', () => {
  it('credential_source = Environment assumes the role with the env keys', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'ops', profiles: { ops: { role: 'operator', credentialSource: 'Environment' } } })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'ops', role: 'operator', principal: 'arn:aws:sts::123456789012:assumed-role/operator/chainproof-ops' })
    const assume = world.requests.find((q) => q.server === 'sts' && q.action === 'AssumeRole')
    expect(assume).toMatchObject({ accessKeyId: world.env.AWS_ACCESS_KEY_ID, source: 'env', status: 200 })
  })

  it('credential_source = EcsContainer assumes the role with the container credentials', async () => {
    await using world = await createCredentialWorld({ container: { role: 'task' }, profile: 'ops', profiles: { ops: { role: 'operator', credentialSource: 'EcsContainer' } } })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'ops', role: 'operator' })
    expect(world.requests.find((q) => q.server === 'sts' && q.action === 'AssumeRole')?.source).toBe('container')
  })

  it('process credentials of a user, and a region from the profile', async () => {
    await using _world = await createCredentialWorld({ region: null, profiles: { default: { process: { user: 'tool' }, region: 'eu-west-1' } } })
    const client = new S3Client({})
    expect(await client.config.region()).toBe('eu-west-1')
    expect(await resolveCredentials(client)).toMatchObject({ source: 'process', profile: 'default', principal: 'arn:aws:iam::123456789012:user/tool' })
  })

  it('role ARNs from another account keep their account', async () => {
    await using _world = await createCredentialWorld({ instanceProfile: { role: 'arn:aws:iam::210987654321:role/cross' } })
    expect((await resolveCredentials(new S3Client({}))).principal).toMatch(/^arn:aws:sts::210987654321:assumed-role\/cross\/i-/)
  })

  it('temporary credentials assumed in code from world credentials are identified by the ledger', async () => {
    await using _world = await createCredentialWorld({ env: { user: 'ci' } })
    const r = await resolveCredentials(fromTemporaryCredentials({ params: { RoleArn: 'arn:aws:iam::123456789012:role/reader', RoleSessionName: 'tmp' } }))
    expect(r).toMatchObject({ source: 'code', role: 'reader', principal: 'arn:aws:sts::123456789012:assumed-role/reader/tmp' })
  })
})
