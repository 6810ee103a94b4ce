/**
 * captureScenario() on machines a WorldSpec cannot describe directly: what the chain depends
 * on is kept (as raw ini or variables that fail the same way), and explain's model of the
 * capture gives the machine's verdict.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modelChain } from '../../src/chain/model.js'
import { captureScenario, isPlainSetting } from '../../src/cli/capture-spec.js'
import { checkScenario, modelScenario } from '../../src/cli/scenario-model.js'
import { gatherFacts } from '../../src/probe/gather.js'
import { parseScenario } from '../../src/world/scenario.js'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'chainproof-capture-spec-test-'))
  mkdirSync(join(home, '.aws'))
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

async function roundTrip(env: Record<string, string>, files: { credentials?: string; config?: string } = {}, remote: Parameters<typeof gatherFacts>[1] = {}) {
  writeFileSync(join(home, '.aws', 'credentials'), files.credentials ?? '')
  writeFileSync(join(home, '.aws', 'config'), files.config ?? '')
  const facts = await gatherFacts({ HOME: home, ...env }, remote)
  const machine = modelChain(facts)
  const captured = captureScenario(facts, machine)
  const scenario = parseScenario(JSON.parse(JSON.stringify(captured)), 'capture')
  const { report, facts: replayed } = await modelScenario(scenario)
  return { captured, machine, report, check: checkScenario(scenario, report, replayed) }
}

describe('captureScenario', () => {
  it('an unreadable web identity token file still stops the chain', async () => {
    const { captured, machine, report, check } = await roundTrip({ AWS_WEB_IDENTITY_TOKEN_FILE: join(home, 'missing-token'), AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/irsa' })
    expect(machine.links[4]!.status).toBe('failed')
    expect(captured.spec.vars).toEqual({ AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/chainproof-captured/token', AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/irsa' })
    expect(report.links[4]!.status).toBe('failed')
    expect(check).toEqual({ matches: true, mismatches: [], notChecked: [] })
  })

  it('a container endpoint that served nothing becomes a loopback port nothing listens on', async () => {
    const { captured, report, check } = await roundTrip(
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:7777/creds', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'secret-token' },
      {},
      { remote: { container: null, imds: { role: 'web' } } },
    )
    expect(captured.spec).toMatchObject({ vars: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/chainproof-captured' }, instanceProfile: { role: 'web' } })
    expect(JSON.stringify(captured)).not.toContain('secret-token')
    expect([report.winner, report.links[5]!.status, check.matches]).toEqual([undefined, 'failed', true])
  })

  it('a role whose source_profile is missing keeps failing, written as raw ini', async () => {
    const { captured, machine, report, check } = await roundTrip({ AWS_PROFILE: 'deploy' }, { config: '[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/deployer\nsource_profile = gone\n' })
    expect(machine.links[2]!.status).toBe('failed')
    expect(captured.spec.profiles).toBeUndefined()
    expect(captured.spec.files).toEqual({ config: '[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/deployer\nsource_profile = gone\n' })
    expect([report.links[2]!.status, check.matches]).toEqual(['failed', true])
  })

  it('an aws login session with its cache becomes a login profile; one without a cache keeps stopping the chain', async () => {
    const session = 'arn:aws:sts::111122223333:assumed-role/console-admin/alice'
    const cacheDir = join(home, '.aws', 'login', 'cache')
    mkdirSync(cacheDir, { recursive: true })
    const { createHash } = await import('node:crypto')
    const cacheFile = join(cacheDir, `${createHash('sha256').update(session).digest('hex')}.json`)
    const accessToken = { accessKeyId: 'ASIACAPTURED0000001', secretAccessKey: 'captured-secret', sessionToken: 'captured-token', accountId: '111122223333', expiresAt: new Date(Date.now() + 3600_000).toISOString() }
    writeFileSync(cacheFile, JSON.stringify({ accessToken, clientId: 'c', refreshToken: 'captured-refresh', dpopKey: 'k' }))
    try {
      const withCache = await roundTrip({}, { config: `[default]\nlogin_session = ${session}\n` })
      expect(withCache.machine.winner).toBe('login')
      expect(withCache.captured.spec.profiles).toEqual({ default: { login: { role: 'console-admin', accountId: '111122223333' } } })
      expect(JSON.stringify(withCache.captured)).not.toMatch(/captured-(secret|token|refresh)/)
      expect([withCache.report.winner, withCache.check.matches]).toEqual(['login', true])
    } finally {
      rmSync(cacheFile)
    }
    const without = await roundTrip({}, { config: `[default]\nlogin_session = ${session}\n` })
    expect(without.machine.links[2]!.status).toBe('failed')
    expect(without.captured.spec.files).toEqual({ config: '[default]\nlogin_session = captured-default\n' })
    expect([without.report.links[2]!.status, without.check.matches]).toEqual(['failed', true])
  })

  it('static keys and their secrets never reach the capture; settings do', async () => {
    const { captured, check } = await roundTrip(
      { AWS_ACCESS_KEY_ID: 'AKIAREALLOOKINGKEY01', AWS_SECRET_ACCESS_KEY: 'real-looking-secret', AWS_SESSION_TOKEN: 'real-looking-token', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'eu-central-1' },
      { credentials: '[default]\naws_access_key_id = AKIAFILEKEY000000001\naws_secret_access_key = file-secret\n' },
    )
    const text = JSON.stringify(captured)
    for (const secret of ['AKIAREALLOOKINGKEY01', 'real-looking-secret', 'real-looking-token', 'AKIAFILEKEY000000001', 'file-secret']) expect(text).not.toContain(secret)
    expect(captured.spec).toEqual({ region: 'eu-central-1', env: { role: 'captured-role' }, profiles: { default: { user: 'captured-user' } }, vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    expect(captured.expect).toEqual({ source: 'env', shadowed: ['profile'] })
    expect(check.matches).toBe(true)
  })

  it('copies plain AWS_* settings, never secrets, paths of this machine or endpoints', () => {
    expect(['AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_V1_DISABLED', 'AWS_DEFAULT_REGION', 'AWS_STS_REGIONAL_ENDPOINTS'].filter(isPlainSetting)).toHaveLength(4)
    expect(
      ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_ENDPOINT_URL_S3', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_SECRET_KEY', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'HOME'].filter(isPlainSetting),
    ).toEqual([])
  })
})
