/**
 * Faults over time, each with what the real SDK (JS v3, this repo's lockfile) does about it — run,
 * not assumed. Each test simulates an hour or more through the world's clock.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromInstanceMetadata as awsFromInstanceMetadata, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { fromInstanceMetadata as smithyFromInstanceMetadata } from '@smithy/credential-provider-imds'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import '../../src/vitest.js'

const MIN = 60_000
/** One call through the client: its principal, or its error in one line. */
async function call(sts: STSClient): Promise<string> {
  try {
    return 'ok ' + (await sts.send(new GetCallerIdentityCommand({}))).Arn
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  }
}
/** Lets the SDK's background refresh land (real time; loopback answers take a few ms). */
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms))
/**
 * Before the world goes: a background refresh still running when it is disposed would go on
 * without the world's variables (docs/time.md says so). The STS retries back off for seconds.
 */
const quiesce = () => settle(2_500)
function recordingLogger() {
  const warnings: string[] = []
  return { warnings, logger: { debug() {}, info() {}, trace() {}, error() {}, warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')) } }
}
const imdsDownAfter50 = { instanceProfile: { role: 'web' }, faults: [{ target: 'imds' as const, kind: 'status' as const, status: 503 as const, after: 50 * 60 }] }

describe('IMDS unavailable when the refresh is due', () => {
  it('the default chain: the background refresh fails silently and the old credentials serve until they expire; then every call fails — no static stability', async () => {
    await using world = await createCredentialWorld(imdsDownAfter50)
    const sts = new STSClient({})
    expect(await call(sts)).toMatch(/^ok .*:assumed-role\/web\//)
    await world.clock.advance(56 * MIN)
    expect(await call(sts)).toMatch(/^ok /)
    await settle()
    expect(await call(sts)).toMatch(/^ok /)
    await world.clock.advance(5 * MIN)
    expect(await call(sts)).toBe('CredentialsProviderError: Could not load credentials from any providers')
    // the refreshes reached IMDS and were refused at the role listing: one credentials GET in all
    await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 1 })
    expect(world.fetches.filter((f) => f.step === 'role' && f.status === 503).length).toBeGreaterThanOrEqual(2)
    await quiesce()
  })

  it("@aws-sdk/credential-providers' fromInstanceMetadata(): a new provider inside at every call, so no past credentials to extend — the call in the refresh window already fails", async () => {
    await using world = await createCredentialWorld(imdsDownAfter50)
    const { warnings, logger } = recordingLogger()
    const sts = new STSClient({ credentials: awsFromInstanceMetadata({ logger }) })
    expect(await call(sts)).toMatch(/^ok /)
    await world.clock.advance(56 * MIN)
    expect(await call(sts)).toBe('ProviderError: Error response received from instance metadata service')
    expect(warnings).toEqual([])
  })

  it("@smithy/credential-provider-imds' fromInstanceMetadata(): static stability — it warns, extends the last credentials by 5–10 minutes, and the calls go on past their expiry (AWS honours expired instance credentials)", async () => {
    await using world = await createCredentialWorld(imdsDownAfter50)
    const { warnings, logger } = recordingLogger()
    const sts = new STSClient({ credentials: smithyFromInstanceMetadata({ logger }) })
    const first = await call(sts)
    expect(first).toMatch(/^ok /)
    const original = world.generations('instanceProfile')[0]!
    await world.clock.advance(56 * MIN)
    expect(await call(sts)).toBe(first)
    await world.clock.advance(10 * MIN)
    expect(await call(sts)).toBe(first)
    expect(Date.now()).toBeGreaterThan(original.expiration!.getTime())
    expect(warnings.some((w) => w.startsWith('Credential renew failed:  ProviderError: Error response received from instance metadata service'))).toBe(true)
    expect(warnings.some((w) => w.startsWith('Attempting credential expiration extension due to a credential service availability issue.'))).toBe(true)
    const extended = await sts.config.credentials()
    expect(extended.accessKeyId).toBe(original.accessKeyId)
    expect(extended.expiration!.getTime() - Date.now()).toBeGreaterThan(4 * MIN)
    expect(extended.expiration!.getTime() - Date.now()).toBeLessThanOrEqual(10 * MIN)
  })
})

describe('IMDS throttling across many clients', () => {
  it('50 clients, each with its own default chain, fetch 50 times; at 30 IMDS requests a second most of them fail', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'throttle', perSecond: 30 }] })
    const results = await Promise.all(Array.from({ length: 50 }, () => call(new STSClient({}))))
    const failed = results.filter((r) => r === 'CredentialsProviderError: Could not load credentials from any providers').length
    const succeeded = results.filter((r) => r.startsWith('ok ')).length
    expect(failed + succeeded).toBe(50)
    expect(failed).toBeGreaterThan(25)
    expect(world.fetches.filter((f) => f.status === 429).length).toBeGreaterThan(0)
  })

  it('without throttling the same 50 clients cause 50 credential fetches (and 50 token PUTs, 50 role GETs)', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    await Promise.all(Array.from({ length: 50 }, () => call(new STSClient({}))))
    await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 50 })
    expect(world.fetches.filter((f) => f.step === 'token')).toHaveLength(50)
  })

  it('one provider shared by the 50 clients: 1 fetch, and every call succeeds under the same throttle', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'throttle', perSecond: 30 }] })
    const provider = fromNodeProviderChain()
    const results = await Promise.all(Array.from({ length: 50 }, () => call(new STSClient({ credentials: provider }))))
    expect(results.filter((r) => r.startsWith('ok '))).toHaveLength(50)
    await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 1 })
  })
})

