/** The Vitest and Jest suites of the client-mock bridge run the same cases with the same snapshots. */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const bodyOf = (path: string) => {
  const text = readFileSync(new URL(path, import.meta.url), 'utf8')
  const end = text.indexOf('// ---- end runner ----')
  expect(end, `${path} has no "// ---- end runner ----" marker`).toBeGreaterThan(0)
  return text.slice(end)
}

it('client-mock.test.ts and client-mock.jest.test.ts differ only in their runner header', () => {
  const vitestBody = bodyOf('./client-mock.test.ts')
  expect(vitestBody).toContain('toMatchInlineSnapshot(`')
  expect(bodyOf('../client-mock.jest.test.ts')).toBe(vitestBody)
})
