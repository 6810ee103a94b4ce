/**
 * The counts of the conformance suite, printed, and held equal to docs/conformance.md's generated
 * table (CONFORMANCE_WRITE_DOCS=1 rewrites it). Every case names a spec file and a title, once.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countsTable, gapList, issue13Table } from './counts.js'
import { CASES, NOT_EXPRESSIBLE } from './index.js'

const docsPath = join(import.meta.dirname, '..', '..', 'docs', 'conformance.md')
// not `generated:` markers: those belong to test/docs/generated.ts
const BLOCKS = { counts: countsTable, gaps: gapList, issue13: issue13Table } as const

function regenerate(text: string): string {
  let out = text
  for (const [name, make] of Object.entries(BLOCKS)) {
    const pattern = new RegExp(`<!-- conformance:${name} -->\\n[\\s\\S]*?<!-- /conformance:${name} -->`)
    expect(out, `docs/conformance.md has the conformance:${name} markers`).toMatch(pattern)
    out = out.replace(pattern, () => `<!-- conformance:${name} -->\n${make()}\n<!-- /conformance:${name} -->`)
  }
  return out
}

describe('conformance suite counts', () => {
  it('names every case once, by spec file and title, and gives every omission a reason', () => {
    const keys = CASES.map((c) => `${c.spec} :: ${c.title}`)
    expect(keys.length).toBe(new Set(keys).size)
    for (const n of NOT_EXPRESSIBLE) expect(n.reason.length, n.title).toBeGreaterThan(10)
    console.log(`conformance: ${CASES.length} expressible cases (${CASES.filter((c) => c.gap).length} gaps), ${NOT_EXPRESSIBLE.reduce((t, n) => t + (n.rows ?? 1), 0)} spec tests not expressible\n${countsTable()}`)
  })

  it('docs/conformance.md carries the current counts and gaps', () => {
    const text = readFileSync(docsPath, 'utf8')
    const fresh = regenerate(text)
    if (process.env.CONFORMANCE_WRITE_DOCS === '1') writeFileSync(docsPath, fresh)
    else expect(text, 'run CONFORMANCE_WRITE_DOCS=1 npx vitest run test/conformance/counts.test.ts').toBe(fresh)
  })
})
