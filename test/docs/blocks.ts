/**
 * The code blocks of README.md and docs/*.md, found with marked's lexer and classified by how
 * `test/docs/code-blocks.test.ts` runs them. A block says how it is run with its first line or
 * its info string; without either, the kind follows from the code:
 *
 *   first line                         kind
 *   // fails on purpose: <message>     run as it would be otherwise, and it must FAIL with <message>
 *   // fragment[: why]                 type-checked only (TypeScript), never run
 *   // jest.config.js                  the Jest configuration the Jest blocks run with
 *   // vitest.config.ts                the Vitest configuration the Vitest blocks run with
 *
 *   info string word (```ts <word>)    kind
 *   vitest | jest                      a test file for that runner
 *   node                               a plain script: JavaScript run with node
 *   fragment                           type-checked only
 *   continues                          appended to the previous TS/JS block of the same file
 *
 *   otherwise: imports chainproof/jest or @jest/globals and calls it()/test() → jest; calls
 *   it()/test() → vitest; TypeScript without tests → a script run (under Vitest, which compiles
 *   it); JavaScript without tests → node.
 *
 * Every TypeScript block is also type-checked (strict, NodeNext); JavaScript blocks are run.
 * Other languages (sh, json, text…) are not run.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { lexer, type Token, type Tokens } from 'marked'

const root = join(import.meta.dirname, '..', '..')

/** README.md and every docs/*.md, relative to the repository. */
export function markdownFiles(): string[] {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`) : []
  return ['README.md', ...docs]
}

export type BlockKind = 'vitest' | 'jest' | 'script' | 'node' | 'fragment' | 'jest-config' | 'vitest-config'

export interface Block {
  /** e.g. `readme-L42`, `docs-faults-L10`: the generated file's stem. */
  id: string
  /** The markdown file, relative to the repository. */
  file: string
  /** 1-based line of the block's first code line in the markdown file. */
  line: number
  lang: 'ts' | 'js'
  kind: BlockKind
  code: string
  /** For `// fails on purpose: <message>`. */
  failsWith?: string
  /** Blocks appended to this one (`continues`), with their lines. */
  continued: { line: number; code: string }[]
  /** The markdown line of each generated line (for tsc's messages). */
  lineMap: number[]
}

const TS_LANGS = new Set(['ts', 'typescript', 'mts', 'cts'])
const JS_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs'])
const INFO_KINDS = new Set(['vitest', 'jest', 'node', 'fragment'])

/** Every fenced code block of a markdown text, with its info string and first code line. */
export function fencedBlocks(markdown: string): { info: string; code: string; line: number }[] {
  const found: { info: string; code: string; line: number }[] = []
  let cursor = 0
  const lineAt = (offset: number) => markdown.slice(0, offset).split('\n').length
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented') {
        const code = token as Tokens.Code
        const at = markdown.indexOf(code.raw.split('\n')[0]!.trim(), cursor)
        const fence = at >= 0 ? at : cursor
        cursor = fence + 1
        found.push({ info: (code.lang ?? '').trim(), code: code.text, line: lineAt(fence) + 1 })
      }
      const nested = token as { tokens?: Token[]; items?: Token[] }
      if (nested.tokens) walk(nested.tokens)
      if (nested.items) walk(nested.items)
    }
  }
  walk(lexer(markdown))
  return found
}

