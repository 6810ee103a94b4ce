/**
 * The orders service's credential suite, written once and run by both Vitest
 * (orders.test.ts) and Jest (orders.jest.test.ts): each passes its runner's functions.
 */
import { createOrdersStorage } from './storage.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Runner {
  describe(name: string, fn: () => void): void
  it(name: string, fn: () => Promise<void>): void
  expect: any
  useCredentialWorld: (spec?: any) => any
}

export function ordersCredentialSuite({ describe, it, expect, useCredentialWorld }: Runner): void {
  describe('orders service credentials', () => {
    const world = useCredentialWorld()

    it('runs as the instance role', async () => {
      await world.set({ instanceProfile: { role: 'web' } })
      await expect(createOrdersStorage()).toResolveCredentialsFrom('instanceProfile')
      await expect(createOrdersStorage()).toResolveToRole('web')
    })

    it('reproduces the precedence bug: env keys left on the host win over the instance role', async () => {
      await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
      await expect(createOrdersStorage()).toResolveCredentialsFrom('env')
      await expect(createOrdersStorage()).not.toResolveCredentialsFrom('instanceProfile')
      await expect(createOrdersStorage()).toResolveToPrincipal('arn:aws:iam::123456789012:user/ci')
      const report = await world.explain(createOrdersStorage())
      expect(report.shadowed).toEqual(['instanceProfile'])
    })

    it('proves the fix: without the env keys the instance role is used', async () => {
      await world.set({ instanceProfile: { role: 'web' } })
      await expect(createOrdersStorage()).toResolveToPrincipal(/^arn:aws:sts::123456789012:assumed-role\/web\/i-/)
    })

    it('AWS_PROFILE makes the JS SDK skip env keys', async () => {
      await world.set({ env: { user: 'ci' }, profile: 'deploy', profiles: { deploy: { role: 'deployer', sourceProfile: 'base' }, base: { user: 'alice' } } })
      await expect(createOrdersStorage()).toResolveCredentialsFrom('profile', { profile: 'deploy' })
      await expect(createOrdersStorage()).toResolveToRole('arn:aws:iam::123456789012:role/deployer')
    })

    it('fails fast when the world has no credentials at all', async () => {
      await world.set({})
      const started = Date.now()
      await expect(createOrdersStorage()).toFailToResolveCredentials(/Could not load credentials from any providers/)
      expect(Date.now() - started).toBeLessThan(500)
    })
  })
}
