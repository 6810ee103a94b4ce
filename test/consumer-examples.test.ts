/**
 * The consumer matrix (scripts/consumers.mjs) runs the README's examples in every setup users
 * have: each project under test/consumers/ must hold the README's first test and the classic
 * bug, statement for statement, so the two cannot drift apart.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { marked } from 'marked'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

/** The statements of the README's tests: `await world.set(…)` and `await expect(…)` lines. */
const statements = marked
  .lexer(readme)
  .filter((token): token is { type: 'code'; lang: string; text: string } & typeof token => token.type === 'code' && /^ts\b/.test((token as { lang?: string }).lang ?? ''))
  .flatMap((block) => block.text.split('\n'))
  .map((line) => line.trim())
  .filter((line) => /^await (world\.set|expect)\(/.test(line))

const CONSUMERS: Record<string, { file: string; worldSet: boolean }> = {
  'vitest-sorted': { file: 'readme.test.ts', worldSet: true },
  'vitest-setup-file': { file: 'readme.test.ts', worldSet: false },
  'jest-cjs-ts': { file: 'readme.test.ts', worldSet: true },
  'jest-globals': { file: 'readme.test.ts', worldSet: true },
  'jest-js': { file: 'readme.test.js', worldSet: true },
}

describe("the README's examples in every consumer setup", () => {
  it('finds the first test and the classic bug in the README', () => {
    expect(statements).toEqual(
      expect.arrayContaining([
        "await world.set({ instanceProfile: { role: 'web' } })",
        "await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')",
        "await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })",
        "await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')",
      ]),
    )
  })

  for (const [setup, { file, worldSet }] of Object.entries(CONSUMERS)) {
    it(`${setup} holds them`, () => {
      const text = readFileSync(join(root, 'test', 'consumers', setup, file), 'utf8')
      const lines = new Set(text.split('\n').map((line) => line.trim()))
      const wanted = statements.filter((s) => worldSet || !s.startsWith('await world.set'))
      expect(wanted.filter((s) => !lines.has(s))).toEqual([])
    })
  }
})
