/**
 * Bad input: every invalid WorldSpec and scenario file gets an error that names the field path
 * and what is accepted — and leaves env and disk exactly as they were.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sandboxRoot } from '../../src/world/sandbox.js'
import { createCredentialWorld, loadScenario } from '../../src/index.js'

// this process's own sandboxes: other test files create worlds in parallel
const sandboxes = () => readdirSync(sandboxRoot()).filter((name) => name.startsWith(`chainproof-home-${process.pid}-`))

/** [what is wrong, the spec, what the error must say (field path and what is accepted)] */
const BAD_SPECS: [string, unknown, string][] = [
  ['not an object', 'env', 'Invalid WorldSpec:\n  - (root): expected an object, got a string'],
  ['unknown top-level key', { instanceProfiles: { role: 'web' } }, '(root): unknown field "instanceProfiles"'],
  ['account id too short', { accountId: '1234' }, 'accountId: expected a 12-digit account id, e.g. "123456789012"'],
  ['account id as a number', { accountId: 123456789012 }, 'accountId: expected a string, got a number'],
  ['malformed region', { region: 'US East' }, 'region: expected a region such as "us-east-1"'],
  ['env with both user and role', { env: { user: 'ci', role: 'web' } }, 'env: env needs exactly one of { user: "<name>" } (static user keys) or { role: "<name>" } (session keys)'],
  ['env user with a space', { env: { user: 'c i' } }, 'env.user: expected a user name (letters, digits, +=,.@_-) or an ARN like arn:aws:iam::123456789012:user/ci'],
  ['malformed role ARN', { instanceProfile: { role: 'arn:aws:iam::12:role/web' } }, 'instanceProfile.role: expected a role name (letters, digits, +=,.@_-) or an ARN like arn:aws:iam::123456789012:role/web'],
  ['user ARN given as a role', { container: { role: 'arn:aws:iam::123456789012:user/ci' } }, 'container.role: expected a role name'],
  ['role ARN given as a user', { env: { user: 'arn:aws:iam::123456789012:role/web' } }, 'env.user: expected a user name'],
  ['instance profile without a role', { instanceProfile: {} }, 'instanceProfile.role: required: a string'],
  ['both IMDS switches', { instanceProfile: { role: 'web', imdsV1Only: true, imdsV2Only: true } }, 'instanceProfile: imdsV1Only and imdsV2Only cannot both be true'],
  ['IMDS switch not a boolean', { instanceProfile: { role: 'web', imdsV2Only: 'yes' } }, 'instanceProfile.imdsV2Only: expected a boolean, got a string'],
  ['unknown container token mode', { container: { role: 'task', authToken: 'bearer' } }, 'container.authToken: Invalid option: expected one of "header"|"file"|"none"'],
  ['web identity session name too short', { webIdentity: { role: 'pod', sessionName: 'x' } }, 'webIdentity.sessionName'],
  ['profile without credentials', { profiles: { dev: { region: 'eu-west-1' } } }, 'profiles.dev: a profile needs credentials: one or more of { user }, { role, sourceProfile | credentialSource | webIdentityTokenFile: true }, { process }, { sso }'],
  ['profile naming a missing source profile', { profiles: { deploy: { role: 'deployer', sourceProfile: 'base' } } }, 'profiles.deploy.sourceProfile: source profile "base" is not defined: add it to `profiles` (or to `files`)'],
  ['role without a way to assume it', { profiles: { deploy: { role: 'deployer' } } }, 'profiles.deploy.role: a role needs exactly one of sourceProfile, credentialSource or webIdentityTokenFile: true'],
  ['role with two ways to assume it', { profiles: { a: { user: 'x' }, deploy: { role: 'd', sourceProfile: 'a', webIdentityTokenFile: true } } }, 'profiles.deploy.role: a role needs exactly one of sourceProfile, credentialSource or webIdentityTokenFile: true (got sourceProfile and webIdentityTokenFile)'],
  ['sourceProfile without a role', { profiles: { a: { user: 'x' }, b: { user: 'y', sourceProfile: 'a' } } }, 'profiles.b.sourceProfile: sourceProfile needs a role to assume: add role'],
  ['unknown credential_source', { profiles: { ops: { role: 'op', credentialSource: 'Ec2Metadata' } } }, 'profiles.ops.credentialSource: Invalid option: expected one of "Environment"|"Ec2InstanceMetadata"|"EcsContainer"'],
  ['webIdentityTokenFile not true', { profiles: { w: { role: 'w', webIdentityTokenFile: 'yes' } } }, 'profiles.w.webIdentityTokenFile: Invalid input: expected true'],
  ['process with both user and role', { profiles: { p: { process: { user: 'a', role: 'b' } } } }, 'profiles.p.process: process needs exactly one of { user } or { role }'],
  ['SSO account id malformed', { profiles: { s: { sso: { role: 'Dev', accountId: '12' } } } }, 'profiles.s.sso.accountId: expected a 12-digit account id'],
  ['unknown profile field', { profiles: { p: { user: 'a', mfa: true } } }, 'profiles.p: unknown field "mfa"'],
  ['profile name with a space', { profiles: { 'my profile': { user: 'a' } } }, `profiles["my profile"]: "my profile" has whitespace or a control character; the SDK's ini parser drops or cuts such a name`],
  ['AWS_PROFILE with a line break', { profile: 'prod]\n[x' }, 'profile: "prod]\\n[x" has a line break, which would end the ini line and start another: remove it'],
  ['config profile with brackets', { profiles: { '[prod]': { process: { user: 'a' } } } }, 'profiles["[prod]"]: "[prod]" cannot be a section of ~/.aws/config'],
  ['var that would reach 169.254.170.2', { vars: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' } }, 'vars.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not allowed: it sends the SDK to 169.254.170.2'],
  ['metadata endpoint off loopback', { vars: { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://169.254.169.254' } }, 'vars.AWS_EC2_METADATA_SERVICE_ENDPOINT: AWS_EC2_METADATA_SERVICE_ENDPOINT=http://169.254.169.254 is not a loopback URL'],
  ['service endpoint off loopback', { vars: { AWS_ENDPOINT_URL_DYNAMODB: 'https://dynamodb.us-east-1.amazonaws.com' } }, 'vars.AWS_ENDPOINT_URL_DYNAMODB: AWS_ENDPOINT_URL_DYNAMODB=https://dynamodb.us-east-1.amazonaws.com is not a loopback URL'],
  ['HOME in vars', { vars: { HOME: '/root' } }, "vars.HOME: HOME is the world's sandbox home and cannot be set"],
  ['var value not a string', { vars: { AWS_EC2_METADATA_DISABLED: true } }, 'vars.AWS_EC2_METADATA_DISABLED: expected a string, got a boolean'],
  ['bad variable name', { vars: { 'AWS-REGION': 'x' } }, 'vars.AWS-REGION: expected an environment variable name'],
  ['files with an unknown key', { files: { shared: '[default]' } }, 'files: unknown field "shared"'],
  ['gate action without a service', { gate: { allow: { web: ['GetObject'] } } }, `gate: allow["web"]: "GetObject" is not an action pattern; write 'service:Action' (e.g. 's3:GetObject', 's3:*') or '*'`],
  ['gate without allow', { gate: { deny: { '*': ['s3:*'] } } }, 'gate.allow: required: an object'],
  ['faults not a list', { faults: { target: 'imds' } }, 'faults: expected a list, got an object'],
  ['fault with an unknown target', { faults: [{ target: 'imdz', kind: 'x' }] }, 'faults[0].target: expected "imds", "container", "sts", "webIdentityTokenFile", "credentialProcess", "sso", "ini", "login" or "profile"'],
  ['fault with a status the target cannot give', { instanceProfile: { role: 'w' }, faults: [{ target: 'imds', kind: 'tokenStatus', status: 500 }] }, 'faults[0].status: expected 400, 403, 404 or 405'],
  ['fault for a source the world lacks', { faults: [{ target: 'imds', kind: 'delay', ms: 5 }] }, 'faults[0]: an imds fault needs an instance profile: add instanceProfile: { role: "<name>" }'],
  ['fault with an unknown kind', { container: { role: 't' }, faults: [{ target: 'container', kind: 'explode' }] }, 'faults[0].kind: expected "status", "malformedBody" or "delay" (the kinds of target "container")'],
]

describe('invalid WorldSpecs', () => {
  it(`has at least 30 cases (${BAD_SPECS.length})`, () => expect(BAD_SPECS.length).toBeGreaterThanOrEqual(30))

  it.each(BAD_SPECS)('%s: names the field and what is accepted, and changes nothing', async (_what, spec, message) => {
    const env = { ...process.env }
    const dirs = sandboxes()
    const error = await createCredentialWorld(spec as never).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).name).toBe('ChainproofError')
    expect((error as Error).message).toContain(message)
    expect({ ...process.env }).toEqual(env)
    expect(sandboxes()).toEqual(dirs)
  })
})

describe('invalid scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainproof-bad-scenarios-'))
  const BAD_SCENARIOS: [string, string, string][] = [
    ['not JSON', '{ "spec": {', 'is not valid JSON'],
    ['unknown source in expect', JSON.stringify({ spec: {}, expect: { source: 'imdsv2' } }), 'expect.source: expected a source name: env, sso, profile, process, webIdentity, container, instanceProfile, login, code'],
    ['unknown shadowed source', JSON.stringify({ spec: {}, expect: { source: 'env', shadowed: ['ec3'] } }), 'expect.shadowed.0: expected a source name'],
    ['both source and fails', JSON.stringify({ spec: {}, expect: { source: 'env', fails: 'x' } }), 'expect: say either what the world resolves to ("source") or that it fails ("fails"), not both or neither'],
    ['neither source nor fails', JSON.stringify({ spec: {}, expect: {} }), 'expect: say either what the world resolves to'],
    ['unknown top-level field', JSON.stringify({ spec: {}, expect: { source: 'env' }, world: {} }), '(root): unknown field "world"'],
    ['invalid spec inside', JSON.stringify({ spec: { accountId: 'x' }, expect: { source: 'env' } }), '\n  - spec.accountId: expected a 12-digit account id'],
  ]
  it.each(BAD_SCENARIOS)('%s: names the file and the field', async (what, text, message) => {
    const file = join(dir, `${what.replace(/\W+/g, '-')}.json`)
    writeFileSync(file, text)
    const error = await loadScenario(file).catch((e: Error) => e)
    expect((error as Error).message).toContain(file)
    expect((error as Error).message).toContain(message)
  })
  it('a missing file says so', async () => {
    await expect(loadScenario(join(dir, 'nope.json'))).rejects.toThrow(`cannot read scenario file ${join(dir, 'nope.json')}`)
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('messages that say what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainproof-messages-'))
  const load = async (text: string) => {
    const file = join(dir, 'scenario.json')
    writeFileSync(file, text)
    return loadScenario(file).then(
      (scenario) => scenario,
      (error: Error) => error.message.split(file).join('<FILE>'),
    )
  }
  const specError = (spec: unknown) => createCredentialWorld(spec as never).then(() => 'created', (error: Error) => error.message)

  it('an unknown field gets a did-you-mean, by edit distance and by case', async () => {
    expect(await specError({ instanceProfle: { role: 'web' } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - (root): unknown field "instanceProfle" — did you mean "instanceProfile"?"
    `)
    expect(await specError({ InstanceProfile: { role: 'web' } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - (root): unknown field "InstanceProfile" — did you mean "instanceProfile"?"
    `)
    expect(await specError({ container: { role: 'task', authtoken: 'file' }, profiles: { dev: { usr: 'a' } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profiles.dev: unknown field "usr" — did you mean "user"?
        - profiles.dev: a profile needs credentials: one or more of { user }, { role, sourceProfile | credentialSource | webIdentityTokenFile: true }, { process }, { sso }, { login } (plus an optional region)
        - container: unknown field "authtoken" — did you mean "authToken"?"
    `)
  })

  it('missing and mistyped fields are said in chainproof’s words', async () => {
    expect(await specError({ instanceProfile: {}, accountId: 1, faults: {} })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - accountId: expected a string, got a number
        - instanceProfile.role: required: a string
        - faults: expected a list, got an object"
    `)
  })

  it('a scenario file’s problems and its spec’s are reported at once', async () => {
    expect(await load(JSON.stringify({ expcet: { source: 'env' }, spec: { instanceProfle: {} } }))).toMatchInlineSnapshot(`
      "Invalid scenario <FILE>:
        - (root): unknown field "expcet" — did you mean "expect"?
        - spec: unknown field "instanceProfle" — did you mean "instanceProfile"?"
    `)
  })

  it('WorldSpec fields at the top of a scenario are told to go inside "spec"', async () => {
    expect(await load(JSON.stringify({ instanceProfile: { role: 'web' }, expect: { source: 'instanceProfile' } }))).toMatchInlineSnapshot(`
      "Invalid scenario <FILE>:
        - (root): "instanceProfile" is a WorldSpec field: put it inside "spec""
    `)
  })

  it('a bare WorldSpec file and a scenario without "expect" load, with nothing expected', async () => {
    const bare = await load(JSON.stringify({ instanceProfile: { role: 'web' } }))
    expect(bare).toMatchObject({ name: 'scenario', spec: { instanceProfile: { role: 'web' } }, expect: {} })
    const noExpect = await load(JSON.stringify({ description: 'just a world', spec: { env: { user: 'ci' } } }))
    expect(noExpect).toMatchObject({ name: 'scenario', spec: { env: { user: 'ci' } }, expect: {} })
    expect(await load(JSON.stringify({ instanceProfile: { Role: 'web' } }))).toMatchInlineSnapshot(`
      "Invalid scenario <FILE> (a bare WorldSpec):
        - instanceProfile.role: required: a string
        - instanceProfile: unknown field "Role" — did you mean "role"?"
    `)
  })
})
