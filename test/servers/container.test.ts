import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromHttp } from '@aws-sdk/credential-provider-http'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import { useFakeWorlds } from './fake-world.js'

const harness = useFakeWorlds()
const { attach } = harness

function pointAtContainer(world: FakeWorld, vars: Record<string, string> = {}): void {
  // RELATIVE_URI would win over FULL_URI and send the SDK to 169.254.170.2.
  delete process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
  process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${harness.servers.urls.container}${world.container!.path}`
  Object.assign(process.env, vars)
}

const TOKEN = 'Bearer chainproof-container-token'

describe('container endpoint with the real fromHttp', () => {
  it('resolves the task role with the Authorization token from AWS_CONTAINER_AUTHORIZATION_TOKEN', async () => {
    const world = attach({ container: { role: 'task', authToken: TOKEN } })
    pointAtContainer(world, { AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN })
    const credentials = await fromHttp({})()
    const issued = world.container!.credentials()
    expect(credentials.accessKeyId).toBe(issued.accessKeyId)
    expect(credentials.secretAccessKey).toBe(issued.secretAccessKey)
    expect(credentials.sessionToken).toBe(issued.sessionToken)
    expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now())
    expect(world.ledger.identityOf(credentials.accessKeyId)).toMatchObject({ source: 'container', role: 'task' })
    expect(world.requests).toEqual([expect.objectContaining({ server: 'container', method: 'GET', path: world.container!.path, status: 200 })])
  })

  it('reads the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', async () => {
    const world = attach({ container: { role: 'task', authToken: TOKEN } })
    const file = join(harness.env.home, 'token')
    writeFileSync(file, TOKEN)
    pointAtContainer(world, { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file })
    const credentials = await fromHttp({})()
    expect(credentials.accessKeyId).toBe(world.container!.credentials().accessKeyId)
  })

  it('needs no token when the world requires none', async () => {
    const world = attach({ container: { role: 'task' } })
    pointAtContainer(world)
    expect((await fromHttp({})()).accessKeyId).toBe(world.container!.credentials().accessKeyId)
  })

  it('fails when the token is wrong, and the SDK error carries the 403 but not the token', async () => {
    const world = attach({ container: { role: 'task', authToken: TOKEN } })
    pointAtContainer(world, { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer wrong' })
    const error = (await fromHttp({ maxRetries: 0 })().catch((e: unknown) => e)) as Error & { Code?: string }
    expect(error.message).toMatch(/status: 403/)
    expect(error.Code).toBe('AccessDenied')
    expect(JSON.stringify(error) + error.message).not.toContain('chainproof-container-token')
    expect(world.requests.map((r) => r.status)).toEqual([403])
  })
})

describe('container endpoint wire behaviour', () => {
  it('401 without Authorization, 403 with a wrong one (JSON error, no token echoed), 200 with the right one', async () => {
    const world = attach({ container: { role: 'task', authToken: TOKEN } })
    const url = `${harness.servers.urls.container}${world.container!.path}`
    const missing = await fetch(url)
    expect(missing.status).toBe(401)
    const wrong = await fetch(url, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(403)
    const body = await wrong.text()
    expect(JSON.parse(body)).toMatchObject({ Code: 'AccessDenied', Message: expect.any(String) })
    expect(body).not.toContain('nope')
    expect(body).not.toContain('chainproof-container-token')
    const ok = await fetch(url, { headers: { authorization: TOKEN } })
    expect(ok.status).toBe(200)
    const doc = (await ok.json()) as Record<string, string>
    const issued = world.container!.credentials()
    expect(doc).toEqual({
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      Token: issued.sessionToken,
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      AccountId: '123456789012',
      RoleArn: 'arn:aws:iam::123456789012:role/task',
    })
  })

  it('404 on another path, and 404 on every path when the world has no container', async () => {
    const world = attach({ container: { role: 'task' } })
    expect((await fetch(`${harness.servers.urls.container}/v2/credentials/someone-else`)).status).toBe(404)
    expect((await fetch(`${harness.servers.urls.container}${world.container!.path}`, { method: 'POST' })).status).toBe(404)
    harness.servers.detach(world)
    const bare = attach({})
    expect((await fetch(`${harness.servers.urls.container}${world.container!.path}`)).status).toBe(404)
    expect(bare.requests.map((r) => r.status)).toEqual([404])
  })
})
