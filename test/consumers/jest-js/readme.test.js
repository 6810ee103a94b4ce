// Plain JavaScript on Node 20: require(), no TypeScript, no `await using` (Node 24 has it;
// on Node 20 a world is disposed with try/finally or by useCredentialWorld).
const { S3Client } = require('@aws-sdk/client-s3')
const { createCredentialWorld } = require('chainproof')
const { useCredentialWorld } = require('chainproof/jest')

describe('with useCredentialWorld', () => {
  const world = useCredentialWorld()

  test('runs as the instance role', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
    await expect(new S3Client({})).toResolveToRole('web')
  })

  test('shows the precedence bug', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('env')
    await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
  })
})

test('with createCredentialWorld and try/finally', async () => {
  const world = await createCredentialWorld({ profiles: { default: { user: 'dev' } } })
  try {
    await expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'default' })
  } finally {
    await world.dispose()
  }
})

describe('credentials over time', () => {
  const world = useCredentialWorld({ instanceProfile: { role: 'web', expiresIn: 3600 } })

  test('a client created before the rotation keeps the old keys until it refreshes (README: credentials over time)', async () => {
    const early = new S3Client({})
    const before = await early.config.credentials()
    await world.rotate('instanceProfile')
    expect((await early.config.credentials()).accessKeyId).toBe(before.accessKeyId)
    await expect(early).toRefreshCredentialsFrom('instanceProfile')
    await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })
  })
})
