/**
 * `chainproof serve`: a world's loopback servers in their own process, for services in any
 * language. The tests read its first line, resolve credentials against it (from this process
 * and from a child process with the printed env), use the control server, and stop it.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fromInstanceMetadata } from '@aws-sdk/credential-providers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES, assertBuilt, itNeverPrintsASecret, readLines, normalize, recordOutput, runCli, spawnCli } from './support.js'

const PATH = process.env.PATH ?? ''
const started: ChildProcessWithoutNullStreams[] = []
const servedSecrets: string[] = []

beforeAll(() => assertBuilt())
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

interface Served {
  child: ChildProcessWithoutNullStreams
  first: string
  stderr: () => string
  stdout: () => string
  /** Sends a signal and waits for the exit code; records the outputs for the secret scan. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

async function serve(args: string[]): Promise<Served> {
  const child = spawnCli(['serve', ...args], { PATH })
  started.push(child)
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const reading = readLines(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const first = await reading.first
  // the lines after the first (the variables) follow at once; give them a moment
  await new Promise((resolve) => setTimeout(resolve, 50))
  return {
    child,
    first,
    stderr: () => stderr,
    stdout: () => reading.lines.slice(1).join('\n'),
    async stop(signal = 'SIGTERM') {
      child.kill(signal)
      const code = await exited
      recordOutput(reading.lines.join('\n'))
      recordOutput(stderr)
      return code
    },
  }
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url)
  expect(response.status).toBe(200)
  return response.json()
}

/** With the served env as process.env's AWS_* variables, briefly: the SDK reads its endpoints from there. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env }
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k]
  Object.assign(process.env, env)
  try {
    return await fn()
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

describe('chainproof serve', () => {
  it('--format json: the first line gives env, endpoints and control; the SDK resolves against its IMDS; SIGTERM exits 0', async () => {
    const served = await serve(['--spec', '{"instanceProfile":{"role":"web"}}', '--format', 'json'])
    const line = JSON.parse(served.first) as { env: Record<string, string>; endpoints: Record<string, string>; control: string; withheld: string[] }
    expect(Object.keys(line)).toEqual(['env', 'endpoints', 'control', 'withheld'])
    expect(Object.keys(line.endpoints)).toEqual(['imds', 'container', 'sts', 'sso', 'gate', 'signin'])
    expect(line.withheld).toEqual([])
    expect(line.env).toMatchObject({
      AWS_EC2_METADATA_SERVICE_ENDPOINT: line.endpoints.imds,
      AWS_ENDPOINT_URL_STS: line.endpoints.sts,
      AWS_ENDPOINT_URL_SSO: line.endpoints.sso,
      AWS_ENDPOINT_URL: line.endpoints.gate,
      AWS_REGION: 'us-east-1',
    })
    expect(line.env.HOME).toMatch(/chainproof-home-/)
    for (const url of [...Object.values(line.endpoints), line.control]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const credentials = await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: line.endpoints.imds! }, () => fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })())
    servedSecrets.push(credentials.secretAccessKey, credentials.sessionToken!)
    expect(credentials.accessKeyId).toMatch(/^ASIA/)

    expect(await (await fetch(`${line.control}/healthz`)).text()).toBe('ok')
    const requests = (await getJson(`${line.control}/requests`)) as { server: string; method: string; path: string; status: number }[]
    expect(requests.map((r) => `${r.server} ${r.method} ${r.path} ${r.status}`)).toEqual([
      'imds PUT /latest/api/token 200',
      'imds GET /latest/meta-data/iam/security-credentials/ 200',
      'imds GET /latest/meta-data/iam/security-credentials/web 200',
    ])
    const explained = (await getJson(`${line.control}/explain`)) as Record<string, unknown>
    expect(Object.keys(explained)).toEqual(['sdk', 'winner', 'shadowed', 'links', 'hints', 'text'])
    expect(explained).toMatchObject({ sdk: 'js-v3', winner: 'instanceProfile', shadowed: [] })
    expect(explained.text).toContain('Credential chain (js-v3) — winner: instanceProfile')
    expect(await getJson(`${line.control}/env`)).toEqual(line.env)
    const missing = await fetch(`${line.control}/nope`)
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no route /nope; the control server answers GET /healthz, /env, /requests, /explain' }])

    expect(await served.stop('SIGTERM')).toBe(0)
    expect(normalize(served.stderr())).toMatchInlineSnapshot(`
      "chainproof serve: --spec — imds http://127.0.0.1:<PORT>, container http://127.0.0.1:<PORT>, sts http://127.0.0.1:<PORT>, sso http://127.0.0.1:<PORT>, gate http://127.0.0.1:<PORT>, signin http://127.0.0.1:<PORT>; control http://127.0.0.1:<PORT>. SIGINT (Ctrl-C) or SIGTERM stops it.
      <TIME> imds      PUT /latest/api/token → 200
      <TIME> imds      GET /latest/meta-data/iam/security-credentials/ → 200
      <TIME> imds      GET /latest/meta-data/iam/security-credentials/web → 200
      chainproof serve: stopped
      "
    `)
    // the world was disposed: its sandbox home is gone
    const { existsSync } = await import('node:fs')
    expect(existsSync(line.env.HOME!)).toBe(false)
  })

  it('--format env (default) for a profile scenario: a service in another process resolves through its STS; SIGINT exits 0', async () => {
    const served = await serve([join(FIXTURES, 'profile-source-profile.json')])
    expect(normalize(served.first)).toBe('# chainproof control: http://127.0.0.1:<PORT>')
    const exports = served.stdout().trim().split('\n')
    expect(exports.every((l) => /^export [A-Z0-9_]+='[^']*'$/.test(l))).toBe(true)
    const env = Object.fromEntries(exports.map((l) => /^export ([A-Z0-9_]+)='([^']*)'$/.exec(l)!.slice(1, 3) as [string, string]))
    expect(Object.keys(env).sort()).toEqual(['AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE', 'AWS_REGION', 'HOME', 'USERPROFILE'])

    // "a service in any language": here the chainproof CLI itself, whose --whoami resolves with the real chain and asks STS
    const service = await runCli(['doctor', '--whoami', '--json', '--expect', 'profile'], { PATH, ...env })
    expect(service.code).toBe(0)
    expect(JSON.parse(service.stdout).whoami).toMatchObject({ arn: 'arn:aws:sts::123456789012:assumed-role/deployer/chainproof-deploy', account: '123456789012' })

    expect(await served.stop('SIGINT')).toBe(0)
    expect(served.stderr()).toMatch(/ sts +POST \/ → 200 AssumeRole by arn:aws:iam::123456789012:user\/alice \(profile\)\n/)
    expect(served.stderr()).toMatch(/ sts +POST \/ → 200 GetCallerIdentity by arn:aws:sts::123456789012:assumed-role\/deployer\/chainproof-deploy \(profile\)\n/)
  })

  it('never prints env secrets: they are withheld and fetched from GET /env; --format dotenv and --log json', async () => {
    const served = await serve(['--spec', '{"env":{"role":"deployer"}}', '--format', 'dotenv', '--log', 'json'])
    const lines = served.stdout().trim().split('\n')
    expect(normalize(served.first)).toBe('# chainproof control: http://127.0.0.1:<PORT>')
    expect(normalize(lines[0]!)).toBe('# withheld (secrets are never printed; GET http://127.0.0.1:<PORT>/env has them): AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN')
    const printed = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    expect(Object.keys(printed)).toContain('AWS_ACCESS_KEY_ID')
    expect(Object.keys(printed)).not.toContain('AWS_SECRET_ACCESS_KEY')
    const control = served.first.replace('# chainproof control: ', '')
    const full = (await getJson(`${control}/env`)) as Record<string, string>
    servedSecrets.push(full.AWS_SECRET_ACCESS_KEY!, full.AWS_SESSION_TOKEN!)

    const service = await runCli(['doctor', '--whoami', '--json'], { PATH, ...full })
    expect(JSON.parse(service.stdout).whoami).toMatchObject({ arn: 'arn:aws:sts::123456789012:assumed-role/deployer/chainproof-env', source: 'env' })

    expect(await served.stop()).toBe(0)
    const logged = served.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(logged).toHaveLength(1)
    expect(normalize(JSON.stringify(logged[0]))).toBe(
      '{"server":"sts","method":"POST","path":"/","status":200,"at":"<TIME>","service":"sts","action":"GetCallerIdentity","accessKeyId":"****************<KEY>","principal":"arn:aws:sts::123456789012:assumed-role/deployer/chainproof-env","source":"env","region":"us-east-1"}',
    )
  })

  it('--host and --port-base fix every port: imds n, container n+1, sts n+2, sso n+3, gate n+4, control n+5, signin n+6', async () => {
    const base = await freePortRun(7)
    const served = await serve(['--port-base', String(base), '--host', '127.0.0.1', '--format', 'json', '--log', 'none', '--spec', '{"container":{"role":"task-role"}}'])
    const line = JSON.parse(served.first) as { env: Record<string, string>; endpoints: Record<string, string>; control: string }
    expect(line.endpoints).toEqual({
      imds: `http://127.0.0.1:${base}`,
      container: `http://127.0.0.1:${base + 1}`,
      sts: `http://127.0.0.1:${base + 2}`,
      sso: `http://127.0.0.1:${base + 3}`,
      gate: `http://127.0.0.1:${base + 4}`,
      signin: `http://127.0.0.1:${base + 6}`,
    })
    expect(line.control).toBe(`http://127.0.0.1:${base + 5}`)
    expect(line.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${base + 1}/v2/credentials/[0-9a-f]{32}$`))
    expect(line.env.AWS_CONTAINER_AUTHORIZATION_TOKEN).toBeDefined()

    // a second serve on the same ports says what to do, exit 2
    const clash = await runCli(['serve', '--port-base', String(base)], { PATH })
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(new RegExp(`^chainproof: chainproof \\w+ server cannot listen on 127\\.0\\.0\\.1:\\d+ \\(EADDRINUSE\\): choose another host or port \\(--port-base\\)\\n$`))
    expect(await served.stop()).toBe(0)
    expect(served.stderr()).toBe('')
  })

  it('exit 2 for usage and input errors, each saying what to do', async () => {
    const cases: [string[], string][] = [
      [['serve', '--port-base', 'abc'], 'chainproof: --port-base must be a port from 1 to 65529 (it uses n to n+6); got "abc"\nRun `chainproof serve --help` for usage.\n'],
      [['serve', '--host', 'my host'], 'chainproof: --host must be an IP address such as 127.0.0.1 or 0.0.0.0 (got "my host")\nRun `chainproof serve --help` for usage.\n'],
      [['serve', '--format', 'yaml'], 'chainproof: --format must be env, dotenv or json (got "yaml")\nRun `chainproof serve --help` for usage.\n'],
      [['serve', join(FIXTURES, 'container.json'), '--spec', '{}'], 'chainproof: give a scenario file or --spec, not both\nRun `chainproof serve --help` for usage.\n'],
      [['serve', '--spec', '{"instanceProfile":'], `chainproof: --spec is not valid JSON: Unexpected end of JSON input; quote it for the shell, e.g. --spec '{"instanceProfile":{"role":"web"}}'\n`],
      [['serve', '--spec', '{"instanceProfile":{}}'], 'chainproof: Invalid WorldSpec given with --spec:\n  - instanceProfile.role: Invalid input: expected string, received undefined\n'],
    ]
    for (const [args, stderr] of cases) {
      const result = await runCli(args, { PATH })
      expect([args, result.code, result.stderr, result.stdout]).toEqual([args, 2, stderr, ''])
    }
  })
})

/** A base port with `count` free consecutive ports on 127.0.0.1. */
async function freePortRun(count: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000)
    let ok = true
    for (let i = 0; i < count && ok; i++) ok = await free(base + i)
    if (ok) return base
  }
  throw new Error('no run of free ports found')
}

itNeverPrintsASecret({ extraSecrets: () => servedSecrets, keyIdsAllowed: true })
