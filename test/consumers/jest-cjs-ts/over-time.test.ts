// Credentials over time, from the packed package (examples/credentials-over-time, the memoization
// surprise): a client made before world.rotate keeps the old keys until they near expiry, under
// Jest's fake Date (only Date: the SDK's retries and HTTP stack need real timers and microtasks).
import { S3Client } from '@aws-sdk/client-s3'
import type { CredentialFetch, Identity } from 'chainproof'
import { useCredentialWorld } from 'chainproof/jest'

const world = useCredentialWorld({ instanceProfile: { role: 'web', expiresIn: 3600 } })
afterEach(() => {
  jest.useRealTimers()
})

it('the memoization surprise: the early client keeps generation 1 after rotate, the late one gets 2, and the early one moves on in its refresh window', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'hrtime', 'performance'] })
  const early = new S3Client({})
  const old = await early.config.credentials()
  await world.rotate('instanceProfile')
  const late = new S3Client({})
  const fresh = await late.config.credentials()
  const generations: Identity[] = world.generations('instanceProfile')
  expect(generations.map((g) => [g.accessKeyId, g.generation])).toEqual([[old.accessKeyId, 1], [fresh.accessKeyId, 2]])

  jest.advanceTimersByTime(40 * 60_000) // 40 minutes on, the early client still has generation 1
  expect((await early.config.credentials()).accessKeyId).toBe(old.accessKeyId)
  await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })

  await expect(early).toRefreshCredentialsFrom('instanceProfile') // 56 minutes in: through Jest's clock
  expect(world.clock.offset).toBe(0)
  expect(world.clock.now().getTime() - old.expiration!.getTime()).toBeGreaterThan(-5 * 60_000)
  // generation 3, not 2: IMDS serves a new one from 15 minutes before the current one (2) expires
  expect(world.identityOf((await early.config.credentials()).accessKeyId)?.generation).toBe(3)
  await expect(world).toHaveFetchedCredentials('instanceProfile', { atMost: 3 })
  const fetches: readonly CredentialFetch[] = world.fetches
  expect(fetches.filter((f) => f.step === 'credentials').every((f) => f.source === 'instanceProfile' && f.status === 200)).toBe(true)
  // @ts-expect-error: the options are times, atMost and profile
  await expect(expect(world).toHaveFetchedCredentials('instanceProfile', { time: 2 })).rejects.toThrow('unknown option "time"')
})
