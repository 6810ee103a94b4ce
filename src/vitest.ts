/**
 * `chainproof/vitest`: registers chainproof's matchers on Vitest's `expect` and types them.
 * Import it in a test file or list it in `setupFiles`.
 */
import { afterEach, beforeEach, expect } from 'vitest'
import { matchers } from './matchers/index.js'
// Explains, in chain reports, a mocked STSClient that credential providers bypass (imports no mocking library).
import './client-mock/register.js'
import type { ChainproofMatchers } from './matchers/types.js'
import { useCredentialWorld as useWorld, type CredentialWorldHandle } from './runner/use-world.js'
import type { WorldSpec } from './types.js'

expect.extend(matchers)

/**
 * A fresh credential world for every test of the file (or `describe` block) that calls it,
 * disposed after each test. `await world.set(spec)` replaces it within a test.
 */
export function useCredentialWorld(spec?: WorldSpec): CredentialWorldHandle {
  return useWorld(spec, { beforeEach, afterEach, expect, runner: 'vitest' })
}

export type { CredentialWorldHandle } from './runner/use-world.js'
export type { ChainproofMatchers, ResolveFromOptions, AsymmetricMatcherLike, SignerExpectation, RequestSignerExpectation, SignedByOptions, CommandClass, FetchCountOptions } from './matchers/types.js'

// scripts/build.mjs puts `/// <reference types="vitest" />` at the top of the declaration file:
// the augmentation must see Vitest's own declarations first (sorted imports, setupFiles only).
declare module 'vitest' {
  // Vitest ≥ 3.2 types custom matchers through `Matchers` (on `expect(…)`, `expect.extend` and
  // the asymmetric `expect.*`); 3.0 and 3.1 have no `Matchers` to augment, only `Assertion`.
  interface Matchers<T = any> extends ChainproofMatchers<Promise<void>> {}
  interface Assertion<T = any> extends ChainproofMatchers<Promise<void>> {}
}
