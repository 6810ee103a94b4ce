/**
 * toShadowCredentialsFrom over fake probe outcomes and toHaveReceivedRequestsSignedBy over fake
 * recorded requests: no world, no SDK. shadow-and-signatures.test.ts runs them for real.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createReport } from '../../src/chain/report.js'
import type { ProbeOutcome } from '../../src/probe/outcome.js'
import type { ChainReport, Identity, RecordedRequest } from '../../src/types.js'
import { failureOf } from '../support/messages.js'

const probe = vi.hoisted(() => vi.fn())
vi.mock('../../src/probe/probe.js', () => ({ probe }))
const { matchers } = await import('../../src/matchers/index.js')
expect.extend(matchers)

type Chainproof = import('../../src/matchers/types.js').ChainproofMatchers<Promise<void>>
const expectOf = (value: unknown) => expect(value) as unknown as Chainproof & { not: Chainproof }

const report = createReport('js-v3', [
  { source: 'env', name: 'fromEnv', status: 'won', reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' },
  { source: 'container', name: 'fromHttp', status: 'shadowed', reason: 'role task' },
  { source: 'instanceProfile', name: 'fromInstanceMetadata', status: 'shadowed', reason: 'role web' },
])

function resolved(explain: () => Promise<ChainReport> = async () => report): ProbeOutcome & { report: ReturnType<typeof vi.fn> } {
  return {
    ok: true,
    resolution: { source: 'env', principal: 'arn:aws:iam::123456789012:user/ci', accessKeyId: 'AKIAABCDEFGHIJKLWXYZ', features: {} },
    report: vi.fn(explain),
  }
}

beforeEach(() => probe.mockReset())

describe('toShadowCredentialsFrom (fake outcomes)', () => {
  it('decides from the report, computing it once whether it passes or fails', async () => {
    const outcome = resolved()
    probe.mockResolvedValue(outcome)
    await expectOf({}).toShadowCredentialsFrom(['ecs', 'imds', 'instanceProfile'])
    expect(outcome.report).toHaveBeenCalledTimes(1)
    expect(await failureOf(() => expectOf({}).toShadowCredentialsFrom(['instanceProfile', 'webIdentity']))).toMatchInlineSnapshot(`
      "expect(client).toShadowCredentialsFrom(sources)

      Expected shadowed: ["instanceProfile", "webIdentity"]
      Received shadowed: ["container", "instanceProfile"]
      Winner:            "env"

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. container        fromHttp              ◐ shadowed  role task
        3. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web"
    `)
    expect(outcome.report).toHaveBeenCalledTimes(2)
  })

  it('fails readably, never passing, when the report cannot be computed', async () => {
    probe.mockResolvedValue(resolved(async () => { throw new Error('IMDS mock stopped') }))
    expect(await failureOf(() => expectOf({}).toShadowCredentialsFrom('container'))).toMatchInlineSnapshot(`
      "expect(client).toShadowCredentialsFrom(source)

      Expected shadowed: "container"
      Received shadowed: unknown (the chain could not be explained)
      Winner:            "env"

      Credential chain: could not be explained (IMDS mock stopped)"
    `)
    await expectOf({}).not.toShadowCredentialsFrom('container')
  })

  it('is a matcher error, before anything is probed, for a bad source', async () => {
    expect(await failureOf(() => expectOf({}).toShadowCredentialsFrom(42 as never))).toContain('Matcher error: source: unknown credential source 42.')
    expect(probe).not.toHaveBeenCalled()
  })
})

const AKID_ALICE = 'AKIAALICEALICEALICE1'
const ASIA_DEPLOY = 'ASIADEPLOYDEPLOYDEP2'
const at = new Date('2026-01-02T03:04:05Z')
const assumeRole: RecordedRequest = {
  server: 'sts', method: 'POST', path: '/', status: 200, at, service: 'sts', action: 'AssumeRole',
  accessKeyId: AKID_ALICE, principal: 'arn:aws:iam::123456789012:user/alice', source: 'profile',
}
const getObject: RecordedRequest = {
  server: 'gate', method: 'GET', path: '/b/k', status: 403, at, service: 's3', action: 'GetObject',
  accessKeyId: ASIA_DEPLOY, principal: 'arn:aws:sts::123456789012:assumed-role/deployer/ci-run', source: 'profile',
}
const imds: RecordedRequest = { server: 'imds', method: 'PUT', path: '/latest/api/token', status: 200, at }
const badSignature: RecordedRequest = { server: 'gate', method: 'GET', path: '/b/k', status: 403, at, service: 's3', action: 'GetObject', accessKeyId: ASIA_DEPLOY }

describe('toHaveReceivedRequestsSignedBy (fake requests)', () => {
  it('reads a requests array or a requests() function, sync or async', async () => {
    await expectOf({ requests: [assumeRole] }).toHaveReceivedRequestsSignedBy('profile')
    await expectOf({ requests: () => [assumeRole] }).toHaveReceivedRequestsSignedBy({ principal: /:user\/alice$/ })
    await expectOf({ requests: async () => [assumeRole] }).not.toHaveReceivedRequestsSignedBy('env')
    await expectOf(Promise.resolve({ requests: [assumeRole] })).toHaveReceivedRequestsSignedBy('ini')
  })

  it('matches the role from the principal, or the profile from the world\'s ledger when it has one', async () => {
    await expectOf({ requests: [getObject] }).toHaveReceivedRequestsSignedBy({ role: 'deployer' })
    await expectOf({ requests: [getObject] }).toHaveReceivedRequestsSignedBy({ role: 'arn:aws:iam::123456789012:role/deployer' })
    await expectOf({ requests: [getObject] }).not.toHaveReceivedRequestsSignedBy({ profile: 'deploy' })
    const identityOf = (id: string): Identity | undefined =>
      id === ASIA_DEPLOY ? { accessKeyId: id, source: 'profile', profile: 'deploy', principal: getObject.principal!, accountId: '123456789012', role: 'deployer' } : undefined
    await expectOf({ requests: [getObject], identityOf }).toHaveReceivedRequestsSignedBy({ profile: 'deploy', role: 'deployer' })
  })

  it('never counts a request whose signature did not verify', async () => {
    await expectOf({ requests: [badSignature], identityOf: () => ({ source: 'profile' }) }).not.toHaveReceivedRequestsSignedBy('profile')
    expect(await failureOf(() => expectOf({ requests: [badSignature, assumeRole, imds] }).toHaveReceivedRequestsSignedBy({ source: 'profile', role: 'deployer' }))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Expected source:   "profile"
      Expected role:     "deployer"
      Received requests: 2 signed requests, none by such a signer

      Signed requests received:
        1 × gate  s3:GetObject    403  ****************XXXX  -        signature not verified (a key this world never issued, or a bad signature)
        1 × sts   sts:AssumeRole  200  ****************XXXX  profile  arn:aws:iam::123456789012:user/alice"
    `)
  })

  it('summarises the unsigned requests when none was signed', async () => {
    expect(await failureOf(() => expectOf({ requests: [imds, imds, { ...assumeRole, accessKeyId: undefined, principal: undefined, source: undefined, action: 'AssumeRoleWithWebIdentity' }] }).toHaveReceivedRequestsSignedBy('webIdentity'))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Expected source:   "webIdentity"
      Received requests: none signed (3 unsigned: imds ×2, sts sts:AssumeRoleWithWebIdentity ×1)

      Hints:
        - Signed requests are recorded when they reach the world's service gate (AWS_ENDPOINT_URL) or its STS (AWS_ENDPOINT_URL_STS); an application in another process needs the world's variables (world.env)."
    `)
  })

  it('masks every key id', async () => {
    const message = await failureOf(() => expectOf({ requests: [assumeRole, getObject] }).toHaveReceivedRequestsSignedBy('env'))
    expect(message).not.toContain(AKID_ALICE)
    expect(message).not.toContain(ASIA_DEPLOY)
  })

  it('is a matcher error for what is not a world, or a bad expectation', async () => {
    expect(await failureOf(() => expectOf({ requests: 'none' }).toHaveReceivedRequestsSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Matcher error: received value must be a credential world (from createCredentialWorld or useCredentialWorld), or an object with a requests array or a requests() function returning recorded requests; received an object (Object with keys requests)"
    `)
    expect(await failureOf(() => expectOf({ requests: [] }).toHaveReceivedRequestsSignedBy({ role: '' }))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Matcher error: signer.role must be a non-empty string, got """
    `)
    expect(await failureOf(() => expectOf({ requests: [] }).toHaveReceivedRequestsSignedBy({ source: 'imdsv2' as never }))).toContain(
      'Matcher error: signer.source: unknown credential source "imdsv2". Valid sources:',
    )
    expect(await failureOf(() => expectOf({ requests: [] }).toHaveReceivedRequestsSignedBy(/web/ as never))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Matcher error: expected a source name or an object like { source: 'instanceProfile', role: 'web' }, got /web/"
    `)
  })
})

describe('toBeSignedBy (no world)', () => {
  it('is a matcher error when the received promise rejects', async () => {
    expect(await failureOf(() => expectOf(Promise.reject(new Error('Region is missing'))).toBeSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Matcher error: the received promise rejected: Region is missing"
    `)
  })

  it('is a matcher error without an active world, saying how to get one', async () => {
    const url =
      'http://127.0.0.1:1/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAABCDEFGHIJKLWXYZ%2F20260102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=900&X-Amz-Signature=00&X-Amz-SignedHeaders=host'
    expect(await failureOf(() => expectOf(url).toBeSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Matcher error: identifying who signed an artifact needs an active credential world (its ledger knows every key it issued): create one with createCredentialWorld(spec) or useCredentialWorld() from chainproof/vitest or chainproof/jest, and sign inside it."
    `)
  })
})
