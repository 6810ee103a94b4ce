/**
 * useCredentialWorld's lifecycle with hooks driven by hand and a fake createCredentialWorld,
 * so each step (before, set, after) is observed. matchers.test.ts covers it with real worlds.
 */
import { describe, expect, it, vi } from 'vitest'
import type { CredentialWorld, WorldSpec } from '../../src/types.js'

const created: Array<{ spec: WorldSpec | undefined; disposed: number }> = []
vi.mock('../../src/world/world.js', () => ({
  callerLocation: () => 'use-world.test.ts:1:1',
  createCredentialWorld: vi.fn(async (spec?: WorldSpec) => {
    if (spec?.accountId === 'bad') throw new Error('WorldSpec.accountId: must be 12 digits')
    const record = { spec, disposed: 0 }
    created.push(record)
    const world = {
      env: { HOME: `/home/${created.length}` },
      home: `/home/${created.length}`,
      endpoints: { imds: 'http://127.0.0.1:1', container: '', sts: '', sso: '', gate: '' },
      requests: [],
      spec: spec ?? {},
      identityOf: (id: string) => (id === 'AKIA1' ? { accessKeyId: id, source: 'env', principal: 'p', accountId: '1' } : undefined),
      explain: async () => ({ sdk: 'js-v3', links: [], shadowed: [], hints: [], toString: () => `world ${created.length}` }),
      dispose: async () => void record.disposed++,
      [Symbol.asyncDispose]: async () => void record.disposed++,
    }
    return world as unknown as CredentialWorld
  }),
}))
const { useCredentialWorld } = await import('../../src/runner/use-world.js')

function fakeRunner() {
  const before: Array<() => Promise<void>> = []
  const after: Array<() => Promise<void>> = []
  return {
    hooks: { beforeEach: (fn: () => Promise<void>) => before.push(fn), afterEach: (fn: () => Promise<void>) => after.push(fn) },
    /** Runs one test the way a runner does: before hooks, body, after hooks even when the body threw. */
    async runTest(body: () => Promise<void>) {
      for (const fn of before) await fn()
      try {
        await body()
      } finally {
        for (const fn of after) await fn()
      }
    },
  }
}

describe('useCredentialWorld (runner-independent part)', () => {
  it('creates a world from the spec before each test and disposes it after, also when the test threw', async () => {
    created.length = 0
    const runner = fakeRunner()
    const world = useCredentialWorld({ region: 'eu-west-1' }, runner.hooks)
    await runner.runTest(async () => {
      expect(world.spec).toEqual({ region: 'eu-west-1' })
      expect(world.home).toBe('/home/1')
      expect(world.env.HOME).toBe('/home/1')
      expect(world.identityOf('AKIA1')?.source).toBe('env')
      expect(String(await world.explain())).toBe('world 1')
    })
    await expect(runner.runTest(async () => { throw new Error('test body failed') })).rejects.toThrow('test body failed')
    expect(created.map((c) => c.disposed)).toEqual([1, 1])
  })

  it('set() disposes the current world and forwards to the new one', async () => {
    created.length = 0
    const runner = fakeRunner()
    const world = useCredentialWorld(undefined, runner.hooks)
    await runner.runTest(async () => {
      const next = await world.set({ env: { user: 'ci' } })
      expect(created[0]!.disposed).toBe(1)
      expect(world.current).toBe(next)
      expect(world.spec).toEqual({ env: { user: 'ci' } })
    })
    expect(created.map((c) => c.disposed)).toEqual([1, 1])
  })

  it('explains that the handle works only inside a test', async () => {
    const runner = fakeRunner()
    const world = useCredentialWorld(undefined, runner.hooks)
    expect(() => world.env).toThrow(/only while a test runs.*inside it\(\)\/test\(\)/)
    await expect(world.set({})).rejects.toThrow(/only while a test runs/)
    await runner.runTest(async () => {})
    expect(() => world.home).toThrow(/only while a test runs/)
  })

  it('says what to fix when set() failed and the test goes on using the world', async () => {
    created.length = 0
    const runner = fakeRunner()
    const world = useCredentialWorld(undefined, runner.hooks)
    await runner.runTest(async () => {
      await expect(world.set({ accountId: 'bad' })).rejects.toThrow('accountId')
      expect(created[0]!.disposed).toBe(1)
      expect(() => world.endpoints).toThrow(/the last world.set\(\) failed/)
    })
  })

  it('disposes early on request, and afterEach does not dispose twice', async () => {
    created.length = 0
    const runner = fakeRunner()
    const world = useCredentialWorld(undefined, runner.hooks)
    await runner.runTest(async () => {
      await world[Symbol.asyncDispose]()
    })
    expect(created[0]!.disposed).toBe(1)
  })
})
