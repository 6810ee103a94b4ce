/**
 * The login source under Jest, against the built package. Jest gives each test file its own
 * `process.env`, which `os.homedir()` never sees; the SDK's login provider asks `os.homedir()`
 * for its cache, so a world under Jest names the cache directory (AWS_LOGIN_CACHE_DIRECTORY).
 * Found by the consumer matrix: without it the SDK looked in the project's real home.
 */
import { homedir } from 'node:os'
import { describe, expect, it } from '@jest/globals'
import { S3Client } from '@aws-sdk/client-s3'
import { useCredentialWorld } from 'chainproof/jest'

const world = useCredentialWorld()

describe('login under Jest', () => {
  it('resolves the world\'s aws login session (refreshed through its Signin endpoint), never one under the real home', async () => {
    await world.set({ profiles: { default: { login: { role: 'console-admin' } } }, faults: [{ target: 'login', kind: 'expired' }] })
    expect(homedir()).not.toBe(world.home) // Jest: the world's HOME does not reach os.homedir()
    expect(world.env.AWS_LOGIN_CACHE_DIRECTORY?.startsWith(world.home)).toBe(true)
    await expect(new S3Client({})).toResolveCredentialsFrom('login', { profile: 'default' })
    await expect(new S3Client({})).toResolveToRole('console-admin')
    expect(world.requests.some((r) => r.server === 'signin' && r.status === 200)).toBe(true)
  })

  it("routes the SDK's own IMDS address under Jest too", async () => {
    await world.set({ instanceProfile: { role: 'web', endpoint: 'linkLocal' } })
    await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
    expect(world.routedConnections.length).toBeGreaterThan(0)
    expect(world.blockedConnections).toEqual([])
  })
})
