/**
 * toRefreshCredentialsFrom: the same client, past its refresh window (simulated), gets fresh
 * credentials from the source — with the SDK's own background refresh, as it really happens.
 */
import { S3Client } from '@aws-sdk/client-s3'
import { STSClient } from '@aws-sdk/client-sts'
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, type WorldSpec } from '../../src/index.js'
import '../../src/vitest.js'

const refreshing: { source: string; spec: WorldSpec; client?: () => unknown }[] = [
  { source: 'instanceProfile', spec: { instanceProfile: { role: 'web' } } },
  { source: 'container', spec: { container: { role: 'task', expiresIn: 900 } } },
  { source: 'webIdentity', spec: { webIdentity: { role: 'pod', expiresIn: 900 } } },
  { source: 'profile', spec: { profile: 'app', profiles: { base: { user: 'ci' }, app: { role: 'deployer', sourceProfile: 'base', expiresIn: 1800 } } } },
  { source: 'sso', spec: { profile: 'dev', profiles: { dev: { sso: { role: 'dev', expiresIn: 3600 } } } } },
  { source: 'login', spec: { profile: 'dev', profiles: { dev: { login: { role: 'dev', expiresIn: 900 } } } }, client: () => new S3Client({ credentials: fromIni({ profile: 'dev' }) }) },
  { source: 'process', spec: { profile: 'dev', profiles: { dev: { process: { role: 'dev', expiresIn: 900 } } } } },
]

describe('toRefreshCredentialsFrom', () => {
  it.each(refreshing)('$source: the same client gets a new generation after the window', async ({ source, spec, client }) => {
    const real = performance.now()
    await using world = await createCredentialWorld(spec)
    const s3 = client ? client() : new S3Client({})
    await expect(s3).toRefreshCredentialsFrom(source as never)
    const gens = world.generations(source as never)
    expect(gens.length).toBeGreaterThanOrEqual(2)
    expect(world.clock.offset).toBeGreaterThan(10 * 60_000)
    expect(performance.now() - real).toBeLessThan(3_000)
  })

  it("fails for keys that never expire, saying why", async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const error = await expect(new S3Client({})).toRefreshCredentialsFrom('env').then(() => undefined, (e: Error) => e)
    const message = error!.message.replace(/\x1b\[\d+m/g, '')
    expect(message).toContain('expect(client).toRefreshCredentialsFrom(source)')
    expect(message).toContain('Expected: fresh credentials from "env" after the refresh window')
    expect(message).toContain('Received: "credentials that never expire (env): the SDK never refreshes them"')
    expect(world.clock.offset).toBe(0)
  })

  it('fails for a credential_process that prints the same credentials every run, showing every generation seen and its expiry', async () => {
    await using world = await createCredentialWorld({ profile: 'dev', profiles: { dev: { process: { role: 'dev' } } } })
    const error = await expect(new S3Client({})).toRefreshCredentialsFrom('process').then(() => undefined, (e: Error) => e)
    const message = error!.message.replace(/\x1b\[\d+m/g, '')
    expect(message).toContain('Received: "the same credentials 9 times after the clock moved into the refresh window"')
    expect(message).toMatch(/Clock: +moved from \S+ to \S+ \(4 minutes before the first credentials expire; the SDK refreshes within 5\)/)
    expect(message).toMatch(/Generations seen \(the world's clock, key ids masked\):\n {2}\S+ {2}\*+[A-Z2-7]{4} {2}process \(dev\), generation 1, expires \S+\n/)
    expect(message).toContain('— the same credentials')
    expect(message).toContain('Credential chain (js-v3')
    for (const g of world.generations()) expect(message).not.toContain(g.accessKeyId)
  })

  it('fails when fresh credentials come from another source, and passes under .not', async () => {
    // fromTemporaryCredentials in code: fresh sessions, but of source "code"
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    const sts = new STSClient({ credentials: fromTemporaryCredentials({ params: { RoleArn: 'arn:aws:iam::123456789012:role/app', DurationSeconds: 900 } }) })
    await expect(sts).not.toRefreshCredentialsFrom('env')
    const error = await expect(sts).toRefreshCredentialsFrom('env').then(() => undefined, (e: Error) => e)
    expect(error!.message.replace(/\x1b\[\d+m/g, '')).toContain('Received: "fresh credentials, but from code"')
    expect(world.generations('code').length).toBeGreaterThanOrEqual(2)
  })

  it('refuses a credentials object and a world-less call', async () => {
    await expect(expect({ accessKeyId: 'AKIAX', secretAccessKey: 'x' }).toRefreshCredentialsFrom('env')).rejects.toThrow('needs an active credential world')
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    void world
    await expect(expect({ accessKeyId: 'AKIAX', secretAccessKey: 'x' }).toRefreshCredentialsFrom('env')).rejects.toThrow('received a credentials object: nothing can refresh it')
  })
})
