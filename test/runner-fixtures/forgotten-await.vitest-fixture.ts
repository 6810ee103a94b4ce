import { S3Client } from '@aws-sdk/client-s3'
import { expect, it } from 'vitest'
import { useCredentialWorld } from '../../src/vitest.js'

// The matcher is not awaited: the test ends, its world is disposed, the matcher finishes later.
const world = useCredentialWorld()
it('forgets await', async () => {
  await world.set({ instanceProfile: { role: 'web' } })
  void expect(new S3Client({})).toResolveCredentialsFrom('env')
})
it('a later test keeps running', async () => {
  await new Promise((resolve) => setTimeout(resolve, 1500))
})
