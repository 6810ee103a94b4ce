#!/usr/bin/env node
/**
 * `npm test`: pack, then every suite, then the secret audit.
 *
 *   1. npm pack: its prepack builds dist (the Jest suites run against it), and the tarball is
 *      what the consumer matrix installs (CHAINPROOF_TARBALL, when set, is used instead)
 *   2. Vitest, in-process suites           ┐ inside a network namespace with only loopback up
 *   3. Jest, against the built package     ┘ when CHAINPROOF_NETNS=1 (CI), so nothing can leave
 *   4. tsc over the per-runner type tests
 *   5. the consumer matrix (scripts/consumers.mjs): user projects install the tarball from the
 *      registry with npm and pnpm, then type-check and run their tests (inside the namespace)
 *   6. Vitest, container suites (test/containers; they need the Docker engine's network)
 *   7. the secret audit: every secret the worlds issued, searched for in every report, matcher
 *      message, runner log and test file of the run — zero hits, or the run fails
 *
 * It ends with one plain line: "N passed, N failed".
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const audit = mkdtempSync(join(tmpdir(), 'chainproof-audit-'))
// CHAINPROOF_IMAGE_BASE=scratch: the container suites never make the engine try a registry pull.
const agreement = join(audit, 'agreement')
const env = { CHAINPROOF_IMAGE_BASE: 'scratch', ...process.env, CHAINPROOF_AUDIT_DIR: audit, CHAINPROOF_AGREEMENT_DIR: agreement, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
const bin = (pkg, file) => join(root, 'node_modules', pkg, file)

function netnsPrefix() {
  if (process.env.CHAINPROOF_NETNS !== '1') return []
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' })
  if (probe.status !== 0) {
    console.error(`CHAINPROOF_NETNS=1 but a network namespace cannot be made here (unshare -n as root, and ip from iproute2, are needed): ${probe.stderr.trim()}`)
    process.exit(1)
  }
  console.log('chainproof: in-process suites run inside a network namespace with only loopback up (unshare -n)')
  return ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns']
}

const logs = []
function step(name, command, args, { netns = false } = {}) {
  const prefix = netns ? netnsPrefix() : []
  const argv = [...prefix, command, ...args]
  console.log(`\n▶ ${name}`)
  const log = join(audit, `${name.replace(/\W+/g, '-')}.log`)
  // Output goes to the terminal and to a log the audit searches.
  const result = spawnSync('bash', ['-c', 'set -o pipefail; "$@" 2>&1 | tee "$LOG"', 'step', ...argv], {
    cwd: root,
    env: { ...env, LOG: log },
    stdio: 'inherit',
    shell: false,
  })
  logs.push(log)
  return result.status ?? 1
}

/**
 * One table for every SDK model the Vitest step ran against its real SDK (test/sdks/*: each
 * suite leaves its figures in CHAINPROOF_AGREEMENT_DIR; the suites themselves fail under 99.5 %).
 */
function printAgreement() {
  if (!existsSync(agreement)) return
  const order = ['js-v2', 'ruby-v3', 'go-v2@1.17', 'botocore', 'aws-cli-v2']
  const runs = readdirSync(agreement)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(agreement, f), 'utf8')))
    .sort((a, b) => (order.indexOf(a.sdk) + 1 || 99) - (order.indexOf(b.sdk) + 1 || 99))
  if (!runs.length) return
  const pct = (agreed, worlds) => (worlds ? ((100 * agreed) / worlds).toFixed(2) : '—')
  const lines = ['', '▶ agreement: each SDK model against its real SDK, asked about the same loopback worlds (inside the network namespace)', '| SDK | release | worlds from | variables | worlds | agreed | % |', '| --- | --- | --- | --- | ---: | ---: | ---: |']
  for (const run of runs) {
    for (const row of run.rows) lines.push(`| ${run.sdk} | ${run.release} | ${row.set} | ${row.mode} | ${row.worlds} | ${row.agreed} | ${pct(row.agreed, row.worlds)} |`)
    const worlds = run.rows.reduce((n, r) => n + r.worlds, 0)
    const agreed = run.rows.reduce((n, r) => n + r.agreed, 0)
    lines.push(`| **${run.sdk}** | | all | | **${worlds}** | **${agreed}** | **${pct(agreed, worlds)}** |`)
    for (const d of run.disagreements ?? []) lines.push(`  ${run.sdk} disagreement (${d.count}): ${d.key} — e.g. ${JSON.stringify(d.example)}`)
  }
  console.log(lines.join('\n'))
}

function counts(file, kind) {
  if (!existsSync(file)) return { passed: 0, failed: 0 }
  const data = JSON.parse(readFileSync(file, 'utf8'))
  if (kind === 'consumers') return { passed: data.passed ?? 0, failed: data.failed ?? 0 }
  return kind === 'jest' || kind === 'vitest'
    ? { passed: data.numPassedTests ?? 0, failed: (data.numFailedTests ?? 0) + (data.numRuntimeErrorTestSuites ?? 0) }
    : { passed: 0, failed: 0 }
}

let failed = 0
const fail = (status, what) => {
  if (status !== 0) {
    console.error(`✘ ${what} failed (exit ${status})`)
    failed++
  }
}

