import { describe, expect, it } from 'vitest'
import { useCredentialWorld } from '../../src/vitest.js'

// Two concurrent tests cannot each own process.env: the second world must be refused clearly.
describe.concurrent('concurrent tests with worlds', () => {
  const world = useCredentialWorld({ env: { user: 'a' } })
  it('first', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(world.env.AWS_ACCESS_KEY_ID).toBeDefined()
  })
  it('second', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(world.env.AWS_ACCESS_KEY_ID).toBeDefined()
  })
})
