/**
 * Real AWS tools against `chainproof exec` and `chainproof serve` worlds: Debian's AWS CLI v2
 * (2.9.19) and botocore (1.29.27), and — where the machine has them — a newer botocore and the
 * AWS CLI v1 (pyenv's). Each runs as a user would run it, as a command inside a world, and every
 * result is checked against the world (the ARN its STS answered, the source whose key signed).
 *
 * These tools ask 169.254.169.254 and *.amazonaws.com when nothing redirects them, so the suite
 * runs only inside a loopback-only network namespace (CI: `unshare -n`), and every tool is
 * started through oracles/netns-only.sh, which refuses to run it anywhere else. The results are
 * printed as a table at the end (the CI log shows them).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { inLoopbackOnlyNamespace } from '../../src/cli/isolate.js'
import { assertBuilt, readLines, runCli, spawnCli } from '../cli/support.js'

const NETNS_ONLY = join(import.meta.dirname, 'oracles', 'netns-only.sh')
const BOTOCORE_WHOAMI = join(import.meta.dirname, 'oracles', 'botocore_whoami.py')
const PATH = process.env.PATH ?? ''
const audit = mkdtempSync(join(tmpdir(), 'chainproof-real-clients-'))
const ENV = { PATH, CHAINPROOF_AUDIT_DIR: audit }
const inNamespace = inLoopbackOnlyNamespace()
const required = process.env.CHAINPROOF_REQUIRE_ORACLES === '1'

function version(command: string, args: string[]): string | undefined {
  if (!existsSync(command)) return undefined
  const run = spawnSync(command, args, { encoding: 'utf8', env: { PATH } })
  return run.status === 0 ? (run.stdout + run.stderr).trim() : undefined
}

/** Debian's AWS CLI v2 and botocore (awscli, python3-botocore). */
const CLI_V2 = '/usr/bin/aws'
const DEBIAN_PYTHON = '/usr/bin/python3'
const cliV2 = version(CLI_V2, ['--version'])?.match(/^aws-cli\/(\S+)/)?.[1]
const botocoreDebian = version(DEBIAN_PYTHON, ['-c', 'import botocore; print(botocore.__version__)'])
/** A newer botocore (one that honours AWS_ENDPOINT_URL_*), and the AWS CLI v1 beside it, from the python3 on PATH (pyenv here). */
const pathPython = spawnSync('python3', ['-c', 'import sys, botocore; print(sys.executable); print(botocore.__version__)'], { encoding: 'utf8', env: process.env })
const [newerPython, botocoreNewer] = pathPython.status === 0 ? pathPython.stdout.trim().split('\n') : []
const hasNewer = newerPython !== undefined && newerPython !== DEBIAN_PYTHON && botocoreNewer !== botocoreDebian
const CLI_V1 = hasNewer ? join(dirname(newerPython), 'aws') : ''
const cliV1 = hasNewer ? version(CLI_V1, ['--version'])?.match(/^aws-cli\/(1\.\S+)/)?.[1] : undefined

interface ResultRow {
  tool: string
  world: string
  how: string
  result: string
}
const rows: ResultRow[] = []
const printed: string[] = []

async function exec(spec: object, command: string[], options: string[] = []) {
  const result = await runCli(['exec', '--spec', JSON.stringify(spec), ...options, '--', 'sh', NETNS_ONLY, ...command], ENV)
  printed.push(result.stdout, result.stderr)
  expect(result.code, result.stderr).not.toBe(97)
  return result
}

/** The Type column of `aws configure list`'s access_key row. */
function configureType(stdout: string): string | undefined {
  return /^\s*access_key\s+\S+\s+(\S+)/m.exec(stdout)?.[1]
}

