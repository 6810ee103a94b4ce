import { describe, expect, it, jest } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { overTimeSuite } from './over-time-suite'

// fake only Date: the SDK's retries, timeouts and HTTP stack need the real timers and microtasks
const REAL = ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'hrtime', 'performance'] as const

overTimeSuite({
  describe,
  it,
  expect,
  useCredentialWorld,
  fakeDate: { install: () => jest.useFakeTimers({ doNotFake: [...REAL] }), advance: (ms) => jest.advanceTimersByTime(ms), uninstall: () => jest.useRealTimers() },
})
