/**
 * The docs agree with the code: generated regions and counts (test/docs/generated.ts) match,
 * every relative link and #anchor resolves, and the README's contents list every docs/ page.
 * `UPDATE_DOCS=1 npx vitest run test/docs/generated.test.ts` rewrites the generated parts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { lexer, type Token } from 'marked'
import { describe, expect, it } from 'vitest'
import { markdownFiles } from './blocks.js'
import { regenerate } from './generated.js'

const root = join(import.meta.dirname, '..', '..')
const read = (file: string) => readFileSync(join(root, file), 'utf8')

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'heading') {
        const base = token.text.toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-')
        const n = seen.get(base) ?? 0
        seen.set(base, n + 1)
        anchors.add(n ? `${base}-${n}` : base)
      }
    }
  }
  walk(lexer(markdown))
  return anchors
}

function linksOf(markdown: string): string[] {
  const links: string[] = []
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'link') links.push((token as { href: string }).href)
      const nested = token as { tokens?: Token[]; items?: Token[]; rows?: { tokens: Token[] }[][]; header?: { tokens: Token[] }[] }
      if (nested.tokens) walk(nested.tokens)
      if (nested.items) walk(nested.items)
      if (nested.header) for (const c of nested.header) walk(c.tokens)
      if (nested.rows) for (const row of nested.rows) for (const c of row) walk(c.tokens)
    }
  }
  walk(lexer(markdown))
  return links
}

describe('README.md and docs/*.md agree with the code', () => {
  it.each(markdownFiles())('%s: generated regions and counts are current', (file) => {
    const markdown = read(file)
    const { text, problems } = regenerate(markdown)
    if (process.env.UPDATE_DOCS === '1') {
      if (text !== markdown) writeFileSync(join(root, file), text)
      expect(problems.filter((p) => p.startsWith('unknown') || p.includes('opened'))).toEqual([])
      return
    }
    expect(problems, `${file}: run UPDATE_DOCS=1 npx vitest run test/docs/generated.test.ts`).toEqual([])
  })

  it.each(markdownFiles())('%s: every relative link and anchor resolves', (file) => {
    const broken: string[] = []
    for (const href of linksOf(read(file))) {
      if (/^[a-z]+:/i.test(href)) continue // https:, mailto:
      const [path = '', anchor] = href.split('#')
      const target = path ? normalize(join(dirname(file), path)) : file
      if (!existsSync(join(root, target))) {
        broken.push(`${href}: no ${target}`)
        continue
      }
      if (anchor && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor)) broken.push(`${href}: no heading #${anchor} in ${target}`)
    }
    expect(broken).toEqual([])
  })

  it("the README's contents link every docs/ page", () => {
    const readme = linksOf(read('README.md')).map((href) => href.split('#')[0])
    const pages = markdownFiles().filter((f) => f.startsWith('docs/'))
    expect(pages.filter((page) => !readme.includes(page))).toEqual([])
  })
})
