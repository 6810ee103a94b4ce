/**
 * The part of a matcher's `this` that chainproof uses. Both Vitest's `MatcherState` and
 * Jest's `MatcherContext` satisfy it, so the matchers are plain functions that run under
 * either runner (and can be called by hand in tests).
 */
export interface MatcherHintOptions {
  isNot?: boolean
  promise?: string
  comment?: string
  secondArgument?: string
  isDirectExpectCall?: boolean
}

export interface MatcherUtils {
  matcherHint(matcherName: string, received?: string, expected?: string, options?: MatcherHintOptions): string
  printExpected(value: unknown): string
  printReceived(value: unknown): string
}

export interface MatcherContext {
  /** Jest leaves it undefined outside `.not`; Vitest sets a boolean. */
  readonly isNot?: boolean
  /** `''`, `'resolves'` or `'rejects'`. */
  readonly promise?: string
  readonly utils: MatcherUtils
  // `any[]`: the runners pass custom testers of their own (different) types here.
  equals(a: unknown, b: unknown, ...rest: any[]): boolean
}

/** What every chainproof matcher returns (asynchronously). */
export interface MatcherResult {
  pass: boolean
  message(): string
}
