import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, loadScenario, resolveCredentials } from '../src/index.js'
import { modelActiveWorld } from '../src/probe/probe.js'

const dir = join(import.meta.dirname, '..', 'fixtures', 'scenarios')
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

describe('fixture scenarios, resolved by the real SDK', () => {
  it('has at least 12 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(12)
  })

  for (const file of files) {
    it(file, async () => {
      const scenario = await loadScenario(join(dir, file))
      await using world = await createCredentialWorld(scenario.spec)
      const { expect: want } = scenario
      // the static model and the dynamic probe agree on every fixture
      const [model, probed] = [await modelActiveWorld(), await world.explain()]
      expect({ winner: model.winner, shadowed: model.shadowed, statuses: model.links.map((l) => l.status) }).toEqual({
        winner: probed.winner,
        shadowed: probed.shadowed,
        statuses: probed.links.map((l) => l.status),
      })
      if (want.fails) {
        const started = performance.now()
        const error = await resolveCredentials(new S3Client({})).catch((e: unknown) => e as Error & { report?: { winner?: string } })
        expect(error).toBeInstanceOf(Error)
        expect((error as Error).message).toContain(want.fails)
        expect(performance.now() - started).toBeLessThan(500)
        // the bare SDK chain agrees: it fails too
        await expect(fromNodeProviderChain()()).rejects.toThrow(want.fails)
        return
      }
      const resolution = await resolveCredentials(new S3Client({}))
      expect(resolution.source).toBe(want.source)
      if (want.profile !== undefined) expect(resolution.profile).toBe(want.profile)
      if (want.role !== undefined) expect(resolution.role).toBe(want.role)
      if (want.principal !== undefined) expect(resolution.principal).toBe(want.principal)
      if (want.shadowed !== undefined) expect(resolution.report.shadowed).toEqual(want.shadowed)
      expect(resolution.disagreements ?? []).toEqual([])
      // the bare default chain resolves the same principal from the same source (STS mints a new session each time)
      const bare = world.identityOf((await fromNodeProviderChain()()).accessKeyId)
      expect(bare?.source).toBe(want.source)
      expect(bare?.principal).toBe(resolution.principal)
    })
  }
})
