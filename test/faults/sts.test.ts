/**
 * STS faults: an error from role assumption STOPS the real chain — a role profile or web
 * identity never falls through to the instance profile below it, which is why each world here
 * has one.
 */
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import type { FaultSpec, StsErrorCode } from '../../src/world/faults.js'
import { expectNoSecrets, linkOf, realChain, trafficOf } from './support.js'

const roleProfile = (...faults: FaultSpec[]) =>
  createCredentialWorld({ profiles: { base: { user: 'alice' }, default: { role: 'admin', sourceProfile: 'base' } }, instanceProfile: { role: 'web' }, faults })
const webIdentity = (...faults: FaultSpec[]) => createCredentialWorld({ webIdentity: { role: 'irsa' }, instanceProfile: { role: 'web' }, faults })

const ROLE_ARN = 'arn:aws:iam::123456789012:role/admin'

describe('AssumeRole from a source_profile role profile', () => {
  it.each<[StsErrorCode, string]>([
    ['AccessDenied', `AccessDenied: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`],
    ['ExpiredTokenException', 'ExpiredTokenException: The security token included in the request is expired'],
    ['RegionDisabledException', 'RegionDisabledException: STS is not activated in this region for account:123456789012.'],
  ])('%s stops the chain: the instance profile is never reached', async (code, words) => {
    await using w = await roleProfile({ target: 'sts', kind: 'error', code })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { name: code } })
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(report.winner).toBeUndefined()
    const link = linkOf(report, 'profile')
    expect(link.status).toBe('failed')
    expect(link.reason).toContain(`stops the chain: ${words}`)
    expect(link.reason).toContain(`(injected: faults[0] sts error (code: "${code}")`)
    expect(linkOf(report, 'instanceProfile')).toMatchObject({ status: 'unreached', reason: 'not reached: the chain stopped at profile' })
    expectNoSecrets(w, report, (result as { error: Error }).error)
  })

  it('Throttling once: the nested STS client retries, and the role profile wins', async () => {
    await using w = await roleProfile({ target: 'sts', kind: 'error', code: 'Throttling', times: 1 })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'profile' })
    expect(result.ms).toBeLessThan(1500)
    expect(w.requests.filter((r) => r.server === 'sts').map((r) => `${r.action} ${r.status}`)).toEqual(['AssumeRole 400', 'AssumeRole 200'])
    expect(linkOf(await w.explain(), 'profile').status).toBe('won')
  })

  it('an AssumeRoleWithWebIdentity fault leaves AssumeRole alone', async () => {
    await using w = await createCredentialWorld({
      profiles: { base: { user: 'alice' }, default: { role: 'admin', sourceProfile: 'base' } },
      webIdentity: { role: 'irsa' },
      faults: [{ target: 'sts', kind: 'error', code: 'AccessDenied', action: 'AssumeRoleWithWebIdentity' }],
    })
    expect(await realChain(w)).toMatchObject({ ok: true, source: 'profile' })
    const report = await w.explain()
    expect(linkOf(report, 'profile').status).toBe('won')
    // the web identity link below it is refused, which the report shows without changing the winner
    expect(linkOf(report, 'webIdentity')).toMatchObject({ status: 'failed' })
    expect(linkOf(report, 'webIdentity').reason).toContain('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity')
  })
})

describe('AssumeRoleWithWebIdentity (IRSA-style env variables)', () => {
  // the SDK's STS model names the wire code InvalidIdentityToken InvalidIdentityTokenException
  it.each<[StsErrorCode, string, string]>([
    ['InvalidIdentityToken', 'InvalidIdentityTokenException', "InvalidIdentityTokenException: Couldn't retrieve verification key from your identity provider"],
    ['ExpiredTokenException', 'ExpiredTokenException', 'ExpiredTokenException: Token expired: current date/time'],
    ['AccessDenied', 'AccessDenied', 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity'],
  ])('%s stops the chain at the web identity link (the SDK throws %s)', async (code, name, words) => {
    await using w = await webIdentity({ target: 'sts', kind: 'error', code })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false, error: { name } })
    const report = await w.explain()
    const link = linkOf(report, 'webIdentity')
    expect(link.status).toBe('failed')
    expect(link.reason).toContain(`stops the chain: ${words}`)
    expect(linkOf(report, 'instanceProfile').status).toBe('unreached')
    expectNoSecrets(w, report)
  })
})
