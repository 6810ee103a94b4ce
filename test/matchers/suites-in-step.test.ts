/** The Vitest and Jest integration suites must run the same cases with the same snapshots. */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const bodyOf = (path: string) => {
  const text = readFileSync(new URL(path, import.meta.url), 'utf8')
  const end = text.indexOf('// ---- end runner ----')
  expect(end, `${path} has no "// ---- end runner ----" marker`).toBeGreaterThan(0)
  return text.slice(end)
}

it('matchers.test.ts and matchers.jest.test.ts differ only in their runner header', () => {
  const vitestBody = bodyOf('./matchers.test.ts')
  expect(vitestBody).toContain('toMatchInlineSnapshot(`')
  expect(bodyOf('../matchers.jest.test.ts')).toBe(vitestBody)
})