const WORLDS = {
  env: { env: { user: 'ci' } },
  profile: { profiles: { default: { user: 'alice' } } },
  process: { profiles: { default: { process: { role: 'tooling' } } } },
  container: { container: { role: 'task-role' } },
  instanceProfile: { instanceProfile: { role: 'web' } },
  roleProfile: { profile: 'deploy', profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base' } } },
  webIdentity: { webIdentity: { role: 'pod-role' } },
  webIdentityProfile: { profiles: { default: { role: 'pod-role', webIdentityTokenFile: true } } },
  sso: { profiles: { default: { sso: { role: 'Developer' } } } },
  classicBug: { env: { user: 'ci' }, instanceProfile: { role: 'web' } },
} as const
const ARNS: Record<string, RegExp> = {
  env: /:user\/ci$/,
  classicBug: /:user\/ci$/,
  profile: /:user\/alice$/,
  process: /:assumed-role\/tooling\//,
  container: /:assumed-role\/task-role\//,
  instanceProfile: /:assumed-role\/web\/i-/,
  roleProfile: /:assumed-role\/deployer\/chainproof-deploy$/,
  webIdentity: /:assumed-role\/pod-role\//,
  webIdentityProfile: /:assumed-role\/pod-role\//,
  sso: /:assumed-role\/Developer\//,
}
const SOURCE_OF: Record<string, string> = {
  env: 'env', profile: 'profile', process: 'process', container: 'container', instanceProfile: 'instanceProfile',
  roleProfile: 'profile', webIdentity: 'webIdentity', webIdentityProfile: 'webIdentity', sso: 'sso',
}

if (!inNamespace) console.log('real clients: skipped — these tools would ask 169.254.169.254 and *.amazonaws.com; run this file inside a loopback-only network namespace (unshare -n)')

describe.runIf(inNamespace)('real AWS tools inside chainproof worlds (a loopback-only network namespace)', () => {
  it('the tools are here', () => {
    assertBuilt()
    if (required) {
      expect(cliV2, 'Debian awscli').toBeDefined()
      expect(botocoreDebian, 'Debian python3-botocore').toBeDefined()
    }
    if (!hasNewer) console.log('real clients: no newer botocore / AWS CLI v1 on PATH: those rows are skipped')
  })

  describe.runIf(cliV2 !== undefined)(`AWS CLI v2 (${cliV2})`, () => {
    const tool = `aws-cli ${cliV2}`
    const whoami = ['sh', '-c', `${CLI_V2} sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL_STS" --output json`]

    it.each(['instanceProfile', 'container', 'profile'] as const)('exec: `aws sts get-caller-identity --endpoint-url` returns the %s world’s principal, signed by it', async (world) => {
      const result = await exec(WORLDS[world], whoami, ['--expect', SOURCE_OF[world]!])
      expect(result.code, result.stderr).toBe(0)
      const arn = (JSON.parse(result.stdout) as { Arn: string }).Arn
      expect(arn).toMatch(ARNS[world]!)
      rows.push({ tool, world, how: 'exec --expect, --endpoint-url', result: arn })
    }, 30_000)

    it.each([
      ['env', 'env'],
      ['profile', 'shared-credentials-file'],
      ['process', 'custom-process'],
      ['container', 'container-role'],
      ['instanceProfile', 'iam-role'],
      ['classicBug', 'env'],
    ] as const)('exec: `aws configure list` shows the %s world’s Type (%s)', async (world, type) => {
      const result = await exec(WORLDS[world], [CLI_V2, 'configure', 'list'])
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(configureType(result.stdout)).toBe(type)
      rows.push({ tool, world, how: 'exec, aws configure list', result: `Type ${type}` })
    }, 30_000)

    it('the classic bug, reproduced: env keys on an EC2 host win; exec --expect instanceProfile exits 1, and 0 once the keys are gone', async () => {
      const bug = await exec(WORLDS.classicBug, whoami, ['--expect', 'instanceProfile', '--no-color'])
      expect(bug.code).toBe(1)
      expect((JSON.parse(bug.stdout) as { Arn: string }).Arn).toMatch(/:user\/ci$/)
      expect(bug.stderr).toMatch(/^✘ expected instanceProfile, but 1 of the 1 signed request the command made was signed by others:\n {4}1 × env \(arn:aws:iam::123456789012:user\/ci\) \*{16}\w{4}\n$/)
      const fixed = await exec(WORLDS.instanceProfile, whoami, ['--expect', 'instanceProfile'])
      expect(fixed.code).toBe(0)
      rows.push({ tool, world: 'env keys + instance profile', how: 'exec --expect instanceProfile', result: 'exit 1 (signed by env, user/ci); without the keys exit 0' })
    }, 30_000)

    it('a role profile needs STS for its credentials, which CLI 2.9 asks at sts.amazonaws.com (it ignores AWS_ENDPOINT_URL_STS; 2.13 honours it): it fails here', async () => {
      // one attempt: the connection cannot succeed here
      const result = await exec({ ...WORLDS.roleProfile, vars: { AWS_MAX_ATTEMPTS: '1' } }, whoami)
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/Could not connect to the endpoint URL: "https:\/\/sts\.(?:[\w-]+\.)?amazonaws\.com\/"/)
      rows.push({ tool, world: 'roleProfile', how: 'exec, --endpoint-url', result: 'fails: the AssumeRole call goes to sts.amazonaws.com (needs CLI ≥ 2.13 for AWS_ENDPOINT_URL_STS)' })
    }, 30_000)

    it('serve --format env, sourced in a shell: the CLI resolves the instance profile (IMDS with its trailing slash) and env keys without PartialCredentialsError', async () => {
      for (const world of ['instanceProfile', 'env'] as const) {
        const child = spawnCli(['serve', '--spec', JSON.stringify(WORLDS[world]), '--log', 'none'], ENV)
        const reading = readLines(child)
        await reading.first
        await new Promise((resolve) => setTimeout(resolve, 100))
        const script = join(audit, `served-${world}.sh`)
        writeFileSync(script, reading.lines.join('\n') + '\n')
        const run = spawnSync('sh', [NETNS_ONLY, 'sh', '-c', `. "$0" && ${CLI_V2} sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL_STS" --output json && ${CLI_V2} configure list`, script], { env: { PATH }, encoding: 'utf8' })
        child.kill('SIGTERM')
        printed.push(run.stdout, run.stderr, reading.lines.join('\n'))
        expect(run.status, run.stderr).toBe(0)
        const arn = (JSON.parse(run.stdout.slice(0, run.stdout.indexOf('}') + 1)) as { Arn: string }).Arn
        expect(arn).toMatch(ARNS[world]!)
        expect(configureType(run.stdout)).toBe(world === 'env' ? 'env' : 'iam-role')
        rows.push({ tool, world, how: 'serve --format env, sourced', result: arn })
      }
    }, 30_000)
  })

  describe.runIf(botocoreDebian !== undefined)(`botocore (${botocoreDebian}, Debian)`, () => {
    const tool = `botocore ${botocoreDebian}`
    it.each([
      ['env', 'env'],
      ['profile', 'shared-credentials-file'],
      ['process', 'custom-process'],
      ['container', 'container-role'],
      ['instanceProfile', 'iam-role'],
    ] as const)('exec: get_credentials() in the %s world is the world’s key (method %s), proven by a signature its STS verified', async (world, method) => {
      const result = await exec(WORLDS[world], [DEBIAN_PYTHON, BOTOCORE_WHOAMI], ['--expect', SOURCE_OF[world]!])
      expect(result.code, result.stdout + result.stderr).toBe(0)
      const line = JSON.parse(result.stdout) as { method: string; arn: string }
      expect(line).toMatchObject({ method, arn: expect.stringMatching(ARNS[world]!) })
      rows.push({ tool, world, how: 'exec --expect, get_credentials()', result: `${method}, ${line.arn}` })
    }, 30_000)

    it.each(['roleProfile', 'webIdentity', 'sso'] as const)('the %s world needs STS or the SSO portal, which botocore 1.29 asks at amazonaws.com (it ignores AWS_ENDPOINT_URL_*; 1.31 honours them)', async (world) => {
      const result = await exec({ ...WORLDS[world], vars: { AWS_MAX_ATTEMPTS: '1' } }, [DEBIAN_PYTHON, BOTOCORE_WHOAMI])
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/Could not connect to the endpoint URL: "https:\/\/[\w.-]+\.amazonaws\.com\//)
      rows.push({ tool, world, how: 'exec, get_credentials()', result: 'fails: asks *.amazonaws.com (point it at the world in code, or botocore ≥ 1.31)' })
    }, 30_000)
  })

  describe.runIf(hasNewer)(`a newer botocore (${botocoreNewer}) and the AWS CLI v1 (${cliV1 ?? 'absent'}): AWS_ENDPOINT_URL_* honoured`, () => {
    const tool = `botocore ${botocoreNewer}`
    it.each([
      ['env', 'env'],
      ['profile', 'shared-credentials-file'],
      ['process', 'custom-process'],
      ['container', 'container-role'],
      ['instanceProfile', 'iam-role'],
      ['roleProfile', 'assume-role'],
      ['webIdentity', 'assume-role-with-web-identity'],
      ['webIdentityProfile', 'assume-role-with-web-identity'],
      ['sso', 'sso'],
    ] as const)('exec: get_credentials() in the %s world is the world’s key (method %s)', async (world, method) => {
      const result = await exec(WORLDS[world], [newerPython!, BOTOCORE_WHOAMI], ['--expect', SOURCE_OF[world]!])
      expect(result.code, result.stdout + result.stderr).toBe(0)
      const line = JSON.parse(result.stdout) as { method: string; arn: string }
      expect(line).toMatchObject({ method, arn: expect.stringMatching(ARNS[world]!) })
      rows.push({ tool, world, how: 'exec --expect, get_credentials()', result: `${method}, ${line.arn}` })
    }, 30_000)

    it.runIf(cliV1 !== undefined).each(['instanceProfile', 'container', 'profile', 'roleProfile'] as const)(
      'AWS CLI v1: `aws sts get-caller-identity` (no --endpoint-url: AWS_ENDPOINT_URL_STS; the region from AWS_DEFAULT_REGION) in the %s world',
      async (world) => {
        const result = await exec(WORLDS[world], [CLI_V1, 'sts', 'get-caller-identity', '--output', 'json'], ['--expect', SOURCE_OF[world]!])
        expect(result.code, result.stderr).toBe(0)
        const arn = (JSON.parse(result.stdout) as { Arn: string }).Arn
        expect(arn).toMatch(ARNS[world]!)
        rows.push({ tool: `aws-cli ${cliV1}`, world, how: 'exec --expect', result: arn })
      },
      30_000,
    )
  })

  afterAll(() => {
    if (!rows.length) return
    const widths = (['tool', 'world', 'how'] as const).map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)))
    const line = (r: ResultRow) => `  ${r.tool.padEnd(widths[0]!)}  ${r.world.padEnd(widths[1]!)}  ${r.how.padEnd(widths[2]!)}  ${r.result}`
    console.log(['', 'real clients against chainproof worlds (inside the loopback-only namespace):', line({ tool: 'tool', world: 'world', how: 'how', result: 'result' }), ...rows.map(line)].join('\n'))
  })

  it('never printed a secret key, session token or authorization token of any world, in any output of this file', () => {
    const secrets = readdirSync(audit)
      .filter((f) => f.startsWith('secrets-'))
      .flatMap((f) => readFileSync(join(audit, f), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string))
    expect(secrets.length).toBeGreaterThan(10)
    const all = printed.join('\n')
    expect(secrets.filter((s) => all.includes(s)).map((s) => `${s.slice(0, 4)}…`)).toEqual([])
  })
})

it.runIf(!inNamespace && required)('runs inside a loopback-only network namespace in CI', () => {
  expect.fail('CHAINPROOF_REQUIRE_ORACLES=1 but this process is not in a loopback-only network namespace: npm test runs the Vitest step under unshare -n when CHAINPROOF_NETNS=1')
})
