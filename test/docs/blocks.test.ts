/** How test/docs/blocks.ts classifies a block (the rules documented in docs/developing.md). */
import { describe, expect, it } from 'vitest'
import { classifyBlocks } from './blocks.js'

const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`
const kinds = (markdown: string) => {
  const { blocks, problems } = classifyBlocks('x.md', markdown)
  return { kinds: blocks.map((b) => [b.kind, b.failsWith]), problems }
}

describe('classifyBlocks', () => {
  it('tells runners, scripts and fragments apart', () => {
    const md = [
      fence('ts', "import { it } from 'vitest'\nit('a', () => {})"),
      fence('ts', "import { useCredentialWorld } from 'chainproof/jest'\ntest('b', async () => {})"),
      fence('ts', "import 'chainproof/vitest' // or 'chainproof/jest'\nit('c', () => {})"),
      fence('ts', 'const a = 1'),
      fence('js', 'console.log(1)'),
      fence('ts', '// fragment: shape only\ndeclare const x: number'),
      fence('ts', "// fails on purpose: Expected source\nit('d', () => {})"),
      fence('js', '// jest.config.js\nmodule.exports = {}'),
      fence('ts', "// vitest.config.ts\nexport default {}"),
      fence('sh', 'npm test'),
      fence('json', '{}'),
    ].join('\n')
    expect(kinds(md)).toEqual({
      kinds: [['vitest', undefined], ['jest', undefined], ['vitest', undefined], ['script', undefined], ['node', undefined], ['fragment', undefined], ['vitest', 'Expected source'], ['jest-config', undefined], ['vitest-config', undefined]],
      problems: [],
    })
  })

  it('merges a continuing block into the one before, keeping its markdown lines', () => {
    const { blocks } = classifyBlocks('x.md', `${fence('ts', "import { it } from 'vitest'")}\ntext\n\n${fence('ts continues', "it('a', () => {})")}`)
    expect(blocks).toHaveLength(1)
    expect(blocks[0]!.kind).toBe('vitest')
    expect(blocks[0]!.lineMap).toEqual([2, 8])
  })

  it('names what is wrong with a block', () => {
    const md = [fence('ts continues', 'x'), fence('ts frobnicate', 'x'), fence('ts', '// fails on purpose\nit("a", () => {})'), fence('js fragment', 'x')].join('\n')
    expect(kinds(md).problems).toEqual([
      'x.md:2: "continues", but no TS/JS block comes before it in x.md',
      'x.md:6: unknown info-string word frobnicate (known: vitest, jest, node, fragment, continues)',
      'x.md:10: "// fails on purpose" needs the expected message: // fails on purpose: <message>',
      'x.md:15: a JavaScript fragment would be neither run nor type-checked: make it TypeScript or runnable',
    ])
  })
})
