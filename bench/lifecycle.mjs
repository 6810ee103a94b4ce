/**
 * World create + dispose: an empty world, the README's precedence-bug world, and a world with
 * every source (the most files and variables), side by side; the floor beside them is what any
 * sandbox HOME costs (mkdtemp + rm of an empty directory, where the worlds make theirs).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { chainproof, guardLoopback, report, scale } from './lib/harness.mjs'
import { sideBySide } from './lib/stats.mjs'

guardLoopback()
const { createCredentialWorld } = await chainproof()

const SPECS = {
  empty: {},
  precedenceBug: { env: { user: 'ci' }, instanceProfile: { role: 'web' }, gate: { allow: { web: ['s3:GetObject'] } } },
  everySource: {
    env: { user: 'ci' },
    profile: 'app',
    profiles: { app: { user: 'alice', process: { user: 'tool' }, sso: { role: 'Dev' } }, deploy: { role: 'deployer', sourceProfile: 'app' } },
    webIdentity: { role: 'web-id' },
    container: { role: 'task' },
    instanceProfile: { role: 'ec2' },
  },
}

const variants = Object.fromEntries(
  Object.entries(SPECS).map(([name, spec]) => [
    name,
    async () => {
      const world = await createCredentialWorld(spec)
      await world.dispose()
    },
  ]),
)
// The first world starts the loopback servers (once per process): timed on its own.
const first = performance.now()
const firstOne = await createCredentialWorld({})
const sandboxRoot = dirname(firstOne.home)
await firstOne.dispose()
const firstWorld = performance.now() - first
variants.sandboxFloor = async () => {
  await rm(await mkdtemp(join(sandboxRoot, 'chainproof-floor-')), { recursive: true })
}

const timings = await sideBySide(variants, { warmup: scale(50, 5), rounds: scale(500, 30) })
report({ firstWorld, sandboxRoot, ...timings })
