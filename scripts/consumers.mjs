#!/usr/bin/env node
/**
 * The consumer matrix: each project under test/consumers/ is copied into a fresh directory,
 * installs the PACKED TARBALL (what `npm publish` ships) next to real packages from the
 * registry — with npm and with pnpm — and runs its own `typecheck` and `test` scripts, as its
 * owner would. The projects are the setups users have: Vitest ESM TypeScript with sorted
 * imports, Vitest with setup-file-only registration, Jest CommonJS TypeScript without
 * esModuleInterop and skipLibCheck, plain JavaScript Jest on Node 20, and @jest/globals.
 *
 *   node scripts/consumers.mjs [--only=setup,setup] [--managers=npm,pnpm] [--keep]
 *
 * Installs need the registry; with CHAINPROOF_NETNS=1 (CI) the checks themselves run in a
 * network namespace with only loopback up. Writes consumers.json (per-check results and test
 * counts) to CHAINPROOF_AUDIT_DIR when set, and ends with "consumers: N passed, N failed".
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { packedTarball, repoRoot } from './lib/pack.mjs'
import { NPM_INSTALL, PNPM, countsOf, isolated, pool, run, runInstall, tail, userProjectEnv } from './lib/proc.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? true]
  }),
)
const setupsDir = join(repoRoot, 'test', 'consumers')
const setups = readdirSync(setupsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(setupsDir, d.name, 'package.json')))
  .map((d) => d.name)
  .filter((name) => !args.only || String(args.only).split(',').includes(name))
const managers = String(args.managers ?? 'npm,pnpm').split(',')

const started = performance.now()
const log = (line) => console.log(`[consumers ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`)
const work = mkdtempSync(join(tmpdir(), 'chainproof-consumers-'))
const installSlot = pool(3)
const checkSlot = pool(2)

/** pnpm from the registry, installed once into the work directory. */
let pnpmBin
function pnpm() {
  pnpmBin ??= (async () => {
    const dir = join(work, 'tools')
    mkdirSync(dir)
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n')
    const result = await runInstall('npm', [...NPM_INSTALL, PNPM], { cwd: dir })
    const bin = join(dir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')
    if (result.code !== 0 || !existsSync(bin)) throw new Error(`could not install ${PNPM}:\n${tail(result.output)}`)
    return bin
  })()
  return pnpmBin
}

async function install(dir, manager, tarball) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  manifest.devDependencies = { ...manifest.devDependencies, chainproof: `file:${tarball}` }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const env = { ...process.env, HOME: process.env.HOME ?? dir }
  if (manager === 'npm') return runInstall('npm', NPM_INSTALL, { cwd: dir, env })
  // pnpm: its symlinked store, strict node_modules; peers installed as npm does.
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'autoInstallPeers: true\n')
  return runInstall(process.execPath, [await pnpm(), 'install', '--prefer-offline', '--reporter=append-only', '--config.confirmModulesPurge=false'], { cwd: dir, env })
}

async function consumer(setup, manager, tarball) {
  const id = `${setup} (${manager})`
  const dir = join(work, `${setup}-${manager}`)
  cpSync(join(setupsDir, setup), dir, { recursive: true, filter: (src) => !/node_modules|report\.json$/.test(src) })
  const installed = await installSlot(() => install(dir, manager, tarball))
  log(`${id}: install ${installed.code === 0 ? 'ok' : 'FAILED'} in ${(installed.ms / 1000).toFixed(1)} s${installed.retried ? ' (the cache was stale: installed again with --prefer-online)' : ''}`)
  if (installed.code !== 0) return { setup, manager, ok: false, checks: { install: { ok: false, log: tail(installed.output) } } }
  const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts ?? {}
  const checks = {}
  await checkSlot(async () => {
    for (const script of ['typecheck', 'test']) {
      if (!scripts[script]) continue
      const report = join(dir, 'report.json')
      const [command, argv] = isolated('npm', ['run', '--silent', script])
      const result = await run(command, argv, { cwd: dir, env: userProjectEnv(dir) })
      const counts = script === 'test' ? countsOf(report) : undefined
      const ok = result.code === 0 && (!counts || (counts.failed === 0 && counts.passed > 0))
      checks[script] = { ok, ms: Math.round(result.ms), ...(counts ?? {}), ...(ok ? {} : { exit: result.code, log: tail(result.output, 60) }) }
      log(`${id}: ${script} ${ok ? 'ok' : 'FAILED'}${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ''} in ${(result.ms / 1000).toFixed(1)} s`)
    }
  })
  return { setup, manager, ok: Object.values(checks).every((c) => c.ok), installMs: Math.round(installed.ms), checks }
}

const tarball = packedTarball()
log(`tarball ${tarball}; ${setups.length} setups × ${managers.join(', ')}`)
const results = await Promise.all(setups.flatMap((setup) => managers.map((manager) => consumer(setup, manager, tarball))))

let passed = 0
let failed = 0
console.log('\n| setup | manager | typecheck | tests |\n| --- | --- | --- | --- |')
for (const r of results) {
  const t = r.checks.typecheck
  const test = r.checks.test
  console.log(`| ${r.setup} | ${r.manager} | ${t ? (t.ok ? '✅' : '❌') : r.checks.install ? '❌ install' : '—'} | ${test ? `${test.ok ? '✅' : '❌'} ${test.passed ?? 0} passed, ${test.failed ?? 0} failed` : '—'} |`)
  // A check is one test; a test run adds the tests it ran (a failed run with no report counts once).
  for (const [name, c] of Object.entries(r.checks)) {
    if (name === 'test') {
      passed += c.passed ?? 0
      failed += c.failed ?? 0
      if (!c.ok && !c.failed) failed++
    } else if (c.ok) passed++
    else failed++
  }
}
for (const r of results) for (const [name, c] of Object.entries(r.checks)) if (!c.ok) console.error(`\n✘ ${r.setup} (${r.manager}): ${name} (exit ${c.exit ?? '?'})\n${c.log ?? ''}`)
if (process.env.CHAINPROOF_AUDIT_DIR) writeFileSync(join(process.env.CHAINPROOF_AUDIT_DIR, 'consumers.json'), `${JSON.stringify({ passed, failed, results }, null, 2)}\n`)
if (args.keep) log(`kept ${work}`)
else rmSync(work, { recursive: true, force: true })
console.log(`consumers: ${passed} passed, ${failed} failed (${((performance.now() - started) / 1000).toFixed(0)} s)`)
process.exit(failed ? 1 : 0)
