#!/usr/bin/env node
/**
 * `npm run bench`: chainproof's costs, each measured side by side with a baseline in one run
 * and reported as a ratio, against the targets of the performance issue:
 *
 *   assertion       a passing toResolveCredentialsFrom, and resolveCredentials, vs the bare SDK
 *                   resolving a new client's credentials in the same world (≤ 1.5× its median)
 *   empty failure   an empty world's failure vs the SDK defaults against an unanswering loopback
 *                   metadata endpoint (≥ 200× faster)
 *   lifecycle       world create + dispose (median < 10 ms)
 *   scenario space  the 512 generated worlds resolved and explained on two workers (< 5 s)
 *   memory          servers plus 1000 worlds (< 40 MB RSS growth)
 *
 * Each section runs in its own child process (memory with --expose-gc). It prints a table and
 * writes bench/results.json. Run after a build (the npm script builds); `--quick` for a smoke
 * run, `--only=assertion,memory` for some sections, `--dist=<dir>` to bench another build. Nothing leaves loopback: the benches refuse
 * any other connection.
 */
import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { args, root, transpileScenarioSpace } from './lib/harness.mjs'

const here = import.meta.dirname
const quick = [...(args.quick ? ['--quick'] : []), ...(args.dist ? [`--dist=${args.dist}`] : [])]
const only = args.only ? String(args.only).split(',') : undefined
const wanted = (name) => !only || only.includes(name)

/** Runs a bench child; resolves with the result it reported (and its wall time). */
function child(script, argv = [], nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const proc = spawn(process.execPath, [...nodeFlags, join(here, script), ...argv, ...quick], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    proc.stdout.on('data', (c) => (out += c))
    proc.stderr.on('data', (c) => (err += c))
    proc.on('close', (code) => {
      const wallMs = performance.now() - started
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '))
      if (code !== 0 || !line) return reject(new Error(`${script} failed (exit ${code}):\n${err || out}`))
      resolve({ ...JSON.parse(line.slice('BENCH_RESULT '.length)), wallMs })
    })
  })
}

const ms = (x) => (x >= 100 ? `${Math.round(x)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`)
const medP95 = (s) => `${ms(s.median)} / ${ms(s.p95)}`
const times = (x) => `${x >= 100 ? Math.round(x) : x.toFixed(2)}×`

const started = performance.now()
const loadAtStart = loadavg()[0]
const results = {}
const rows = []
const row = (figure, chainproof, baseline, ratio, target, met) => rows.push({ figure, chainproof, baseline, ratio, target, met })

if (wanted('assertion')) {
  console.error('bench: per-assertion cost…')
  const r = (results.assertion = await child('assertion.mjs'))
  for (const [source, s] of Object.entries(r.sources)) {
    row(`toResolveCredentialsFrom passes, ${source}`, medP95(s.matcher), `bare SDK ${medP95(s.bare)}`, times(s.ratio.matcher), '≤ 1.5×', s.ratio.matcher <= 1.5 && s.reportOnlyWhenNeeded)
  }
  for (const [source, s] of Object.entries(r.sources)) {
    // Informational: resolveCredentials returns the full chain report (its contract), so it runs every link of the chain.
    row(`resolveCredentials, ${source} (returns the chain report: runs every link)`, medP95(s.resolveCredentials), `bare SDK ${medP95(s.bare)}`, times(s.ratio.resolveCredentials), 'informational', null)
  }
  const lazy = Object.entries(r.sources).map(([source, s]) => `${source} ${s.requests.passing}/${s.requests.bare}/${s.requests.failing}`)
  row('report computed only when needed (requests per assertion: passing/bare/failing)', lazy.join(', '), 'bare SDK', 'passing = bare', 'no extra request', Object.values(r.sources).every((s) => s.reportOnlyWhenNeeded))
}

if (wanted('empty-failure')) {
  console.error('bench: empty-world failure (about 10 s of IMDS timeouts)…')
  const r = (results.emptyFailure = await child('empty-failure.mjs'))
  row('empty world fails (fromNodeProviderChain rejects)', medP95(r.world), `SDK defaults, unanswering loopback IMDS ${medP95(r.bare)}`, `${times(r.ratio)} faster`, '≥ 200× faster', r.ratio >= 200)
}

