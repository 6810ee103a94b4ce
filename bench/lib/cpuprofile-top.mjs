#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and inclusive time per
 * package or file, top N. The bench prints it for the scenario space and for resolveCredentials
 * (bench/profile.mjs); by hand:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/scenario-worker.mjs
 *   node bench/lib/cpuprofile-top.mjs /tmp/prof/*.cpuprofile [--top=25]
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const shortUrl = (url) => url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*?\/(dist|src|bench)\//, '$1/')
const packageOf = (url, fn) => (url ? url.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, '$1').replace(/^file:\/\/.*?\/(dist|src|bench)\/.*$/, 'chainproof $1').replace(/^node:.*/, 'node (core)') : `(${fn || 'native'})`)

/** Self time by function and inclusive time by package, each as [name, share of the samples] sorted, top N. */
export function summarizeProfile(profile, top = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const fnSelf = new Map()
  const pkgIncl = new Map()
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const key = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`.trim()
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us)
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur).callFrame
      const pkg = packageOf(frame.url, frame.functionName)
      if (seen.has(pkg) || pkg === '((root))') continue
      seen.add(pkg)
      pkgIncl.set(pkg, (pkgIncl.get(pkg) ?? 0) + us)
    }
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k, us / total])
  return { sampledMs: total / 1000, self: sorted(fnSelf), packages: sorted(pkgIncl) }
}

export function formatSummary(summary) {
  const pct = (x) => `${(100 * x).toFixed(1).padStart(5)}%`
  return [`${summary.sampledMs.toFixed(0)} ms sampled`, 'self time by function:', ...summary.self.map(([k, x]) => `${pct(x)}  ${k}`), 'inclusive time by package:', ...summary.packages.map(([k, x]) => `${pct(x)}  ${k}`)].join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 25)
  for (const file of process.argv.slice(2).filter((a) => !a.startsWith('--'))) console.log(`${file}: ${formatSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), top))}\n`)
}
