/**
 * Runs one conformance case twice, each in its own world: once asking only the real SDK (its
 * credentials, its `$source` codes, what reached the world's STS), once asking chainproof
 * (resolveCredentials, the matchers, the report). Both must match the spec's expectation.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { createRequire } from 'node:module'
import { expect, vi } from 'vitest'
import '../../src/vitest.js'
import { createCredentialWorld, resolveCredentials, type ChainReport, type CredentialWorld, type Source } from '../../src/index.js'
import type { CaseTarget, ConformanceCase } from './types.js'

type Credentials = { accessKeyId: string; sessionToken?: string; expiration?: Date; accountId?: string; $source?: Record<string, string> }

/** The target the spec resolves, built after the world (clients memoize their credentials). */
function buildTarget(target: CaseTarget = { kind: 'chain' }): { provider: () => Promise<Credentials>; chainproofTarget: () => unknown } {
  if (target.kind === 'chain') {
    const provider = fromNodeProviderChain()
    if (target.afterOneFailure) {
      const failFirst = async () => {
        const first = await provider().then(() => 'resolved', () => 'failed')
        expect(first, 'the first call of the chain').toBe('failed')
      }
      // the fault answers once per world: only the real-SDK check sees (and asserts) that first failure
      return { provider: () => sanitized(failFirst().then(() => provider())), chainproofTarget: () => provider().then(() => provider, () => provider) }
    }
    return { provider: () => sanitized(provider()), chainproofTarget: () => provider }
  }
  if (target.kind === 'fromIni') {
    const provider = fromIni(target.profile ? { profile: target.profile } : {})
    return { provider: () => sanitized(provider()), chainproofTarget: () => provider }
  }
  const credentials = target.credentials === undefined ? undefined : fromIni(target.credentials === 'fromIni' ? {} : target.credentials.fromIni)
  const client = new STSClient({ ...(target.region ? { region: target.region } : {}), ...(target.profile ? { profile: target.profile } : {}), ...(credentials ? { credentials } : {}) })
  const provider = async () => {
    if (target.send) await client.send(new GetCallerIdentityCommand({}))
    return (await client.config.credentials()) as Credentials
  }
  // chainproof gets the client itself, after the spec's call (if that call fails, chainproof must see it fail too)
  return { provider: () => sanitized(provider()), chainproofTarget: () => sanitized(provider()).then(() => client, () => client) }
}

/**
 * An SDK error reduced to its name and message: a service error carries the raw HTTP response
 * (headers with x-amz-security-token), which a test runner would otherwise serialise into its log.
 */
function sanitized<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    const e = error as Error
    throw Object.assign(new Error(`${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`), { tryNextLink: (e as { tryNextLink?: boolean })?.tryNextLink })
  })
}

/** The source the SDK's own `$source` codes name (REFERENCE.md's table); undefined when it sets none (IMDS). */
function sourceOfCodes(codes: Record<string, string> = {}): Source | undefined {
  const set = new Set(Object.values(codes))
  if (set.has('h') || set.has('q')) return 'webIdentity'
  if (set.has('r') || set.has('s') || set.has('t') || set.has('u')) return 'sso'
  if (set.has('v') || set.has('w')) return 'process'
  if (set.has('n') || set.has('o') || set.has('p')) return 'profile'
  if (set.has('AC') || set.has('AD')) return 'login'
  if (set.has('g')) return 'env'
  if (set.has('k')) return 'webIdentity'
  if (set.has('z')) return 'container'
  return undefined
}

/** The very module instance the SDK's SSO provider requires for its GetRoleCredentials client. */
const nestedSso = createRequire(import.meta.url)('@aws-sdk/nested-clients/sso') as { SSOClient: { prototype: { send(...args: unknown[]): Promise<unknown> } } }

/** Runs `run` and returns the regions the SDK's SSO clients were configured for meanwhile. */
async function ssoClientRegions<T>(run: () => Promise<T>): Promise<{ result: T; regions: string[] }> {
  const regions: string[] = []
  const send = nestedSso.SSOClient.prototype.send
  const spy = vi.spyOn(nestedSso.SSOClient.prototype, 'send').mockImplementation(async function (this: { config: { region(): Promise<string> } }, ...args: unknown[]) {
    regions.push(await this.config.region())
    return send.apply(this, args)
  })
  try {
    return { result: await run(), regions }
  } finally {
    spy.mockRestore()
  }
}

const ASSUMPTIONS = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity'])

async function withWorld(spec: ConformanceCase['world'], run: (world: CredentialWorld) => Promise<void>): Promise<void> {
  const world = await createCredentialWorld(spec)
  try {
    await run(world)
    expect(world.blockedConnections).toEqual([])
  } finally {
    await world.dispose()
  }
}

