/**
 * `chainproof explain <scenario.json> --sdk …`: the scenario's world in other SDKs, side by side —
 * the migration check for a scenario (js-v2,js-v3), with the rule behind each disagreement, and the
 * scenario's faults applied to every model.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, runCli } from './support.js'

const PATH = process.env.PATH ?? ''
let scratch: string
beforeAll(() => {
  assertBuilt()
  scratch = mkdtempSync(join(tmpdir(), 'chainproof-cli-explain-sdk-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function scenarioFile(name: string, content: unknown): string {
  const file = join(scratch, name)
  writeFileSync(file, JSON.stringify(content))
  return file
}

describe('chainproof explain --sdk', () => {
  it('js-v2,js-v3: where the two winners differ on a scenario, and the rule on each side', async () => {
    const file = scenarioFile('migrate.json', { description: 'CI keys and AWS_PROFILE', spec: { env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } }, expect: { source: 'profile' } })
    const { code, stdout, stderr } = await runCli(['explain', file, '--sdk', 'js-v2,js-v3', '--no-color'], { PATH })
    expect([code, stderr]).toEqual([0, ''])
    expect(stdout).toContain('The same scenario, other SDKs')
    expect(stdout).toMatch(/js-v2\s+env\s+EnvironmentCredentials\('AWS'\)/)
    expect(stdout).toMatch(/js-v3\s+profile\s+fromIni/)
    expect(stdout).toContain('≠ js-v2 resolves env')
    // the rule: v2 takes the env keys whatever AWS_PROFILE says; v3 reads the profile AWS_PROFILE names
    expect(stdout).toContain("js-v2: EnvironmentCredentials('AWS') won — AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set")
    expect(stdout).toMatch(/js-v3: fromIni won — profile "dev" \(AWS_PROFILE\)/)
    const json = JSON.parse((await runCli(['explain', file, '--sdk', 'js-v2,js-v3', '--json'], { PATH })).stdout) as { matches: boolean; sdks: { rows: { sdk: string; winner?: string }[]; disagreements: string[] } }
    expect(json.matches).toBe(true)
    expect(json.sdks.rows.map((r) => [r.sdk, r.winner])).toEqual([['js-v2', 'env'], ['js-v3', 'profile']])
    expect(json.sdks.disagreements).toEqual(['js-v2 resolves env (EnvironmentCredentials(\'AWS\')), while js-v3 resolves profile'])
  })

  it("all: every SDK, the scenario's faults applied to each model", async () => {
    const file = scenarioFile('faulty.json', {
      description: 'the container endpoint answers 500, an instance profile behind it',
      spec: { container: { role: 'task' }, instanceProfile: { role: 'web' }, faults: [{ target: 'container', kind: 'status', status: 500 }] },
      expect: { fails: 'Could not load credentials from any providers' },
    })
    const { stdout } = await runCli(['explain', file, '--sdk', 'all', '--json', '--no-check'], { PATH })
    const json = JSON.parse(stdout) as { sdks: { rows: { sdk: string; winner?: string; failure?: string }[] } }
    const outcome = Object.fromEntries(json.sdks.rows.map((r) => [r.sdk, r.winner ?? (r.failure ? 'error' : 'none')]))
    // measured: JS v2 moves on to IMDS, Ruby 3.168 never reads FULL_URI, Go and botocore stop on the error
    expect(outcome).toMatchObject({ 'js-v2': 'instanceProfile', 'ruby-v3': 'instanceProfile', 'go-v2': 'error', botocore: 'error', 'java-v2': 'instanceProfile' })
  })

  it('an unknown SDK is a usage error naming the valid ones', async () => {
    const file = scenarioFile('plain.json', { spec: { env: { user: 'ci' } }, expect: { source: 'env' } })
    const { code, stderr } = await runCli(['explain', file, '--sdk', 'js-v2,rubyy'], { PATH })
    expect(code).toBe(2)
    expect(stderr.split('\n')[0]).toBe('chainproof: --sdk "rubyy" is not an SDK; use all, one of js-v3, js-v3@<3.616, js-v2, ruby-v3, java-v1, java-v2, php-v3, botocore, aws-cli-v2, go-v2, go-v2@1.17, or several joined by commas (js-v2,js-v3)')
  })
})
