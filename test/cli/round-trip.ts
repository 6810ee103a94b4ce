/**
 * capture → explain round trips: in each fixture's world, `doctor --probe --json` and
 * `capture --probe` run as children of this process (which serves the world's endpoints);
 * `explain` of the capture must give doctor's winner and shadowed list, and loadScenario()
 * must replay the capture: a new world made from it explains to the same verdict.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld, loadScenario } from '../../src/index.js'
import { FIXTURES, assertBuilt, itNeverPrintsASecret, machineEnv, runCli } from './support.js'

export function describeRoundTrips(part: number, parts: number): void {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .filter((_, i) => i % parts === part)
  let scratch: string
  beforeAll(() => {
    assertBuilt()
    scratch = mkdtempSync(join(tmpdir(), 'chainproof-cli-round-trip-test-'))
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  describe(`capture → explain round trips (fixtures, part ${part + 1} of ${parts})`, () => {
    for (const file of files) {
      it(file, async () => {
        const scenario = await loadScenario(join(FIXTURES, file))
        const captureFile = join(scratch, file)
        let doctor: { winner: string | null; shadowed: string[] }
        {
          await using world = await createCredentialWorld(scenario.spec)
          const env = machineEnv(world)
          const [doctorRun, captureRun] = await Promise.all([runCli(['doctor', '--probe', '--json'], env), runCli(['capture', '--probe'], env)])
          expect([doctorRun.code, doctorRun.stderr, captureRun.code, captureRun.stderr]).toEqual([0, '', 0, ''])
          doctor = JSON.parse(doctorRun.stdout)
          // doctor, reading the world as a machine, agrees with the scenario and with the world's own (SDK-run) report
          expect(doctor.winner).toBe(scenario.expect.source ?? null)
          if (scenario.expect.shadowed) expect(doctor.shadowed).toEqual(scenario.expect.shadowed)
          const own = await world.explain()
          expect({ winner: doctor.winner, shadowed: doctor.shadowed }).toEqual({ winner: own.winner ?? null, shadowed: own.shadowed })
          writeFileSync(captureFile, captureRun.stdout)
        }
        const explained = await runCli(['explain', '--json', captureFile], { PATH: process.env.PATH ?? '' })
        const report = JSON.parse(explained.stdout)
        expect({ winner: report.winner, shadowed: report.shadowed }).toEqual({ winner: doctor.winner, shadowed: doctor.shadowed })
        expect([explained.code, report.matches]).toEqual([0, true])

        // loadScenario() replays the capture: its world, run through the real SDK links, reaches the same verdict
        const replay = await loadScenario(captureFile)
        await using replayed = await createCredentialWorld(replay.spec)
        const replayedReport = await replayed.explain()
        expect({ winner: replayedReport.winner ?? null, shadowed: replayedReport.shadowed }).toEqual({ winner: doctor.winner, shadowed: doctor.shadowed })
      })
    }
  })

  itNeverPrintsASecret()
}
