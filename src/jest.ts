/**
 * `chainproof/jest`: registers chainproof's matchers on Jest's `expect` and types them for
 * the globals and for `@jest/globals`. Works from `setupFilesAfterEnv` and as an import.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ChainproofError } from './errors.js'
import { matchers } from './matchers/index.js'
// Explains, in chain reports, a mocked STSClient that credential providers bypass (imports no mocking library).
import './client-mock/register.js'
import type { ChainproofMatchers } from './matchers/types.js'
import { useCredentialWorld as useWorld, type CredentialWorldHandle, type RunnerHooks } from './runner/use-world.js'
import type { WorldSpec } from './types.js'
import type {} from 'expect'

interface JestRuntime extends RunnerHooks {
  expect: { extend(matchers: object): void; getState?(): { currentTestName?: string | undefined } }
}

function isJestRuntime(value: unknown): value is JestRuntime {
  const v = value as Partial<JestRuntime> | undefined
  return typeof v?.expect?.extend === 'function' && typeof v.beforeEach === 'function' && typeof v.afterEach === 'function'
}

/**
 * Jest's `expect` and hooks: the injected globals when present, else `@jest/globals` (for
 * `injectGlobals: false`). Never throws: imported outside Jest, it finds nothing.
 */
function findJest(): JestRuntime | undefined {
  const injected: unknown = globalThis
  if (isJestRuntime(injected)) return injected
  try {
    // createRequire in both builds (a bare `require` would be bundled into a throwing shim in
    // the ESM build). Inside Jest, node:module is Jest's own, whose require knows @jest/globals;
    // it resolves from the project, where the user's Jest is installed.
    const globals: unknown = createRequire(join(process.cwd(), 'noop.js'))('@jest/globals')
    return isJestRuntime(globals) ? globals : undefined
  } catch {
    return undefined
  }
}

const jestRuntime = findJest()
jestRuntime?.expect.extend(matchers)

/**
 * A fresh credential world for every test of the file (or `describe` block) that calls it,
 * disposed after each test. `await world.set(spec)` replaces it within a test.
 */
export function useCredentialWorld(spec?: WorldSpec): CredentialWorldHandle {
  if (!jestRuntime) {
    throw new ChainproofError(
      'chainproof/jest: Jest\'s expect, beforeEach and afterEach were not found. Import chainproof/jest from a Jest test file or setupFilesAfterEnv (for Vitest, import chainproof/vitest).',
    )
  }
  return useWorld(spec, { beforeEach: jestRuntime.beforeEach, afterEach: jestRuntime.afterEach, expect: jestRuntime.expect, runner: 'jest' })
}

export type { CredentialWorldHandle } from './runner/use-world.js'
export type { ChainproofMatchers, ResolveFromOptions, AsymmetricMatcherLike, SignerExpectation, RequestSignerExpectation, SignedByOptions, CommandClass, FetchCountOptions } from './matchers/types.js'

declare global {
  // Jest's globals as typed by @types/jest.
  namespace jest {
    interface Matchers<R, T = {}> extends ChainproofMatchers<Promise<void>> {}
  }
}

declare module 'expect' {
  // `expect` from @jest/globals (its Matchers are expect's own).
  interface Matchers<R extends void | Promise<void>, T = unknown> extends ChainproofMatchers<Promise<void>> {}
}
