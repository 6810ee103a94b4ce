// The README's first test and the classic bug, with imports sorted the way every import
// sorter sorts them: chainproof/vitest before vitest.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
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

describe('the chainproof bin', () => {
  // `npx chainproof exec`, from the installed package: a service in its own process, inside a world
  const bin = join(process.cwd(), 'node_modules', '.bin', process.platform === 'win32' ? 'chainproof.cmd' : 'chainproof')
  const exec = (spec: object, expectSource: string) =>
    spawnSync(bin, ['exec', '--spec', JSON.stringify(spec), '--expect', expectSource, '--no-color', '--', process.execPath, 'exec-program.mjs'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } })

  it('exec --expect: exit 1 for the classic bug (env keys sign, not the instance role), 0 once the keys are gone', () => {
    const bug = exec({ env: { user: 'ci' }, instanceProfile: { role: 'web' } }, 'instanceProfile')
    expect(bug.status).toBe(1)
    expect(bug.stdout).toMatch(/^answered/)
    expect(bug.stderr).toContain('✘ expected instanceProfile, but 1 of the 1 signed request the command made was signed by others:')
    expect(bug.stderr).toContain('env (arn:aws:iam::123456789012:user/ci)')
    const fixed = exec({ instanceProfile: { role: 'web' } }, 'instanceProfile')
    expect([fixed.status, fixed.stderr.trim().split('\n').pop()]).toEqual([0, '✔ expected instanceProfile: the 1 signed request the command made was signed by instanceProfile'])
  }, 30_000)
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
