/**
 * Every TypeScript and JavaScript code block in README.md and docs/*.md is run or type-checked
 * (classification: test/docs/blocks.ts). The blocks are written to test/docs/.blocks/ — inside
 * the repository, so `chainproof`, `chainproof/vitest` and `chainproof/jest` resolve to the
 * BUILT package (dist, built by `npm test` first) through the package's self-reference — and then,
 * in parallel, one process each:
 *
 *   - Vitest over the Vitest blocks and the TypeScript scripts (each script imported by a one-test
 *     wrapper), with the docs' vitest.config.ts block merged in and the suite's loopback guard;
 *   - Jest over the Jest blocks, with the docs' jest.config.js block as its configuration;
 *   - node over the JavaScript scripts (one process imports them in turn);
 *   - tsc (strict, NodeNext) over every TypeScript block.
 *
 * Children get a clean environment: PATH, a temporary HOME, and the switches below — never the
 * real HOME or any AWS_* variable. Nothing is installed: the repository's node_modules serve.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { classifyBlocks, fileOf, markdownFiles, type Block } from './blocks.js'

const root = join(import.meta.dirname, '..', '..')
const out = join(import.meta.dirname, '.blocks')
const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file)

const parsed = markdownFiles().map((file) => classifyBlocks(file, readFileSync(join(root, file), 'utf8')))
const blocks: Block[] = parsed.flatMap((p) => p.blocks)
const problems = parsed.flatMap((p) => p.problems)
const runnable = (kind: Block['kind']) => blocks.filter((b) => b.kind === kind)

interface FileResult {
  /** 'passed' | 'failed': the file as a whole (a file that failed to load has no tests). */
  status: string
  tests: { title: string; status: string; messages: string[] }[]
  message: string
}
const results = new Map<string, FileResult>()
let typechecked = new Set<string>()
let tscErrors: string[] = []
const logs: Record<string, string> = {}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '')

function run(name: string, command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: out, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d))
    child.stderr.on('data', (d: Buffer) => (text += d))
    child.on('close', (code) => {
      logs[name] = stripAnsi(text)
      resolve(code ?? 1)
    })
  })
}

/** Vitest's and Jest's JSON reports have the same shape for what is read here. */
function readRunnerJson(file: string): void {
  if (!existsSync(file)) return
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    testResults: { name: string; status: string; message?: string; assertionResults: { title: string; status: string; failureMessages?: string[] }[] }[]
  }
  for (const suite of data.testResults) {
    results.set(relative(out, suite.name), {
      status: suite.status,
      message: stripAnsi(suite.message ?? ''),
      tests: suite.assertionResults.map((a) => ({ title: a.title, status: a.status, messages: (a.failureMessages ?? []).map(stripAnsi) })),
    })
  }
}

