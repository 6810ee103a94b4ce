import { ChainproofError } from '../errors.js'
import { probe } from '../probe/probe.js'
import type { ProbeOutcome } from '../probe/outcome.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { alignRows, disagreementLines, redactKeyIds, type Row } from './format.js'

/** What a matcher decides; {@link processMatch} does the rest (probe, report, message). */
export interface MatchCheck {
  /** The matcher's name, e.g. `toResolveCredentialsFrom`. */
  readonly name: string
  /** The expected argument's name in the hint (`source`), or `''` when there is none. */
  readonly expected: string
  /** A second argument's name in the hint (`options`), when one was passed. */
  readonly secondArgument?: string
  pass(outcome: ProbeOutcome): boolean
  /** The Expected/Received rows for this outcome; `isNot` says which way the assertion went. */
  rows(outcome: ProbeOutcome, isNot: boolean): Row[]
}

/** The hint line, e.g. `expect(client).not.toResolveCredentialsFrom(source)`. */
export function hintOf(ctx: MatcherContext, check: Pick<MatchCheck, 'name' | 'expected' | 'secondArgument'>): string {
  const options = { isNot: ctx.isNot === true, promise: ctx.promise ?? '', ...(check.secondArgument ? { secondArgument: check.secondArgument } : {}) }
  return ctx.utils.matcherHint(`.${check.name}`, 'client', check.expected, options)
}

/**
 * A matcher error (a bad expected value, not a failed assertion), thrown before anything is
 * probed. It reads like the runners' own: hint, then `Matcher error: …`.
 */
export function matcherError(ctx: MatcherContext, check: Pick<MatchCheck, 'name' | 'expected' | 'secondArgument'>, problem: string): ChainproofError {
  return new ChainproofError(`${hintOf(ctx, check)}\n\nMatcher error: ${problem}`)
}

/** Runs the probe on the received target and judges it: the one entry of every matcher. */
export async function processMatch(ctx: MatcherContext, received: unknown, check: MatchCheck): Promise<MatcherResult> {
  return judgeOutcome(ctx, await probe(received), check)
}

/**
 * Decides pass/fail for a probe outcome. The chain report is costly, so it is computed only
 * when the assertion is about to fail, and baked into the message, which is built lazily.
 */
export async function judgeOutcome(ctx: MatcherContext, outcome: ProbeOutcome, check: MatchCheck): Promise<MatcherResult> {
  const isNot = ctx.isNot === true
  const pass = check.pass(outcome)
  const failing = pass === isNot
  const report = failing ? await reportText(outcome) : undefined
  const notes = failing && outcome.ok ? disagreementLines(outcome.resolution) : []
  return {
    pass,
    message: () => {
      const lines = [hintOf(ctx, check), '', ...alignRows(check.rows(outcome, isNot))]
      if (report !== undefined) lines.push('', report)
      lines.push(...notes)
      return redactKeyIds(lines.join('\n'))
    },
  }
}

async function reportText(outcome: ProbeOutcome): Promise<string> {
  try {
    return String(await outcome.report())
  } catch (error) {
    return `Credential chain: could not be explained (${error instanceof Error ? error.message : String(error)})`
  }
}

/** `not ` before an expected value when the assertion is negated, as the runners print it. */
export function not(isNot: boolean): string {
  return isNot ? 'not ' : ''
}
