/**
 * `chainproof doctor`, run as a child process whose "machine" is a world: the world's env is
 * the child's whole environment, its HOME the child's home, and with --probe the child asks
 * the world's loopback IMDS and container endpoint, served by this test process.
 */
import { spawn, spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { CLI, GUARD, assertBuilt, itNeverPrintsASecret, machineEnv, normalize, recordOutput, runCli } from './support.js'

/** util-linux `script` gives the CLI a terminal, to see what a user at one sees. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0

beforeAll(() => assertBuilt())

describe('chainproof doctor', () => {
  it('prints the machine, the chain report and hints: env keys shadow the instance role', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const result = await runCli(['doctor', '--probe'], machineEnv(world))
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('') // no spinner when stderr is not a terminal
    expect(normalize(result.stdout, world)).toMatchInlineSnapshot(`
      "chainproof doctor — where the AWS SDK for JavaScript v3 finds credentials on this machine

        variables     AWS_ACCESS_KEY_ID (****************<KEY>), AWS_DEFAULT_REGION=us-east-1, AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_STS, AWS_REGION=us-east-1, AWS_SECRET_ACCESS_KEY
        credentials   ~/.aws/credentials — missing
        config        ~/.aws/config — missing
        profile       default (the default profile): not defined in either file
        web identity  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set
        container     AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI not set
        IMDS          http://127.0.0.1:<PORT>/ (AWS_EC2_METADATA_SERVICE_ENDPOINT) — has role web (IMDSv2)

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. sso              fromSSO               · absent    no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent    profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent    profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent    AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent    AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  ◐ shadowed  the instance metadata service has role web, but env won
        shadowed: instanceProfile
      Hints:
        - To use instanceProfile instead of env: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile).
      "
    `)
  })

  it('asks IMDS only with --probe: a token, then the role name — never the credentials', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const quiet = await runCli(['doctor'], machineEnv(world))
    expect(world.requests).toEqual([])
    expect(normalize(quiet.stdout)).toContain('IMDS          http://127.0.0.1:<PORT>/ (AWS_EC2_METADATA_SERVICE_ENDPOINT) — not probed (--probe asks it)')
    expect(quiet.stdout).toContain('7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service was not probed')
    expect(quiet.stdout).toContain('- The instance metadata service was not asked: run `chainproof doctor --probe` (one request per step, 300 ms timeout, no retries).')

    const probed = await runCli(['doctor', '--probe'], machineEnv(world))
    expect(probed.stdout).toContain('Credential chain (js-v3) — winner: instanceProfile')
    expect(world.requests.map((r) => `${r.server} ${r.method} ${r.path} ${r.status}`)).toEqual([
      'imds PUT /latest/api/token 200',
      'imds GET /latest/meta-data/iam/security-credentials/ 200',
    ])
  })

  it('falls back to IMDSv1 when the token route is missing, as the SDK does', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'legacy', imdsV1Only: true } })
    const { stdout } = await runCli(['doctor', '--probe'], machineEnv(world))
    expect(normalize(stdout)).toContain('— has role legacy (IMDSv1)')
    expect(stdout).toContain('winner: instanceProfile')
  })

  it('says why IMDS gave nothing: a closed port answers at once, within the 300 ms budget', async () => {
    await using world = await createCredentialWorld({})
    const started = performance.now()
    const { code, stdout } = await runCli(['doctor', '--probe'], machineEnv(world, { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' }))
    expect(code).toBe(0)
    expect(performance.now() - started).toBeLessThan(3000)
    expect(stdout).toContain('7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service at http://127.0.0.1:9: connection to 127.0.0.1:9 refused')
    expect(stdout).toContain('Credential chain (js-v3) — no source resolved')
  })

  it('asks the container endpoint with its authorization token file, and reads the role from its answer', async () => {
    await using world = await createCredentialWorld({ container: { role: 'pod-identity-role', authToken: 'file' }, instanceProfile: { role: 'web' } })
    const { stdout } = await runCli(['doctor', '--probe'], machineEnv(world))
    expect(normalize(stdout, world)).toContain(
      'container     AWS_CONTAINER_CREDENTIALS_FULL_URI → http://127.0.0.1:<PORT>/v2/credentials/<TASK>, token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE — serves credentials of role pod-identity-role',
    )
    expect(stdout).toContain('6. container        fromHttp              ✔ won       AWS_CONTAINER_CREDENTIALS_FULL_URI is set: role pod-identity-role')
    expect(stdout).toContain('7. instanceProfile  fromInstanceMetadata  ◐ shadowed  the instance metadata service has role web, but AWS_CONTAINER_CREDENTIALS_FULL_URI is set')
    expect(world.requests.filter((r) => r.server === 'container').map((r) => r.status)).toEqual([200])
  })

  it('names the active profile and its kind, honouring AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE', async () => {
    await using world = await createCredentialWorld({
      profile: 'deploy',
      profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base', region: 'eu-west-1' } },
      env: { user: 'ci' },
    })
    const { stdout } = await runCli(['doctor'], machineEnv(world))
    expect(normalize(stdout, world)).toContain('profile       deploy (AWS_PROFILE): assumes a role arn:aws:iam::123456789012:role/deployer via source_profile base')
    expect(stdout).toContain('credentials   ~/.aws/credentials — profiles: base')
    expect(stdout).toContain('config        ~/.aws/config — profiles: deploy')
    expect(stdout).toContain('AWS_PROFILE=deploy makes the JS SDK v3 skip the env keys')

    const moved = await runCli(['doctor', '--json'], machineEnv(world, { AWS_SHARED_CREDENTIALS_FILE: `${world.home}/elsewhere`, AWS_PROFILE: 'nowhere' }))
    const json = JSON.parse(moved.stdout)
    expect(json.files.credentials).toEqual({ path: `${world.home}/elsewhere`, from: 'AWS_SHARED_CREDENTIALS_FILE', exists: false, profiles: [] })
    expect(json.profile).toEqual({ name: 'nowhere', from: 'AWS_PROFILE', defined: false, kind: null, kinds: [] })
    expect(json.hints).toContain(`AWS_SHARED_CREDENTIALS_FILE=${world.home}/elsewhere does not exist: the SDK reads nothing from it.`)
    expect(json.hints.some((h: string) => h.startsWith('AWS_PROFILE=nowhere names a profile that is in neither'))).toBe(true)
  })

  it('--json prints one stable object: report, profile, variable names, files, web identity, container, IMDS', async () => {
    await using world = await createCredentialWorld({ webIdentity: { role: 'pod-role' }, container: { role: 'task-role' }, instanceProfile: { role: 'web' } })
    const { code, stdout } = await runCli(['doctor', '--probe', '--json'], machineEnv(world))
    expect(code).toBe(0)
    const json = JSON.parse(stdout)
    expect(Object.keys(json)).toEqual([
      'schemaVersion', 'command', 'model', 'sdk', 'winner', 'shadowed', 'links', 'hints',
      'profile', 'variables', 'files', 'webIdentity', 'container', 'imds', 'probed', 'expect', 'whoami',
    ])
    expect(json).toMatchObject({ schemaVersion: 1, command: 'doctor', sdk: 'js-v3', winner: 'webIdentity', shadowed: ['container', 'instanceProfile'], probed: true, expect: null, whoami: null })
    expect(json.links.map((l: { source: string; status: string }) => `${l.source}:${l.status}`)).toEqual([
      'env:absent', 'sso:absent', 'profile:absent', 'process:absent', 'webIdentity:won', 'container:shadowed', 'instanceProfile:shadowed',
    ])
    expect(json.variables).toEqual([
      'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_DEFAULT_REGION', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_STS', 'AWS_REGION', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_WEB_IDENTITY_TOKEN_FILE',
    ])
    expect(json.webIdentity).toEqual({ tokenFile: `${world.home}/.aws/web-identity-token`, tokenFileReadable: true, roleArn: 'arn:aws:iam::123456789012:role/pod-role', sessionName: 'chainproof-web-identity' })
    expect(normalize(JSON.stringify(json.container))).toBe(
      '{"variable":"AWS_CONTAINER_CREDENTIALS_FULL_URI","endpoint":"http://127.0.0.1:<PORT>/v2/credentials/<TASK>","authorization":"AWS_CONTAINER_AUTHORIZATION_TOKEN","probe":{"endpoint":"http://127.0.0.1:<PORT>/v2/credentials/<TASK>","status":"ok","detail":"serves credentials of role task-role","role":"task-role"}}',
    )
    expect(normalize(JSON.stringify(json.imds))).toBe(
      '{"disabled":false,"endpoint":"http://127.0.0.1:<PORT>/","endpointFrom":"AWS_EC2_METADATA_SERVICE_ENDPOINT","v1Disabled":false,"probe":{"endpoint":"http://127.0.0.1:<PORT>","status":"ok","version":"v2","role":"web","detail":"has role web (IMDSv2)"}}',
    )
  })

  it('--expect is a pre-flight check: exit 0 when the winner matches (aliases too), 1 when it differs, 2 for an unknown source', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const env = machineEnv(world)
    const ok = await runCli(['doctor', '--expect', 'environment'], env)
    expect(ok.code).toBe(0)
    expect(ok.stdout.trimEnd().split('\n').pop()).toBe('✔ expected env: the winner is env')

    const bad = await runCli(['doctor', '--probe', '--expect', 'imds'], env)
    expect(bad.code).toBe(1)
    expect(bad.stdout.trimEnd().split('\n').pop()).toBe('✘ expected instanceProfile, but the winner is env')
    const badJson = JSON.parse((await runCli(['doctor', '--json', '--expect', 'instanceProfile'], env)).stdout)
    expect(badJson.expect).toEqual({ source: 'instanceProfile', matched: false })

    const typo = await runCli(['doctor', '--expect', 'instance'], env)
    expect(typo.code).toBe(2)
    expect(typo.stdout).toBe('')
    expect(typo.stderr).toMatchInlineSnapshot(`
      "chainproof: --expect "instance" is not a chain source; use one of env, sso, profile, process, webIdentity, container, instanceProfile, login, none (aliases: environment, ini, sharedCredentialsFile, credentialProcess, tokenFile, webIdentityToken, ecs, containerCredentials, imds, ec2, instanceMetadata)
      Run \`chainproof doctor --help\` for usage.
      "
    `)
  })

  it('--expect none passes when nothing resolves', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' }, vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    const result = await runCli(['doctor', '--probe', '--expect', 'none'], machineEnv(world))
    expect(result.code).toBe(0)
    expect(world.requests).toEqual([]) // AWS_EC2_METADATA_DISABLED: IMDS is not asked, even with --probe
    expect(result.stdout).toContain('IMDS          disabled by AWS_EC2_METADATA_DISABLED')
  })

  it('--format markdown renders a table for a PR comment or CI summary', async () => {
    await using world = await createCredentialWorld({ profile: 'deploy', env: { user: 'ci' }, profiles: { deploy: { user: 'deployer' } } })
    const { code, stdout } = await runCli(['doctor', '--format', 'markdown', '--expect', 'profile'], machineEnv(world))
    expect(code).toBe(0)
    expect(normalize(stdout, world)).toMatchInlineSnapshot(`
      "### chainproof doctor — credential chain (js-v3)

      **Winner:** \`profile\` · **Shadowed:** none · **SDK model:** \`js-v3\`

      | # | source | SDK link | status | reason |
      | ---: | --- | --- | --- | --- |
      | 1 | \`env\` | \`fromEnv\` | ↷ skipped | AWS_PROFILE=deploy is set, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected") |
      | 2 | \`sso\` | \`fromSSO\` | · absent | no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link) |
      | 3 | \`profile\` | \`fromIni\` | **✔ won** | profile "deploy" (AWS_PROFILE): static keys |
      | 4 | \`process\` | \`fromProcess\` | · absent | profile "deploy" has no credential_process |
      | 5 | \`webIdentity\` | \`fromTokenFile\` | · absent | AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set |
      | 6 | \`container\` | \`fromHttp\` | · absent | AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set |
      | 7 | \`instanceProfile\` | \`fromInstanceMetadata\` | · absent | the instance metadata service was not probed |

      **Hints**

      - AWS_PROFILE=deploy makes the JS SDK v3 skip the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and print "Multiple credential sources detected" — other SDKs (Java, Python, Go, the CLI) use those keys first. Unset AWS_PROFILE to use the env keys, or unset the keys to silence the warning.
      - The instance metadata service was not asked: run \`chainproof doctor --probe\` (one request per step, 300 ms timeout, no retries).

      **✔ expected profile: the winner is profile**
      "
    `)
  })

  it('--whoami resolves with the real chain and asks the world’s STS (AWS_ENDPOINT_URL_STS) who that is', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const { code, stdout } = await runCli(['doctor', '--whoami'], machineEnv(world))
    expect(code).toBe(0)
    expect(normalize(stdout).trimEnd().split('\n').pop()).toBe(
      "whoami: arn:aws:iam::123456789012:user/ci (account 123456789012), key ****************<KEY>, from env by the SDK's $source codes — STS at http://127.0.0.1:<PORT>",
    )
    const calls = world.requests.filter((r) => r.server === 'sts')
    expect(calls.map((r) => [r.action, r.status, r.principal, r.source])).toEqual([['GetCallerIdentity', 200, 'arn:aws:iam::123456789012:user/ci', 'env']])
  })

  it('--whoami reports an assumed role through the instance profile, as JSON', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const { code, stdout } = await runCli(['doctor', '--whoami', '--json'], machineEnv(world))
    expect(code).toBe(0)
    const { whoami } = JSON.parse(stdout)
    expect(normalize(JSON.stringify(whoami)).replace(/AROA[A-Z0-9]+/, 'AROA<ID>')).toBe(
      `{"accessKeyId":"****************<KEY>","account":"123456789012","arn":"arn:aws:sts::123456789012:assumed-role/web/i-<INSTANCE>","userId":"AROA<ID>:i-<INSTANCE>","endpoint":"http://127.0.0.1:<PORT>"}`,
    )
  })

  it('--whoami exits 1 and says why when nothing resolves', async () => {
    await using world = await createCredentialWorld({})
    const { code, stdout } = await runCli(['doctor', '--whoami'], machineEnv(world))
    expect(code).toBe(1)
    expect(stdout.trimEnd().split('\n').pop()).toMatch(/^whoami: failed — the default chain could not resolve credentials: Could not load credentials from any providers/)
  })

  it.skipIf(!hasScript)('on a terminal: a progress line on stderr while probing, and colours', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const command = [process.execPath, '--require', GUARD, CLI, 'doctor', '--probe'].map((a) => `'${a}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: machineEnv(world, { TERM: 'xterm' }) })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d))
    const code = await new Promise((resolve) => child.on('close', resolve))
    recordOutput(output)
    expect(code).toBe(0)
    expect(output).not.toContain('CHAINPROOF-TEST-GUARD')
    expect(normalize(output)).toContain('\r\u001b[K⠋ asking the instance metadata service at http://127.0.0.1:<PORT>/…')
    expect(output).toContain('\r\u001b[K') // the progress line is cleared before the report
    expect(output).toContain('\u001b[32m✔ won\u001b[39m')
  })

  it('colours only on request or a terminal: FORCE_COLOR on, NO_COLOR and --no-color off', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const forced = await runCli(['doctor'], machineEnv(world, { FORCE_COLOR: '1' }))
    expect(forced.stdout).toContain('\u001b[32m✔ won\u001b[39m')
    expect(forced.stdout).toContain('\u001b[1mCredential chain (js-v3) — winner: env\u001b[22m')
    const noColor = await runCli(['doctor'], machineEnv(world, { FORCE_COLOR: '1', NO_COLOR: '1' }))
    expect(noColor.stdout).not.toContain('\u001b[')
    const flag = await runCli(['doctor', '--no-color'], machineEnv(world, { FORCE_COLOR: '1' }))
    expect(flag.stdout).not.toContain('\u001b[')
    const piped = await runCli(['doctor'], machineEnv(world))
    expect(piped.stdout).not.toContain('\u001b[')
  })
})

describe('chainproof usage', () => {
  it('--help for the top level and each command; exit 0', async () => {
    const top = await runCli(['--help'], { PATH: process.env.PATH ?? '' })
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('Usage: chainproof <command> [options]')
    expect(top.stdout).toContain('  1  an expectation failed')
    for (const command of ['doctor', 'explain', 'capture', 'serve']) {
      const help = await runCli([command, '--help'], { PATH: process.env.PATH ?? '' })
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`Usage: chainproof ${command}`)
      expect(help.stdout).toContain('Exit codes:')
      expect((await runCli(['help', command], { PATH: process.env.PATH ?? '' })).stdout).toBe(help.stdout)
    }
  })

  it('exit 2 with what to do: no command, an unknown command, an unknown option, a bad --format', async () => {
    const env = { PATH: process.env.PATH ?? '' }
    const none = await runCli([], env)
    expect(none.code).toBe(2)
    expect(none.stdout).toContain('Usage: chainproof <command>')
    const unknown = await runCli(['docter'], env)
    expect([unknown.code, unknown.stderr]).toEqual([2, 'chainproof: unknown command "docter"; the commands are doctor, explain, capture, serve, exec\nRun `chainproof --help` for usage.\n'])
    const option = await runCli(['doctor', '--prob'], env)
    expect([option.code, option.stderr]).toEqual([2, "chainproof: Unknown option '--prob'\nRun `chainproof doctor --help` for usage.\n"])
    const format = await runCli(['doctor', '--format', 'yaml'], env)
    expect([format.code, format.stderr]).toEqual([2, 'chainproof: --format must be one of text, markdown, json (got "yaml")\nRun `chainproof doctor --help` for usage.\n'])
    const extra = await runCli(['doctor', 'now'], env)
    expect([extra.code, extra.stderr]).toEqual([2, 'chainproof: unexpected argument "now"\nRun `chainproof doctor --help` for usage.\n'])
  })
})

describe('credentials in URLs', () => {
  it('doctor (text, markdown, json) and every other command mask a URL’s user and password', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://imds-user:imds-pass-not-real@127.0.0.1:9/',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://task:task-pass-not-real@127.0.0.1:9/creds',
      AWS_ENDPOINT_URL_STS: 'http://sts-user:sts-pass-not-real@127.0.0.1:9',
    }
    const outputs = await Promise.all([
      runCli(['doctor'], env),
      runCli(['doctor', '--format', 'markdown'], env),
      runCli(['doctor', '--json'], env),
      runCli(['doctor', '--sdk', 'all'], env),
      runCli(['capture'], env),
    ])
    const all = outputs.map((o) => o.stdout + o.stderr).join('\n')
    expect(all).toContain('http://****@127.0.0.1:9/')
    for (const secret of ['imds-pass-not-real', 'task-pass-not-real', 'sts-pass-not-real', 'imds-user:', 'task:task']) expect(all).not.toContain(secret)
  })
})

itNeverPrintsASecret()
