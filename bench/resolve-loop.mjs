/**
 * resolveCredentials alone, for the CPU profile the bench prints: each source's world (as in
 * bench/assertion.mjs), `--rounds` resolutions of a new S3Client in each, a fresh world every 25.
 *
 *   node --cpu-prof bench/resolve-loop.mjs --rounds=100
 */
import { args, chainproof, guardLoopback, report } from './lib/harness.mjs'

guardLoopback()
const { createCredentialWorld, resolveCredentials } = await chainproof()
const { S3Client } = await import('@aws-sdk/client-s3')
export const SOURCE_WORLDS = {
  env: { env: { user: 'ci' } },
  profile: { profiles: { default: { user: 'alice' } } },
  process: { profiles: { default: { process: { user: 'tool' } } } },
  sso: { profiles: { default: { sso: { role: 'Dev' } } } },
  webIdentity: { webIdentity: { role: 'deployer' } },
  container: { container: { role: 'task' } },
  instanceProfile: { instanceProfile: { role: 'web' } },
}
const rounds = Number(args.rounds ?? 100)
const started = performance.now()
for (const spec of Object.values(SOURCE_WORLDS)) {
  for (let i = 0; i < rounds; i += 25) {
    const world = await createCredentialWorld(spec)
    try {
      for (let j = i; j < Math.min(rounds, i + 25); j++) await resolveCredentials(new S3Client({}))
    } finally {
      await world.dispose()
    }
  }
}
report({ rounds, wallMs: performance.now() - started })
