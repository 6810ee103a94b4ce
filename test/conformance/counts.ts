/** The suite's counts, per spec file: what the docs table (docs/conformance.md) is generated from. */
import { CASES, NOT_EXPRESSIBLE } from './index.js'

export interface SpecCount {
  spec: string
  expressible: number
  agreeing: number
  gaps: number
  notExpressible: number
}

export function countsBySpec(): SpecCount[] {
  const rows = new Map<string, SpecCount>()
  const row = (spec: string) => rows.get(spec) ?? rows.set(spec, { spec, expressible: 0, agreeing: 0, gaps: 0, notExpressible: 0 }).get(spec)!
  for (const c of CASES) {
    const r = row(c.spec)
    r.expressible++
    if (c.gap) r.gaps++
    else r.agreeing++
  }
  for (const n of NOT_EXPRESSIBLE) row(n.spec).notExpressible += n.rows ?? 1
  return [...rows.values()]
}

/** The markdown table between the `conformance:counts` markers of docs/conformance.md. */
export function countsTable(): string {
  const rows = countsBySpec()
  const total = rows.reduce((t, r) => ({ expressible: t.expressible + r.expressible, agreeing: t.agreeing + r.agreeing, gaps: t.gaps + r.gaps, notExpressible: t.notExpressible + r.notExpressible }), { expressible: 0, agreeing: 0, gaps: 0, notExpressible: 0 })
  const line = (name: string, r: Omit<SpecCount, 'spec'>) => `| ${name} | ${r.expressible + r.notExpressible} | ${r.expressible} | ${r.agreeing} | ${r.gaps} | ${r.notExpressible} |`
  return [
    '| spec file | rows | expressible (cases) | chainproof agrees | gap (it.fails) | not expressible |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => line(`\`${r.spec}\``, r)),
    line('**total**', total),
  ].join('\n')
}

/** Each gap case, by the gap it names. */
export function gapList(): string {
  const gaps = CASES.filter((c) => c.gap)
  if (gaps.length === 0) return '_None: every expressible case agrees._'
  return gaps.map((c) => `- \`${c.spec}\` — ${c.title}: ${c.gap}`).join('\n')
}
