/**
 * Memory: RSS and heap growth for the loopback servers plus 1000 worlds, each created, resolved
 * (resolveCredentials: probe, ledger, report) and disposed. Run with --expose-gc (bench/run.mjs
 * does): every figure is taken after full collections, once the servers' 2 s keep-alive has
 * let idle connections go.
 *
 * `--variant=bare` is the control: the same worlds, resolved by the bare SDK
 * (`fromNodeProviderChain()()`) instead. The SDK caches every shared file it reads by path for
 * the life of the process, and every world has fresh paths: that growth is the SDK's.
 */
import { args, chainproof, guardLoopback, report, scale } from './lib/harness.mjs'

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
guardLoopback()
const { createCredentialWorld, resolveCredentials } = await chainproof()
const { S3Client } = await import('@aws-sdk/client-s3')
const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers')
const bare = args.variant === 'bare'

async function settle({ idle = false } = {}) {
  if (idle) await new Promise((resolve) => setTimeout(resolve, 2500))
  for (let i = 0; i < 4; i++) {
    globalThis.gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage()
  return { rss, heapTotal, heapUsed, external }
}

const SPECS = [
  { env: { user: 'ci' } },
  { profiles: { default: { user: 'alice' } } },
  { webIdentity: { role: 'deployer' } },
  { container: { role: 'task' } },
  { instanceProfile: { role: 'web' } },
  {},
]
const once = async (spec) => {
  const world = await createCredentialWorld(spec)
  try {
    if (bare) await fromNodeProviderChain()().catch(() => {})
    else
      await resolveCredentials(new S3Client({})).catch((error) => {
        if (!error.report) throw error
      })
  } finally {
    await world.dispose()
  }
}

const baseline = await settle()
// Servers start with the first world; a few worlds warm every code path (JIT, SDK module caches).
for (const spec of SPECS) await once(spec)
const servers = await settle({ idle: true })
const count = scale(1000, 100)
const checkpoints = []
for (let i = 0; i < count; i++) {
  await once(SPECS[i % SPECS.length])
  if ((i + 1) % (count / 4) === 0) checkpoints.push({ worlds: i + 1, ...(await settle()) })
}
const after = await settle({ idle: true })
const mb = (bytes) => bytes / 2 ** 20
report({
  variant: bare ? 'bare' : 'resolveCredentials',
  worlds: count,
  baseline,
  servers,
  after,
  checkpoints,
  growthMb: { rss: mb(after.rss - baseline.rss), heapUsed: mb(after.heapUsed - baseline.heapUsed), heapTotal: mb(after.heapTotal - baseline.heapTotal), rssSinceServers: mb(after.rss - servers.rss), heapSinceServers: mb(after.heapUsed - servers.heapUsed) },
})
