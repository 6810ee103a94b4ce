/**
 * `chainproof explain <scenario.json>`: the static model's report of a scenario file, which
 * touches nothing of the machine — proven by running it on a "machine" full of decoys.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadScenario } from '../../src/index.js'
import { FIXTURES, assertBuilt, itNeverPrintsASecret, runCli } from './support.js'

const PATH = process.env.PATH ?? ''
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
let scratch: string

beforeAll(() => {
  assertBuilt()
  scratch = mkdtempSync(join(tmpdir(), 'chainproof-cli-explain-test-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function scenarioFile(name: string, content: unknown): string {
  const file = join(scratch, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('chainproof explain', () => {
  it('prints the report of a scenario and says it matches its expect', async () => {
    const { code, stdout, stderr } = await runCli(['explain', join(FIXTURES, 'default-profile-beats-web-identity.json')], { PATH })
    expect([code, stderr]).toEqual([0, ''])
    expect(stdout).toMatchInlineSnapshot(`
      "chainproof explain — scenario default-profile-beats-web-identity
        Static keys in the default profile win over an env web identity (IRSA ignored, aws-sdk-js-v3 #2276).

      Credential chain (js-v3) — winner: profile
        1. env              fromEnv               · absent    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent    no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               ✔ won       profile "default" (the default profile): static keys
        4. process          fromProcess           · absent    profile "default" has no credential_process
        5. webIdentity      fromTokenFile         ◐ shadowed  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (arn:aws:iam::123456789012:role/pod-role) are set, but profile won
        6. container        fromHttp              · absent    AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent    the instance metadata service has no IAM role (no instance profile attached)
        shadowed: webIdentity
      Hints:
        - To use webIdentity instead of profile: remove aws_access_key_id and aws_secret_access_key from [default] in ~/.aws/credentials.

      ✔ matches the scenario's expect: source profile, shadowed [webIdentity], profile "default"
      "
    `)
  })

  it(`agrees with the expect of every fixture scenario (${files.length})`, async () => {
    const results = await Promise.all(files.map((file) => runCli(['explain', '--json', join(FIXTURES, file)], { PATH })))
    const verdicts = results.map((r, i) => ({ file: files[i], code: r.code, matches: JSON.parse(r.stdout).matches, mismatches: JSON.parse(r.stdout).mismatches }))
    expect(verdicts.filter((v) => v.code !== 0 || !v.matches)).toEqual([])
  })

  it('exits 1 and names each difference when the report does not match; --no-check only reports', async () => {
    const file = scenarioFile('wrong.json', {
      description: 'Someone believes the instance role wins.',
      spec: { env: { user: 'ci' }, instanceProfile: { role: 'web' } },
      expect: { source: 'instanceProfile', shadowed: ['env'], role: 'web' },
    })
    const checked = await runCli(['explain', file], { PATH })
    expect(checked.code).toBe(1)
    expect(checked.stdout.slice(checked.stdout.indexOf('✘'))).toMatchInlineSnapshot(`
      "✘ does not match the scenario's expect (source instanceProfile, shadowed [env]):
        - expected source instanceProfile, but the winner is env
        - expected shadowed [env], but the report shadows [instanceProfile]
      (role not checked: the static model names no principal; run the scenario in a test for those)
      "
    `)
    const unchecked = await runCli(['explain', '--no-check', file], { PATH })
    expect(unchecked.code).toBe(0)
    expect(unchecked.stdout).toBe(checked.stdout)
  })

  it('a scenario that expects failure matches when nothing resolves, and not when something does', async () => {
    const fails = scenarioFile('fails.json', { spec: { profiles: { default: { user: 'alice' } } }, expect: { fails: 'Could not load credentials' } })
    const result = await runCli(['explain', '--json', fails], { PATH })
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).mismatches).toEqual(['expected the chain to fail ("Could not load credentials"), but profile resolves'])
  })

  it('--json prints the report, the scenario and the verdict', async () => {
    const { code, stdout } = await runCli(['explain', '--json', join(FIXTURES, 'container-means-no-imds.json')], { PATH })
    expect(code).toBe(0)
    const json = JSON.parse(stdout)
    expect(Object.keys(json)).toEqual(['schemaVersion', 'command', 'scenario', 'sdk', 'winner', 'shadowed', 'links', 'hints', 'expect', 'matches', 'mismatches', 'notChecked'])
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'explain',
      scenario: { name: 'container-means-no-imds', file: join(FIXTURES, 'container-means-no-imds.json'), description: 'When container variables are set the SDK never asks IMDS, even if the instance has a role.' },
      sdk: 'js-v3',
      winner: 'container',
      shadowed: ['instanceProfile'],
      expect: { source: 'container', role: 'task-role', shadowed: ['instanceProfile'] },
      matches: true,
      mismatches: [],
      notChecked: ['role'],
    })
    expect(json.links[5]).toEqual({ source: 'container', name: 'fromHttp', status: 'won', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI is set: role task-role' })
  })

  it('--format markdown', async () => {
    const { code, stdout } = await runCli(['explain', '--format', 'markdown', join(FIXTURES, 'aws-profile-skips-env.json')], { PATH })
    expect(code).toBe(0)
    expect(stdout).toMatchInlineSnapshot(`
      "### chainproof explain — aws-profile-skips-env

      **Winner:** \`profile\` · **Shadowed:** none · **SDK model:** \`js-v3\`

      | # | source | SDK link | status | reason |
      | ---: | --- | --- | --- | --- |
      | 1 | \`env\` | \`fromEnv\` | ↷ skipped | AWS_PROFILE=deploy is set, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected") |
      | 2 | \`sso\` | \`fromSSO\` | · absent | no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link) |
      | 3 | \`profile\` | \`fromIni\` | **✔ won** | profile "deploy" (AWS_PROFILE): static keys |
      | 4 | \`process\` | \`fromProcess\` | · absent | profile "deploy" has no credential_process |
      | 5 | \`webIdentity\` | \`fromTokenFile\` | · absent | AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set |
      | 6 | \`container\` | \`fromHttp\` | · absent | AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set |
      | 7 | \`instanceProfile\` | \`fromInstanceMetadata\` | · absent | the instance metadata service has no IAM role (no instance profile attached) |

      **Hints**

      - AWS_PROFILE=deploy makes the JS SDK v3 skip the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and print "Multiple credential sources detected" — other SDKs (Java, Python, Go, the CLI) use those keys first. Unset AWS_PROFILE to use the env keys, or unset the keys to silence the warning.

      **✔ matches the scenario's expect: source profile, shadowed [], profile "deploy"**

      _(principal not checked: the static model names no principal; run the scenario in a test for those)_
      "
    `)
  })

  it('touches nothing of the machine: decoy keys, profile and home change nothing, and its temporary directory is removed', async () => {
    const decoyHome = join(scratch, 'decoy-home')
    mkdirSync(join(decoyHome, '.aws'), { recursive: true })
    writeFileSync(join(decoyHome, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIADECOYHOMEDEFAULT\naws_secret_access_key = decoy\n')
    const tmp = join(scratch, 'tmp')
    mkdirSync(tmp)
    const decoys = {
      PATH,
      HOME: decoyHome,
      TMPDIR: tmp,
      AWS_ACCESS_KEY_ID: 'AKIADECOYENVIRONMENT',
      AWS_SECRET_ACCESS_KEY: 'decoy-secret-env',
      AWS_PROFILE: 'decoy',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/decoy',
    }
    const fixture = join(FIXTURES, 'instance-profile.json')
    const clean = await runCli(['explain', '--json', fixture], { PATH })
    const decoyed = await runCli(['explain', '--json', fixture], decoys)
    expect(decoyed.code).toBe(0)
    expect(decoyed.stdout).toBe(clean.stdout)
    expect(JSON.parse(decoyed.stdout)).toMatchObject({ winner: 'instanceProfile', shadowed: [] })
    expect(readdirSync(tmp)).toEqual([])
  })

  it('exit 2 for a missing file, invalid JSON, an invalid spec, and no file at all — each saying what to fix', async () => {
    const missing = await runCli(['explain', join(scratch, 'nope.json')], { PATH })
    expect(missing.code).toBe(2)
    expect(missing.stderr.split(scratch).join('<SCRATCH>')).toMatchInlineSnapshot(`
      "chainproof: cannot read scenario file <SCRATCH>/nope.json: ENOENT: no such file or directory, open '<SCRATCH>/nope.json'
      Check the path; a scenario file is JSON: { "description": "…", "spec": { …WorldSpec }, "expect": { "source": "env" } }, or a bare WorldSpec (then nothing is checked).
      "
    `)
    const broken = await runCli(['explain', scenarioFile('broken.json', '{ "spec": ')], { PATH })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('is not valid JSON')
    const invalid = await runCli(['explain', scenarioFile('invalid.json', { spec: { env: { user: 'ci', role: 'x' }, accountId: '12' }, expect: { source: 'imds' } })], { PATH })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr.replace(scratch, '<SCRATCH>')).toMatchInlineSnapshot(`
      "chainproof: Invalid scenario <SCRATCH>/invalid.json:
        - spec.accountId: expected a 12-digit account id, e.g. "123456789012"
        - spec.env: env needs exactly one of { user: "<name>" } (static user keys) or { role: "<name>" } (session keys)
      "
    `)
    const none = await runCli(['explain'], { PATH })
    expect(none.code).toBe(2)
    // no path that is not in the package
    expect(none.stderr).not.toContain('fixtures/')
    expect(none.stderr).toMatchInlineSnapshot(`
      "chainproof: which scenario? give a scenario file, e.g. chainproof explain scenario.json — write one of this machine with \`chainproof capture -o scenario.json\`, or by hand: {"spec": {"instanceProfile": {"role": "web"}}, "expect": {"source": "instanceProfile"}}
      Run \`chainproof explain --help\` for usage.
      "
    `)
  })

  it('a bare WorldSpec file, or a scenario without "expect", is explained with nothing checked (exit 0)', async () => {
    const bare = await runCli(['explain', '--no-color', scenarioFile('bare.json', { env: { user: 'ci' }, instanceProfile: { role: 'web' } })], { PATH })
    expect([bare.code, bare.stderr]).toEqual([0, ''])
    expect(bare.stdout).toContain('Credential chain (js-v3) — winner: env')
    expect(bare.stdout.trim().split('\n').pop()).toMatchInlineSnapshot(`"nothing checked: the file expects nothing (a bare WorldSpec, or no "expect"); add "expect": {"source": "…"} to pin what it resolves to"`)
    const json = await runCli(['explain', '--json', scenarioFile('no-expect.json', { spec: { instanceProfile: { role: 'web' } } })], { PATH })
    expect(JSON.parse(json.stdout)).toMatchObject({ winner: 'instanceProfile', expect: null, matches: null })
  })

  it('the fixtures load with loadScenario, which explain uses', async () => {
    for (const file of files) await expect(loadScenario(join(FIXTURES, file))).resolves.toMatchObject({ name: file.replace(/\.json$/, '') })
  })
})

// Explain plans worlds in the child, whose secrets never reach this process: the scan looks for the decoys and for full key ids.
itNeverPrintsASecret({ extraSecrets: () => ['decoy-secret-env', 'AKIADECOYHOMEDEFAULT', 'AKIADECOYENVIRONMENT'] })
