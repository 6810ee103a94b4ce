/** toAgreeAcrossSdks under Jest, against the built package (test/matchers/agree-across-sdks.test.ts is the Vitest suite). */
import { describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'

const world = useCredentialWorld()

describe('toAgreeAcrossSdks under Jest', () => {
  it('passes where js-v2 and js-v3 agree, fails where AWS_PROFILE splits them', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])
    await world.set({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    await expect(world).not.toAgreeAcrossSdks(['js-v2', 'js-v3'])
  })
})
