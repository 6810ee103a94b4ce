// chainproof/vitest is only listed in setupFiles (vitest.config.ts) and in tsconfig's "types":
// this file imports nothing of it, yet the matchers run and are typed.
import { S3Client } from '@aws-sdk/client-s3'
import { createCredentialWorld } from 'chainproof'
import { expect, it } from 'vitest'

it('runs as the instance role', async () => {
  const world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
  try {
    await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
    await expect(new S3Client({})).toResolveToRole('web')
  } finally {
    await world.dispose()
  }
})

it('shows the precedence bug', async () => {
  await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('env')
  await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
  expect(world.env.HOME).toBe(world.home)
})

it('a client created before the rotation keeps the old keys until it refreshes (README: credentials over time)', async () => {
  await using world = await createCredentialWorld({ instanceProfile: { role: 'web', expiresIn: 3600 } })
  const early = new S3Client({})
  const before = await early.config.credentials()
  await world.rotate('instanceProfile')
  expect((await early.config.credentials()).accessKeyId).toBe(before.accessKeyId)
  await expect(early).toRefreshCredentialsFrom('instanceProfile')
  await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })
})
