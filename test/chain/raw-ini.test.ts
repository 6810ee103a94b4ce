/**
 * Profiles written as raw ini text (`files`), as the AWS SDK team's own credential tests write
 * them, resolved by the real SDK: the resolution names the mechanism and the profile (from the
 * model of the files and the SDK's $source codes when the world's ledger cannot), the matchers
 * agree, and the probe's report agrees with the static model.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { afterAll, describe, expect, it } from 'vitest'
import '../../src/vitest.js'
import { createCredentialWorld, resolveCredentials } from '../../src/index.js'
import { modelActiveWorld } from '../../src/probe/probe.js'
import { parseWorldSpec } from '../../src/world/spec.js'
import type { ChainReport, WorldSpec } from '../../src/types.js'

const ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`
/** The table with the masked key ids of world-issued sessions (random per run) made fixed. */
const table = (report: ChainReport) => report.toString().replace(/(role \w+ \()\*{16}[A-Z2-7]{4}/g, '$1****************XXXX')

/** Model and probe give every link the same status and pick the same winner. */
async function expectModelAgrees(report: ChainReport): Promise<void> {
  const model = await modelActiveWorld()
  expect({ winner: model.winner, statuses: model.links.map((l) => `${l.source}:${l.status}`) }).toEqual({
    winner: report.winner,
    statuses: report.links.map((l) => `${l.source}:${l.status}`),
  })
}

describe('a raw-ini role profile is attributed to its profile', () => {
  it('role_arn + source_profile (the source profile written by the world)', async () => {
    await using _world = await createCredentialWorld({
      profiles: { base: { user: 'alice' } },
      files: { config: `[default]\nrole_arn = ${ROLE('admin')}\nsource_profile = base\n` },
    })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'default', role: 'admin' })
    expect(r.disagreements ?? []).toEqual([])
    await expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'default' })
    await expect(new S3Client({})).toResolveToRole('admin')
    expect(r.report.winner).toBe('profile')
    await expectModelAgrees(r.report)
  })

  it('chained roles: source_profile → source_profile → source_profile → static keys in ~/.aws/config', async () => {
    await using world = await createCredentialWorld({
      profiles: { base: { user: 'alice', in: 'config' } },
      files: {
        config:
          `[default]\nrole_arn = ${ROLE('a')}\nsource_profile = p1\n` +
          `[profile p1]\nrole_arn = ${ROLE('b')}\nsource_profile = p2\n` +
          `[profile p2]\nrole_arn = ${ROLE('c')}\nsource_profile = base\n`,
      },
    })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'default', role: 'a' })
    await expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'default' })
    await expect(new S3Client({})).not.toResolveCredentialsFrom('profile', { profile: 'p1' })
    // three AssumeRole calls, innermost first, each signed by the one before
    expect(world.requests.filter((q) => q.action === 'AssumeRole').length).toBeGreaterThanOrEqual(3)
    expect(table(r.report)).toMatchInlineSnapshot(`
      "Credential chain (js-v3) — winner: profile
        1. env              fromEnv               · absent  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent  no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               ✔ won     profile "default" (the default profile) in ~/.aws/credentials or ~/.aws/config assumed a role: role a (****************XXXX)
        4. process          fromProcess           · absent  profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent  AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent  the instance metadata service has no IAM role (no instance profile attached)
      Hints:
        - Credentials fetched in this world so far (the report's own probes not counted): profile ×3 — world.fetches lists each, toHaveFetchedCredentials counts them."
    `)
    await expectModelAgrees(r.report)
  })

  it('role_arn + credential_source = Environment, chosen by AWS_PROFILE', async () => {
    await using _world = await createCredentialWorld({
      env: { user: 'ci' },
      profile: 'ops',
      files: { config: `[profile ops]\nrole_arn = ${ROLE('operator')}\ncredential_source = Environment\n` },
    })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'ops', role: 'operator' })
    await expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'ops' })
    expect(r.report.links.find((l) => l.source === 'env')).toMatchObject({ status: 'skipped' })
    await expectModelAgrees(r.report)
  })

  it("the client's profile option picks a raw-ini role profile that shares its role with another", async () => {
    await using _world = await createCredentialWorld({
      profiles: { base: { user: 'alice' } },
      files: {
        config: `[profile first]\nrole_arn = ${ROLE('shared')}\nsource_profile = base\n[profile second]\nrole_arn = ${ROLE('shared')}\nsource_profile = base\n`,
      },
    })
    await expect(new S3Client({ profile: 'second' })).toResolveCredentialsFrom('profile', { profile: 'second' })
    await expect(new S3Client({ profile: 'first' })).toResolveCredentialsFrom('profile', { profile: 'first' })
  })
})

