import { describe, expect, it, vi } from 'vitest'
import { useCredentialWorld } from 'chainproof/vitest'
import { overTimeSuite } from './over-time-suite.js'

overTimeSuite({
  describe,
  it,
  expect,
  useCredentialWorld,
  // fake only Date: the SDK's retries and timeouts wait on real timers
  fakeDate: { install: () => vi.useFakeTimers({ toFake: ['Date'] }), advance: (ms) => vi.advanceTimersByTime(ms), uninstall: () => vi.useRealTimers() },
})