function stemOf(file: string): string {
  return file.replace(/\.md$/i, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()
}

/** The TS/JS blocks of one markdown file, classified (a `continues` block is merged into the one before). */
export function classifyBlocks(file: string, markdown: string): { blocks: Block[]; problems: string[] } {
  const blocks: Block[] = []
  const problems: string[] = []
  for (const { info, code, line } of fencedBlocks(markdown)) {
    const [langWord = '', ...words] = info.split(/\s+/).filter(Boolean)
    const lang = TS_LANGS.has(langWord) ? 'ts' : JS_LANGS.has(langWord) ? 'js' : undefined
    if (!lang) continue
    const where = `${file}:${line}`
    if (words.includes('continues')) {
      const previous = blocks.at(-1)
      if (!previous) {
        problems.push(`${where}: "continues", but no TS/JS block comes before it in ${file}`)
        continue
      }
      previous.continued.push({ line, code })
      previous.code += `\n${code}`
      previous.lineMap.push(...code.split('\n').map((_, i) => line + i))
      continue
    }
    const first = code.split('\n')[0]!.trim()
    let kind: BlockKind | undefined
    let failsWith: string | undefined
    const failing = /^\/\/\s*fails on purpose:\s*(.+)$/i.exec(first)
    if (failing) failsWith = failing[1]!.trim()
    else if (/^\/\/\s*fails on purpose\b/i.test(first)) problems.push(`${where}: "// fails on purpose" needs the expected message: // fails on purpose: <message>`)
    if (/^\/\/\s*fragment\b/i.test(first)) kind = 'fragment'
    else if (/^\/\/\s*jest\.config\.(js|cjs)\b/.test(first)) kind = 'jest-config'
    else if (/^\/\/\s*vitest\.config\.(ts|mts|js|mjs)\b/.test(first)) kind = 'vitest-config'
    const infoKind = words.find((w) => INFO_KINDS.has(w))
    const unknown = words.filter((w) => !INFO_KINDS.has(w))
    if (unknown.length) problems.push(`${where}: unknown info-string word${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...INFO_KINDS, 'continues'].join(', ')})`)
    if (!kind && infoKind) kind = infoKind as BlockKind
    // `kind` stays undecided ('' for now) until the blocks that continue this one are merged in
    blocks.push({ id: `${stemOf(file)}-L${line}`, file, line, lang, kind: kind ?? ('' as BlockKind), code, ...(failsWith ? { failsWith } : {}), continued: [], lineMap: code.split('\n').map((_, i) => line + i) })
  }
  for (const block of blocks) {
    const { code, lang } = block
    const where = `${block.file}:${block.line}`
    if (!block.kind) {
      const hasTests = /(^|[^.\w])(it|test)(\.each\([^)]*\))?\s*\(/m.test(code)
      if (hasTests) block.kind = /(\bfrom\s*|\brequire\(\s*|\bimport\s*)['"](chainproof\/jest|@jest\/globals)['"]/.test(code) ? 'jest' : 'vitest'
      else block.kind = lang === 'ts' ? 'script' : 'node'
    }
    if (block.kind === 'fragment' && lang === 'js') problems.push(`${where}: a JavaScript fragment would be neither run nor type-checked: make it TypeScript or runnable`)
    if (block.kind === 'fragment' && block.failsWith) problems.push(`${where}: a fragment is never run, so it cannot fail on purpose`)
    if (block.kind === 'node' && lang === 'ts') problems.push(`${where}: "node" runs JavaScript; Node 20 cannot run TypeScript (drop "node": the block runs as a script under Vitest)`)
    if (block.kind === 'script' && lang === 'js') block.kind = 'node'
  }
  return { blocks, problems }
}

/** The generated file of a block (in the generated directory), by kind and language. */
export function fileOf(block: Block): string {
  const module = /\b(require\(|module\.exports)/.test(block.code) ? 'cjs' : 'mjs'
  switch (block.kind) {
    case 'vitest':
      return `${block.id}.vitest.${block.lang === 'ts' ? 'ts' : 'js'}`
    case 'jest':
      return `${block.id}.jest.${block.lang === 'ts' ? 'ts' : 'js'}`
    case 'script':
      return `${block.id}.script.ts`
    case 'node':
      return `${block.id}.node.${module}`
    case 'fragment':
      return `${block.id}.fragment.ts`
    case 'jest-config':
      return `${block.id}.jest-config.cjs`
    case 'vitest-config':
      return `${block.id}.vitest-config.${block.lang === 'ts' ? 'mts' : 'mjs'}`
  }
}
