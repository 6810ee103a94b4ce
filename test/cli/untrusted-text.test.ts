/**
 * Text from files is shown safely: a scenario's name and description cannot move the cursor,
 * colour the output or fake a verdict line, in any format; a UTF-8 BOM is accepted; a reader
 * that goes away (`| true`, `| head`) ends the command quietly with exit 0.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI, GUARD, assertBuilt, readLines, runCli, spawnCli } from './support.js'

const PATH = process.env.PATH ?? ''
const dir = mkdtempSync(join(tmpdir(), 'chainproof-untrusted-'))
beforeAll(() => assertBuilt())

/** Every character that can fake or hide a line on a terminal. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/

describe('scenario text on a terminal', () => {
  const hostile = join(dir, 'hostile.json')
  writeFileSync(
    hostile,
    JSON.stringify({
      name: 'ok\u001b[2K\r\u001b[32m✔ matches the scenario\u001b[0m',
      description: 'line one\rfake\u0007 \u202eevil\u202c \u2028next \u009b31m',
      spec: { env: { user: 'ci' } },
      expect: { source: 'env' },
    }),
  )

  it.each([[['--no-color']], [['--format', 'markdown']], [['--json']], [['--no-color', '--sdk', 'js-v2,js-v3']]])('explain %j escapes control and bidi characters', async (flags) => {
    const result = await runCli(['explain', hostile, ...flags], { PATH })
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(UNSAFE)
    if (!flags.includes('--json')) {
      expect(result.stdout).toContain('ok\\u001b[2K\\u000d\\u001b[32m✔ matches the scenario\\u001b[0m')
    } else {
      const json = JSON.parse(result.stdout) as { scenario: { name: string; description: string } }
      // the JSON still carries the exact text, escaped
      expect(json.scenario.description).toBe('line one\rfake\u0007 \u202eevil\u202c \u2028next \u009b31m')
    }
  })

  it('with colours on, the only escapes are chainproof’s own styling', async () => {
    const result = await runCli(['explain', hostile], { PATH, FORCE_COLOR: '1' })
    expect(result.stdout.replace(/\u001b\[(?:1|2|22|31|32|33|36|39)m/g, '')).not.toMatch(UNSAFE)
  })

  it('serve prints the scenario name escaped too', async () => {
    const child = spawnCli(['serve', hostile, '--format', 'json'], { PATH })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    await readLines(child).first
    await new Promise((resolve) => setTimeout(resolve, 100))
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('close', resolve))
    expect(stderr).toContain('chainproof serve: ok\\u001b[2K\\u000d')
    expect(stderr).not.toMatch(UNSAFE)
  })
})

describe('a scenario file with a UTF-8 byte order mark', () => {
  it('is read as JSON (Windows editors write one)', async () => {
    const file = join(dir, 'bom.json')
    writeFileSync(file, '\uFEFF' + JSON.stringify({ spec: { instanceProfile: { role: 'web' } }, expect: { source: 'instanceProfile' } }))
    const result = await runCli(['explain', file, '--no-color'], { PATH })
    expect([result.code, result.stderr]).toEqual([0, ''])
    expect(result.stdout).toContain('✔ matches')
  })
})

describe('a reader that goes away', () => {
  it.each([[['doctor', '--sdk', 'all']], [['--help']], [['explain', join(import.meta.dirname, '..', '..', 'fixtures', 'scenarios', 'env-user.json')]]])('`chainproof %j | true` ends quietly with exit 0', async (args) => {
    const child = spawn(process.execPath, ['--require', GUARD, CLI, ...args], { env: { PATH }, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)))
    expect([code, stderr]).toEqual([0, ''])
  })
})
