/**
 * The parts of README.md and docs/*.md that describe the code are generated from it:
 *
 *   <!-- generated:NAME -->            a region, rewritten from GENERATED[NAME]
 *   …
 *   <!-- /generated:NAME -->
 *
 *   <!-- count:NAME -->7<!-- /count -->   a number, which must equal COUNTS[NAME]
 *
 * `test/docs/generated.test.ts` fails when one differs; `UPDATE_DOCS=1 npx vitest run test/docs`
 * rewrites them in place.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FAULT_CATALOGUE } from '../../src/world/faults.js'
import { SDK_NAMES } from '../../src/chain/sdks/index.js'
import { GO_V2_117_DIFFERENCES } from '../../src/chain/sdks/go.js'
import { SOURCES, SOURCE_ALIASES } from '../../src/types.js'
import { CAPTURE_HELP, DOCTOR_HELP, EXEC_HELP, EXPLAIN_HELP, SERVE_HELP, TOP_HELP } from '../../src/cli/help.js'
import { FLAG_SETTINGS, WITH_LOGIN, subsets } from '../support/scenario-space.js'
import { faultWorlds } from '../support/fault-worlds.js'

const root = join(import.meta.dirname, '..', '..')
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ')
const chainSources = SOURCES.filter((s) => s !== 'code')

export const COUNTS: Record<string, () => number> = {
  'fault-kinds': () => Object.values(FAULT_CATALOGUE).reduce((n, kinds) => n + Object.keys(kinds).length, 0),
  'fault-targets': () => Object.keys(FAULT_CATALOGUE).length,
  'chain-sources': () => chainSources.length,
  'agreement-worlds': () => subsets().length * FLAG_SETTINGS.length,
  /** The agreement suites' space: the seven chain sources and login. */
  'agreement-worlds-login': () => subsets(WITH_LOGIN).length * FLAG_SETTINGS.length,
  'sdk-models': () => SDK_NAMES.length,
  /** The fault catalogue's worlds of the other SDKs' agreement runs (test/support/fault-worlds.ts). */
  'fault-worlds': () => faultWorlds().length,
}

export const GENERATED: Record<string, () => string> = {
  /** The fault catalogue, as FAULT_CATALOGUE (src/world/faults.ts) holds it. */
  faults: () =>
    [
      '| target | kind | options | what the world does | what the real JS SDK v3 does |',
      '| --- | --- | --- | --- | --- |',
      ...Object.entries(FAULT_CATALOGUE).flatMap(([target, kinds]) =>
        Object.entries(kinds).map(([kind, entry]) => `| \`${target}\` | \`${kind}\` | ${cell(entry.optionsDoc)} | ${cell(entry.does)} | ${cell(entry.sdk)} |`),
      ),
    ].join('\n'),
  /** `chainproof --help` and each command's help, as src/cli/help.ts prints them. */
  'cli-help': () =>
    [
      ['chainproof --help', TOP_HELP],
      ['chainproof doctor --help', DOCTOR_HELP],
      ['chainproof explain --help', EXPLAIN_HELP],
      ['chainproof capture --help', CAPTURE_HELP],
      ['chainproof serve --help', SERVE_HELP],
      ['chainproof exec --help', EXEC_HELP],
    ]
      .map(([command, text]) => `### \`${command}\`\n\n\`\`\`text\n${text}\n\`\`\``)
      .join('\n\n'),
  /** The source names and aliases (src/types.ts). */
  sources: () => `Sources, in the order of the default chain: ${code(chainSources)}, plus \`code\` (credentials passed in code) — \`SOURCES\` from \`chainproof\`. Aliases (\`SOURCE_ALIASES\`): ${Object.entries(SOURCE_ALIASES).map(([alias, source]) => `\`${alias}\` → \`${source}\``).join(', ')}.`,
  /** The SDK models (src/chain/sdks). */
  'sdk-names': () => `SDK names (\`SDK_NAMES\`): ${code(SDK_NAMES)}.`,
  /** Where the go-v2@1.17 model differs from current upstream (src/chain/sdks/go.ts). */
  'go-117-differences': () => GO_V2_117_DIFFERENCES.map((d) => `- ${d}`).join('\n'),
  /** The compatibility table, as compat/run.mjs last wrote it (compat/results.md). */
  compat: () => {
    const file = join(root, 'compat', 'results.md')
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : '(compat/results.md has not been generated: run `node compat/run.mjs`)'
  },
}

const REGION = /<!-- generated:([\w-]+) -->\n([\s\S]*?)\n?<!-- \/generated:\1 -->/g
const COUNT = /<!-- count:([\w-]+) -->(\d+)<!-- \/count -->/g

/** The markdown with every region and count regenerated, and what was wrong with it. */
export function regenerate(markdown: string): { text: string; problems: string[] } {
  const problems: string[] = []
  let text = markdown.replace(REGION, (whole, name: string, body: string) => {
    const make = GENERATED[name]
    if (!make) {
      problems.push(`unknown generated region "${name}" (known: ${Object.keys(GENERATED).join(', ')})`)
      return whole
    }
    const fresh = make()
    if (body.trim() !== fresh.trim()) problems.push(`generated region "${name}" differs from the code`)
    return `<!-- generated:${name} -->\n${fresh}\n<!-- /generated:${name} -->`
  })
  text = text.replace(COUNT, (whole, name: string, value: string) => {
    const count = COUNTS[name]
    if (!count) {
      problems.push(`unknown count "${name}" (known: ${Object.keys(COUNTS).join(', ')})`)
      return whole
    }
    const fresh = count()
    if (Number(value) !== fresh) problems.push(`count "${name}" says ${value}, the code gives ${fresh}`)
    return `<!-- count:${name} -->${fresh}<!-- /count -->`
  })
  const opened = [...markdown.matchAll(/<!-- generated:([\w-]+) -->/g)].length
  const closed = [...markdown.matchAll(/<!-- \/generated:([\w-]+) -->/g)].length
  if (opened !== closed) problems.push(`${opened} generated regions opened, ${closed} closed`)
  return { text, problems }
}
