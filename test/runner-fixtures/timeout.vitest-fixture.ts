import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useCredentialWorld } from '../../src/vitest.js'

const before = { ...process.env }
const homes: string[] = []

describe('tests that end badly while their world is active', () => {
  const world = useCredentialWorld({ env: { user: 'slow' }, profiles: { default: { user: 'x' } } })

  it('times out', async () => {
    homes.push(world.home)
    await new Promise((resolve) => setTimeout(resolve, 1500))
  }, 150)

  it('throws', () => {
    homes.push(world.home)
    throw new Error('boom')
  })
})

describe('afterwards', () => {
  it('finds the environment and HOME restored exactly, and the sandboxes gone', () => {
    expect({ ...process.env }).toEqual(before)
    expect(homes).toHaveLength(2)
    for (const home of homes) expect(existsSync(home)).toBe(false)
  })
})