/** (a) The real SDK, resolved inside the world, against the spec's expectation. */
export async function checkRealSdk(c: ConformanceCase): Promise<void> {
  await withWorld(c.world, async (world) => {
    const { provider } = buildTarget(c.target)
    const want = c.expect
    if ('fails' in want) {
      const error = await provider().then(() => undefined, (e: unknown) => e as Error)
      expect(error, 'the SDK resolved credentials').toBeInstanceOf(Error)
      expect(error!.message).toMatch(want.fails)
      if (want.stops) expect(error!.message).not.toMatch('Could not load credentials from any providers')
      if (want.unreached) expect(world.requests.filter((r) => r.server === (want.unreached === 'instanceProfile' ? 'imds' : 'container'))).toEqual([])
      return
    }
    const { result: credentials, regions: ssoRegions } = await ssoClientRegions(provider)
    if (want.ssoRegion !== undefined) expect([...new Set(ssoRegions)]).toEqual([want.ssoRegion])
    const identity = world.identityOf(credentials.accessKeyId)
    // which mechanism: the SDK's own codes where it sets them, else the key the world handed out
    expect(sourceOfCodes(credentials.$source) ?? identity?.source).toBe(want.source)
    // the spec's codes, all of them (newer SDKs add RESOLVED_ACCOUNT_ID beside them)
    if (want.codes) expect(credentials.$source).toMatchObject(want.codes)
    if (want.role !== undefined) expect(identity?.role).toBe(want.role)
    if (want.principal) expect(identity?.principal).toMatch(want.principal)
    const assumptions = world.requests.filter((r) => r.server === 'sts' && r.action !== undefined && ASSUMPTIONS.has(r.action))
    if (want.assumptions !== undefined) expect(assumptions.length).toBe(want.assumptions)
    if (want.stsRegion !== undefined) {
      const signed = assumptions.filter((r) => r.action === 'AssumeRole')
      expect(signed.length).toBeGreaterThan(0)
      expect([...new Set(signed.map((r) => r.region))]).toEqual([want.stsRegion])
    }
    if (want.untouched) expect(world.requests.filter((r) => r.server === want.untouched)).toEqual([])
    if (want.signedRegion !== undefined) {
      const own = world.requests.filter((r) => r.action === 'GetCallerIdentity')
      expect(own.length).toBeGreaterThan(0)
      expect([...new Set(own.map((r) => r.region))]).toEqual([want.signedRegion])
    }
    if (want.credentials?.sessionToken !== undefined) expect(credentials.sessionToken !== undefined).toBe(want.credentials.sessionToken)
    if (want.credentials?.expiration !== undefined) expect(credentials.expiration?.toISOString()).toBe(want.credentials.expiration)
    if (want.credentials?.accountId !== undefined) expect(credentials.accountId ?? null).toBe(want.credentials.accountId)
  })
}

function expectLinks(report: ChainReport, links: Partial<Record<Source, string>> | undefined, reasons: Partial<Record<Source, RegExp>> | undefined): void {
  if (links) expect(Object.fromEntries(report.links.filter((l) => l.source in links).map((l) => [l.source, l.status]))).toEqual(links)
  for (const [source, reason] of Object.entries(reasons ?? {})) expect(report.links.find((l) => l.source === source)?.reason, `the report's ${source} link`).toMatch(reason)
}

/** (b) chainproof's verdicts — resolution, matchers, report — against the spec's expectation. */
export async function checkChainproof(c: ConformanceCase): Promise<void> {
  await withWorld(c.world, async (world) => {
    const want = c.expect
    const target = () => buildTarget(c.target).chainproofTarget()
    if ('fails' in want) {
      await expect(target()).toFailToResolveCredentials(want.fails)
      const error = (await resolveCredentials(target()).then(() => undefined, (e: unknown) => e)) as (Error & { report?: ChainReport }) | undefined
      expect(error).toBeInstanceOf(Error)
      expect(error!.report, 'the failure carries a chain report').toBeDefined()
      expect(error!.report!.winner).toBeUndefined()
      // a stop: the report shows every link after the failing one as never reached
      expectLinks(error!.report!, want.links, want.reasons)
      if (want.unreached) expect(error!.report!.links.find((l) => l.source === want.unreached)?.status).toBe('unreached')
      return
    }
    const resolution = await resolveCredentials(target())
    expect({ source: resolution.source, profile: resolution.profile, winner: resolution.report.winner }).toEqual({
      source: want.source,
      profile: want.profile,
      winner: want.source,
    })
    expect(resolution.disagreements ?? []).toEqual([])
    expectLinks(resolution.report, want.links, want.reasons)
    const shadowed = Object.entries(want.links ?? {}).filter(([, status]) => status === 'shadowed').map(([source]) => source as Source)
    if (shadowed.length > 0) await expect(target()).toShadowCredentialsFrom(shadowed)
    await expect(target()).toResolveCredentialsFrom(want.source, want.profile === undefined ? undefined : { profile: want.profile })
    if (want.role !== undefined) {
      expect(resolution.role).toBe(want.role)
      await expect(target()).toResolveToRole(want.role)
    }
    if (want.principal) expect(resolution.principal).toMatch(want.principal)
    if (want.signedRegion !== undefined) await expect(world).toHaveReceivedRequestsSignedBy({ source: want.source, region: want.signedRegion })
    if (want.stsRegion !== undefined) {
      // every AssumeRole the SDK's inner STS client signed, and only those, for the spec's region
      expect(world.requests.some((r) => r.action === 'AssumeRole')).toBe(true)
      const regions = new Set(world.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.region))
      expect([...regions]).toEqual([want.stsRegion])
      const signer = world.requests.find((r) => r.action === 'AssumeRole')!
      await expect(world).toHaveReceivedRequestsSignedBy({ ...(signer.source ? { source: signer.source } : {}), region: want.stsRegion })
    }
  })
}