function generate(): void {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  for (const block of blocks) writeFileSync(join(out, fileOf(block)), `${block.code}\n`)
  // TypeScript scripts run under Vitest, one wrapper test each (the script's own file stays the block verbatim).
  for (const block of runnable('script')) {
    writeFileSync(
      join(out, `${block.id}.vitest-script.ts`),
      `import { it } from 'vitest'\nit(${JSON.stringify(`${block.file}:${block.line}`)}, async () => {\n  await import('./${block.id}.script.js')\n})\n`,
    )
  }
  const vitestConfigs = runnable('vitest-config')
  const jestConfigs = runnable('jest-config')
  if (vitestConfigs.length > 1 || jestConfigs.length > 1) problems.push('the docs may hold one vitest.config.ts block and one jest.config.js block: the blocks run with them')
  const guard = join(root, 'test', 'setup', 'loopback-only.ts')
  writeFileSync(
    join(out, 'vitest.runner.mts'),
    [
      `import { defineConfig, mergeConfig } from 'vitest/config'`,
      vitestConfigs[0] ? `import docs from './${fileOf(vitestConfigs[0])}'` : 'const docs = {}',
      `export default mergeConfig(docs, defineConfig({ test: { root: ${JSON.stringify(out)}, include: ['*.vitest.ts', '*.vitest.js', '*.vitest-script.ts'], pool: 'forks', testTimeout: 20_000, setupFiles: [${JSON.stringify(guard)}] } }))`,
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(out, 'jest.runner.cjs'),
    [
      jestConfigs[0] ? `const docs = require('./${fileOf(jestConfigs[0])}')` : 'const docs = {}',
      `module.exports = { ...docs, rootDir: __dirname, testEnvironment: 'node', testMatch: ['<rootDir>/*.jest.ts', '<rootDir>/*.jest.js'], testTimeout: 20000,`,
      `  transform: { '^.+\\\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] } }`,
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(out, 'node.runner.mjs'),
    `// Imports each JavaScript script in turn; one JSON line per script.\nimport { writeFileSync } from 'node:fs'\nconst results = {}\nfor (const file of process.argv.slice(2)) {\n  try { await import('./' + file); results[file] = { status: 'passed', message: '' } }\n  catch (error) { results[file] = { status: 'failed', message: String(error?.stack ?? error) } }\n}\nwriteFileSync('node.json', JSON.stringify(results))\n`,
  )
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'ESNext.Disposable', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          moduleDetection: 'force',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node', 'jest'],
        },
        include: ['*.ts', '*.mts', '*.cts'],
        exclude: ['*.vitest-script.ts', 'vitest.runner.mts'],
      },
      null,
      2,
    ),
  )
}

beforeAll(async () => {
  for (const built of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/jest.cjs', 'dist/cjs/jest.d.cts']) {
    // `npm test` builds everything first; `npm run demo` (CHAINPROOF_BUILD=js) leaves no declaration files.
    if (!existsSync(join(root, built))) throw new Error(`${built} is missing: the docs' blocks run against the built package — run \`npm run build\` (a full build, with declarations) first`)
  }
  generate()
  const home = mkdtempSync(join(tmpdir(), 'chainproof-docs-home-'))
  // A clean environment: never the real HOME or AWS_* variables. CHAINPROOF_AUDIT_DIR (set by
  // npm test) lets the blocks' secrets join the run's secret audit.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
    CI: 'true',
    ...(process.env.CHAINPROOF_AUDIT_DIR ? { CHAINPROOF_AUDIT_DIR: process.env.CHAINPROOF_AUDIT_DIR } : {}),
  }
  const node = process.execPath
  const vitestFiles = [...runnable('vitest'), ...runnable('script')]
  const jestFiles = runnable('jest')
  const nodeFiles = runnable('node').map(fileOf)
  await Promise.all([
    vitestFiles.length
      ? run('vitest', node, [bin('vitest', 'vitest.mjs'), 'run', '--config', 'vitest.runner.mts', '--reporter=json', '--outputFile=vitest.json'], env)
      : undefined,
    jestFiles.length
      ? run('jest', node, [bin('jest', 'bin/jest.js'), '--config', 'jest.runner.cjs', '--ci', '--json', '--outputFile=jest.json', '--cacheDirectory', join(home, 'jest-cache')], env)
      : undefined,
    nodeFiles.length ? run('node', node, ['node.runner.mjs', ...nodeFiles], env) : undefined,
    run('tsc', node, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--listFiles', '--pretty', 'false'], env),
  ])
  readRunnerJson(join(out, 'vitest.json'))
  readRunnerJson(join(out, 'jest.json'))
  if (existsSync(join(out, 'node.json'))) {
    for (const [file, r] of Object.entries(JSON.parse(readFileSync(join(out, 'node.json'), 'utf8')) as Record<string, { status: string; message: string }>)) {
      results.set(file, { status: r.status, message: r.message, tests: [{ title: file, status: r.status, messages: r.message ? [r.message] : [] }] })
    }
  }
  const tscLines = (logs.tsc ?? '').split('\n')
  typechecked = new Set(tscLines.filter((l) => l.startsWith(out)).map((l) => relative(out, l.trim())))
  tscErrors = tscLines.filter((l) => /: error TS\d+/.test(l))
  rmSync(home, { recursive: true, force: true })
}, 180_000)