describe('a raw-ini profile is named by the mechanism that ran', () => {
  it('credential_process: source process, its profile named, the process link skipped as the same credentials', async () => {
    await using _world = await createCredentialWorld({
      files: { config: `[default]\ncredential_process = echo '{"Version":1,"AccessKeyId":"AKIARAWPROCESS000001","SecretAccessKey":"raw-process-secret"}'\n` },
    })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'process', profile: 'default', features: { CREDENTIALS_PROCESS: 'w', CREDENTIALS_PROFILE_PROCESS: 'v' } })
    expect(r.principal).toBe('unknown: credentials of profile "default" (it ran credential_process) that this world never issued')
    expect(r.disagreements ?? []).toEqual([])
    await expect(new S3Client({})).toResolveCredentialsFrom('process', { profile: 'default' })
    await expect(new S3Client({})).not.toResolveCredentialsFrom('profile')
    expect(table(r.report)).toMatchInlineSnapshot(`
      "Credential chain (js-v3) — winner: process
        1. env              fromEnv               · absent   AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set
        2. sso              fromSSO               · absent   no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               ✔ won      profile "default" (the default profile) in ~/.aws/credentials or ~/.aws/config ran credential_process: credentials ****************0001 that this world never issued
        4. process          fromProcess           ↷ skipped  same credentials as the profile link, which already won
        5. webIdentity      fromTokenFile         · absent   AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent   AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  · absent   the instance metadata service has no IAM role (no instance profile attached)"
    `)
    expect(r.report.toString()).not.toContain('raw-process-secret')
    await expectModelAgrees(r.report)
  })

  it('static keys: source profile, named by the section that holds them', async () => {
    await using _world = await createCredentialWorld({
      profile: 'dev',
      files: { credentials: '[dev]\naws_access_key_id = AKIARAWSTATIC0000001\naws_secret_access_key = raw-static-secret\n' },
    })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'dev', features: { CREDENTIALS_PROFILE: 'n' } })
    expect(r.principal).toBe('unknown: credentials of profile "dev" (it has static keys) that this world never issued')
    await expect(new S3Client({})).toResolveCredentialsFrom('profile', { profile: 'dev' })
    expect(r.report.links.find((l) => l.source === 'profile')!.reason).toContain('has static keys: credentials ****************0001 that this world never issued')
    await expectModelAgrees(r.report)
  })

  it("sso_* settings sharing a world profile's sso-session: source sso, the profile that used them", async () => {
    await using _world = await createCredentialWorld({
      profiles: { dev: { sso: { role: 'Dev' } } },
      files: { config: '[default]\nsso_session = chainproof-dev\nsso_account_id = 123456789012\nsso_role_name = Dev\n' },
    })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'sso', profile: 'default', role: 'Dev' })
    await expect(new S3Client({})).toResolveCredentialsFrom('sso', { profile: 'default' })
    // the world's own SSO profile is still its own
    await expect(new S3Client({ profile: 'dev' })).toResolveCredentialsFrom('sso', { profile: 'dev' })
    expect(r.report.links.find((l) => l.source === 'profile')!.reason).toContain('used its SSO session: role Dev')
    await expectModelAgrees(r.report)
  })

  describe('web_identity_token_file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chainproof-raw-web-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('source webIdentity with its profile; the env web identity it shadows has none', async () => {
      const tokenFile = join(dir, 'token')
      await using world = await createCredentialWorld({
        webIdentity: { role: 'other' },
        files: { config: `[default]\nrole_arn = ${ROLE('irsa')}\nweb_identity_token_file = ${tokenFile}\n` },
      })
      // the world's STS accepts only tokens it minted: the raw profile reads a copy of one
      writeFileSync(tokenFile, readFileSync(world.env.AWS_WEB_IDENTITY_TOKEN_FILE!, 'utf8'))
      const r = await resolveCredentials(new S3Client({}))
      expect(r).toMatchObject({ source: 'webIdentity', profile: 'default', role: 'irsa' })
      await expect(new S3Client({})).toResolveCredentialsFrom('webIdentity', { profile: 'default' })
      expect(r.report.links.find((l) => l.source === 'profile')).toMatchObject({ status: 'won' })
      expect(r.report.links.find((l) => l.source === 'webIdentity')).toMatchObject({ status: 'shadowed' })
      await expectModelAgrees(r.report)
    })
  })

  describe('login_session written as raw ini: attributed to its profile and the login mechanism', () => {
    const session = 'arn:aws:iam::123456789012:user/alice'
    const spec: WorldSpec = { files: { config: `[default]\nlogin_session = ${session}\n` } }

    it('without a login cache the SDK stops the chain, and model and probe say so', async () => {
      await using _world = await createCredentialWorld(spec)
      await expect(new S3Client({})).toFailToResolveCredentials(/Failed to load token/)
      const report = await _world.explain()
      expect(report.links.find((l) => l.source === 'profile')).toMatchObject({ status: 'failed' })
      expect((await modelActiveWorld()).links.find((l) => l.source === 'profile')!.reason).toContain('login_session')
      await expectModelAgrees(report)
    })

    it('with a login cache the test wrote, the credentials are the login source of that profile (not static keys), though the world never issued them', async () => {
      await using world = await createCredentialWorld(spec)
      const cache = join(world.home, '.aws', 'login', 'cache')
      mkdirSync(cache, { recursive: true })
      const expiresAt = new Date(Date.now() + 3600_000).toISOString()
      const accessToken = { accessKeyId: 'ASIARAWLOGIN00000001', secretAccessKey: 'raw-login-secret', sessionToken: 'raw-login-token', accountId: '123456789012', expiresAt }
      writeFileSync(join(cache, `${createHash('sha256').update(session).digest('hex')}.json`), JSON.stringify({ accessToken, clientId: 'c', refreshToken: 'r', dpopKey: 'k' }))
      const r = await resolveCredentials(new S3Client({}))
      expect(r).toMatchObject({ source: 'login', profile: 'default' })
      expect(r.principal).toBe('unknown: credentials of profile "default" (it used its login_session (aws login)) that this world never issued')
      await expect(new S3Client({})).toResolveCredentialsFrom('login', { profile: 'default' })
      const report = await world.explain()
      const reason = report.links.find((l) => l.source === 'profile')!.reason
      expect(reason).toContain('used its login_session (aws login)')
      expect(reason).not.toContain('static keys')
      expect(report.toString()).not.toMatch(/raw-login-(secret|token)/)
      await expectModelAgrees(report)
    })
  })
})

