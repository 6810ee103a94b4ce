import { normalizeSource } from '../chain/sources.js'
import type { Source, SourceName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { printList, type Row } from './format.js'
import { matcherError, not, observe, processMatch, type MatchCheck } from './process-match.js'

/**
 * `await expect(client).toShadowCredentialsFrom('instanceProfile' | ['container', 'instanceProfile'])`:
 * each source was available but lost to a higher link (it is in the report's `shadowed`).
 */
export function toShadowCredentialsFrom(this: MatcherContext, received: unknown, sources: SourceName | readonly SourceName[]): Promise<MatcherResult> {
  const many = Array.isArray(sources)
  const shape = { name: 'toShadowCredentialsFrom', expected: many ? 'sources' : 'source' }
  observe(received)
  const names: readonly unknown[] = many ? sources : [sources]
  if (!names.length) throw matcherError(this, shape, 'expected at least one source, got []')
  const expected: Source[] = []
  for (const name of names) {
    let source: Source
    try {
      source = normalizeSource(name)
    } catch (error) {
      throw matcherError(this, shape, (error as Error).message)
    }
    if (!expected.includes(source)) expected.push(source)
  }
  const { printExpected, printReceived } = this.utils

  const check: MatchCheck = {
    ...shape,
    // Which links were available but lost is only known from the report: compute it first.
    needsReport: true,
    pass: (outcome, report) => outcome.ok && report !== undefined && expected.every((source) => report.shadowed.includes(source)),
    rows: (outcome, isNot, report) => {
      const rows: Row[] = [
        ['Expected shadowed', not(isNot) + (many ? printList(printExpected, expected) : printExpected(expected[0]))],
        ['Received shadowed', report ? printList(printReceived, report.shadowed) : 'unknown (the chain could not be explained)'],
      ]
      const winner = report?.winner ?? (outcome.ok ? outcome.resolution.source : undefined)
      rows.push(['Winner', winner === undefined ? 'none' : printReceived(winner)])
      if (!outcome.ok) rows.push(['Received error', printReceived(outcome.message)])
      return rows
    },
  }
  return processMatch(this, received, check)
}
