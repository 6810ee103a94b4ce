import { expect, test } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'

// Jest starts test.concurrent bodies before their beforeEach hooks: each must get the concurrency message.
const world = useCredentialWorld({ env: { user: 'a' } })
test.concurrent('first', async () => {
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(world.env.AWS_ACCESS_KEY_ID).toBeDefined()
})
test.concurrent('second', async () => {
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(world.env.AWS_ACCESS_KEY_ID).toBeDefined()
})
