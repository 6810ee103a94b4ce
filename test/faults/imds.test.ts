/**
 * IMDS faults, each resolved by the REAL default chain (`fromNodeProviderChain`, its own
 * defaults: 1 s timeout, no retries) and then explained: what the SDK really does, and the
 * words the chain report uses for it.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it, vi } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { FaultSpec } from '../../src/world/faults.js'
import { captureLogger, expectNoSecrets, linkOf, realChain, trafficOf } from './support.js'

const instanceProfile = { role: 'web' }
const world = (...faults: FaultSpec[]) => createCredentialWorld({ instanceProfile, faults })

describe('the IMDSv2 token request', () => {
  it.each([403, 404, 405] as const)('answered %i: the SDK falls back to IMDSv1 and the instance role wins', async (status) => {
    await using w = await world({ target: 'imds', kind: 'tokenStatus', status })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'instanceProfile' })
    expect(trafficOf(w, 'imds')).toEqual([
      `PUT /latest/api/token ${status}`,
      'GET /latest/meta-data/iam/security-credentials/ 200',
      'GET /latest/meta-data/iam/security-credentials/web 200',
    ])
    const report = await w.explain()
    expect(report.winner).toBe('instanceProfile')
    const link = linkOf(report, 'instanceProfile')
    expect(link.status).toBe('won')
    expect(link.reason).toContain(`read with IMDSv1: the token request (PUT /latest/api/token) answered HTTP ${status}, so the SDK fell back to IMDSv1`)
    expect(link.reason).toContain('(injected: faults[0] imds tokenStatus')
    expectNoSecrets(w, report)
  })

  it('answered 400: the SDK gives up and the chain fails', async () => {
    await using w = await world({ target: 'imds', kind: 'tokenStatus', status: 400 })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(trafficOf(w, 'imds')).toEqual(['PUT /latest/api/token 400'])
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('failed')
    expect(link.reason).toMatch(/^the chain ends here: the IMDSv2 token request \(PUT \/latest\/api\/token\) answered HTTP 400, which the SDK does not fall back from/)
    expect(link.reason).toContain('"Could not load credentials from any providers"')
  })

  it('times out: after the SDK\'s 1 s timeout it uses IMDSv1 for that call, and resolves', async () => {
    await using w = await world({ target: 'imds', kind: 'tokenTimeout' })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'instanceProfile' })
    expect(result.ms).toBeGreaterThanOrEqual(950)
    expect(result.ms).toBeLessThan(1900)
    // the held token request is still open; the v1 GETs answered
    expect(trafficOf(w, 'imds')).toEqual(['GET /latest/meta-data/iam/security-credentials/ 200', 'GET /latest/meta-data/iam/security-credentials/web 200'])
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link).toMatchObject({ status: 'won' })
    expect(link.reason).toContain("the token request (PUT /latest/api/token) got no answer within the SDK's 1000 ms timeout, so the SDK fell back to IMDSv1 for this call")
  })
})

describe('a v2-only instance (rejectV1)', () => {
  it('changes nothing while the token request works', async () => {
    await using w = await world({ target: 'imds', kind: 'rejectV1' })
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'instanceProfile' })
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('won')
    expect(link.reason).not.toContain('injected')
  })

  it('refuses the v1 fallback with 401 once the token request fails, and the chain fails', async () => {
    await using w = await world({ target: 'imds', kind: 'tokenStatus', status: 403 }, { target: 'imds', kind: 'rejectV1' })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(trafficOf(w, 'imds')).toEqual(['PUT /latest/api/token 403', 'GET /latest/meta-data/iam/security-credentials/ 401'])
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('failed')
    expect(link.reason).toContain('a metadata GET without a session token answered HTTP 401: the instance requires IMDSv2, and the token request had failed')
    expect(link.reason).toContain('faults[0] imds tokenStatus')
    expect(link.reason).toContain('faults[1] imds rejectV1')
  })
})

describe('metadata GETs', () => {
  it('answered 500: IMDS is not retried, the chain fails; the next call succeeds once the fault is spent', async () => {
    await using w = await world({ target: 'imds', kind: 'status', status: 500, path: 'credentials', times: 1 })
    const first = await realChain(w)
    expect(first).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(trafficOf(w, 'imds').at(-1)).toBe('GET /latest/meta-data/iam/security-credentials/web 500')
    // a transient fault: the next call (and the report's probe) finds the role
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'instanceProfile' })
    expect(linkOf(await w.explain(), 'instanceProfile').status).toBe('won')
  })

  it('answered 500 every time: the report says the chain ends at IMDS, with the status', async () => {
    await using w = await world({ target: 'imds', kind: 'status', status: 503 })
    expect(await realChain(w)).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    const report = await w.explain()
    expect(report.winner).toBeUndefined()
    expect(linkOf(report, 'instanceProfile')).toMatchObject({ status: 'failed' })
    expect(linkOf(report, 'instanceProfile').reason).toMatch(/^the chain ends here: the instance metadata service answered HTTP 503; IMDS is not retried \(maxRetries 0\)/)
  })

  it('throttled once: a throttled token request makes the SDK use IMDSv1, which succeeds', async () => {
    await using w = await world({ target: 'imds', kind: 'throttle', times: 1 })
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'instanceProfile' })
    expect(trafficOf(w, 'imds')[0]).toBe('PUT /latest/api/token 429')
  })

  it('throttled on the credentials GET: the chain fails and the report says 429', async () => {
    await using w = await world({ target: 'imds', kind: 'throttle', path: 'credentials' })
    expect(await realChain(w)).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(linkOf(await w.explain(), 'instanceProfile').reason).toContain('the instance metadata service answered HTTP 429 (throttled)')
  })

  it('slower than the SDK\'s 1 s timeout: the chain fails after about a second', async () => {
    await using w = await world({ target: 'imds', kind: 'delay', ms: 1500, path: 'credentials' })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(result.ms).toBeGreaterThanOrEqual(950)
    expect(result.ms).toBeLessThan(1900)
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('failed')
    expect(link.reason).toContain("the instance metadata service gave no answer within the SDK's 1000 ms timeout")
  })
})

describe('the credentials document', () => {
  it('cut short (not JSON): the SyntaxError STOPS the chain with its own message', async () => {
    await using w = await world({ target: 'imds', kind: 'malformedCredentials' })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { name: 'SyntaxError' } })
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('failed')
    expect(link.reason).toMatch(/^stops the chain: .*JSON/)
    expectNoSecrets(w, link.reason, (result as { error: Error }).error)
  })

  it('without Token and Expiration: "Invalid response", and the chain fails', async () => {
    await using w = await world({ target: 'imds', kind: 'malformedCredentials', variant: 'missingFields' })
    expect(await realChain(w)).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(linkOf(await w.explain(), 'instanceProfile').reason).toContain('the credentials document lacks AccessKeyId, SecretAccessKey, Token or Expiration')
  })

  it('already expired: static stability — the SDK uses them, extends them 5–10 minutes and warns', async () => {
    await using w = await world({ target: 'imds', kind: 'expiredCredentials', agoSeconds: 600 })
    const { warnings, logger } = captureLogger()
    const result = await realChain(w, { logger })
    expect(result).toMatchObject({ ok: true, source: 'instanceProfile' })
    if (!result.ok) return
    const now = Date.now()
    expect(result.originalExpiration!.getTime()).toBeLessThan(now - 590_000)
    expect(result.expiration!.getTime()).toBeGreaterThan(now + 4 * 60_000)
    expect(result.expiration!.getTime()).toBeLessThanOrEqual(now + 10 * 60_000)
    expect(warnings.join('\n')).toContain('Attempting credential expiration extension due to a credential service availability issue')
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('won')
    expect(link.reason).toMatch(/IMDS served them already expired \(at .*\), so the SDK extended them to .* and warned "Attempting credential expiration extension" \(static stability\)/)
  })

  it('expiring in 2 minutes: the default chain serves them, and fetches new ones in the background on its next call', async () => {
    await using w = await world({ target: 'imds', kind: 'expiringCredentials', inSeconds: 120 })
    const provider = fromNodeProviderChain()
    const first = await provider()
    expect(w.identityOf(first.accessKeyId)?.source).toBe('instanceProfile')
    expect(first.expiration!.getTime() - Date.now()).toBeLessThan(121_000)
    const credentialGets = () => trafficOf(w, 'imds').filter((r) => r.startsWith('GET /latest/meta-data/iam/security-credentials/web')).length
    expect(credentialGets()).toBe(1)
    // under 5 minutes left: the memoized chain answers at once and refreshes in the background
    const second = await provider()
    expect(second.accessKeyId).toBe(first.accessKeyId)
    await vi.waitFor(() => expect(credentialGets()).toBe(2), { timeout: 1000 })
    const link = linkOf(await w.explain(), 'instanceProfile')
    expect(link.status).toBe('won')
    expect(link.reason).toMatch(/they expire in 1\d\d s: with under 5 minutes left, the default chain fetches new ones in the background on its next call/)
  })
})
