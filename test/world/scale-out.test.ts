/**
 * Scaling out the way runners do keeps every world apart: two `vitest run --shard=k/2` processes
 * started at once on one machine, and Jest with 4 workers, each file holding a world while the
 * others hold theirs (test/runner-fixtures/scale-out.ts). No two worlds that were alive at the
 * same time share a port; no two worlds share a HOME or a key their ledgers issued; every world
 * resolved its own user. A test of isolation, not a timing.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const fixtures = join(root, 'test', 'runner-fixtures')
const dirs: string[] = []
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

interface WorldRecord {
  file: number
  world: number
  pid: number
  home: string
  ports: string[]
  keys: string[]
  started: number
  ended: number
}

function run(argv: string[], log: string, files: number): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, {
      cwd: root,
      env: { ...process.env, FIXTURE_GLOB: 'scale-out-*.vitest-fixture.ts', ISOLATION_LOG: log, SCALE_OUT_FILES: String(files), NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c) => (output += c))
    child.stderr.on('data', (c) => (output += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, output })
    })
  })
}

function records(log: string): WorldRecord[] {
  if (!existsSync(log)) return []
  return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.phase === 'end')
}

const logFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainproof-scale-out-'))
  dirs.push(dir)
  return join(dir, 'log.jsonl')
}

/** Every world apart from every other: HOME and keys never shared; ports never shared by worlds of different processes alive at once. */
function expectApart(worlds: WorldRecord[], expected: number): void {
  expect(worlds).toHaveLength(expected)
  expect(new Set(worlds.map((w) => w.home)).size).toBe(worlds.length)
  const keys = worlds.flatMap((w) => w.keys)
  expect(keys.length).toBeGreaterThanOrEqual(worlds.length * 2) // its env user, its instance role
  expect(new Set(keys).size).toBe(keys.length)
  let overlapping = 0
  for (const a of worlds) {
    for (const b of worlds) {
      if (a === b || a.pid === b.pid || a.started > b.ended || b.started > a.ended) continue
      overlapping++
      expect({ a: `${a.file}.${a.world}`, b: `${b.file}.${b.world}`, shared: a.ports.filter((p) => b.ports.includes(p)) }).toEqual({ a: `${a.file}.${a.world}`, b: `${b.file}.${b.world}`, shared: [] })
    }
  }
  // the first world of each file waited for all the others: they were alive at once
  expect(overlapping).toBeGreaterThan(0)
}

describe('scaling out keeps every world apart', () => {
  it('two `vitest run --shard` processes at once on one machine', async () => {
    const log = logFile()
    const vitest = (shard: string) => [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(fixtures, 'vitest.config.ts'), `--shard=${shard}`, '--pool=forks', '--maxWorkers=4']
    const [one, two] = await Promise.all([run(vitest('1/2'), log, 4), run(vitest('2/2'), log, 4)])
    expect(one.status, one.output).toBe(0)
    expect(two.status, two.output).toBe(0)
    const worlds = records(log)
    expectApart(worlds, 12)
    // both shards ran files (two processes' worth of pids)
    expect(new Set(worlds.map((w) => w.pid)).size).toBeGreaterThanOrEqual(2)
  }, 180_000)

  it('Jest with 4 workers', async () => {
    const log = logFile()
    const dir = mkdtempSync(join(tmpdir(), 'chainproof-scale-out-jest-'))
    dirs.push(dir)
    // a fresh cache directory: with earlier timings that say "fast", Jest runs a few files in band, not in workers
    const result = await run([join(root, 'node_modules/jest/bin/jest.js'), '--config', join(fixtures, 'jest.config.cjs'), `--cacheDirectory=${join(dir, 'cache')}`, '--maxWorkers=4', 'scale-out-'], log, 4)
    expect(result.status, result.output).toBe(0)
    const worlds = records(log)
    expectApart(worlds, 12)
    expect(new Set(worlds.map((w) => w.pid)).size).toBe(4)
  }, 180_000)
})