describe('profiles.x.user with in: "config"', () => {
  it('writes the keys under [profile x] / [default] of ~/.aws/config, where the SDK reads them', async () => {
    await using world = await createCredentialWorld({ profile: 'dev', profiles: { dev: { user: 'alice', in: 'config' }, default: { user: 'bob', in: 'config' } } })
    const config = readFileSync(join(world.home, '.aws', 'config'), 'utf8')
    expect(config).toMatch(/^\[profile dev\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S+\n/m)
    expect(config).toMatch(/^\[default\]\naws_access_key_id = AKIA/m)
    expect(() => readFileSync(join(world.home, '.aws', 'credentials'), 'utf8')).toThrow(/ENOENT/)
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'dev', principal: 'arn:aws:iam::123456789012:user/alice', features: { CREDENTIALS_PROFILE: 'n' } })
    await expect(new S3Client({ profile: 'default' })).toResolveToPrincipal('arn:aws:iam::123456789012:user/bob')
    expect(r.report.hints).toEqual([])
    await expectModelAgrees(r.report)
  })

  it('is the default place "credentials", and needs a user', async () => {
    await using world = await createCredentialWorld({ profiles: { default: { user: 'alice', in: 'credentials' } } })
    expect(readFileSync(join(world.home, '.aws', 'credentials'), 'utf8')).toMatch(/^\[default\]\naws_access_key_id = AKIA/)
    expect(() => parseWorldSpec({ profiles: { x: { in: 'config', role: 'r', sourceProfile: 'x' } } })).toThrow(
      "profiles.x.in: in says which file holds a user's keys: add user, or remove in",
    )
    expect(() => parseWorldSpec({ profiles: { x: { user: 'a', in: 'home' } } })).toThrow('profiles.x.in: in is the file the user keys go to')
  })

  it('hints name the config section to remove the keys from', async () => {
    await using _world = await createCredentialWorld({ profiles: { default: { user: 'alice', in: 'config' } }, instanceProfile: { role: 'web' } })
    const r = await resolveCredentials(new S3Client({}))
    expect(r.report.hints).toEqual(['To use instanceProfile instead of profile: remove aws_access_key_id and aws_secret_access_key from [default] in ~/.aws/config.'])
  })
})
