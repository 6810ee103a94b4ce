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

it('resolves an aws login session, refreshed through the loopback Signin endpoint, over the instance role at its real address', async () => {
  await world.set({
    profiles: { default: { login: { role: 'console-admin' } } },
    instanceProfile: { role: 'web', endpoint: 'linkLocal' },
    faults: [{ target: 'login', kind: 'expired' }],
  })
  await expect(new S3Client({})).toResolveCredentialsFrom('login', { profile: 'default' })
  await expect(new S3Client({})).toResolveToRole('console-admin')
  await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
  expect(world.requests.some((r) => r.server === 'signin' && r.action === 'CreateOAuth2Token' && r.status === 200)).toBe(true)
  expect(world.routedConnections.every((c) => c.from === '169.254.169.254:80')).toBe(true)
  expect(world.blockedConnections).toEqual([])
})

it('resolves in code, with a session of the role', async () => {
  await world.set({ env: { role: 'deploy' } })
  const resolution = await resolveCredentials(new S3Client({}))
  expect(resolution.source).toBe('env')
  expect(resolution.role).toBe('deploy')
})

it('a client created before the rotation keeps the old keys until it refreshes (README: credentials over time)', async () => {
  await world.set({ instanceProfile: { role: 'web', expiresIn: 3600 } })
  const early = new S3Client({})
  const before = await early.config.credentials()
  await world.rotate('instanceProfile')
  expect((await early.config.credentials()).accessKeyId).toBe(before.accessKeyId)
  await expect(early).toRefreshCredentialsFrom('instanceProfile')
  await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })
})
