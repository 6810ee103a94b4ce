/**
 * `chainproof exec`: a command run inside a world, the way a user runs it — the built bin as a
 * child process, the command as its child. The command here is a real JS SDK v3 program
 * (programs/whoami-js-v3.cjs) that resolves with the default chain and asks the world's STS who
 * it is; `--expect` is checked against what the world's STS saw. Every output of the file is
 * searched, at its end, for every secret the exec worlds issued (CHAINPROOF_AUDIT_DIR).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exitCodeOf, isolationPlan } from '../../src/cli/isolate.js'
import { checkSigned } from '../../src/cli/exec.js'
import type { RecordedRequest, Source } from '../../src/types.js'
import { GUARD, assertBuilt, readLines, runCli, spawnCli } from './support.js'

const PROGRAMS = join(import.meta.dirname, 'programs')
const WHOAMI = join(PROGRAMS, 'whoami-js-v3.cjs')
const audit = mkdtempSync(join(tmpdir(), 'chainproof-exec-audit-'))
/** A decoy machine: its own keys in the environment and in ~/.aws, which no command run by exec may ever see. */
const decoyHome = mkdtempSync(join(tmpdir(), 'chainproof-exec-decoy-'))
mkdirSync(join(decoyHome, '.aws'))
writeFileSync(join(decoyHome, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIADECOYEXECHOME000\naws_secret_access_key = decoy-exec-home-secret\n')
const MACHINE: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: decoyHome,
  AWS_ACCESS_KEY_ID: 'AKIADECOYEXECENV0000',
  AWS_SECRET_ACCESS_KEY: 'decoy-exec-env-secret',
  AWS_PROFILE: 'decoy',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // every node program the command starts refuses non-loopback sockets too
  NODE_OPTIONS: `--require ${GUARD}`,
  CHAINPROOF_AUDIT_DIR: audit,
}

beforeAll(() => assertBuilt())
/** Every stdout and stderr of the file's runs, for the secret scan at its end. */
const printed: string[] = []

async function exec(args: string[], env: Record<string, string> = MACHINE) {
  const result = await runCli(['exec', ...args], env)
  printed.push(result.stdout, result.stderr)
  return result
}

const SOURCES: [Source, object, RegExp][] = [
  ['env', { env: { user: 'ci' } }, /^arn:aws:iam::123456789012:user\/ci$/],
  ['sso', { profiles: { default: { sso: { role: 'Developer', accountId: '444455556666' } } } }, /^arn:aws:sts::444455556666:assumed-role\/Developer\//],
  ['profile', { profile: 'deploy', profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base' } } }, /^arn:aws:sts::123456789012:assumed-role\/deployer\/chainproof-deploy$/],
  ['process', { profiles: { default: { process: { role: 'tooling' } } } }, /^arn:aws:sts::123456789012:assumed-role\/tooling\//],
  ['webIdentity', { webIdentity: { role: 'pod-role', sessionName: 'orders-pod' } }, /^arn:aws:sts::123456789012:assumed-role\/pod-role\/orders-pod$/],
  ['container', { container: { role: 'task-role' } }, /^arn:aws:sts::123456789012:assumed-role\/task-role\//],
  ['instanceProfile', { instanceProfile: { role: 'web' } }, /^arn:aws:sts::123456789012:assumed-role\/web\/i-/],
  ['login', { profiles: { default: { login: { role: 'console' } } } }, /^arn:aws:sts::123456789012:assumed-role\/console\//],
]

describe('chainproof exec', () => {
  it.each(SOURCES)('a JS SDK v3 program started by exec resolves through %s, never the machine’s own keys; --expect passes', async (source, spec, arn) => {
    const result = await exec(['--spec', JSON.stringify(spec), '--expect', source, '--', process.execPath, WHOAMI])
    expect([result.code, result.stderr]).toEqual([0, expect.stringContaining(`✔ expected ${source}: the 1 signed request the command made was signed by ${source}`)])
    const line = JSON.parse(result.stdout) as { arn: string; keyId: string }
    expect(line.arn).toMatch(arn)
    // stdout is the command's own: one line, nothing of chainproof's
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
  }, 30_000)

  it('exits with the command’s code; 127 when the command does not exist; the world is gone afterwards', async () => {
    const seven = await exec(['--spec', '{"instanceProfile":{"role":"web"}}', '--', process.execPath, '-e', 'process.stdout.write(process.env.HOME); process.exit(7)'])
    expect(seven.code).toBe(7)
    expect(seven.stdout).toMatch(/chainproof-home-/)
    expect(existsSync(seven.stdout)).toBe(false)
    expect(seven.stderr).toBe('')
    const missing = await exec(['--', 'chainproof-no-such-command'])
    expect([missing.code, missing.stderr]).toEqual([127, 'chainproof exec: chainproof-no-such-command: command not found (looked in PATH)\n'])
  })

  it('hands the command the world’s variables and HOME instead of the machine’s, secrets included', async () => {
    const show = "const e = process.env; process.stdout.write(JSON.stringify({ home: e.HOME, keys: Object.keys(e).filter((k) => k.startsWith('AWS_')).sort(), secretLength: (e.AWS_SECRET_ACCESS_KEY ?? '').length, path: e.PATH === process.argv[1] }))"
    const result = await exec(['--spec', '{"env":{"role":"deployer"}}', '--', process.execPath, '-e', show, MACHINE.PATH!])
    expect(result.code).toBe(0)
    const seen = JSON.parse(result.stdout) as { home: string; keys: string[]; secretLength: number; path: boolean }
    expect(seen.home).not.toBe(decoyHome)
    expect(seen.keys).toEqual([
      'AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_STS',
      'AWS_REGION', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
    ])
    expect(seen.secretLength).toBeGreaterThan(20)
    expect(seen.path).toBe(true)
  })

  it('--expect exits 1 when another source signed: the classic bug (env keys on an EC2 host), and when nothing signed', async () => {
    const spec = JSON.stringify({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const bug = await exec(['--spec', spec, '--expect', 'instanceProfile', '--no-color', '--', process.execPath, WHOAMI])
    expect(bug.code).toBe(1)
    expect(JSON.parse(bug.stdout).arn).toBe('arn:aws:iam::123456789012:user/ci')
    expect(bug.stderr.replace(/\*{16}[A-Z0-9]{4}/, '****************<KEY>')).toBe(
      '✘ expected instanceProfile, but 1 of the 1 signed request the command made was signed by others:\n    1 × env (arn:aws:iam::123456789012:user/ci) ****************<KEY>\n',
    )
    const fixed = await exec(['--spec', JSON.stringify({ instanceProfile: { role: 'web' } }), '--expect', 'ec2', '--', process.execPath, WHOAMI])
    expect(fixed.code).toBe(0)
    const nothing = await exec(['--spec', spec, '--expect', 'env', '--', process.execPath, '-e', ''])
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toMatch(/^✘ expected env, but the command made no signed request that reached the world/)
  }, 30_000)

  it('--report prints the chain report and the requests on stderr after the command; --format json as one object', async () => {
    const spec = JSON.stringify({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const text = await exec(['--spec', spec, '--report', '--', process.execPath, WHOAMI])
    expect(text.code).toBe(0)
    expect(text.stderr).toContain(`chainproof exec: ${process.execPath} exited with 0`)
    expect(text.stderr).toContain('Credential chain (js-v3) — winner: env')
    expect(text.stderr).toMatch(/7\. instanceProfile +fromInstanceMetadata +◐ shadowed/)
    expect(text.stderr).toMatch(/Requests the world received \(1\):\n {2}\S+ sts +POST \/ → 200 GetCallerIdentity by arn:aws:iam::123456789012:user\/ci \(env\)/)

    const json = await exec(['--spec', spec, '--report', '--expect', 'env', '--format', 'json', '--', process.execPath, WHOAMI])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stderr) as Record<string, any>
    expect(Object.keys(report)).toEqual(['command', 'exitCode', 'expect', 'report', 'requests'])
    expect(report.expect).toEqual({ source: 'env', passed: true, signed: 1, bySource: 1, others: [] })
    expect(report.report).toMatchObject({ sdk: 'js-v3', winner: 'env', shadowed: ['instanceProfile'] })
    expect(report.requests).toEqual([expect.objectContaining({ server: 'sts', action: 'GetCallerIdentity', source: 'env', accessKeyId: expect.stringMatching(/^\*{16}\w{4}$/) })])
  }, 30_000)

  it('passes SIGTERM and SIGINT on to the command and exits with its code; a signal that kills it gives 128 + n; the sandbox is removed', async () => {
    const program = join(PROGRAMS, 'signals.cjs')
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawnCli(['exec', '--spec', '{"instanceProfile":{"role":"web"}}', '--', process.execPath, '-e', `process.stdout.write('home ' + process.env.HOME + '\\n'); require(${JSON.stringify(program)})`], MACHINE)
      const reading = readLines(child)
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      const home = (await reading.first).replace(/^home /, '')
      await waitFor(() => reading.lines.includes('ready'))
      child.kill(signal)
      expect(await exited).toBe(42)
      printed.push(...reading.lines)
      expect(reading.lines).toContain(`got ${signal}`)
      expect(existsSync(home)).toBe(false)
    }
    const child = spawnCli(['exec', '--', 'sh', '-c', 'echo ready; exec sleep 20'], MACHINE)
    const reading = readLines(child)
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    expect(await reading.first).toBe('ready')
    await new Promise((resolve) => setTimeout(resolve, 100))
    child.kill('SIGTERM')
    expect(await exited).toBe(143)
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137)
  }, 30_000)

  it('takes a scenario file, or a bare WorldSpec file (no "spec" or "expect": nothing to expect for exec)', async () => {
    const bare = join(audit, 'bare.json')
    writeFileSync(bare, JSON.stringify({ instanceProfile: { role: 'web' } }))
    const scenario = join(audit, 'scenario.json')
    writeFileSync(scenario, JSON.stringify({ description: 'no expect: exec only runs the world', spec: { container: { role: 'task-role' } } }))
    for (const [file, source] of [[bare, 'instanceProfile'], [scenario, 'container']] as const) {
      const result = await exec([file, '--expect', source, '--', process.execPath, WHOAMI])
      expect([file, result.code, result.stderr]).toEqual([file, 0, expect.stringContaining(`✔ expected ${source}`)])
    }
  }, 30_000)

  it('exit 2 for usage and input errors, each saying what to do, and nothing is run', async () => {
    const marker = join(audit, 'ran')
    const run = ['--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]
    const cases: [string[], string][] = [
      [[process.execPath, '-e', '1'], 'chainproof: put the command after --, e.g. chainproof exec --spec \'{"instanceProfile":{"role":"web"}}\' -- aws sts get-caller-identity\nRun `chainproof exec --help` for usage.\n'],
      [['--spec', '{}', '--'], 'chainproof: no command after --\nRun `chainproof exec --help` for usage.\n'],
      [['--expect', 'none', ...run], "chainproof: --expect none means nothing: name the source that should sign the command's requests (env, profile, instanceProfile, …)\nRun `chainproof exec --help` for usage.\n"],
      [['--expect', 'imdss', ...run], expect.stringMatching(/^chainproof: --expect "imdss" is not a chain source; use one of env, sso, /) as unknown as string],
      [['--format', 'yaml', ...run], 'chainproof: --format must be text or json (got "yaml")\nRun `chainproof exec --help` for usage.\n'],
      [['--spec', '{"instanceProfile":{}}', ...run], 'chainproof: Invalid WorldSpec given with --spec:\n  - instanceProfile.role: required: a string\n'],
      [['--spec', '{}', 'extra.json', ...run], 'chainproof: give a scenario file or --spec, not both\nRun `chainproof exec --help` for usage.\n'],
    ]
    for (const [args, stderr] of cases) {
      const result = await exec(args)
      expect([args, result.code, result.stderr, result.stdout]).toEqual([args, 2, stderr, ''])
    }
    expect(existsSync(marker)).toBe(false)
  }, 30_000)
})

describe('chainproof exec --isolate', () => {
  const plan = isolationPlan()
  const canIsolate = !('refused' in plan)
  if (!canIsolate) console.log(`exec --isolate: no network namespace can be made here, so only the refusal is tested (${plan.refused})`)

  it.runIf(canIsolate)('runs the servers and the command in a namespace with only loopback up; the world still answers there', async () => {
    const result = await exec(['--isolate', '--spec', '{"instanceProfile":{"role":"web"}}', '--expect', 'instanceProfile', '--', 'sh', '-c', `tail -n +3 /proc/self/net/dev | cut -d: -f1 | tr -d ' '; ${JSON.stringify(process.execPath)} ${JSON.stringify(WHOAMI)}`])
    expect(result.code).toBe(0)
    const [interfaces, who] = result.stdout.trim().split('\n')
    expect(interfaces).toBe('lo')
    expect(JSON.parse(who!).arn).toMatch(/assumed-role\/web\//)
    expect(result.stderr).toContain('✔ expected instanceProfile')
  }, 30_000)

  it.runIf(canIsolate && typeof process.getuid === 'function' && process.getuid() === 0 && hasSetpriv())('works for an unprivileged user too (unshare -r -n: a user namespace), where the kernel allows one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chainproof-exec-nobody-'))
    spawnSync('chmod', ['0777', home])
    const result = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, join(import.meta.dirname, '..', '..', 'dist', 'cjs', 'cli.cjs'), 'exec', '--isolate', '--', 'sh', '-c', 'tail -n +3 /proc/self/net/dev | cut -d: -f1 | tr -d " "'], {
      env: { PATH: MACHINE.PATH!, HOME: home, TMPDIR: home },
      encoding: 'utf8',
    })
    printed.push(result.stdout, result.stderr)
    if (/cannot make a network namespace here/.test(result.stderr)) {
      console.log(`exec --isolate as an unprivileged user: refused here, as documented (${result.stderr.trim()})`)
      expect(result.status).toBe(2)
      return
    }
    expect([result.status, result.stdout.trim()]).toEqual([0, 'lo'])
  }, 30_000)

  it('refuses, with the reason and exit 2, where no namespace can be made (no unshare on PATH; macOS and Windows); nothing is run', async () => {
    const result = await exec(['--isolate', '--', process.execPath, '-e', 'process.stdout.write("ran")'], { ...MACHINE, PATH: '/nonexistent' })
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', 'chainproof exec: --isolate needs unshare(1) (util-linux) on PATH. Nothing was run.\n'])
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    for (const other of ['darwin', 'win32']) {
      Object.defineProperty(process, 'platform', { value: other })
      try {
        expect(isolationPlan()).toEqual({ refused: `--isolate needs Linux network namespaces; on ${other} run the command without it (in a VM or container without a network if you must be sure nothing leaves)` })
      } finally {
        Object.defineProperty(process, 'platform', platform)
      }
    }
  })
})

describe('checkSigned (the --expect rule)', () => {
  const at = new Date(0)
  const req = (r: Partial<RecordedRequest>): RecordedRequest => ({ server: 'gate', method: 'GET', path: '/', status: 200, at, ...r })
  it('every signed request but the STS calls that fetched credentials, and at least one', () => {
    const assumed = req({ server: 'sts', action: 'AssumeRole', accessKeyId: 'AKIAAAAAAAAAAAAABASE', source: 'profile' })
    const call = req({ accessKeyId: 'ASIAAAAAAAAAAAAAROLE', source: 'profile', principal: 'arn:aws:sts::1:assumed-role/r/s' })
    expect(checkSigned([assumed, call], 'profile')).toMatchObject({ passed: true, signed: 1, bySource: 1 })
    expect(checkSigned([req({ server: 'imds' })], 'instanceProfile')).toMatchObject({ passed: false, signed: 0 })
    const unverified = req({ accessKeyId: 'AKIAAAAAAAAAAAAAUNKN' })
    expect(checkSigned([call, unverified], 'profile')).toMatchObject({
      passed: false,
      signed: 2,
      bySource: 1,
      others: [{ signer: 'signature not verified (a key this world never issued, or a bad signature)', accessKeyId: '****************UNKN', count: 1 }],
    })
  })
})

it('never printed a secret key, session token or authorization token of any exec world, in any output of this file', () => {
  const files = readdirSync(audit).filter((f) => f.startsWith('secrets-'))
  const secrets = files.flatMap((f) => readFileSync(join(audit, f), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string))
  expect(secrets.length).toBeGreaterThan(20)
  const outputs = readdirSync(audit).filter((f) => f.startsWith('texts-')).map((f) => readFileSync(join(audit, f), 'utf8'))
  const all = [...outputs, ...printed].join('\n')
  expect(secrets.filter((s) => all.includes(s)).map((s) => `${s.slice(0, 4)}…`)).toEqual([])
})

function hasSetpriv(): boolean {
  return spawnSync('setpriv', ['--version']).status === 0
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('the control server’s checks', () => {
  it('compares tokens in constant time whatever their lengths, and accepts only loopback Hosts (any IP address beyond loopback only when asked)', async () => {
    const { hostAllowed, isLoopbackAddress, tokensEqual } = await import('../../src/cli/control.js')
    expect(tokensEqual('a'.repeat(43), 'a'.repeat(43))).toBe(true)
    expect(tokensEqual('a'.repeat(42), 'a'.repeat(43))).toBe(false)
    expect(tokensEqual('', 'a')).toBe(false)
    for (const address of ['127.0.0.1', '127.255.0.9', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect([address, isLoopbackAddress(address)]).toEqual([address, true])
    for (const address of ['0.0.0.0', '::', '10.1.2.3', '169.254.169.254', 'fd00:ec2::254', '127.0.0.1.nip.io', 'localhost.evil.example']) expect([address, isLoopbackAddress(address)]).toEqual([address, false])
    const cases: [string | undefined, boolean, boolean][] = [
      ['127.0.0.1:8080', false, true],
      ['localhost', false, true],
      ['LOCALHOST:1', false, true],
      ['[::1]:8080', false, true],
      ['10.1.2.3:8080', false, false],
      ['10.1.2.3:8080', true, true],
      ['[fd00::1]:80', true, true],
      ['evil.example:8080', true, false],
      ['localtest.me', true, false],
      ['127.0.0.1@evil.example', false, false],
      [undefined, false, false],
      ['', false, false],
    ]
    for (const [host, beyond, allowed] of cases) expect([host, beyond, hostAllowed(host, beyond)]).toEqual([host, beyond, allowed])
  })
})
