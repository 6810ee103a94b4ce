/**
 * Every credential fetch is recorded per source, failed attempts included, the chain report's own
 * probes not; toHaveFetchedCredentials counts them and says what it saw.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, type WorldSpec } from '../../src/index.js'
import { toHaveFetchedCredentials } from '../../src/matchers.js'
import '../../src/vitest.js'

const perSource: { source: string; spec: WorldSpec; what: string[]; profile?: string }[] = [
  { source: 'instanceProfile', spec: { instanceProfile: { role: 'web' } }, what: ['PUT /latest/api/token', 'GET /latest/meta-data/iam/security-credentials/', 'GET /latest/meta-data/iam/security-credentials/web'] },
  { source: 'container', spec: { container: { role: 'task' } }, what: [expect.stringMatching(/^GET \/v2\/credentials\//) as unknown as string] },
  { source: 'webIdentity', spec: { webIdentity: { role: 'pod' } }, what: ['AssumeRoleWithWebIdentity'] },
  { source: 'profile', profile: 'app', spec: { profile: 'app', profiles: { base: { user: 'ci' }, app: { role: 'deployer', sourceProfile: 'base' } } }, what: ['AssumeRole'] },
  { source: 'sso', profile: 'dev', spec: { profile: 'dev', profiles: { dev: { sso: { role: 'dev' } } } }, what: ['GetRoleCredentials'] },
  { source: 'process', profile: 'dev', spec: { profile: 'dev', profiles: { dev: { process: { role: 'dev' } } } }, what: ['credential_process'] },
  { source: 'process', profile: 'dev', spec: { profile: 'dev', profiles: { dev: { process: { role: 'dev', expiresIn: 3600 } } } }, what: [expect.stringMatching(/^GET \/chainproof\/credential-process\//) as unknown as string] },
]

describe('world.fetches', () => {
  it.each(perSource)('$source: each fetch is recorded once, with the key it handed out ($what)', async ({ source, spec, what, profile }) => {
    await using world = await createCredentialWorld(spec)
    const credentials = await fromNodeProviderChain()()
    const fetches = world.fetches
    expect(fetches.map((f) => f.what)).toEqual(what)
    const last = fetches.at(-1)!
    expect(last).toMatchObject({ source, step: 'credentials', accessKeyId: credentials.accessKeyId })
    if (profile !== undefined) expect(last.profile).toBe(profile)
    await expect(world).toHaveFetchedCredentials(source as never, { times: 1 })
  })

  it('login: a refresh through Signin is a fetch; reading the cache is not', async () => {
    await using world = await createCredentialWorld({ profile: 'dev', profiles: { dev: { login: { role: 'dev', expiresIn: 900 } } } })
    await fromIni({ profile: 'dev' })()
    await expect(world).toHaveFetchedCredentials('login', { times: 0 })
    await world.clock.advance(16 * 60_000)
    const refreshed = await fromIni({ profile: 'dev' })()
    expect(world.fetches).toMatchObject([{ source: 'login', profile: 'dev', what: 'CreateOAuth2Token', status: 200, accessKeyId: refreshed.accessKeyId }])
  })

  it("the chain report's probes are not counted (a plain credential_process run by the probe neither)", async () => {
    await using world = await createCredentialWorld({ profile: 'dev', instanceProfile: { role: 'web' }, profiles: { dev: { process: { role: 'dev' } } } })
    const sts = new STSClient({})
    await sts.send(new GetCallerIdentityCommand({}))
    await world.explain(sts)
    await world.explain()
    await expect(world).toHaveFetchedCredentials('process', { times: 1 })
    await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 0 })
  })

  it('failed attempts count, with their status', async () => {
    await using world = await createCredentialWorld({ container: { role: 'task' }, faults: [{ target: 'container', kind: 'status', status: 503, times: 2 }] })
    await fromNodeProviderChain()()
    expect(world.fetches.map((f) => f.status)).toEqual([503, 503, 200])
    await expect(world).toHaveFetchedCredentials('container', { times: 3 })
    await expect(world).toHaveFetchedCredentials('container', { atMost: 3 })
    await expect(world).not.toHaveFetchedCredentials('container', { atMost: 2 })
  })
})

describe("the report's fetch summary", () => {
  // the report's hint reads counts the world keeps as requests arrive: they must be what grouping world.fetches gives
  const grouped = (world: { fetches: readonly { source: string; profile?: string; step: string; status: number }[] }) => {
    const groups = new Map<string, { n: number; failed: number; token: number; role: number }>()
    for (const f of world.fetches) {
      const key = f.profile !== undefined ? `${f.source} (${f.profile})` : f.source
      const g = groups.get(key) ?? { n: 0, failed: 0, token: 0, role: 0 }
      if (f.step === 'credentials') {
        g.n++
        if (f.status >= 300) g.failed++
      } else g[f.step as 'token' | 'role']++
      groups.set(key, g)
    }
    return [...groups]
  }
  const counted = (world: object) => [...(world as { fetchGroups(): Map<string, unknown> }).fetchGroups()]

  it.each(perSource)('$source: the counted groups are the grouped fetches, after repeats', async ({ spec }) => {
    await using world = await createCredentialWorld(spec)
    for (let i = 0; i < 3; i++) await fromNodeProviderChain()()
    await world.explain()
    expect(counted(world)).toEqual(grouped(world))
    expect(counted(world)[0]![1]).toMatchObject({ n: 3 })
  })

  it('several sources in order of first fetch, failed fetches and a plain credential_process run besides', async () => {
    await using world = await createCredentialWorld({
      instanceProfile: { role: 'web' },
      container: { role: 'task' },
      profiles: { dev: { process: { role: 'dev' } }, app: { role: 'deployer', sourceProfile: 'base' }, base: { user: 'ci' } },
      faults: [{ target: 'container', kind: 'status', status: 503, times: 1 }],
    })
    await fromNodeProviderChain()().catch(() => undefined)
    await fromNodeProviderChain()()
    await fromIni({ profile: 'dev' })()
    await fromIni({ profile: 'app' })()
    await fromIni({ profile: 'dev' })()
    const groups = counted(world)
    expect(groups).toEqual(grouped(world))
    // a plain script's run is dated when the world first sees it (it cannot read the world's clock): here, after profile app's
    expect(groups.map(([key]) => key).sort()).toEqual(['container', 'process (dev)', 'profile (app)'])
    const hints = (await world.explain()).hints.join('\n')
    for (const part of [`container ×${(groups[0]![1] as { n: number }).n} (1 failed)`, 'process (dev) ×2', 'profile (app) ×1']) expect(hints).toContain(part)
  })
})

describe('toHaveFetchedCredentials', () => {
  it('fails with the count, the steps besides and each fetch (key ids masked), in the world\'s time', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const clients = [new STSClient({}), new STSClient({}), new STSClient({})]
    for (const c of clients) await c.config.credentials()
    const error = await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 1 }).then(() => undefined, (e: Error) => e)
    const message = error!.message.replace(/\x1b\[\d+m/g, '')
    expect(message).toContain('expect(world).toHaveFetchedCredentials(source, options)')
    expect(message).toContain('Expected: "1 fetch" of instanceProfile credentials')
    expect(message).toContain('Received: "3 fetches" (3 token PUTs besides; 3 role-name GETs besides)')
    expect(message).toContain("Fetches of instanceProfile (the world's clock):")
    expect(message).toMatch(/\d\d:\d\d:\d\d\.\d{3} {2}instanceProfile {2}GET \/latest\/meta-data\/iam\/security-credentials\/web {2}200 {2}\*+[A-Z2-7]{4}/)
    for (const id of world.generations().map((g) => g.accessKeyId)) expect(message).not.toContain(id)
  })

  it('names the other sources that fetched, and hints when nothing did', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    await fromNodeProviderChain()()
    const error = await expect(world).toHaveFetchedCredentials('instanceProfile').then(() => undefined, (e: Error) => e)
    const message = error!.message.replace(/\x1b\[\d+m/g, '')
    expect(message).toContain('Expected: "at least 1 fetch" of instanceProfile credentials')
    expect(message).toContain('Received: "0 fetches"')
    expect(message).toContain('Nothing fetched them: the client may hold credentials it fetched earlier')
  })

  it('refuses bad options and a received value that is no world', async () => {
    await using world = await createCredentialWorld({})
    await expect(expect(world).toHaveFetchedCredentials('instanceProfile', { times: 1, atMost: 2 })).rejects.toThrow('give times or atMost, not both')
    await expect(expect(world).toHaveFetchedCredentials('instanceProfile', { times: -1 })).rejects.toThrow('options.times must be a whole number, 0 or more')
    await expect(expect(world).toHaveFetchedCredentials('instanceProfile', { time: 1 } as never)).rejects.toThrow('unknown option "time": options are times, atMost and profile')
    await expect(expect(world).toHaveFetchedCredentials('instanceProfle' as never)).rejects.toThrow(/instanceProfle/)
    await expect(expect(new STSClient({})).toHaveFetchedCredentials('instanceProfile')).rejects.toThrow('received value must be a credential world')
  })

  it('is a plain function for expect.extend by hand', () => {
    expect(typeof toHaveFetchedCredentials).toBe('function')
  })
})
