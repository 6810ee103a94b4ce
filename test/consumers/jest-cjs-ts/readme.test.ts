// The README's first test and the classic bug, in a CommonJS TypeScript project compiled with
// esModuleInterop and skipLibCheck off; chainproof/jest is registered in setupFilesAfterEnv.
import { S3Client } from '@aws-sdk/client-s3'
import { resolveCredentials } from 'chainproof'
import { useCredentialWorld } from 'chainproof/jest'

const world = useCredentialWorld()

it('runs as the instance role', async () => {
  await world.set({ instanceProfile: { role: 'web' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
  await expect(new S3Client({})).toResolveToRole('web')
})

it('shows the precedence bug', async () => {
  await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('env')
  await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
})

it('resolves in code, with a session of the role', async () => {
  await world.set({ env: { role: 'deploy' } })
  const resolution = await resolveCredentials(new S3Client({}))
  expect(resolution.source).toBe('env')
  expect(resolution.role).toBe('deploy')
})
