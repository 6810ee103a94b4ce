/**
 * File faults — what the world writes: web identity token files, credential_process scripts,
 * the SSO cache, the shared ini files, and profiles. Each world has an instance profile below,
 * so a test shows whether the real chain moves on to it or stops.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { FaultSpec, WorldSpec } from '../../src/index.js'
import type { FileFault } from '../../src/world/faults.js'
import { iniProblems } from '../../src/probe/links.js'
import { captureLogger, expectNoSecrets, linkOf, realChain, trafficOf } from './support.js'

const instanceProfile = { role: 'web' }
const withFaults = (spec: WorldSpec, ...faults: (FaultSpec | FileFault)[]) => createCredentialWorld({ instanceProfile, ...spec, faults })

describe('the web identity token file', () => {
  it('missing: fromTokenFile throws ENOENT, which STOPS the chain', async () => {
    await using w = await withFaults({ webIdentity: { role: 'irsa' } }, { target: 'webIdentityTokenFile', kind: 'missing' })
    expect(existsSync(w.env.AWS_WEB_IDENTITY_TOKEN_FILE!)).toBe(false)
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false })
    expect((result as { error: Error }).error.message).toMatch(/^ENOENT: no such file or directory, open '.*web-identity-token'/)
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(linkOf(report, 'webIdentity')).toEqual({
      source: 'webIdentity',
      name: 'fromTokenFile',
      status: 'failed',
      reason:
        'stops the chain: AWS_WEB_IDENTITY_TOKEN_FILE=~/.aws/web-identity-token does not exist (ENOENT); fromTokenFile reads it on every call, and a missing file is not an error that moves on to the next link',
    })
    expect(linkOf(report, 'instanceProfile').status).toBe('unreached')
  })

  it('empty: STS refuses the empty token with ValidationError, which STOPS the chain', async () => {
    await using w = await withFaults({ webIdentity: { role: 'irsa' } }, { target: 'webIdentityTokenFile', kind: 'empty' })
    expect(readFileSync(w.env.AWS_WEB_IDENTITY_TOKEN_FILE!, 'utf8')).toBe('')
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { name: 'ValidationError' } })
    const link = linkOf(await w.explain(), 'webIdentity')
    expect(link.status).toBe('failed')
    expect(link.reason).toMatch(/^stops the chain: ValidationError: 1 validation error detected: .*webIdentityToken.* \(AWS_WEB_IDENTITY_TOKEN_FILE=~\/\.aws\/web-identity-token is empty, so STS was sent an empty token\)$/)
  })

  it("a profile's web_identity_token_file missing: the profile link stops the chain", async () => {
    await using w = await withFaults({ profiles: { default: { role: 'irsa', webIdentityTokenFile: true } } }, { target: 'webIdentityTokenFile', kind: 'missing', profile: 'default' })
    expect(await realChain(w)).toMatchObject({ ok: false })
    const link = linkOf(await w.explain(), 'profile')
    expect(link.status).toBe('failed')
    expect(link.reason).toMatch(/^stops the chain: ~\/\.aws\/tokens\/chainproof-default\.jwt does not exist \(ENOENT\)$/)
  })
})

describe('a credential_process that misbehaves: the SDK moves on to the next link', () => {
  it.each<[FileFault['kind'], string]>([
    ['exitNonZero', "Command failed: '~/.aws/bin/chainproof-default.sh'"],
    ['badJson', 'Profile default credential_process returned invalid JSON.'],
    ['badVersion', 'Profile default credential_process did not return Version 1.'],
    ['expired', 'Profile default credential_process returned expired credentials.'],
  ])('%s: the instance profile wins', async (kind, words) => {
    await using w = await withFaults({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'credentialProcess', kind } as FileFault)
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'instanceProfile' })
    const report = await w.explain()
    expect(report.winner).toBe('instanceProfile')
    for (const source of ['profile', 'process'] as const) {
      const link = linkOf(report, source)
      expect(link.status).toBe('absent')
      expect(link.reason).toContain(`profile "default" has credential_process, but it failed (${words}`)
      expect(link.reason).toContain('the SDK treats that as no credentials and moves on to the next link')
    }
    expectNoSecrets(w, report)
  })

  it('exitNonZero with its own exit code: the script really exits with it', async () => {
    await using w = await withFaults({ profiles: { tool: { process: { user: 'tool' } } } }, { target: 'credentialProcess', kind: 'exitNonZero', exitCode: 7, profile: 'tool' })
    const script = readFileSync(join(w.home, '.aws', 'config'), 'utf8').match(/credential_process = '(.*)'/)![1]!
    expect(readFileSync(script, 'utf8')).toContain('exit 7')
  })
})

describe('the SSO cache', () => {
  it('an expired token whose refresh fails STOPS the chain', async () => {
    await using w = await withFaults({ profiles: { default: { sso: { role: 'Dev' } } } }, { target: 'sso', kind: 'tokenExpired' })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { message: "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.", tryNextLink: false } })
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(linkOf(report, 'profile')).toMatchObject({
      status: 'failed',
      reason: "stops the chain: Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    })
    expect(linkOf(report, 'instanceProfile').status).toBe('unreached')
    expectNoSecrets(w, report)
  })
})

describe('malformed shared files: the SDK silently drops what it cannot parse', () => {
  it('an unclosed [default in ~/.aws/credentials: the profile vanishes, the instance profile wins', async () => {
    await using w = await withFaults({ profiles: { default: { user: 'alice' } } }, { target: 'ini', kind: 'malformed', file: 'credentials' })
    expect(readFileSync(join(w.home, '.aws', 'credentials'), 'utf8')).toMatch(/^\[default\n/)
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'instanceProfile' })
    const report = await w.explain()
    expect(linkOf(report, 'profile').status).toBe('absent')
    expect(linkOf(report, 'profile').reason).toBe(
      'profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config; ' +
        'the SDK\'s ini parser silently skipped lines it cannot read — ~/.aws/credentials: line 1 "[default" has no closing "]", ' +
        'line 2 (aws_access_key_id) is outside any [section], line 3 (aws_secret_access_key) is outside any [section]',
    )
    expectNoSecrets(w, report)
  })

  it('key: value lines in ~/.aws/config (which Python accepts) are dropped by the JS SDK', async () => {
    await using w = await withFaults(
      { profile: 'ops', env: { user: 'ci' }, profiles: { ops: { role: 'operator', credentialSource: 'Environment' } } },
      { target: 'ini', kind: 'malformed', file: 'config', how: 'colonSeparator' },
    )
    expect(readFileSync(join(w.home, '.aws', 'config'), 'utf8')).toContain('role_arn: arn:aws:iam::123456789012:role/operator')
    // (a logger keeps the SDK's "Multiple credential sources detected" warning out of the test output)
    expect(await realChain(w, { logger: captureLogger().logger })).toMatchObject({ ok: true, source: 'instanceProfile' })
    const link = linkOf(await w.explain(), 'profile')
    expect(link.status).toBe('absent')
    expect(link.reason).toMatch(/^profile "ops" \(AWS_PROFILE\) is not defined in ~\/\.aws\/credentials or ~\/\.aws\/config; the SDK's ini parser silently skipped lines it cannot read — ~\/\.aws\/config: line 2 \(role_arn\) has no "=" \(the SDK reads only key = value\)/)
  })
})

describe('iniProblems (the words for what the parser drops)', () => {
  it('names lines and keys, never a value, and nothing for a well-formed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chainproof-ini-'))
    try {
      const bad = join(dir, 'bad')
      writeFileSync(bad, 'region = us-east-1\n[default\n[ok]\naws_access_key_id: AKIAEXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n  ; a comment\nkey = value\n')
      expect(iniProblems(bad)).toEqual([
        'line 1 (region) is outside any [section]',
        'line 2 "[default" has no closing "]"',
        'line 4 (aws_access_key_id) has no "=" (the SDK reads only key = value)',
        'line 5 has no "=" (the SDK reads only key = value)',
      ])
      const good = join(dir, 'good')
      writeFileSync(good, '[default]\naws_access_key_id = AKIAEXAMPLE # trailing comment\n[profile x]\ns3 =\n  addressing_style = path\n')
      expect(iniProblems(good)).toEqual([])
      expect(iniProblems(join(dir, 'absent'))).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('profiles', () => {
  it('a source_profile loop is a "try the next link" error: the chain MOVES ON to the instance profile', async () => {
    await using w = await withFaults({}, { target: 'profile', kind: 'sourceProfileLoop' })
    expect(readFileSync(join(w.home, '.aws', 'config'), 'utf8')).toContain('source_profile = default-source')
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'instanceProfile' })
    expect(w.requests.filter((r) => r.server === 'sts')).toEqual([])
    const report = await w.explain()
    expect(report.winner).toBe('instanceProfile')
    expect(linkOf(report, 'profile')).toMatchObject({
      status: 'absent',
      reason:
        'profile "default" (the default profile) assumes a role through a source_profile loop (Detected a cycle attempting to resolve credentials for profile default. Profiles visited: default-source, default); the SDK treats that as no credentials and moves on to the next link',
    })
  })

  it('AWS_PROFILE naming a missing profile: the env keys are skipped, and the instance profile wins', async () => {
    await using w = await withFaults({ env: { user: 'ci' } }, { target: 'profile', kind: 'missing', name: 'prod' })
    expect(w.env.AWS_PROFILE).toBe('prod')
    // (the SDK also warns "Multiple credential sources detected", once per process)
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'instanceProfile' })
    const report = await w.explain()
    expect(report.links.map((l) => `${l.source} ${l.status}`)).toEqual([
      'env skipped',
      'sso absent',
      'profile absent',
      'process absent',
      'webIdentity absent',
      'container absent',
      'instanceProfile won',
    ])
    expect(linkOf(report, 'profile').reason).toBe('profile "prod" (AWS_PROFILE) is not defined in ~/.aws/credentials or ~/.aws/config')
    expect(linkOf(report, 'process').reason).toBe('profile "prod" is not defined, so it has no credential_process')
  })

  it('AWS_PROFILE naming a missing profile, with nothing below: the chain fails', async () => {
    await using w = await createCredentialWorld({ env: { user: 'ci' }, faults: [{ target: 'profile', kind: 'missing' }] })
    expect(await realChain(w)).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect((await w.explain()).winner).toBeUndefined()
  })
})
