/** `chainproof doctor --sdk`: another SDK's chain, or all of them side by side with the disagreements. */
import { beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { assertBuilt, machineEnv, normalize, recordOutput, runCli } from './support.js'

beforeAll(() => assertBuilt())

describe('chainproof doctor --sdk', () => {
  it('all: a side-by-side table that flags where JS v3 disagrees (AWS_PROFILE + env keys)', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'deploy', profiles: { deploy: { user: 'deployer' } } })
    const text = await runCli(['doctor', '--sdk', 'all', '--no-color'], machineEnv(world))
    recordOutput(text.stdout)
    expect(text.code).toBe(0)
    const out = normalize(text.stdout, world)
    expect(out).toContain('Same machine, other SDKs')
    for (const sdk of ['js-v3', 'js-v2', 'ruby-v3', 'java-v1', 'java-v2', 'php-v3', 'botocore', 'aws-cli-v2', 'go-v2']) expect(out).toContain(sdk)
    const json = await runCli(['doctor', '--sdk', 'all', '--json'], machineEnv(world))
    const parsed = JSON.parse(json.stdout) as { winner: string; sdks: { rows: { sdk: string; winner?: string }[]; disagreements: string[] } }
    expect(parsed.winner).toBe('profile')
    expect(Object.fromEntries(parsed.sdks.rows.map((r) => [r.sdk, r.winner]))).toMatchObject({ 'js-v3': 'profile', 'java-v2': 'env', botocore: 'env', 'go-v2': 'env' })
    expect(parsed.sdks.disagreements.length).toBeGreaterThan(0)
  })

  it("<name>: that SDK's own report, in its own words", async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'deploy', profiles: { deploy: { user: 'deployer' } } })
    const result = await runCli(['doctor', '--sdk', 'java-v2', '--json'], machineEnv(world))
    const parsed = JSON.parse(result.stdout) as { winner: string; links: { name: string }[] }
    expect(parsed.winner).toBe('env')
    expect(parsed.links.map((l) => l.name).join(' ')).toContain('EnvironmentVariableCredentialsProvider')
  })

  it('an unknown SDK is a usage error that lists the valid names', async () => {
    await using world = await createCredentialWorld({})
    const result = await runCli(['doctor', '--sdk', 'ruby'], machineEnv(world))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--sdk "ruby" is not an SDK; use all, one of js-v3, js-v3@<3.616, js-v2, ruby-v3, java-v1, java-v2, php-v3, botocore, aws-cli-v2, go-v2, go-v2@1.17, or several joined by commas (js-v2,js-v3)')
    const inList = await runCli(['doctor', '--sdk', 'js-v2,ruby'], machineEnv(world))
    expect([inList.code, inList.stderr.split('\n')[0]]).toEqual([2, 'chainproof: --sdk "ruby" is not an SDK; use all, one of js-v3, js-v3@<3.616, js-v2, ruby-v3, java-v1, java-v2, php-v3, botocore, aws-cli-v2, go-v2, go-v2@1.17, or several joined by commas (js-v2,js-v3)'])
  })

  it('--sdk js-v2,js-v3: the migration check, side by side, with the rule that splits them', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    const result = await runCli(['doctor', '--sdk', 'js-v2,js-v3', '--no-color'], machineEnv(world))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/js-v2\s+env\s+EnvironmentCredentials\('AWS'\)/)
    expect(result.stdout).toMatch(/js-v3\s+profile\s+fromIni/)
    expect(result.stdout).toContain('js-v2 resolves env')
    const json = JSON.parse((await runCli(['doctor', '--sdk', 'js-v2,js-v3', '--json'], machineEnv(world))).stdout) as { sdks: { rows: { sdk: string; winner?: string }[]; disagreements: string[] } }
    expect(json.sdks.rows.map((r) => [r.sdk, r.winner])).toEqual([['js-v2', 'env'], ['js-v3', 'profile']])
    expect(json.sdks.disagreements).toHaveLength(1)
  })
})
