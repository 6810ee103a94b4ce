/**
 * Runner-level guarantees, proven by running small fixture suites (test/runner-fixtures) in
 * child Vitest and Jest processes: worlds are isolated across Vitest's forks and threads pools
 * and Jest's workers while they overlap in time; concurrent tests get a clear error instead of
 * a mixed environment; a timed-out or throwing test leaves env and HOME restored exactly.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const fixtures = join(root, 'test', 'runner-fixtures')

interface RunResult {
  status: number | null
  output: string
  log: { n: number; pid: number; started: number; ended: number }[]
  json: { numPassedTests: number; numFailedTests: number }
}

function runFixtures(runner: 'vitest' | 'jest', glob: string, args: string[]): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'chainproof-isolation-'))
  const log = join(dir, 'log.jsonl')
  const json = join(dir, 'result.json')
  const argv =
    runner === 'vitest'
      ? [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(fixtures, 'vitest.config.ts'), '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...args]
      : // A fresh cache directory: with earlier timings that say "fast", Jest runs a few files in band, not in workers.
        [join(root, 'node_modules/jest/bin/jest.js'), '--config', join(fixtures, 'jest.config.cjs'), `--cacheDirectory=${join(dir, 'jest-cache')}`, '--json', `--outputFile=${json}`, ...args, glob]
  const result = spawnSync(process.execPath, argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FIXTURE_GLOB: glob, ISOLATION_LOG: log, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 180_000,
  })
  const out: RunResult = {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    log: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.phase === 'end') : [],
    json: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : { numPassedTests: 0, numFailedTests: 0 },
  }
  rmSync(dir, { recursive: true, force: true })
  return out
}

function expectOverlappingIsolatedWorlds(result: RunResult): void {
  expect(result.status, result.output).toBe(0)
  expect(result.json.numPassedTests).toBe(3)
  expect(result.log.map((e) => e.n).sort()).toEqual([1, 2, 3])
  // the three worlds were alive at the same time (each resolved its own principal meanwhile)
  const latestStart = Math.max(...result.log.map((e) => e.started))
  const earliestEnd = Math.min(...result.log.map((e) => e.ended))
  expect(latestStart).toBeLessThan(earliestEnd)
}

describe('worlds are isolated per worker', () => {
  it("in Vitest's forks pool (one process per worker)", () => {
    const result = runFixtures('vitest', 'isolated-*.vitest-fixture.ts', ['--pool=forks', '--maxWorkers=3'])
    expectOverlappingIsolatedWorlds(result)
    expect(new Set(result.log.map((e) => e.pid)).size).toBe(3)
  }, 180_000)

  it("in Vitest's threads pool (worker threads of one process, each with its own process.env)", () => {
    const result = runFixtures('vitest', 'isolated-*.vitest-fixture.ts', ['--pool=threads', '--maxWorkers=3'])
    expectOverlappingIsolatedWorlds(result)
    expect(new Set(result.log.map((e) => e.pid)).size).toBe(1)
  }, 180_000)

  it("in Jest's workers", () => {
    const result = runFixtures('jest', 'isolated-', ['--maxWorkers=3'])
    expectOverlappingIsolatedWorlds(result)
    expect(new Set(result.log.map((e) => e.pid)).size).toBe(3)
  }, 180_000)
})

describe('concurrent tests', () => {
  it('get a clear error, never a mixed environment', () => {
    const result = runFixtures('vitest', 'concurrent.vitest-fixture.ts', [])
    expect(result.status).toBe(1)
    expect(result.json.numFailedTests).toBe(2)
    expect(result.output).toContain('useCredentialWorld(): tests that run concurrently (test.concurrent, describe.concurrent) cannot each have a world')
  }, 180_000)
})

describe('concurrent tests under Jest', () => {
  it('test.concurrent gets a message about Jest’s concurrency, not "outside a test"', () => {
    const result = runFixtures('jest', 'concurrent', [])
    expect(result.json.numFailedTests, result.output).toBe(2)
    expect(/useCredentialWorld\(\): this test runs with test\.concurrent[^\n]*/.exec(result.output)?.[0]).toMatchInlineSnapshot(`"useCredentialWorld(): this test runs with test.concurrent, which Jest starts before its beforeEach hooks and alongside the other concurrent tests, so it cannot have a world of its own (a world owns process.env and HOME, and a process has only one). Drop .concurrent: Jest still runs test files in parallel, each in its own worker with its own worlds."`)
    expect(result.output).not.toContain('the world exists only while a test runs')
  }, 180_000)
})

describe('a matcher that was not awaited', () => {
  it.each(['vitest', 'jest'] as const)('says "did you forget `await`?" under %s, and never reports the real machine', (runner) => {
    const result = runFixtures(runner, runner === 'vitest' ? 'forgotten-await.vitest-fixture.ts' : 'forgotten-await', [])
    expect(result.status, result.output).toBe(1)
    const message = /The credential world \(created at .*?\) was disposed[^\n]*\n\s*Did you forget[^\n]*/.exec(result.output)?.[0].replace(/created at .*?\) was disposed/, 'created at <LOCATION>) was disposed').replace(/\n\s+/, '\n')
    expect(message).toBe(
      "The credential world (created at <LOCATION>) was disposed while this matcher was still running, so its result would describe this machine, not the world.\nDid you forget `await`? chainproof's matchers are asynchronous: `await expect(client).toResolveCredentialsFrom('env')`.",
    )
    expect(result.output).not.toMatch(/Credential chain \(js-v3\)|is not a loopback URL/)
  }, 180_000)
})

describe('a test that times out or throws', () => {
  it.each(['vitest', 'jest'] as const)('leaves env and HOME restored exactly under %s', (runner) => {
    const result = runFixtures(runner, runner === 'vitest' ? 'timeout.vitest-fixture.ts' : 'timeout', [])
    expect(result.json.numFailedTests, result.output).toBe(2) // the timeout and the throw, on purpose
    expect(result.json.numPassedTests, result.output).toBe(1) // "finds the environment and HOME restored exactly"
    expect(result.output).toMatch(/timed out|Exceeded timeout/)
  }, 180_000)
})
