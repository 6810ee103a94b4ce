/** The Vitest and Jest suites of the shadow and signature matchers run the same cases with the same snapshots. */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const bodyOf = (path: string) => {
  const text = readFileSync(new URL(path, import.meta.url), 'utf8')
  const end = text.indexOf('// ---- end runner ----')
  expect(end, `${path} has no "// ---- end runner ----" marker`).toBeGreaterThan(0)
  return text.slice(end)
}

it('shadow-and-signatures.test.ts and shadow-and-signatures.jest.test.ts differ only in their runner header', () => {
  const vitestBody = bodyOf('./shadow-and-signatures.test.ts')
  expect(vitestBody).toContain('toMatchInlineSnapshot(`')
  expect(bodyOf('./shadow-and-signatures.jest.test.ts')).toBe(vitestBody)
})
