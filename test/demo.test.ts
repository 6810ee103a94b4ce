/**
 * `npm ci && npm run demo` on a fresh clone: the demo builds only the JavaScript it needs (no
 * declaration files on its path), says what it is doing before each stage, runs the example
 * suites and tells the story: the classic bug, the report, the fix. (How soon it starts is
 * bench/demo.mjs's to measure, not a test's.)
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain .mjs helpers shared with the scripts
import { freshCheckout } from '../scripts/lib/checkout.mjs'

let work: string
let output: string
let status: number | null
let dist: string[]

describe('npm run demo on a fresh clone', () => {
  beforeAll(() => {
    const fresh: { dir: string; checkout: string } = freshCheckout('chainproof-demo-')
    work = fresh.dir
    const result = spawnSync('npm', ['run', '--silent', 'demo'], {
      cwd: fresh.checkout,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: work, NO_COLOR: '1', CI: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    })
    output = `${result.stdout}\n${result.stderr}`
    status = result.status
    dist = readdirSync(join(fresh.checkout, 'dist'), { recursive: true }).map(String)
  }, 180_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('exits 0', () => {
    expect(status, output).toBe(0)
  })

  it('builds no declaration files', () => {
    expect(dist.filter((f) => f.endsWith('.js'))).not.toEqual([])
    expect(dist.filter((f) => /\.d\.c?ts$/.test(f))).toEqual([])
  })

  it('says what it does before each stage, in order', () => {
    const stages = output.split('\n').filter((line) => line.startsWith('▶ '))
    expect(stages.map((line) => line.split(' ').slice(1, 3).join(' '))).toEqual(['Building chainproof', 'Running the', 'Telling the'])
  })

  it('tells the story: the bug, the report, the fix', () => {
    expect(output).toMatch(/GetObject s3:\/\/invoices\/\S+ → AccessDenied \(HTTP 403\)/)
    expect(output).toMatch(/Credential chain \(js-v3\) — winner: env/)
    expect(output).toMatch(/instanceProfile\s+fromInstanceMetadata\s+◐ shadowed/)
    expect(output).toMatch(/GetObject → ok, signed by instanceProfile/)
  })
})
