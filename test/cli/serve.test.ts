/**
 * `chainproof serve`: a world's loopback servers in their own process, for services in any
 * language. The tests read its first line, resolve credentials against it (from this process
 * and from a child process with the printed env), use the control server, and stop it.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fromInstanceMetadata } from '@aws-sdk/credential-providers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { CLI, FIXTURES, assertBuilt, itNeverPrintsASecret, readLines, normalize, recordOutput, runCli, spawnCli } from './support.js'

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

/** GET a control route with the run's token. */
async function getJson(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return response.json()
}

/** A raw HTTP GET with any headers (fetch cannot set Host): status, headers and body. */
function rawGet(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The exports of `--format env` output: NAME → the literal value, or { file } for a secret read with $(cat …). */
function parseExports(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    if (line.startsWith('#')) continue
    const plain = /^export ([A-Z0-9_]+)='([^']*)'$/.exec(line)
    const secret = /^export ([A-Z0-9_]+)="\$\(cat '([^']+)'\)"$/.exec(line)
    if (plain) out[plain[1]!] = plain[2]!
    else if (secret) out[secret[1]!] = `<file ${secret[2]}>`
    else throw new Error(`not an export line: ${line}`)
  }
  return out
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
  it('--format json: the first line gives env, endpoints, control and its token; the SDK resolves against its IMDS; SIGTERM exits 0', async () => {
    const served = await serve(['--spec', '{"instanceProfile":{"role":"web"}}', '--format', 'json'])
    const line = JSON.parse(served.first) as { env: Record<string, string>; endpoints: Record<string, string>; control: string; token: string; withheld: string[] }
    expect(Object.keys(line)).toEqual(['env', 'endpoints', 'control', 'token', 'withheld'])
    expect(Object.keys(line.endpoints)).toEqual(['imds', 'container', 'sts', 'sso', 'gate', 'signin'])
    expect(line.withheld).toEqual([])
    expect(line.token).toMatch(/^[\w-]{43}$/)
    expect(line.env).toMatchObject({
      // the trailing slash the AWS CLI and botocore need (they append "latest/api/token")
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `${line.endpoints.imds}/`,
      AWS_ENDPOINT_URL_STS: line.endpoints.sts,
      AWS_ENDPOINT_URL_SSO: line.endpoints.sso,
      AWS_ENDPOINT_URL: line.endpoints.gate,
      AWS_REGION: 'us-east-1',
      // the AWS CLI v1 and botocore read this one
      AWS_DEFAULT_REGION: 'us-east-1',
    })
    expect(line.env.HOME).toMatch(/chainproof-home-/)
    for (const url of [...Object.values(line.endpoints), line.control]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const credentials = await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: line.env.AWS_EC2_METADATA_SERVICE_ENDPOINT! }, () => fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })())
    servedSecrets.push(credentials.secretAccessKey, credentials.sessionToken!)
    expect(credentials.accessKeyId).toMatch(/^ASIA/)

    const ok = await fetch(`${line.control}/healthz`, { headers: { authorization: `Bearer ${line.token}` } })
    expect(await ok.text()).toBe('ok')
    const requests = (await getJson(`${line.control}/requests`, line.token)) as { server: string; method: string; path: string; status: number }[]
    expect(requests.map((r) => `${r.server} ${r.method} ${r.path} ${r.status}`)).toEqual([
      'imds PUT /latest/api/token 200',
      'imds GET /latest/meta-data/iam/security-credentials/ 200',
      'imds GET /latest/meta-data/iam/security-credentials/web 200',
    ])
    const explained = (await getJson(`${line.control}/explain`, line.token)) as Record<string, unknown>
    expect(Object.keys(explained)).toEqual(['sdk', 'winner', 'shadowed', 'links', 'hints', 'text'])
    expect(explained).toMatchObject({ sdk: 'js-v3', winner: 'instanceProfile', shadowed: [] })
    expect(explained.text).toContain('Credential chain (js-v3) — winner: instanceProfile')
    expect(await getJson(`${line.control}/env`, line.token)).toEqual(line.env)
    const missing = await fetch(`${line.control}/nope`, { headers: { authorization: `Bearer ${line.token}` } })
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
    const env = parseExports(served.stdout().trim().split('\n'))
    expect(Object.keys(env).sort()).toEqual([
      'AWS_DEFAULT_REGION', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE', 'AWS_REGION',
      'CHAINPROOF_CONTROL_TOKEN', 'CHAINPROOF_CONTROL_URL', 'HOME', 'USERPROFILE',
    ])
    expect(env.CHAINPROOF_CONTROL_URL).toBe(served.first.replace('# chainproof control: ', ''))

    // "a service in any language": here the chainproof CLI itself, whose --whoami resolves with the real chain and asks STS
    const service = await runCli(['doctor', '--whoami', '--json', '--expect', 'profile'], { PATH, ...env })
    expect(service.code).toBe(0)
    expect(JSON.parse(service.stdout).whoami).toMatchObject({ arn: 'arn:aws:sts::123456789012:assumed-role/deployer/chainproof-deploy', account: '123456789012' })

    expect(await served.stop('SIGINT')).toBe(0)
    expect(served.stderr()).toMatch(/ sts +POST \/ → 200 AssumeRole by arn:aws:iam::123456789012:user\/alice \(profile\)\n/)
    expect(served.stderr()).toMatch(/ sts +POST \/ → 200 GetCallerIdentity by arn:aws:sts::123456789012:assumed-role\/deployer\/chainproof-deploy \(profile\)\n/)
  })

  it('--format env: secrets are never printed, yet sourcing the output in a shell gives every credential (read from sandbox files)', async () => {
    for (const spec of ['{"env":{"role":"deployer"}}', '{"container":{"role":"task-role"}}']) {
      const served = await serve(['--spec', spec, '--log', 'none'])
      const lines = served.stdout().trim().split('\n')
      const exports = parseExports(lines)
      const token = exports.CHAINPROOF_CONTROL_TOKEN!
      const full = (await getJson(`${exports.CHAINPROOF_CONTROL_URL}/env`, token)) as Record<string, string>
      const secret = spec.includes('container') ? ['AWS_CONTAINER_AUTHORIZATION_TOKEN'] : ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
      servedSecrets.push(...secret.map((k) => full[k]!))
      expect(lines).toContain(`# secrets are never printed: ${secret.join(', ')} are read from files in the world's sandbox when this is sourced`)
      for (const k of secret) expect(exports[k]).toMatch(/^<file .*\/\.chainproof\/served\/[A-Z_]+>$/)
      // sourced by a POSIX shell, which then runs a service: it sees the full env
      const script = join(full.HOME!, 'served.sh')
      const { writeFileSync, statSync } = await import('node:fs')
      writeFileSync(script, served.stdout())
      const file = exports[secret[0]!]!.replace(/^<file (.*)>$/, '$1')
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
      const sourced = spawnSync('sh', ['-c', `. "$0" && ${JSON.stringify(process.execPath)} -e 'process.stdout.write(JSON.stringify(process.env))'`, script], { env: { PATH }, encoding: 'utf8' })
      const seen = JSON.parse(sourced.stdout) as Record<string, string>
      for (const [k, v] of Object.entries(full)) expect([k, seen[k]]).toEqual([k, v])
      // and the service resolves through it: chainproof's own --whoami, in that shell
      const whoami = spawnSync('sh', ['-c', `. "$0" && ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} doctor --whoami --json`, script], { env: { PATH }, encoding: 'utf8' })
      recordOutput(whoami.stdout + whoami.stderr)
      expect(JSON.parse(whoami.stdout).whoami).toMatchObject({ source: spec.includes('container') ? 'container' : 'env' })
      expect(await served.stop()).toBe(0)
    }
  })

  it('--format dotenv and json leave out every variable of a group with a secret, so no tool sees partial credentials; --log json', async () => {
    const served = await serve(['--spec', '{"env":{"role":"deployer"}}', '--format', 'dotenv', '--log', 'json'])
    const lines = served.stdout().trim().split('\n')
    expect(normalize(served.first)).toBe('# chainproof control: http://127.0.0.1:<PORT>')
    expect(normalize(lines.find((l) => l.startsWith('# withheld'))!)).toBe(
      '# withheld: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN — secrets are never printed, and their group is left out whole so no tool sees partial credentials; use --format env (it reads them from files), run the tool with `chainproof exec`, or GET http://127.0.0.1:<PORT>/env with the token',
    )
    const printed = Object.fromEntries(lines.filter((l) => !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) expect(Object.keys(printed)).not.toContain(k)
    const full = (await getJson(`${printed.CHAINPROOF_CONTROL_URL}/env`, printed.CHAINPROOF_CONTROL_TOKEN!)) as Record<string, string>
    servedSecrets.push(full.AWS_SECRET_ACCESS_KEY!, full.AWS_SESSION_TOKEN!)

    const service = await runCli(['doctor', '--whoami', '--json'], { PATH, ...full })
    expect(JSON.parse(service.stdout).whoami).toMatchObject({ arn: 'arn:aws:sts::123456789012:assumed-role/deployer/chainproof-env', source: 'env' })

    expect(await served.stop()).toBe(0)
    const logged = served.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(logged).toHaveLength(1)
    expect(normalize(JSON.stringify(logged[0]))).toBe(
      '{"server":"sts","method":"POST","path":"/","status":200,"at":"<TIME>","service":"sts","action":"GetCallerIdentity","accessKeyId":"****************<KEY>","principal":"arn:aws:sts::123456789012:assumed-role/deployer/chainproof-env","source":"env","region":"us-east-1"}',
    )

    // json: the container endpoint and its token go together
    const container = await serve(['--spec', '{"container":{"role":"task-role"}}', '--format', 'json', '--log', 'none'])
    const line = JSON.parse(container.first) as { env: Record<string, string>; withheld: string[] }
    expect(line.withheld).toEqual(['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'])
    expect(Object.keys(line.env).filter((k) => k.startsWith('AWS_CONTAINER'))).toEqual([])
    expect(await container.stop()).toBe(0)
  })

  it('withholds a variable whose URL carries a user and password, and masks it in every message', async () => {
    const spec = JSON.stringify({ instanceProfile: { role: 'web' }, vars: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://ops:hunter2-not-a-real-password@127.0.0.1:9/creds' } })
    const served = await serve(['--spec', spec, '--format', 'dotenv'])
    const out = served.stdout() + served.first
    expect(out).not.toContain('hunter2')
    expect(out).toContain('# withheld: AWS_CONTAINER_CREDENTIALS_FULL_URI')
    expect(await served.stop()).toBe(0)
    expect(served.stderr()).not.toContain('hunter2')
  })

  it('--host and --port-base fix every port: imds n, container n+1, sts n+2, sso n+3, gate n+4, control n+5, signin n+6', async () => {
    const base = await freePortRun(7)
    const served = await serve(['--port-base', String(base), '--host', '127.0.0.1', '--format', 'json', '--log', 'none', '--spec', '{"container":{"role":"task-role"}}'])
    const line = JSON.parse(served.first) as { env: Record<string, string>; endpoints: Record<string, string>; control: string; token: string }
    expect(line.endpoints).toEqual({
      imds: `http://127.0.0.1:${base}`,
      container: `http://127.0.0.1:${base + 1}`,
      sts: `http://127.0.0.1:${base + 2}`,
      sso: `http://127.0.0.1:${base + 3}`,
      gate: `http://127.0.0.1:${base + 4}`,
      signin: `http://127.0.0.1:${base + 6}`,
    })
    expect(line.control).toBe(`http://127.0.0.1:${base + 5}`)
    const full = (await getJson(`${line.control}/env`, line.token)) as Record<string, string>
    expect(full.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${base + 1}/v2/credentials/[0-9a-f]{32}$`))
    servedSecrets.push(full.AWS_CONTAINER_AUTHORIZATION_TOKEN!)

    // a second serve on the same ports says what to do, exit 2
    const clash = await runCli(['serve', '--port-base', String(base)], { PATH })
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(new RegExp(`^chainproof: chainproof \\w+ server cannot listen on 127\\.0\\.0\\.1:\\d+ \\(EADDRINUSE\\): choose another host or port \\(--port-base\\)\\n$`))
    expect(clash.stderr).not.toContain('0.0.0.0')
    expect(await served.stop()).toBe(0)
    expect(served.stderr()).toBe('')
  })

  it('exit 2 for usage and input errors, each saying what to do', async () => {
    const cases: [string[], string][] = [
      [['serve', '--port-base', 'abc'], 'chainproof: --port-base must be a port from 1 to 65529 (it uses n to n+6); got "abc"\nRun `chainproof serve --help` for usage.\n'],
      [['serve', '--host', 'my host'], 'chainproof: --host must be an IP address such as 127.0.0.1 (got "my host")\nRun `chainproof serve --help` for usage.\n'],
      [['serve', '--format', 'yaml'], 'chainproof: --format must be env, dotenv or json (got "yaml")\nRun `chainproof serve --help` for usage.\n'],
      [['serve', join(FIXTURES, 'container.json'), '--spec', '{}'], 'chainproof: give a scenario file or --spec, not both\nRun `chainproof serve --help` for usage.\n'],
      [['serve', '--spec', '{"instanceProfile":'], `chainproof: --spec is not valid JSON: Unexpected end of JSON input; quote it for the shell, e.g. --spec '{"instanceProfile":{"role":"web"}}'\n`],
      [['serve', '--spec', '{"instanceProfile":{}}'], 'chainproof: Invalid WorldSpec given with --spec:\n  - instanceProfile.role: required: a string\n'],
    ]
    for (const [args, stderr] of cases) {
      const result = await runCli(args, { PATH })
      expect([args, result.code, result.stderr, result.stdout]).toEqual([args, 2, stderr, ''])
    }
  })
})

describe('the control server: only its owner can read it', () => {
  it('needs the per-run token on every route (401 without it or with a wrong one), refuses other Hosts (421) and web pages (403), sends no CORS headers', async () => {
    const served = await serve(['--spec', '{"env":{"user":"ci"}}', '--format', 'json', '--log', 'none'])
    const { control, token } = JSON.parse(served.first) as { control: string; token: string }
    const port = new URL(control).port
    const bearer = { authorization: `Bearer ${token}` }
    for (const route of ['/healthz', '/env', '/requests', '/explain', '/nope']) {
      const none = await rawGet(control + route, {})
      expect([route, none.status, none.headers['www-authenticate'], JSON.parse(none.body).error]).toEqual([
        route, 401, 'Bearer realm="chainproof"', 'no control token: send "Authorization: Bearer <token>" with the token serve printed (CHAINPROOF_CONTROL_TOKEN)',
      ])
      const wrong = await rawGet(control + route, { authorization: `Bearer ${token.slice(0, -1)}x` })
      expect([route, wrong.status, JSON.parse(wrong.body).error]).toEqual([route, 401, expect.stringMatching(/^a wrong control token/)])
      expect(wrong.body).not.toContain('AWS_SECRET_ACCESS_KEY')
    }
    // DNS rebinding: a page's own name pointed at 127.0.0.1 — refused even with the token
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `10.1.2.3:${port}`]) {
      const rebound = await rawGet(`${control}/env`, { ...bearer, host })
      expect([host, rebound.status]).toEqual([host, 421])
      expect(rebound.body).not.toContain('AWS_SECRET_ACCESS_KEY')
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `127.0.0.2:${port}`, 'localhost']) {
      expect([host, (await rawGet(`${control}/healthz`, { ...bearer, host })).status]).toEqual([host, 200])
    }
    const page = await rawGet(`${control}/env`, { ...bearer, origin: 'https://evil.example' })
    expect([page.status, JSON.parse(page.body).error]).toEqual([403, 'requests from a web page (with an Origin header) are refused; the control server is for programs on this machine'])
    const preflight = await rawGet(`${control}/env`, { origin: 'https://evil.example', 'access-control-request-method': 'GET' }, 'OPTIONS')
    expect(preflight.status).toBe(403)
    const post = await rawGet(`${control}/env`, bearer, 'POST')
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD'])
    const answered = await rawGet(`${control}/env`, bearer)
    expect(answered.status).toBe(200)
    for (const answer of [answered, page, preflight, post]) expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    servedSecrets.push((JSON.parse(answered.body) as Record<string, string>).AWS_SECRET_ACCESS_KEY!)
    expect(await served.stop()).toBe(0)
  })

  it('takes its token from CHAINPROOF_CONTROL_TOKEN, and then never prints it; a token too short is exit 2', async () => {
    const given = 'chainproof-test-control-token-0123456789'
    const child = spawnCli(['serve', '--spec', '{}', '--log', 'none'], { PATH, CHAINPROOF_CONTROL_TOKEN: given })
    started.push(child)
    const reading = readLines(child)
    const first = await reading.first
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(normalize(first)).toBe('# chainproof control: http://127.0.0.1:<PORT> (token from CHAINPROOF_CONTROL_TOKEN)')
    expect(reading.lines.join('\n')).not.toContain(given)
    const control = /http:\/\/\S+/.exec(first)![0]
    expect((await rawGet(`${control}/healthz`, { authorization: `Bearer ${given}` })).status).toBe(200)
    child.kill('SIGTERM')
    const short = await runCli(['serve', '--spec', '{}'], { PATH, CHAINPROOF_CONTROL_TOKEN: 'short' })
    expect([short.code, short.stderr]).toEqual([
      2, 'chainproof: CHAINPROOF_CONTROL_TOKEN must be 16 to 512 printable characters without spaces (it is sent as "Authorization: Bearer <token>"); unset it and serve makes one\n',
    ])
  })

  it('--host 0.0.0.0 or :: is exit 2 unless --allow-non-loopback, which warns and still needs the token', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      const refused = await runCli(['serve', '--host', host], { PATH })
      expect([host, refused.code, refused.stdout]).toEqual([host, 2, ''])
      expect(refused.stderr).toBe(
        `chainproof: --host ${host} is not a loopback address: the world's servers (its IMDS, container endpoint, STS, SSO portal and control server) would answer other machines too. ` +
          'Keep the default 127.0.0.1; if that is what you want (a world in a container reached through published ports), add --allow-non-loopback\nRun `chainproof serve --help` for usage.\n',
      )
    }
    const served = await serve(['--host', '0.0.0.0', '--allow-non-loopback', '--format', 'json', '--log', 'none', '--spec', '{"instanceProfile":{"role":"web"}}'])
    const { control, token } = JSON.parse(served.first) as { control: string; token: string }
    const port = new URL(control).port
    const local = `http://127.0.0.1:${port}`
    expect((await rawGet(`${local}/healthz`, {})).status).toBe(401)
    expect((await rawGet(`${local}/healthz`, { authorization: `Bearer ${token}`, host: `10.1.2.3:${port}` })).status).toBe(200)
    expect((await rawGet(`${local}/healthz`, { authorization: `Bearer ${token}`, host: `evil.example:${port}` })).status).toBe(421)
    expect(await served.stop()).toBe(0)
    expect(served.stderr()).toContain('chainproof serve: WARNING — listening on 0.0.0.0, beyond loopback (--allow-non-loopback)')
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