describe('503s from the container endpoint across many clients', () => {
  it("a burst of 503s (one per client): fromHttp's retries, 1 s apart, absorb it — every client succeeds, 100 fetches", async () => {
    await using world = await createCredentialWorld({ container: { role: 'task' }, faults: [{ target: 'container', kind: 'status', status: 503, times: 50 }] })
    const real = performance.now()
    const results = await Promise.all(Array.from({ length: 50 }, () => call(new STSClient({}))))
    expect(results.filter((r) => r.startsWith('ok '))).toHaveLength(50)
    await expect(world).toHaveFetchedCredentials('container', { times: 100 })
    expect(world.fetches.filter((f) => f.status === 503)).toHaveLength(50)
    expect(performance.now() - real).toBeGreaterThan(900) // the retry waits a real second
  })
})

describe('STS throttling during a role refresh', () => {
  const spec = (times?: number) => ({
    profile: 'app',
    profiles: { base: { user: 'ci' }, app: { role: 'deployer', sourceProfile: 'base', expiresIn: 900 } },
    faults: [{ target: 'sts' as const, kind: 'error' as const, code: 'Throttling' as const, action: 'AssumeRole' as const, after: 600, ...(times ? { times } : {}) }],
  })

  it('throttled for good: the background refresh fails silently, then, once the session expired, the call fails with Throttling after the nested client\'s 3 attempts', async () => {
    await using world = await createCredentialWorld(spec())
    const sts = new STSClient({})
    expect(await call(sts)).toMatch(/^ok .*:assumed-role\/deployer\//)
    await world.clock.advance(11 * MIN)
    expect(await call(sts)).toMatch(/^ok /)
    await world.clock.advance(5 * MIN)
    expect(await call(sts)).toBe('Throttling: Rate exceeded')
    const assumes = world.fetches.filter((f) => f.what === 'AssumeRole')
    expect(assumes[0]!.status).toBe(200)
    // every refresh since: throttled (the background refresh's attempts, then the call's 3)
    expect(assumes.slice(1).every((f) => f.status === 400)).toBe(true)
    expect(assumes.length).toBeGreaterThanOrEqual(4)
    await quiesce()
  })

  it('throttled twice: the nested STS client retries and the refresh succeeds', async () => {
    await using world = await createCredentialWorld(spec(2))
    const sts = new STSClient({})
    await call(sts)
    await world.clock.advance(16 * MIN)
    expect(await call(sts)).toMatch(/^ok /)
    expect(world.fetches.map((f) => f.status)).toEqual([200, 400, 400, 200])
    await expect(world).toHaveFetchedCredentials('profile', { times: 4 })
  })
})

describe('a token that expires mid-run', () => {
  it('SSO: the cached token (tokenExpiresIn 30 min) outlives nothing — at the role credentials\' expiry the SDK cannot refresh it and the call fails', async () => {
    await using world = await createCredentialWorld({ profile: 'dev', profiles: { dev: { sso: { role: 'dev', expiresIn: 3600, tokenExpiresIn: 1800 } } } })
    const sts = new STSClient({})
    expect(await call(sts)).toMatch(/^ok /)
    await world.clock.advance(56 * MIN)
    expect(await call(sts)).toMatch(/^ok /)
    await world.clock.advance(5 * MIN)
    expect(await call(sts)).toBe(
      "CredentialsProviderError: Value not present for 'clientId' in SSO Token. Cannot refresh. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    )
    // the SDK checks the token's expiry itself: the portal is asked once, at the start
    await expect(world).toHaveFetchedCredentials('sso', { times: 1 })
    await quiesce()
  })

  it('login: refreshes succeed while the session lasts; once it ended (sessionExpiresIn 30 min), Signin refuses and the SDK says so', async () => {
    await using world = await createCredentialWorld({ profile: 'dev', profiles: { dev: { login: { role: 'dev', expiresIn: 900, sessionExpiresIn: 1800 } } } })
    const sts = new STSClient({})
    expect(await call(sts)).toMatch(/^ok /)
    await world.clock.advance(12 * MIN)
    expect(await call(sts)).toMatch(/^ok /)
    await settle() // the background refresh lands before time moves on
    await world.clock.advance(20 * MIN)
    expect(await call(sts)).toBe('CredentialsProviderError: Your session has expired. Please reauthenticate.')
    expect(world.fetches.map((f) => f.status)).toEqual([200, 400])
    expect(world.generations('login')).toHaveLength(2)
    await quiesce()
  })
})
