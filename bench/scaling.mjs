/**
 * Cost that stays flat: worlds one after another in this process, each created, resolved and
 * explained (`resolveCredentials` of a new S3Client: the README's precedence-bug world, env keys
 * shadowing an instance role) and disposed. `--worlds=N` runs N; `--checkpoints=100,1000,10000`
 * runs the largest and stops at each: the median time a world of the worlds since the last stop
 * (its first and last tenths show drift), then, after a gc, RSS, heap, open file descriptors and
 * the sandbox directories this process left behind.
 *
 * `--mode=bare`: the same worlds with the bare SDK (`config.credentials()` of a new S3Client), the
 * baseline for what the SDK itself keeps per world: its shared-file cache (@smithy/core/config
 * `readFile`) holds every path it ever read, and each world's HOME is a new path.
 * A warm-up comes first, untimed (`--warmup=N`, 200 worlds unless told): servers, modules, JIT.
 * The time a world at a stop is the median of the last `--window` worlds before it (100 unless
 * told): equal windows ending at each stop (the median since the last stop is kept beside it).
 * `--timing` forces no gc anywhere, for the time a world alone: a forced full gc slows the next
 * several hundred worlds by up to 1.5× (measured: the first tenth of the worlds after a stop at
 * 4.4–6.1 ms, the last tenth at 3.4–3.6), so times taken beside the gcs of a memory run depend on
 * how far the last one was.
 *
 *   node --expose-gc bench/scaling.mjs --checkpoints=100,1000,10000 [--mode=bare]
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
/** `--timing`: no forced gc anywhere (the time a world only; memory is then read as it stands, not after a gc). */
const timing = args.timing === true
const settle = async () => {
  if (timing) return
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

// warm-up: the servers start, the SDK's modules load
let root
const warmup = Number(args.warmup ?? (args.quick ? 20 : 200))
const timedWindow = Number(args.window ?? 100)
for (let i = 0; i < warmup; i++) {
  const world = await createCredentialWorld(SPEC)
  root = dirname(world.home)
  await once()
  await world.dispose()
}
await settle()
const before = { rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, fds: fds() }
// `--checkpoints=100,1000,10000`: one run of the largest, stopping at each to take the time a world
// of the last worlds before it, and (after a gc, unless --timing) RSS, heap, descriptors and sandboxes left.
const stops = String(args.checkpoints ?? worlds).split(',').map(Number).sort((a, b) => a - b)
const samples = []
const checkpoints = []
const started = performance.now()
let from = 0
for (let i = 0; i < stops.at(-1); i++) {
  const t0 = performance.now()
  const world = await createCredentialWorld(SPEC)
  try {
    await once()
  } finally {
    await world.dispose()
  }
  samples.push(performance.now() - t0)
  if (i + 1 === stops[checkpoints.length]) {
    const since = samples.slice(from)
    const window = samples.slice(-timedWindow)
    from = samples.length
    await settle()
    const memory = process.memoryUsage()
    const tenth = Math.max(1, Math.floor(since.length / 10))
    checkpoints.push({
      worlds: i + 1,
      perWorld: {
        median: quantile(window, 0.5),
        p95: quantile(window, 0.95),
        of: window.length,
        sinceLastStop: { median: quantile(since, 0.5), firstTenth: quantile(since.slice(0, tenth), 0.5), lastTenth: quantile(since.slice(-tenth), 0.5), of: since.length },
      },
      rssMb: memory.rss / 2 ** 20,
      heapUsedMb: memory.heapUsed / 2 ** 20,
      rssGrowthMb: (memory.rss - before.rss) / 2 ** 20,
      heapGrowthMb: (memory.heapUsed - before.heapUsed) / 2 ** 20,
      fds: { before: before.fds, after: fds() },
      sandboxesLeft: readdirSync(root).filter((name) => name.startsWith(`chainproof-home-${process.pid}-`)).length,
    })
  }
}
const wallMs = performance.now() - started
const last = checkpoints.at(-1)
report({
  ...last,
  warmup,
  wallMs,
  mode: bare ? 'bare' : 'kit',
  timing,
  checkpoints,
})
