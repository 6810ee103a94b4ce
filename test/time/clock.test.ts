/**
 * Time without waiting: the world's clock, the runner's fake Date, and what faking the other timers
 * does to the SDK. The SDK and the world's servers read the same Date in this process.
 */
import { setTimeout as realSleep } from 'node:timers/promises'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'

const HOUR = 3600_000

afterEach(() => {
  vi.useRealTimers()
})

describe('the world clock', () => {
  it('moves Date for the SDK and the servers alike: a call signed two hours ahead verifies, with fresh credentials', async () => {
    const realStart = performance.now()
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const sts = new STSClient({})
    const first = await sts.config.credentials()
    await world.clock.advance(2 * HOUR)
    expect(world.clock.offset).toBe(2 * HOUR)
    expect(Math.abs(world.clock.now().getTime() - (performance.timeOrigin + performance.now()) - 2 * HOUR)).toBeLessThan(5_000)
    const out = await sts.send(new GetCallerIdentityCommand({}))
    expect(out.Arn).toMatch(/:assumed-role\/web\//)
    const second = await sts.config.credentials()
    expect(second.accessKeyId).not.toBe(first.accessKeyId)
    expect(second.expiration!.getTime()).toBeGreaterThan(Date.now())
    // the instance's metadata reads the same time as the SDK
    const gens = world.generations('instanceProfile')
    expect(gens.map((g) => g.generation)).toEqual([1, 2])
    expect(gens[1]!.issuedAt!.getTime()).toBeGreaterThan(gens[0]!.expiration!.getTime())
    expect(performance.now() - realStart).toBeLessThan(5_000)
  })

  it('answers with a Date header in the world\'s time, so the SDK corrects no clock skew after a jump', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const sts = new STSClient({})
    await world.clock.advance(3 * HOUR)
    await sts.send(new GetCallerIdentityCommand({}))
    expect(Math.abs(sts.config.systemClockOffset ?? 0)).toBeLessThan(60_000)
    await sts.send(new GetCallerIdentityCommand({}))
  })

  it('keeps instanceof, Date.parse, Date() and dates from arguments as they are', async () => {
    await using world = await createCredentialWorld({})
    await world.clock.advance(HOUR)
    expect(new Date(0).getTime()).toBe(0)
    expect(new Date() instanceof Date).toBe(true)
    expect(Date.parse('2026-01-01T00:00:00Z')).toBe(1767225600000)
    expect(Date.UTC(2026, 0, 1)).toBe(1767225600000)
    expect(typeof (Date as unknown as () => string)()).toBe('string')
    expect(Date.now() - performance.timeOrigin - performance.now()).toBeGreaterThan(HOUR - 5_000)
  })

  it('is undone by dispose: Date is the real one again', async () => {
    const RealDate = Date
    const world = await createCredentialWorld({})
    await world.clock.advance(5 * HOUR)
    expect(globalThis.Date).not.toBe(RealDate)
    await world.dispose()
    expect(globalThis.Date).toBe(RealDate)
    expect(Math.abs(Date.now() - (performance.timeOrigin + performance.now()))).toBeLessThan(5_000)
    await expect(world.clock.advance(1)).rejects.toThrow('this credential world has been disposed; its clock no longer moves')
  })

  it('refuses to go back or to move by nonsense', async () => {
    await using world = await createCredentialWorld({})
    await expect(world.clock.advance(-1)).rejects.toThrow('clock.advance(ms): expected a number of milliseconds, 0 or more (time only moves forward), got -1')
    await expect(world.clock.advance(Number.NaN)).rejects.toThrow('got NaN')
    await expect(world.clock.advance('1h' as unknown as number)).rejects.toThrow('got string')
  })
})

describe("the runner's fake timers", () => {
  it("vi.useFakeTimers({ toFake: ['Date'] }): advancing them moves the SDK and the servers; world.clock.advance goes through them", async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web', expiresIn: 900 } })
    const sts = new STSClient({})
    await sts.send(new GetCallerIdentityCommand({}))
    vi.advanceTimersByTime(20 * 60_000)
    await sts.send(new GetCallerIdentityCommand({}))
    await world.clock.advance(20 * 60_000)
    await sts.send(new GetCallerIdentityCommand({}))
    // it moved the runner's clock, not a Date of its own
    expect(world.clock.offset).toBe(0)
    expect(world.fetches.filter((f) => f.step === 'credentials')).toHaveLength(3)
    expect(world.generations('instanceProfile')).toHaveLength(3)
  })

  it('vi.useFakeTimers() with every timer faked: a call without retries works, but an SDK retry waits on a fake setTimeout until the test advances the timers — so fake only Date', async () => {
    vi.useFakeTimers()
    await using world = await createCredentialWorld({
      profile: 'app',
      profiles: { base: { user: 'ci' }, app: { role: 'deployer', sourceProfile: 'base' } },
      faults: [{ target: 'sts', kind: 'error', code: 'Throttling', action: 'AssumeRole', times: 1 }],
    })
    const sts = new STSClient({})
    let settled = false
    const call = sts.send(new GetCallerIdentityCommand({})).finally(() => (settled = true))
    await realSleep(1_500) // node:timers/promises is not faked: real time passes
    expect(settled).toBe(false)
    expect(world.fetches.map((f) => f.status)).toEqual([400])
    await vi.advanceTimersByTimeAsync(30_000)
    await call
    expect(world.fetches.map((f) => f.status)).toEqual([400, 200])
  })
})