if (wanted('lifecycle')) {
  console.error('bench: world create + dispose…')
  const r = (results.lifecycle = await child('lifecycle.mjs'))
  for (const name of ['empty', 'precedenceBug', 'everySource']) {
    row(`world create + dispose, ${name}`, medP95(r[name]), `sandbox HOME floor ${medP95(r.sandboxFloor)}`, `${times(r[name].median / r.sandboxFloor.median)} floor`, 'median < 10 ms', r[name].median < 10)
  }
}

if (wanted('scenario-space')) {
  console.error('bench: the 512-world scenario space, on 2 workers then 1…')
  const file = transpileScenarioSpace()
  const space = async (workers) => {
    const t0 = performance.now()
    const shards = await Promise.all(Array.from({ length: workers }, (_, shard) => child('scenario-worker.mjs', [`--shard=${shard}`, `--shards=${workers}`, `--space=${file}`])))
    return { workers, wallMs: performance.now() - t0, shards }
  }
  // Alternating repetitions, medians reported: a whole pass is seconds long, so one pass is at the mercy of the machine's other load.
  const passes = { two: [], one: [] }
  for (let i = 0; i < (args.quick ? 1 : 3); i++) {
    passes.two.push(await space(2))
    passes.one.push(await space(1))
  }
  const medianPass = (list) => [...list].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(list.length / 2)]
  const two = medianPass(passes.two)
  const one = medianPass(passes.one)
  rmSync(dirname(file), { recursive: true, force: true })
  results.scenarioSpace = { two, one, walls: { two: passes.two.map((p) => p.wallMs), one: passes.one.map((p) => p.wallMs) } }
  const worlds = two.shards.reduce((a, s) => a + s.worlds, 0)
  const walls = passes.two.map((p) => (p.wallMs / 1000).toFixed(1)).join(', ')
  row(`scenario space: ${worlds} worlds resolved + explained, 2 workers (wall incl. start-up, median of ${passes.two.length}: ${walls} s)`, ms(two.wallMs), `1 worker ${ms(one.wallMs)}; CPU of the 2 workers (without their credential_process children) ${ms(two.shards.reduce((a, s) => a + s.cpuMs, 0))}`, `${times(one.wallMs / two.wallMs)} speed-up`, '< 5 s', two.wallMs < 5000)
}

if (wanted('memory')) {
  console.error('bench: memory, servers + 1000 worlds, chainproof then the bare SDK…')
  const r = await child('memory.mjs', [], ['--expose-gc'])
  const control = await child('memory.mjs', ['--variant=bare'], ['--expose-gc'])
  results.memory = { resolveCredentials: r, bare: control }
  const g = r.growthMb
  row(
    `memory: servers + ${r.worlds} worlds, each resolved + explained (RSS growth after gc)`,
    `RSS ${g.rss.toFixed(1)} MB; heap used ${g.heapUsed.toFixed(1)} MB (V8 heap committed ${g.heapTotal.toFixed(1)} MB)`,
    `bare SDK in the same worlds: RSS ${control.growthMb.rss.toFixed(1)} MB; heap used ${control.growthMb.heapUsed.toFixed(1)} MB`,
    `RSS ${times(g.rss / 40)} budget; heap ${times(g.heapUsed / control.growthMb.heapUsed)} bare`,
    '< 40 MB',
    g.rss < 40,
  )
}

const totalMs = performance.now() - started
// The load average says how much of the machine the bench had: figures taken on a busy one are slower.
const machine = `Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`
const table = [
  `chainproof bench — ${machine}; ${args.quick ? 'QUICK run' : 'full run'} in ${(totalMs / 1000).toFixed(0)} s`,
  '',
  '| figure | chainproof (median / p95) | baseline, measured alongside | ratio | target | |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.figure} | ${r.chainproof} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === null ? '' : r.met ? '✔' : '✘'} |`),
].join('\n')
console.log(table)
if (!args.quick && !args.dist) writeFileSync(join(here, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, totalMs, rows, results }, null, 2)}\n`)
const missed = rows.filter((r) => r.met === false)
if (missed.length) console.error(`\n${missed.length} target(s) missed: ${missed.map((r) => r.figure).join('; ')}`)
process.exit(args.strict && missed.length ? 1 : 0)
