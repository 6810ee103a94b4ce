/**
 * Container endpoint faults. The real chain runs `fromHttp` (1 s timeout, 3 retries 1 s apart),
 * then `fromContainerMetadata`, and never IMDS while AWS_CONTAINER_CREDENTIALS_FULL_URI is set.
 * Two tests run with the SDK's own defaults (≈1 s and ≈3 s); the others pass `maxRetries: 0`
 * to the real chain, which changes nothing but the retries.
 */
import { describe, expect, it, vi } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { FaultSpec } from '../../src/world/faults.js'
import { expectNoSecrets, linkOf, realChain, trafficOf } from './support.js'

const world = (...faults: FaultSpec[]) => createCredentialWorld({ container: { role: 'task' }, instanceProfile: { role: 'web' }, faults })
const noRetries = { maxRetries: 0 }

describe('the container credentials endpoint', () => {
  it('refusing the token (403), with the SDK defaults: ~3 s of retries, IMDS never asked, the chain fails', async () => {
    await using w = await world({ target: 'container', kind: 'status', status: 403 })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    // fromHttp: 1 + 3 retries, 1 s apart; then fromContainerMetadata once
    expect(result.ms).toBeGreaterThanOrEqual(2900)
    expect(result.ms).toBeLessThan(4500)
    expect(trafficOf(w, 'container')).toEqual(Array(5).fill('GET /v2/credentials/TASK 403'))
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(linkOf(report, 'container')).toMatchObject({ status: 'failed' })
    expect(linkOf(report, 'container').reason).toMatch(
      /^the chain ends here: the container endpoint answered HTTP 403 \(the Authorization token was refused\); fromHttp retries 3 times 1 s apart, then fromContainerMetadata asks once more, and the SDK never falls back to the instance metadata service/,
    )
    expect(linkOf(report, 'instanceProfile')).toMatchObject({ status: 'unreached', reason: 'not reached: the chain stopped at container' })
    expectNoSecrets(w, report)
  })

  it('a single 500, with the SDK defaults: fromHttp retries after 1 s and the container wins', async () => {
    await using w = await world({ target: 'container', kind: 'status', status: 500, times: 1 })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'container' })
    expect(result.ms).toBeGreaterThanOrEqual(950)
    expect(result.ms).toBeLessThan(2000)
    expect(trafficOf(w, 'container')).toEqual(['GET /v2/credentials/TASK 500', 'GET /v2/credentials/TASK 200'])
    expect(linkOf(await w.explain(), 'container').status).toBe('won')
  })

  it.each([401, 500] as const)('answering %i every time: the chain fails', async (status) => {
    await using w = await world({ target: 'container', kind: 'status', status })
    expect(await realChain(w, noRetries)).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    const link = linkOf(await w.explain(), 'container')
    expect(link.status).toBe('failed')
    expect(link.reason).toContain(`the container endpoint answered HTTP ${status}${status === 401 ? ' (the Authorization token was refused)' : ';'}`)
    expect(link.reason).toContain(`(injected: faults[0] container status (status: ${status})`)
  })

  it('a body cut short: fromHttp\'s SyntaxError STOPS the chain with its own message', async () => {
    await using w = await world({ target: 'container', kind: 'malformedBody' })
    const result = await realChain(w, noRetries)
    expect(result).toMatchObject({ ok: false, error: { name: 'SyntaxError' } })
    const link = linkOf(await w.explain(), 'container')
    expect(link.status).toBe('failed')
    expect(link.reason).toMatch(/^stops the chain: the container endpoint answered with a body that is not JSON/)
    expectNoSecrets(w, link.reason, (result as { error: Error }).error)
  })

  it('a body without Token and Expiration: the chain fails', async () => {
    await using w = await world({ target: 'container', kind: 'malformedBody', variant: 'missingFields' })
    expect(await realChain(w, noRetries)).toMatchObject({ ok: false, error: { message: 'Could not load credentials from any providers' } })
    expect(linkOf(await w.explain(), 'container').reason).toContain('the container endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration')
  })

  it('slower than its 1 s requestTimeout: fromHttp only warns, waits, and the container wins', async () => {
    await using w = await world({ target: 'container', kind: 'delay', ms: 1500 })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    let result: Awaited<ReturnType<typeof realChain>>
    let warned: string
    try {
      result = await realChain(w)
      warned = warn.mock.calls.flat().join('\n')
    } finally {
      warn.mockRestore()
    }
    expect(result).toMatchObject({ ok: true, source: 'container' })
    expect(result.ms).toBeGreaterThanOrEqual(1450)
    expect(warned).toContain('a request has exceeded the configured 1000 ms requestTimeout')
    const silenced = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const link = linkOf(await w.explain(), 'container')
      expect(link.status).toBe('won')
      expect(link.reason).toMatch(/it answered after 1\d{3} ms, beyond fromHttp's 1000 ms requestTimeout, which only logs a warning/)
    } finally {
      silenced.mockRestore()
    }
  })
})
