/**
 * One worker of the scenario-space bench: resolves and explains its share of the 512 generated
 * worlds (test/support/scenario-space.ts) — `resolveCredentials` of a new S3Client, whose
 * resolution (or error) carries the chain report — then disposes each world.
 *
 *   node bench/scenario-worker.mjs --shard=0 --shards=2
 */
import { args, chainproof, guardLoopback, loadScenarioSpace, report } from './lib/harness.mjs'
import { summarize, timeOnce } from './lib/stats.mjs'
import { everyLinkOnce } from './lib/floor.mjs'

guardLoopback()
const t0 = performance.now()
const { createCredentialWorld, resolveCredentials } = await chainproof()
const { S3Client } = await import('@aws-sdk/client-s3')
const { FLAG_SETTINGS, specOf, subsets } = await loadScenarioSpace()
// The 512 worlds, in the agreement test's order: each flag setting × the 128 subsets.
const scenarioSpace = () => FLAG_SETTINGS.flatMap(([awsProfile, imdsDisabled]) => subsets().map((on) => ({ spec: specOf(on, awsProfile, imdsDisabled) })))
const loaded = performance.now() - t0

const shard = Number(args.shard ?? 0)
const shards = Number(args.shards ?? 1)
/** `--variant=floor`: the same worlds, created and disposed alike, with the bare SDK asking every link once in place of resolveCredentials. */
const floor = args.variant === 'floor'
const mine = scenarioSpace().filter((_, i) => i % shards === shard)
const samples = []
const winners = {}
for (const { spec } of mine) {
  samples.push(
    await timeOnce(async () => {
      const world = await createCredentialWorld(spec)
      try {
        if (floor) {
          await everyLinkOnce()
          return
        }
        const { report: chain } = await resolveCredentials(new S3Client({})).catch((error) => {
          if (!error.report) throw error
          return error
        })
        winners[chain.winner ?? 'none'] = (winners[chain.winner ?? 'none'] ?? 0) + 1
      } finally {
        await world.dispose()
      }
    }),
  )
}
const cpu = process.cpuUsage()
report({ shard, shards, worlds: mine.length, loadMs: loaded, cpuMs: (cpu.user + cpu.system) / 1000, perWorld: summarize(samples), totalMs: samples.reduce((a, b) => a + b, 0), winners })
