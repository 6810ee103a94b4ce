import { ChainproofError } from '../errors.js'
import { auditText } from '../audit.js'
import { probe } from '../probe/probe.js'
import type { ProbeOutcome } from '../probe/outcome.js'
import { isThenable } from '../probe/target.js'
import type { ChainReport, Source, SourceName } from '../types.js'
import { normalizeSource, toSource } from '../chain/sources.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { alignRows, disagreementLines, redactKeyIds, type Row } from './format.js'

/** How a matcher's hint line reads: `expect(<received>).<name>(<expected>, <secondArgument>)`. */
export interface MatchShape {
  /** The matcher's name, e.g. `toResolveCredentialsFrom`. */
  readonly name: string
  /** The expected argument's name in the hint (`source`), or `''` when there is none. */
  readonly expected: string
  /** A second argument's name in the hint (`options`), when one was passed. */
  readonly secondArgument?: string
  /** What the received value is called in the hint; `client` by default. */
  readonly received?: string
}

/** What a matcher decides; {@link processMatch} does the rest (probe, report, message). */
export interface MatchCheck extends MatchShape {
  /**
   * The decision needs the chain report (e.g. which links were shadowed), so it is computed
   * before judging and handed to `pass` and `rows`; otherwise only when the assertion fails.
   */
  readonly needsReport?: boolean
  /** `report` is given when `needsReport` is set (undefined if it could not be computed). */
  pass(outcome: ProbeOutcome, report?: ChainReport): boolean
  /** The Expected/Received rows for this outcome; `isNot` says which way the assertion went. */
  rows(outcome: ProbeOutcome, isNot: boolean, report?: ChainReport): Row[]
}

/** The hint line, e.g. `expect(client).not.toResolveCredentialsFrom(source)`. */
export function hintOf(ctx: MatcherContext, check: MatchShape): string {
  const options = { isNot: ctx.isNot === true, promise: ctx.promise ?? '', ...(check.secondArgument ? { secondArgument: check.secondArgument } : {}) }
  return ctx.utils.matcherHint(`.${check.name}`, check.received ?? 'client', check.expected, options)
}

/**
 * A matcher error (a bad expected value, not a failed assertion), thrown before anything is
 * probed. It reads like the runners' own: hint, then `Matcher error: …`.
 */
export function matcherError(ctx: MatcherContext, check: MatchShape, problem: string): ChainproofError {
  return new ChainproofError(`${hintOf(ctx, check)}\n\nMatcher error: ${problem}`)
}

/** The canonical source a matcher's expected argument names; a matcher error that says why when it names none. */
export function expectedSourceOf(ctx: MatcherContext, shape: MatchShape, source: unknown): Source {
  const expected = toSource(source as SourceName)
  if (expected) return expected
  let problem: string
  try {
    normalizeSource(source as SourceName)
    problem = `unknown credential source ${JSON.stringify(source)}`
  } catch (error) {
    problem = (error as Error).message
  }
  throw matcherError(ctx, shape, problem)
}

/**
 * Marks a received promise as observed, for a matcher that throws a matcher error before it
 * awaits it: a later rejection must not surface as an unhandled rejection after the test.
 */
export function observe(received: unknown): void {
  if (isThenable(received)) Promise.resolve(received).catch(() => {})
}

/**
 * Runs the probe on the received target and judges it: the one entry of every matcher. The
 * matchers above it are plain functions (a bad expected value throws at once; `awaited` turns
 * that into the matcher's rejection), and an assertion that needs no report is decided in the
 * probe's own continuation: on the path every passing assertion takes, each async layer is a
 * turn of the microtask queue the bare SDK does not pay.
 */
export function processMatch(ctx: MatcherContext, received: unknown, check: MatchCheck): Promise<MatcherResult> {
  return probe(received).then((outcome) => decide(ctx, outcome, check))
}

/**
 * Decides pass/fail for a probe outcome. The chain report is costly, so it is computed only
 * when the decision needs it or the assertion is about to fail, and baked into the message,
 * which is built lazily; a passing assertion that needs none is decided synchronously.
 */
function decide(ctx: MatcherContext, outcome: ProbeOutcome, check: MatchCheck): MatcherResult | Promise<MatcherResult> {
  if (check.needsReport) {
    return explained(outcome.report).then((needed) => judged(ctx, outcome, check, check.pass(outcome, needed.report), needed.text, needed.report))
  }
  const pass = check.pass(outcome)
  if (pass !== (ctx.isNot === true)) return judged(ctx, outcome, check, pass)
  return explained(outcome.report).then((failure) => judged(ctx, outcome, check, pass, failure.text))
}

/**
 * The result of a decided assertion: a failing one carries the report's text (and the
 * resolution's disagreements); `report` is the one the decision itself read, for the rows.
 */
function judged(ctx: MatcherContext, outcome: ProbeOutcome, check: MatchCheck, pass: boolean, text?: string, report?: ChainReport): MatcherResult {
  const isNot = ctx.isNot === true
  const failing = pass === isNot
  const notes = failing && outcome.ok ? disagreementLines(outcome.resolution) : []
  return matchResult(ctx, check, pass, () => ({ rows: check.rows(outcome, isNot, report), report: failing ? text : undefined, after: notes }))
}

/** What a failure message holds below its hint: the rows, then the report, then free lines. */
export interface MessageBody {
  rows: Row[]
  /** A section after a blank line: the chain report table, or a list. */
  report?: string | undefined
  /** Lines appended as they are (each section brings its own blank line). */
  after?: string[]
}

/**
 * A decided assertion as the runners want it: `pass`, and a message built lazily in the common
 * layout (hint, rows, report) with every key id that slipped in masked.
 */
export function matchResult(ctx: MatcherContext, shape: MatchShape, pass: boolean, body: () => MessageBody): MatcherResult {
  return {
    pass,
    message: () => {
      const { rows, report, after = [] } = body()
      const lines = [hintOf(ctx, shape), '', ...alignRows(rows)]
      if (report !== undefined) lines.push('', report)
      lines.push(...after)
      const message = redactKeyIds(lines.join('\n'))
      auditText(message)
      return message
    },
  }
}

/** The chain report and its table; the table says why when the report cannot be computed. */
export async function explained(report: () => Promise<ChainReport>): Promise<{ report?: ChainReport; text: string }> {
  try {
    const value = await report()
    return { report: value, text: String(value) }
  } catch (error) {
    return { text: `Credential chain: could not be explained (${error instanceof Error ? error.message : String(error)})` }
  }
}

/** `not ` before an expected value when the assertion is negated, as the runners print it. */
export function not(isNot: boolean): string {
  return isNot ? 'not ' : ''
}
