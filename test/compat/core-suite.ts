/**
 * The core suite of the compatibility matrix: every fixture scenario resolved through the
 * public API, checked against the bare `fromNodeProviderChain` of whatever SDK is installed.
 * Written once, runner-agnostic like the orders example: this repo runs it on its own SDK
 * (core.test.ts), and compat/run.mjs runs it in user projects against the packed tarball with
 * the oldest supported SDK and the latest, under each runner.
 *
 * SDKs before 3.667 set no `$source` feature codes on credentials: there the ledger alone must
 * name every resolution, with `features` empty and no disagreement.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface CoreSuiteDeps {
  describe(name: string, fn: () => void): void
  it(name: string, fn: () => Promise<void>, timeout?: number): void
  expect: any
  /** `chainproof` (the package) or this repo's src/index.ts. */
  chainproof: { createCredentialWorld(spec?: any): Promise<any>; resolveCredentials(target: any): Promise<any>; loadScenario(path: string): Promise<any> }
  S3Client: new (config: object) => unknown
  fromNodeProviderChain(): () => Promise<{ accessKeyId: string; $source?: Record<string, string> }>
  scenarioDir: string
  /** The installed `@aws-sdk/credential-provider-node` version. */
  sdkVersion: string
}

/** The first SDK release whose credentials carry `$source` feature codes. */
export const FIRST_SDK_WITH_SOURCE_CODES = '3.667.0'

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number)
  const pb = b.split(/[.-]/).map(Number)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}

export function coreCredentialSuite({ describe, it, expect, chainproof, S3Client, fromNodeProviderChain, scenarioDir, sdkVersion }: CoreSuiteDeps): void {
  const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort()
  const hasSourceCodes = compareVersions(sdkVersion, FIRST_SDK_WITH_SOURCE_CODES) >= 0

  describe(`core: fixture scenarios on @aws-sdk/credential-provider-node ${sdkVersion}`, () => {
    it('has the fixture scenarios', async () => {
      expect(files.length).toBeGreaterThanOrEqual(12)
    })

    for (const file of files) {
      it(file, async () => {
        const scenario = await chainproof.loadScenario(join(scenarioDir, file))
        const world = await chainproof.createCredentialWorld(scenario.spec)
        try {
          const want = scenario.expect
          if (want.fails) {
            const error = await chainproof.resolveCredentials(new S3Client({})).then(
              () => undefined,
              (e: Error) => e,
            )
            expect(error?.message).toContain(want.fails)
            await expect(fromNodeProviderChain()()).rejects.toThrow(want.fails)
            return
          }
          const resolution = await chainproof.resolveCredentials(new S3Client({}))
          expect(resolution.source).toBe(want.source)
          if (want.profile !== undefined) expect(resolution.profile).toBe(want.profile)
          if (want.role !== undefined) expect(resolution.role).toBe(want.role)
          if (want.principal !== undefined) expect(resolution.principal).toBe(want.principal)
          if (want.shadowed !== undefined) expect(resolution.report.shadowed).toEqual(want.shadowed)
          expect(resolution.disagreements ?? []).toEqual([])
          // Identified by the ledger: without $source codes the features are empty, and nothing else changes.
          if (!hasSourceCodes) expect(resolution.features).toEqual({})
          else if (resolution.source === 'env') expect(Object.keys(resolution.features).length).toBeGreaterThan(0)
          const bare = await fromNodeProviderChain()()
          expect(world.identityOf(bare.accessKeyId)?.source).toBe(want.source)
          if (!hasSourceCodes) expect(Object.keys(bare.$source ?? {})).toEqual([])
        } finally {
          await world.dispose()
        }
      }, 20_000)
    }
  })
}
