// The README's first test and the classic bug, with imports sorted the way every import
// sorter sorts them: chainproof/vitest before vitest.
import { S3Client } from '@aws-sdk/client-s3'
import { resolveCredentials } from 'chainproof'
import { useCredentialWorld } from 'chainproof/vitest'
import { describe, expect, it } from 'vitest'

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

describe('the typings', () => {
  it('types asymmetric matchers and resolutions', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toResolveToPrincipal(expect.stringContaining(':assumed-role/web/'))
    const resolution = await resolveCredentials(new S3Client({}))
    resolution.source satisfies 'env' | 'sso' | 'profile' | 'process' | 'webIdentity' | 'container' | 'instanceProfile' | 'login' | 'code'
    expect(resolution.role).toBe('web')
  })

  it('fails to compile a misspelled matcher', () => {
    // @ts-expect-error: not a chainproof matcher
    expect(() => expect(new S3Client({})).toResolveCredentialFrom('env')).toThrow()
  })
})
