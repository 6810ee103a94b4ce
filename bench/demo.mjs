#!/usr/bin/env node
/**
 * `node bench/demo.mjs [--runs=3]`: how soon `npm run demo` starts on a fresh clone (after
 * `npm ci`), side by side with what its path used to hold — a full build, declarations
 * included. Each run starts from a fresh `git archive` of HEAD (no dist). Prints medians and
 * writes bench/demo-results.json.
 *
 *   first line    demo started → its first line of output (it speaks before it builds)
 *   suites start  → the example suites begin (the JavaScript-only build is done)
 *   total         → the story told, process exited
 *   full build    node scripts/build.mjs with declarations, in the same kind of checkout
 */
import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { freshCheckout } from '../scripts/lib/checkout.mjs'

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3)
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Runs a command, noting when lines matching each marker first appear. */
function timed(command, argv, cwd, markers = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const seen = { first: undefined }
    const child = spawn(command, argv, { cwd, env: { ...env, HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    const watch = (chunk) => {
      const now = performance.now() - t0
      seen.first ??= now
      text += chunk
      for (const [name, re] of Object.entries(markers)) if (seen[name] === undefined && re.test(text)) seen[name] = now
    }
    child.stdout.on('data', watch)
    child.stderr.on('data', watch)
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve({ ...seen, total: performance.now() - t0 }) : reject(new Error(`${command} ${argv.join(' ')} exited ${code}:\n${text.slice(-3000)}`))))
  })
}

const demo = []
const full = []
for (let i = 0; i < runs; i++) {
  const a = freshCheckout('chainproof-bench-demo-')
  demo.push(await timed('npm', ['run', '--silent', 'demo'], a.checkout, { suites: /▶ Running the example suites/ }))
  rmSync(a.dir, { recursive: true, force: true })
  const b = freshCheckout('chainproof-bench-build-')
  full.push(await timed(process.execPath, ['scripts/build.mjs'], b.checkout))
  rmSync(b.dir, { recursive: true, force: true })
}
const result = {
  date: new Date().toISOString(),
  runs,
  demo: { firstLineMs: median(demo.map((r) => r.first)), suitesStartMs: median(demo.map((r) => r.suites)), totalMs: median(demo.map((r) => r.total)) },
  fullBuildMs: median(full.map((r) => r.total)),
}
result.ratioFullBuildToSuitesStart = result.fullBuildMs / result.demo.suitesStartMs
const s = (ms) => `${(ms / 1000).toFixed(1)} s`
console.log(`npm run demo on a fresh clone (median of ${runs}):`)
console.log(`  first line     ${s(result.demo.firstLineMs)}`)
console.log(`  suites start   ${s(result.demo.suitesStartMs)}   (bar: within 10 s)`)
console.log(`  total          ${s(result.demo.totalMs)}`)
console.log(`  full build, declarations included, same run: ${s(result.fullBuildMs)} — ${result.ratioFullBuildToSuitesStart.toFixed(1)}× the demo's wait before its suites`)
writeFileSync(join(import.meta.dirname, 'demo-results.json'), `${JSON.stringify(result, null, 2)}\n`)
