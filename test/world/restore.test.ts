import { readdirSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sandboxRoot } from '../../src/world/sandbox.js'

// Make the Nth sandbox write fail, to start a world that dies half-way (after HOME exists).
const failures = vi.hoisted(() => ({ writesToFail: 0 }))
vi.mock('../../src/world/sandbox.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/world/sandbox.js')>()
  return {
    ...original,
    writeSandboxFiles: async (files: Parameters<typeof original.writeSandboxFiles>[0]) => {
      if (failures.writesToFail > 0) {
        failures.writesToFail--
        throw new Error('disk full (injected)')
      }
      return original.writeSandboxFiles(files)
    },
  }
})

const { createCredentialWorld } = await import('../../src/index.js')
const { startLoopbackServers } = await import('../../src/servers/index.js')

// this process's own sandboxes: other test files create worlds in parallel
const sandboxes = () => readdirSync(sandboxRoot()).filter((name) => name.startsWith(`chainproof-home-${process.pid}-`))

function resources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

afterEach(() => {
  failures.writesToFail = 0
})

describe('restore guarantees', () => {
  it('a world that fails half-way through starting leaves env, HOME and the disk as they were', async () => {
    const before = { ...process.env }
    const dirs = sandboxes()
    failures.writesToFail = 1
    await expect(createCredentialWorld({ env: { user: 'ci' }, profiles: { default: { user: 'a' } } })).rejects.toThrow('disk full (injected)')
    expect({ ...process.env }).toEqual(before)
    expect(sandboxes()).toEqual(dirs)
    // and the next world starts normally: nothing was left marked active
    const world = await createCredentialWorld({ env: { user: 'ci' } })
    expect(process.env.AWS_ACCESS_KEY_ID).toBe(world.env.AWS_ACCESS_KEY_ID)
    await world.dispose()
    expect({ ...process.env }).toEqual(before)
  })

  it('1000 create/dispose cycles leave no file, port, listener or timer behind', async () => {
    await startLoopbackServers() // the servers are started once per worker and reused: not a leak
    const env = { ...process.env }
    const dirs = sandboxes()
    const exitListeners = process.listenerCount('exit')
    const handles = resources()
    for (let i = 0; i < 1000; i++) {
      const world = await createCredentialWorld(
        i % 2 ? { env: { user: `u${i}` }, instanceProfile: { role: 'web' } } : { profiles: { default: { process: { user: 'p' } } }, webIdentity: { role: 'w' } },
      )
      await world.dispose()
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect({ ...process.env }).toEqual(env)
    expect(sandboxes()).toEqual(dirs)
    expect(process.listenerCount('exit')).toBe(exitListeners)
    const after = resources()
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'FSReqCallback']) expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(handles[kind] ?? 0)
  }, 60_000)
})
