/**
 * The SDK's own hard-coded addresses, reached safely: `container.uri: 'relative'` and
 * `instanceProfile.endpoint: 'linkLocal'` leave the variables that point the SDK at loopback
 * unset, so the real SDK connects to 169.254.170.2 / 169.254.169.254 — and the in-process guard
 * routes those connections to the world's loopback servers before any packet leaves, counting
 * each. Child processes, which the guard cannot route, get loopback variables in `world.env`.
 * A container URL the SDK itself refuses is expressible and never contacted.
 */
import { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld, resolveCredentials } from '../../src/index.js'
import '../../src/vitest.js'
import { resetBlockedConnections } from '../../src/world/guard.js'
import { modelActiveWorld } from '../../src/probe/probe.js'
import type { ChainReport } from '../../src/types.js'
import { linkOf, realChain, trafficOf } from '../faults/support.js'

const verdict = (r: ChainReport) => r.links.map((l) => `${l.source}:${l.status}`).join(' ')
async function expectModelAgrees(report: ChainReport): Promise<void> {
  const model = await modelActiveWorld()
  expect(verdict(model)).toBe(verdict(report))
  expect(model.winner).toBe(report.winner)
}

describe("container.uri: 'relative'", () => {
  it('resolves as the container role through the real SDK, with no connection refused', async () => {
    await using w = await createCredentialWorld({ container: { role: 'task', uri: 'relative' }, instanceProfile: { role: 'web' } })
    expect(process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).toMatch(/^\/v2\/credentials\//)
    expect(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBeUndefined()
    // children cannot be routed in-process: world.env points them at loopback instead
    expect(w.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).toBeUndefined()
    expect(w.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(`${w.endpoints.container}${process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}`)
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'container' })
    expect(w.routedConnections.length).toBeGreaterThanOrEqual(1)
    expect(w.routedConnections.every((c) => c.from === '169.254.170.2:80' && c.to === `127.0.0.1:${new URL(w.endpoints.container).port}`)).toBe(true)
    expect(w.blockedConnections).toEqual([])
    expect(trafficOf(w, 'container')[0]).toBe('GET /v2/credentials/TASK 200')
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'container', role: 'task' })
    expect(linkOf(r.report, 'container').reason).toContain('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set (169.254.170.2/v2/credentials/')
    expect(linkOf(r.report, 'instanceProfile').status).toBe('shadowed')
    await expectModelAgrees(r.report)
  })
})

describe("instanceProfile.endpoint: 'linkLocal'", () => {
  it('the SDK asks its default http://169.254.169.254; the guard routes it to the loopback IMDS', async () => {
    await using w = await createCredentialWorld({ instanceProfile: { role: 'web', endpoint: 'linkLocal' } })
    expect(process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBeUndefined()
    expect(w.env.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBe(w.endpoints.imds + '/')
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: true, source: 'instanceProfile' })
    // the token PUT, the role listing and the credentials GET: each a connection to 169.254.169.254:80
    expect(w.routedConnections.length).toBeGreaterThanOrEqual(1)
    expect(new Set(w.routedConnections.map((c) => c.from))).toEqual(new Set(['169.254.169.254:80']))
    expect(w.blockedConnections).toEqual([])
    const r = await resolveCredentials(new S3Client({}))
    expect(r).toMatchObject({ source: 'instanceProfile', role: 'web' })
    await expectModelAgrees(r.report)
  })

  it('after dispose nothing is routed: a later world without linkLocal refuses 169.254.169.254, counts it, and routes nothing', async () => {
    {
      await using _w = await createCredentialWorld({ instanceProfile: { role: 'web', endpoint: 'linkLocal' } })
    }
    await using w = await createCredentialWorld({ vars: { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' } })
    const refused = await fetch('http://169.254.169.254/latest/meta-data/').then(
      () => 'connected',
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    )
    expect(refused).toBe('ECHAINPROOFGUARD')
    expect(w.routedConnections).toEqual([])
    expect(w.blockedConnections.map((b) => b.host)).toEqual(['169.254.169.254'])
    resetBlockedConnections() // refused on purpose: the suite's own check is for accidents
  })
})

describe('a container URL the SDK refuses', () => {
  it('is expressible, never contacted, and stops the chain in the SDK\'s words (model and probe agree)', async () => {
    await using w = await createCredentialWorld({ vars: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://192.168.1.1/endpoint' }, instanceProfile: { role: 'web' } })
    const result = await realChain(w)
    expect(result).toMatchObject({ ok: false })
    expect((result as { error: Error }).error.message).toBe('Could not load credentials from any providers')
    expect(w.blockedConnections).toEqual([])
    expect(trafficOf(w, 'imds')).toEqual([])
    const report = await w.explain()
    expect(linkOf(report, 'container')).toMatchObject({ status: 'failed' })
    expect(linkOf(report, 'container').reason).toContain('the SDK refuses AWS_CONTAINER_CREDENTIALS_FULL_URI=http://192.168.1.1/endpoint without contacting it (fromHttp: "URL not accepted. It must either be HTTPS')
    await expectModelAgrees(report)
    await expect(new S3Client({})).toFailToResolveCredentials(/Could not load credentials from any providers/)
  })

  it('a URL the SDK would contact (https to anywhere) is still refused by the spec', async () => {
    await expect(createCredentialWorld({ vars: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://192.168.1.1/endpoint' } })).rejects.toThrow(/is not a loopback URL/)
  })
})
