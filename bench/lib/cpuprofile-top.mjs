#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and inclusive time
 * per file, top N. Used to find what a missed bench target spends its time on.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/scenario-worker.mjs
 *   node bench/lib/cpuprofile-top.mjs /tmp/prof/*.cpuprofile [--top=25]
 */
import { readFileSync } from 'node:fs'

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 25)
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map()
  const dt = profile.timeDeltas
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const fnSelf = new Map()
  const fileIncl = new Map()
  for (const [id, us] of self) {
    const n = byId.get(id)
    const { functionName, url, lineNumber } = n.callFrame
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/\/work\/main\//, '')}:${lineNumber + 1}`
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us)
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const u = byId.get(cur).callFrame.url
      const f = u ? u.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, '$1').replace(/^file:\/\/\/work\/main\//, '').replace(/^node:.*/, 'node:*') : `(${byId.get(cur).callFrame.functionName || 'native'})`
      if (seen.has(f)) continue
      seen.add(f)
      fileIncl.set(f, (fileIncl.get(f) ?? 0) + us)
    }
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n\nself time by function:`)
  for (const [k, us] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`)
  console.log('\ninclusive time by package/file:')
  for (const [k, us] of [...fileIncl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`)
}