if (process.env.CHAINPROOF_TARBALL) {
  if (!existsSync(process.env.CHAINPROOF_TARBALL)) {
    console.error(`CHAINPROOF_TARBALL names ${process.env.CHAINPROOF_TARBALL}, which does not exist`)
    process.exit(1)
  }
  console.log(`chainproof: testing the tarball ${process.env.CHAINPROOF_TARBALL} (its dist is this checkout's)`)
} else {
  const packs = join(audit, 'pack')
  mkdirSync(packs)
  fail(step('pack', 'npm', ['pack', '--silent', '--pack-destination', packs]), 'npm pack (and its prepack build)')
  if (failed) process.exit(1)
  env.CHAINPROOF_TARBALL = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz')))
}

const vitestJson = join(audit, 'vitest.json')
fail(
  step('vitest', process.execPath, [bin('vitest', 'vitest.mjs'), 'run', '--exclude', 'test/containers/**', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], { netns: true }),
  'Vitest suites',
)
printAgreement()
const jestJson = join(audit, 'jest.json')
fail(step('jest', process.execPath, [bin('jest', 'bin/jest.js'), '--config', 'jest.config.cjs', '--json', `--outputFile=${jestJson}`], { netns: true }), 'Jest suites')
fail(step('types', 'npm', ['run', '--silent', 'test:types']), 'type tests')
fail(step('consumers', process.execPath, [join(root, 'scripts', 'consumers.mjs')]), 'consumer matrix')
const containersJson = join(audit, 'containers.json')
if (existsSync(join(root, 'test', 'containers'))) {
  fail(
    step('containers', process.execPath, [bin('vitest', 'vitest.mjs'), 'run', 'test/containers', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${containersJson}`]),
    'container suites',
  )
}

// The secret audit.
const lines = (prefix) =>
  readdirSync(audit)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(audit, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)))
const secrets = [...new Set(lines('secrets-'))]
const texts = lines('texts-')
const files = []
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) walk(path)
    else if (/\.(ts|cts|mts|js|cjs|mjs|snap|json)$/.test(entry)) files.push(path)
  }
}
walk(join(root, 'test'))
walk(join(root, 'examples'))
const haystacks = [...texts.map((t, i) => [`text #${i}`, t]), ...logs.filter(existsSync).map((l) => [l, readFileSync(l, 'utf8')]), ...files.map((f) => [f, readFileSync(f, 'utf8')])]
const hits = []
for (const secret of secrets) for (const [where, text] of haystacks) if (text.includes(secret)) hits.push(where)
console.log(`\n▶ secret audit: ${secrets.length} secrets and session tokens issued, searched in ${texts.length} reports and messages, ${logs.length} runner logs and ${files.length} test files: ${hits.length} hits`)
if (hits.length) {
  console.error(`✘ secrets appeared in: ${[...new Set(hits)].join(', ')}`)
  failed++
}
// No host key ever resolved: the decoys CI plants (AKIADECOY…) must never come back from a resolution.
const resolved = lines('resolved-')
const decoys = resolved.filter((key) => /^AKIADECOY/.test(key) || (process.env.AWS_ACCESS_KEY_ID && key === process.env.AWS_ACCESS_KEY_ID))
console.log(`▶ decoy audit: ${resolved.length} resolutions seen, ${decoys.length} of them a host or decoy key${process.env.AWS_ACCESS_KEY_ID ? ` (host AWS_ACCESS_KEY_ID is set: ${process.env.AWS_ACCESS_KEY_ID.slice(0, 9)}…)` : ''}`)
if (decoys.length) {
  console.error('✘ a host (decoy) key was resolved')
  failed++
}
writeFileSync(join(audit, 'audit.json'), JSON.stringify({ secrets: secrets.length, texts: texts.length, logs: logs.length, files: files.length, hits: hits.length }))

const totals = [counts(vitestJson, 'vitest'), counts(jestJson, 'jest'), counts(containersJson, 'vitest'), counts(join(audit, 'consumers.json'), 'consumers')].reduce(
  (a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed }),
  { passed: 0, failed: 0 },
)
// The names of the failed tests, last, where a log's tail shows them.
const failures = [vitestJson, jestJson, containersJson].filter(existsSync).flatMap((file) => {
  const data = JSON.parse(readFileSync(file, 'utf8'))
  return (data.testResults ?? []).flatMap((suite) => {
    const where = relative(root, suite.name ?? '')
    const tests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed')
    if (!tests.length && suite.status === 'failed') return [`${where}: ${String(suite.message ?? '').split('\n').find(Boolean) ?? 'the file failed to run'}`]
    return tests.map((t) => `${where} > ${t.fullName ?? t.title}: ${String(t.failureMessages?.[0] ?? '').split('\n').find(Boolean) ?? ''}`.slice(0, 400))
  })
})
if (failures.length) console.log(`\n▶ failed tests:\n${failures.map((f) => `  ✘ ${f}`).join('\n')}`)
console.log(`\nchainproof: ${totals.passed} passed, ${totals.failed + (failed && !totals.failed ? failed : 0)} failed`)
process.exit(failed ? 1 : 0)
