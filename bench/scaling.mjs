/**
 * Cost that stays flat: `--worlds=N` worlds one after another in this process, each created,
 * resolved and explained (`resolveCredentials` of a new S3Client: the README's precedence-bug
 * world, env keys shadowing an instance role) and disposed. Reports the median time per world of
 * each tenth of the run (the first and last tenths show drift), and, after a gc at the end, RSS,
 * heap, open file descriptors and the sandbox directories this process left behind.
 *
 * `--mode=bare`: the same worlds with the bare SDK (`config.credentials()` of a new S3Client), the
 * baseline for what the SDK itself keeps per world: its shared-file cache (@smithy/core/config
 * `readFile`) holds every path it ever read, and each world's HOME is a new path.
 * A warm-up comes first, untimed (`--warmup=N`, 200 worlds unless told): servers, modules, and
 * the JIT, which goes on speeding up the same world for a few thousand worlds (the bare SDK's
 * too), so sizes compared with one another are measured after the same, longer warm-up.
 *
 *   node --expose-gc bench/scaling.mjs --worlds=10000 [--mode=bare]
 */
import { readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { args, chainproof, guardLoopback, report } from './lib/harness.mjs'
import { quantile } from './lib/stats.mjs'

guardLoopback()
const { createCredentialWorld, resolveCredentials } = await chainproof()
const { S3Client } = await import('@aws-sdk/client-s3')
const SPEC = { env: { user: 'ci' }, instanceProfile: { role: 'web' } }
const worlds = Number(args.worlds ?? 1000)
const bare = args.mode === 'bare'
const once = bare
  ? async () => {
      await new S3Client({}).config.credentials()
    }
  : async () => {
      const resolution = await resolveCredentials(new S3Client({}))
      if (resolution.source !== 'env') throw new Error(`resolved ${resolution.source}`)
    }

const fds = () => readdirSync('/proc/self/fd').length
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

// warm-up: the servers start, the SDK's modules load
let root
const warmup = Number(args.warmup ?? (args.quick ? 20 : 200))
for (let i = 0; i < warmup; i++) {
  const world = await createCredentialWorld(SPEC)
  root = dirname(world.home)
  await once()
  await world.dispose()
}
await settle()
const before = { rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, fds: fds() }
const samples = []
const started = performance.now()
for (let i = 0; i < worlds; i++) {
  const t0 = performance.now()
  const world = await createCredentialWorld(SPEC)
  try {
    await once()
  } finally {
    await world.dispose()
  }
  samples.push(performance.now() - t0)
}
const wallMs = performance.now() - started
await settle()
const memory = process.memoryUsage()
const tenth = Math.max(1, Math.floor(worlds / 10))
const left = readdirSync(root).filter((name) => name.startsWith(`chainproof-home-${process.pid}-`)).length
report({
  worlds,
  warmup,
  wallMs,
  perWorld: { median: quantile(samples, 0.5), p95: quantile(samples, 0.95), firstTenth: quantile(samples.slice(0, tenth), 0.5), lastTenth: quantile(samples.slice(-tenth), 0.5) },
  rssMb: memory.rss / 2 ** 20,
  heapUsedMb: memory.heapUsed / 2 ** 20,
  rssGrowthMb: (memory.rss - before.rss) / 2 ** 20,
  heapGrowthMb: (memory.heapUsed - before.heapUsed) / 2 ** 20,
  mode: bare ? 'bare' : 'kit',
  fds: { before: before.fds, after: fds() },
  sandboxesLeft: left,
})
