/**
 * The `login` source (aws login), against the real SDK: fromNodeProviderChain → fromIni →
 * @aws-sdk/credential-provider-login reads the cache the world wrote, refreshes through the
 * loopback Signin endpoint with a DPoP proof the server verifies, and each fault gets the
 * SDK's own reaction (stops the chain, or moves on). Model and probe must agree on each.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, resolveCredentials } from '../../src/index.js'
import '../../src/vitest.js'
import { modelActiveWorld } from '../../src/probe/probe.js'
import { loginCachePath } from '../../src/sources/login/plan.js'
import type { ChainReport, WorldSpec } from '../../src/types.js'
import { expectNoSecrets, linkOf, realChain, trafficOf } from '../faults/support.js'

const verdict = (r: ChainReport) => r.links.map((l) => `${l.source}:${l.status}`).join(' ')
async function expectModelAgrees(report: ChainReport): Promise<void> {
  expect(verdict(await modelActiveWorld())).toBe(verdict(report))
  expect((await modelActiveWorld()).winner).toBe(report.winner)
}

const loginWorld = (extra: Partial<WorldSpec> = {}) =>
  createCredentialWorld({ profiles: { default: { login: { role: 'console-admin' } } }, instanceProfile: { role: 'web' }, ...extra })

describe('a profile with login: { role }', () => {
  it('writes login_session and the cache the SDK names by sha256, and resolves as source login with its profile', async () => {
    await using w = await loginWorld()
    const config = readFileSync(join(w.home, '.aws', 'config'), 'utf8')
    const session = /^login_session = (.+)$/m.exec(config)?.[1]
    expect(session).toMatch(/^arn:aws:sts::123456789012:assumed-role\/console-admin\//)
    const cache = JSON.parse(readFileSync(loginCachePath(join(w.home, '.aws', 'login', 'cache'), session!), 'utf8'))
    expect(Object.keys(cache).sort()).toEqual(['accessToken', 'clientId', 'dpopKey', 'refreshToken', 'tokenType'])
    expect(cache.dpopKey).toMatch(/^-----BEGIN EC PRIVATE KEY-----/)
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'login' })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'login', profile: 'default', role: 'console-admin' })
    expect(r.features).toMatchObject({ CREDENTIALS_PROFILE_LOGIN: 'AC', CREDENTIALS_LOGIN: 'AD' })
    await expect(new S3Client({})).toResolveCredentialsFrom('login', { profile: 'default' })
    await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
    expect(linkOf(r.report, 'profile')).toMatchObject({ status: 'won' })
    expect(r.report.winner).toBe('login')
    await expectModelAgrees(r.report)
    expect(trafficOf(w, 'signin')).toEqual([]) // a fresh token needs no refresh
    expect(r.report.hints.join('\n')).toContain('remove login_session from [default]')
  })

  it('cacheDirectory "variable" puts the cache under AWS_LOGIN_CACHE_DIRECTORY, which the SDK follows', async () => {
    await using w = await createCredentialWorld({ profiles: { default: { login: { role: 'console-admin', cacheDirectory: 'variable' } } } })
    expect(w.env.AWS_LOGIN_CACHE_DIRECTORY).toBeDefined()
    expect(w.env.AWS_LOGIN_CACHE_DIRECTORY!.startsWith(w.home)).toBe(true)
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'login', profile: 'default' })
  })

  it('loses to static keys in the same section (fromIni: static keys first) and the report says so', async () => {
    await using w = await createCredentialWorld({ profiles: { default: { user: 'alice', login: { role: 'console-admin' } } } })
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'profile', profile: 'default' })
    await expectModelAgrees(r.report)
  })
})

describe('refresh through the loopback Signin endpoint', () => {
  it('an expired cached token is refreshed with a DPoP proof the server verifies, and the new session wins', async () => {
    await using w = await loginWorld({ faults: [{ target: 'login', kind: 'expired' }] })
    const session = /^login_session = (.+)$/m.exec(readFileSync(join(w.home, '.aws', 'config'), 'utf8'))![1]!
    const cacheFile = loginCachePath(join(w.home, '.aws', 'login', 'cache'), session)
    const cachedKey = JSON.parse(readFileSync(cacheFile, 'utf8')).accessToken.accessKeyId as string
    const before = w.requests.length
    const r = await resolveCredentials(new S3Client({}))
    // the SDK saved the refreshed session to its cache
    const saved = JSON.parse(readFileSync(cacheFile, 'utf8')) as { accessToken: { accessKeyId: string; expiresAt: string } }
    expect(saved.accessToken.accessKeyId).not.toBe(cachedKey)
    expect(Date.parse(saved.accessToken.expiresAt)).toBeGreaterThan(Date.now())
    expect(r.accessKeyId).toBe(saved.accessToken.accessKeyId)
    expect(r).toMatchObject({ source: 'login', profile: 'default', role: 'console-admin' })
    const refresh = w.requests.slice(before).filter((q) => q.server === 'signin')
    expect(refresh.length).toBeGreaterThanOrEqual(1)
    expect(refresh[0]).toMatchObject({ method: 'POST', path: '/v1/token', status: 200, action: 'CreateOAuth2Token', source: 'login' })
    await expectModelAgrees(r.report)
    expect(linkOf(r.report, 'profile').reason).toContain('login')
    expectNoSecrets(w, r.report, JSON.stringify(w.requests))
  })

  it('a refused refresh (AccessDeniedException TOKEN_EXPIRED) stops the chain: the instance profile is never asked', async () => {
    await using w = await loginWorld({ faults: [{ target: 'login', kind: 'refreshRefused' }] })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false })
    expect((result as { error: Error }).error.message).toContain('Your session has expired. Please reauthenticate.')
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(linkOf(report, 'profile')).toMatchObject({ status: 'failed' })
    expect(linkOf(report, 'instanceProfile').status).toBe('unreached')
    await expectModelAgrees(report)
    await expect(new S3Client({})).toFailToResolveCredentials(/Your session has expired/)
  })

  it.each(['USER_CREDENTIALS_CHANGED', 'INSUFFICIENT_PERMISSIONS'] as const)('refused with %s: stops the chain in the SDK\'s own words', async (error) => {
    await using w = await loginWorld({ faults: [{ target: 'login', kind: 'refreshRefused', error }] })
    const result = await realChain(w)
    expect(result.ok).toBe(false)
    expect((result as { error: Error }).error.message).toMatch(error === 'USER_CREDENTIALS_CHANGED' ? /change in your password/ : /insufficient permissions/)
    expect(trafficOf(w, 'imds')).toEqual([])
  })

  it('Signin unavailable (HTTP 500) with an expired token: a plain provider error, so the chain moves on to the instance profile', async () => {
    await using w = await loginWorld({ faults: [{ target: 'login', kind: 'refreshUnavailable' }] })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'instanceProfile' })
    const report = await w.explain()
    expect(linkOf(report, 'profile').status).toBe('absent')
    expect(report.winner).toBe('instanceProfile')
    await expectModelAgrees(report)
  })
})

describe('a broken login cache stops the chain (tryNextLink false)', () => {
  it.each([
    ['missingCache', /Failed to load token from/],
    ['invalidCache', /missing fields: dpopKey/],
  ] as const)('%s', async (kind, words) => {
    await using w = await loginWorld({ faults: [{ target: 'login', kind }] })
    const result = await realChain(w)
    expect(result.ok).toBe(false)
    expect((result as { error: Error & { tryNextLink?: boolean } }).error.message).toMatch(words)
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(linkOf(report, 'profile').status).toBe('failed')
    await expectModelAgrees(report)
  })

  it('a login fault names a profile with login, or says what to add', async () => {
    await expect(createCredentialWorld({ faults: [{ target: 'login', kind: 'expired' }] })).rejects.toThrow(/a login fault needs a profile with login: add profiles: \{ <name>: \{ login: \{ role \} \} \}/)
  })
})

describe('the Signin endpoint verifies the DPoP proof before it refreshes', () => {
  /** A proof as RFC 9449 and the SDK make it: ES256 over header.payload, the P-256 public key in the header. */
  function proof(pem: string, claims: Record<string, unknown>, tamper?: (parts: string[]) => void): string {
    const key = createPrivateKey({ key: pem, format: 'pem', type: 'sec1' })
    const jwk = createPublicKey(key).export({ format: 'jwk' }) as { x: string; y: string }
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const parts = [encode({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } }), encode(claims)]
    parts.push(sign('sha256', Buffer.from(parts.join('.')), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url'))
    tamper?.(parts)
    return parts.join('.')
  }

  it('accepts the cache key\'s proof once, and refuses a replay, another key, a tampered payload, another URL or method, a stale iat, and no proof', async () => {
    await using w = await loginWorld()
    const session = /^login_session = (.+)$/m.exec(readFileSync(join(w.home, '.aws', 'config'), 'utf8'))![1]!
    const cache = JSON.parse(readFileSync(loginCachePath(join(w.home, '.aws', 'login', 'cache'), session), 'utf8'))
    const url = `${w.endpoints.signin}/v1/token`
    const claims = () => ({ jti: randomUUID(), htm: 'POST', htu: url, iat: Math.floor(Date.now() / 1000) })
    let refreshToken: string = cache.refreshToken
    const post = async (dpop: string | undefined) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(dpop ? { dpop } : {}) },
        body: JSON.stringify({ clientId: cache.clientId, refreshToken, grantType: 'refresh_token' }),
      })
      const body = (await response.json()) as { error?: string; message?: string; refreshToken?: string }
      return { status: response.status, ...body }
    }
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }) as string
    const refused = [
      await post(undefined),
      await post(proof(other, claims())),
      await post(proof(cache.dpopKey, claims(), (p) => (p[1] = Buffer.from(JSON.stringify({ ...claims(), htu: url + '?x' })).toString('base64url')))),
      await post(proof(cache.dpopKey, { ...claims(), htu: 'https://signin.us-east-1.api.aws/v1/token' })),
      await post(proof(cache.dpopKey, { ...claims(), htm: 'GET' })),
      await post(proof(cache.dpopKey, { ...claims(), iat: Math.floor(Date.now() / 1000) - 3600 })),
    ]
    expect(refused.map((r) => [r.status, r.error])).toEqual(Array(6).fill([400, 'INVALID_DPOP_PROOF']))
    expect(refused.map((r) => r.message!.replace(/^DPoP proof refused: /, ''))).toEqual([
      'the request carries no DPoP header',
      "the DPoP key is not this session's (the login cache's dpopKey signs refreshes)",
      'the DPoP proof signature does not verify',
      `the DPoP proof's htu "https://signin.us-east-1.api.aws/v1/token" is not this request's URL ${url}`,
      "the DPoP proof's htm \"GET\" is not this request's method POST",
      'the DPoP proof is not recent (iat more than 5 minutes away)',
    ])
    const good = claims()
    const accepted = await post(proof(cache.dpopKey, good))
    expect(accepted.status).toBe(200)
    refreshToken = accepted.refreshToken!
    const replayed = await post(proof(cache.dpopKey, good))
    expect(replayed).toMatchObject({ status: 400, message: 'DPoP proof refused: the DPoP proof was already used (jti replayed)' })
    expect(w.requests.filter((r) => r.server === 'signin').map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400, 200, 400])
  })
})

describe('doctor names a login profile', () => {
  it("kindsOf follows fromIni's registered branches, login_session last", async () => {
    const { kindsOf } = await import('../../src/cli/machine.js')
    expect(kindsOf({ login_session: 'arn:aws:sts::123456789012:assumed-role/Admin/alice' })).toEqual(['login'])
    expect(kindsOf({ aws_access_key_id: 'AKIA', aws_secret_access_key: 's', login_session: 'x', sso_session: 'y' })).toEqual(['static', 'sso', 'login'])
  })
})