// The generated files stay in test/docs/.blocks (git-ignored) for inspection after a failure.

/** tsc's errors in a block's file, pointed at the markdown line. */
function typeErrorsOf(block: Block): string[] {
  const file = fileOf(block)
  return tscErrors
    .filter((l) => l.startsWith(`${file}(`))
    .map((l) => {
      const m = /^[^(]+\((\d+),(\d+)\): (.*)$/.exec(l)
      return m ? `${block.file}:${block.lineMap[Number(m[1]) - 1] ?? block.line}:${m[2]} ${m[3]}` : l
    })
}

function resultOf(block: Block): FileResult | undefined {
  return results.get(block.kind === 'script' ? `${block.id}.vitest-script.ts` : fileOf(block))
}

function describeFailure(block: Block, result: FileResult | undefined): string {
  if (!result) return `${block.file}:${block.line}: no result (runner log below)\n${(logs[block.kind === 'jest' ? 'jest' : block.kind === 'node' ? 'node' : 'vitest'] ?? '').slice(-4000)}`
  const failures = result.tests.filter((t) => t.status === 'failed').flatMap((t) => [`✘ ${t.title}`, ...t.messages])
  return [`${block.file}:${block.line} (${block.kind}, ${fileOf(block)})`, result.message, ...failures].filter(Boolean).join('\n')
}

describe('code blocks of README.md and docs/*.md', () => {
  it('are all well-formed (directives, info strings)', () => {
    expect(problems).toEqual([])
  })

  it('every TS/JS block is run or type-checked', () => {
    const uncovered = blocks.filter((b) => {
      const ran = b.kind !== 'fragment' && b.kind !== 'vitest-config' && resultOf(b) !== undefined
      const checked = b.lang === 'ts' && typechecked.has(fileOf(b))
      const usedAsConfig = b.kind === 'jest-config' || b.kind === 'vitest-config'
      return !ran && !checked && !usedAsConfig
    })
    expect(uncovered.map((b) => `${b.file}:${b.line} (${b.kind})`)).toEqual([])
    // every TypeScript block is in the tsc program, whatever else is done with it
    expect(blocks.filter((b) => b.lang === 'ts' && !typechecked.has(fileOf(b))).map((b) => `${b.file}:${b.line}`)).toEqual([])
  })

  it.each(blocks.map((b) => [`${b.file}:${b.line} ${b.kind}${b.failsWith ? ' (fails on purpose)' : ''}`, b] as const))('%s', (_name, block) => {
    if (block.lang === 'ts') expect(typeErrorsOf(block), `type errors in ${block.file}:${block.line}`).toEqual([])
    if (block.kind === 'fragment') return
    if (block.kind === 'vitest-config' || block.kind === 'jest-config') {
      // A configuration is proven by the runs that use it: its runner must have run every block of its kind.
      const kind = block.kind === 'jest-config' ? 'jest' : 'vitest'
      expect(runnable(kind).every((b) => resultOf(b) !== undefined), logs[kind]?.slice(-4000)).toBe(true)
      return
    }
    const result = resultOf(block)
    expect(result, describeFailure(block, result)).toBeDefined()
    if (block.failsWith) {
      const messages = [result!.message, ...result!.tests.flatMap((t) => t.messages)].join('\n')
      expect(result!.tests.some((t) => t.status === 'failed') || result!.status === 'failed', `${block.file}:${block.line} should fail on purpose, but passed`).toBe(true)
      expect(messages, `${block.file}:${block.line} failed, but not with the message its first line promises`).toContain(block.failsWith)
    } else {
      expect(result!.tests.length, describeFailure(block, result)).toBeGreaterThan(0)
      expect(result!.status === 'passed' && result!.tests.every((t) => t.status === 'passed'), describeFailure(block, result)).toBe(true)
    }
  })
})
