import { chainproof, guardLoopback } from '../lib/harness.mjs'
import { summarize } from '../lib/stats.mjs'
guardLoopback()
const { createCredentialWorld } = await chainproof()
const { toResolveCredentialsFrom } = await chainproof('matchers')
const { S3Client } = await import('@aws-sdk/client-s3')
const context = { isNot: false, promise: '', equals: Object.is, utils: { matcherHint: (n) => n, printExpected: (v) => JSON.stringify(v), printReceived: (v) => JSON.stringify(v) } }
const v = {
  bare: async () => { await new S3Client({}).config.credentials() },
  matcher: async () => { const r = await toResolveCredentialsFrom.call(context, new S3Client({}), 'env'); if (!r.pass) throw new Error() },
}
const mode = process.argv[2]
let world = await createCredentialWorld({ env: { user: 'ci' } })
const s = { bare: [], matcher: [] }
for (let i = 0; i < 2000; i++) {
  if (i % 25 === 24) { await world.dispose(); world = await createCredentialWorld({ env: { user: 'ci' } }) }
  const order = mode.includes('swap') && i % 2 ? ['matcher', 'bare'] : ['bare', 'matcher']
  for (const n of order) {
    if (mode.includes('settle')) await new Promise((r) => setImmediate(r))
    const c0 = process.cpuUsage(); const t0 = performance.now(); await v[n](); const t = mode.includes("cpu") ? (() => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000 })() : performance.now() - t0
    if (i >= 500) s[n].push(t)
  }
}
await world.dispose()
const b = summarize(s.bare).median, m = summarize(s.matcher).median
console.log(mode.padEnd(14), 'bare', b.toFixed(3), 'matcher', m.toFixed(3), (m / b).toFixed(3))
