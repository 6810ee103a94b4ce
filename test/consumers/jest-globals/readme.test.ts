// Jest with injectGlobals: false: expect and the hooks come from @jest/globals, and
// chainproof/jest registers its matchers on that expect when imported.
import { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'

describe('the README examples', () => {
  const world = useCredentialWorld()

  it('runs as the instance role', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
    await expect(new S3Client({})).toResolveToRole('web')
  })

  it('shows the precedence bug', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('env')
    await expect(new S3Client({})).not.toResolveCredentialsFrom('instanceProfile')
    await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
  })
})

describe('credentials over time', () => {
  const world = useCredentialWorld({ instanceProfile: { role: 'web', expiresIn: 3600 } })

  it('a client created before the rotation keeps the old keys until it refreshes (README: credentials over time)', async () => {
    const early = new S3Client({})
    const before = await early.config.credentials()
    await world.rotate('instanceProfile')
    expect((await early.config.credentials()).accessKeyId).toBe(before.accessKeyId)
    await expect(early).toRefreshCredentialsFrom('instanceProfile')
    await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })
  })
})
