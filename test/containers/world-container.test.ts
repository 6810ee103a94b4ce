/**
 * The container-backed world, end to end: `chainproof serve` from this package's
 * dist/world-server.cjs (one self-contained file) runs in a locally built image (FROM scratch
 * with this Node when no registry is reachable), and a
 * service under test — a tiny Node script using the SDK's default chain and S3 — runs in its
 * own container with the world's variables. The worlds' own records prove where it resolved
 * from. Needs a container engine: without one the suite is skipped with one printed reason,
 * unless CHAINPROOF_REQUIRE_DOCKER=1 makes that a failure.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Never let the engine try a registry pull from this suite (that would be traffic off this
// machine): build from the running Node binary. 'auto' is the product default, not the suite's.
process.env.CHAINPROOF_IMAGE_BASE ??= 'scratch'
import { GenericContainer, Network, Wait, getContainerRuntimeClient } from 'testcontainers'
import '../../src/vitest.js'
import {
  CredentialWorldContainer,
  buildNodeImage,
  containerEngine,
  type StartedCredentialWorldContainer,
} from '../../src/testcontainers.js'
import type { RecordedRequest } from '../../src/types.js'

// The reaper image cannot be pulled offline; every container here is stopped by the suite.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'

const engine = await containerEngine()
const required = process.env.CHAINPROOF_REQUIRE_DOCKER === '1'
if (!engine.available && !required) {
  console.warn(`chainproof: container tests skipped: ${engine.reason} (CHAINPROOF_REQUIRE_DOCKER=1 makes this a failure)`)
}

if (!engine.available && required) {
  it('has a container engine (CHAINPROOF_REQUIRE_DOCKER=1)', () => {
    throw new Error(`CHAINPROOF_REQUIRE_DOCKER=1 but ${engine.reason}`)
  })
}

const SERVICE = join(import.meta.dirname, 'fixtures', 'service.mjs')
const SECRET_LIKE = /"(SecretAccessKey|secretAccessKey|Token|sessionToken)"\s*:/

interface ServiceOutput {
  ok: boolean
  keyIdEnd?: string
  features?: Record<string, string>
  body?: string
  error?: string
}

async function linesOf(stream: Readable): Promise<string[]> {
  let text = ''
  for await (const chunk of stream) text += String(chunk)
  return text.split('\n').filter(Boolean)
}

/** Runs the service image in the world (its network, variables and HOME) until it exits. */
async function runServiceContainer(image: string, world: StartedCredentialWorldContainer, args: string[] = []): Promise<ServiceOutput> {
  const container = world.applyTo(new GenericContainer(image)).withCommand(args).withWaitStrategy(Wait.forOneShotStartup()).withStartupTimeout(60_000)
  const started = await container.start()
  try {
    const lines = await linesOf(await started.logs())
    const line = lines.find((l) => l.startsWith('{"ok"'))
    expect(line, `service output:\n${lines.join('\n')}`).toBeDefined()
    expect(lines.join('\n')).not.toMatch(SECRET_LIKE)
    return JSON.parse(line!) as ServiceOutput
  } finally {
    await started.stop({ remove: true })
  }
}

/** The host ports of a world's endpoints. */
function servePortsOf(world: StartedCredentialWorldContainer): number[] {
  return Object.values(world.endpoints).map((url) => Number(new URL(url).port))
}

function servers(requests: readonly RecordedRequest[]): string[] {
  return [...new Set(requests.map((r) => r.server))].sort()
}

describe.runIf(engine.available)('CredentialWorldContainer', () => {
  let serviceImage: string

  beforeAll(async () => {
    const [world, service] = await Promise.all([
      CredentialWorldContainer.buildImage(),
      buildNodeImage({ name: 'chainproof-test-service', entry: SERVICE, packages: ['@aws-sdk/client-s3', '@aws-sdk/credential-providers'] }),
    ])
    expect(world.image).toMatch(/^chainproof-world:[0-9a-f]{16}$/)
    serviceImage = service.image
  }, 300_000)

  it('builds the world image once per content: a second build is a cache hit with the same tag', async () => {
    const first = await CredentialWorldContainer.buildImage()
    const again = await CredentialWorldContainer.buildImage()
    expect(again.built).toBe(false)
    expect(again.image).toBe(first.image)
    // One self-contained file, every runtime dependency inlined at build time.
    expect(again.files).toBe(1)
    expect(again.packages.some((p) => p.startsWith('zod@'))).toBe(true)
    expect(again.packages.some((p) => p.startsWith('@smithy/signature-v4@'))).toBe(true)
    expect(again.packages.some((p) => p.startsWith('@aws-sdk/credential-provider-ini@'))).toBe(true)
  }, 120_000)

  it('the world image holds a Node runtime and dist/world-server.cjs only: no node_modules anywhere', async () => {
    await using world = await new CredentialWorldContainer({ instanceProfile: { role: 'web' } }).start()
    const listing = await world.container.exec(['/usr/local/bin/node', '-e', 'const fs = require("fs"); console.log(JSON.stringify({ app: fs.readdirSync("/app"), nm: ["/node_modules", "/app/node_modules"].some((d) => fs.existsSync(d)) }))'])
    expect(listing.exitCode).toBe(0)
    expect(JSON.parse(listing.output.trim().split('\n').pop()!)).toEqual({ app: ['world-server.cjs'], nm: false })
    const report = await world.explain()
    expect(report.winner).toBe('instanceProfile')
  }, 120_000)

  it('a package without dist/world-server.cjs (not built): the error names the file and what to do', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chainproof-unbuilt-'))
    try {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'chainproof', version: '0.0.0' }))
      const error = await CredentialWorldContainer.buildImage({ packageRoot: root }).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain(join(root, 'dist', 'world-server.cjs'))
      expect((error as Error).message).toMatch(/npm run build/)
      expect((error as Error).message).toMatch(/reinstall chainproof/)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('a service in its own container resolves from the containerised IMDS, and a second world beside it from the container endpoint', async () => {
    const allow = { allow: { web: ['s3:GetObject'], task: ['s3:GetObject'] } }
    // Two worlds at once, each on its own free block of loopback ports.
    const [imdsWorld, taskWorld] = await Promise.all([
      new CredentialWorldContainer({ instanceProfile: { role: 'web' }, gate: allow }).start(),
      new CredentialWorldContainer({ container: { role: 'task' }, instanceProfile: { role: 'web' }, gate: allow }).start(),
    ])
    try {
      expect(imdsWorld.portBase).not.toBe(taskWorld.portBase)
      expect(Math.abs(imdsWorld.portBase - taskWorld.portBase)).toBeGreaterThanOrEqual(6)
      for (const world of [imdsWorld, taskWorld]) {
        for (const url of Object.values(world.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect(world.env.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBe(`${world.endpoints.imds}/`)
        expect(world.env.AWS_ENDPOINT_URL).toBe(world.endpoints.gate)
      }
      expect(taskWorld.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(new RegExp(`^${taskWorld.endpoints.container}/`))
      expect(taskWorld.env.AWS_CONTAINER_AUTHORIZATION_TOKEN).toBeTruthy()

      const [fromImds, fromTask] = await Promise.all([runServiceContainer(serviceImage, imdsWorld), runServiceContainer(serviceImage, taskWorld)])
      expect(fromImds).toMatchObject({ ok: true, body: 'chainproof object s3://reports/daily.csv' })
      expect(fromTask).toMatchObject({ ok: true, body: 'chainproof object s3://reports/daily.csv', features: { CREDENTIALS_HTTP: 'z' } })

      // The worlds' own records: who was asked for credentials, and who signed the S3 call.
      const imdsRequests = await imdsWorld.requests()
      expect(servers(imdsRequests)).toEqual(['gate', 'imds'])
      expect(imdsRequests.find((r) => r.server === 'imds' && r.method === 'PUT')?.path).toBe('/latest/api/token')
      expect(imdsRequests.every((r) => r.at instanceof Date)).toBe(true)
      expect(imdsRequests.find((r) => r.server === 'gate')).toMatchObject({ status: 200, service: 's3', action: 'GetObject', source: 'instanceProfile' })
      expect(imdsRequests.find((r) => r.server === 'gate')?.accessKeyId?.endsWith(fromImds.keyIdEnd!)).toBe(true)
      await expect(imdsWorld).toHaveReceivedRequestsSignedBy('instanceProfile')
      await expect(imdsWorld).toHaveReceivedRequestsSignedBy({ role: 'web' })
      await expect(imdsWorld).not.toHaveReceivedRequestsSignedBy('container')

      const taskRequests = await taskWorld.requests()
      // Container variables set: the SDK never asks IMDS, though the world has an instance role.
      expect(servers(taskRequests)).toEqual(['container', 'gate'])
      await expect(taskWorld).toHaveReceivedRequestsSignedBy({ source: 'container', role: 'task' })
      await expect(taskWorld).not.toHaveReceivedRequestsSignedBy('instanceProfile')

      const report = await taskWorld.explain()
      expect(report.winner).toBe('container')
      expect(report.links.find((l) => l.source === 'container')?.status).toBe('won')
      expect(String(report)).toMatch(/winner: container/)
      expect(String(report)).not.toMatch(SECRET_LIKE)
    } finally {
      await Promise.all([imdsWorld.stop(), taskWorld.stop()])
    }
  }, 180_000)

  it('shares the world HOME with this machine: a process here resolves from its profile and the gate records the signer', async () => {
    await using world = await new CredentialWorldContainer({ profiles: { default: { user: 'ci' } }, gate: { allow: { ci: ['s3:GetObject'] } } }).start()
    expect(world.home).toBe(world.env.HOME)
    expect(world.home.startsWith(world.bindMounts[0]!.source)).toBe(true)
    expect(readFileSync(join(world.home, '.aws', 'credentials'), 'utf8')).toMatch(/\[default\]/)
    const { stdout } = await promisify(execFile)(process.execPath, [SERVICE, 'reports', 'from-host.csv'], { env: { PATH: process.env.PATH ?? '', ...world.env } })
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, features: { CREDENTIALS_PROFILE: 'n' } })
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', principal: 'arn:aws:iam::123456789012:user/ci' })
    const home = world.home
    await world.stop()
    await world.stop() // idempotent
    expect(existsSync(home)).toBe(false)
    await expect(world.requests()).rejects.toThrow(/stopped/)
  }, 120_000)

  it('a denied call is recorded with its signer, and the failure names who signed', async () => {
    await using world = await new CredentialWorldContainer({ instanceProfile: { role: 'web' }, gate: { allow: { other: ['s3:GetObject'] } } }).start()
    const out = await runServiceContainer(serviceImage, world)
    expect(out.ok).toBe(false)
    expect(out.error).toMatch(/AccessDenied/)
    const gate = (await world.requests()).find((r) => r.server === 'gate')
    expect(gate).toMatchObject({ status: 403, source: 'instanceProfile' })
    const failure = await expect(world).toHaveReceivedRequestsSignedBy('env').catch((error: Error) => error)
    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toMatch(/instanceProfile/)
    expect((failure as Error).message).not.toMatch(SECRET_LIKE)
  }, 120_000)

  it('reproduces the precedence bug in a container: env keys win over the instance role, and no secret is printed', async () => {
    await using world = await new CredentialWorldContainer({ env: { user: 'ci' }, instanceProfile: { role: 'web' }, gate: { allow: { web: ['s3:GetObject'] } } }).start()
    // The banner withholds secrets; the variables come from GET /env.
    const secret = world.env.AWS_SECRET_ACCESS_KEY
    expect(secret).toBeTruthy()
    const out = await runServiceContainer(serviceImage, world)
    expect(out.ok).toBe(false)
    expect(out.error).toMatch(/AccessDenied/)
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
    await expect(world).not.toHaveReceivedRequestsSignedBy('instanceProfile')
    const report = await world.explain()
    expect(report.winner).toBe('env')
    expect(report.shadowed).toContain('instanceProfile')
    expect(report.hints.join('\n')).toMatch(/unset AWS_ACCESS_KEY_ID/)
    for (const text of [...world.logs, String(report), JSON.stringify(await world.requests())]) expect(text).not.toContain(secret)
  }, 120_000)

  it('a port that is taken: the start fails with the container output, and nothing is left running', async () => {
    const busy = createServer()
    const base = 21_500
    await new Promise<void>((resolve) => busy.listen(base + 5, '127.0.0.1', resolve))
    try {
      const error = await new CredentialWorldContainer({}, { portBase: base, startupTimeoutMs: 30_000 }).start().catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toMatch(/did not start/)
      expect((error as Error).message).toMatch(/EADDRINUSE/)
    } finally {
      busy.close()
    }
  }, 60_000)

  it('with mapped ports: env and endpoints carry the ports published on 127.0.0.1, and a service joining the world container resolves from IMDS', async () => {
    const network = await new Network().start()
    try {
      await using world = await new CredentialWorldContainer(
        { instanceProfile: { role: 'web' }, gate: { allow: { web: ['s3:GetObject'] } } },
        { network: 'mapped', mappedNetwork: network.getName() },
      ).start()
      expect(world.portBase).toBe(7000)
      const published = servePortsOf(world)
      expect(published).not.toContain(7000)
      expect(world.containerEnv.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBe('http://127.0.0.1:7000/')
      expect(world.env.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBe(`${world.endpoints.imds}/`)
      expect(world.bindMounts).toEqual([])
      // From this machine, through the published port:
      const listing = await fetch(`${world.endpoints.imds}/latest/meta-data/iam/security-credentials/`)
      expect(await listing.text()).toBe('web')
      // From a service container in the world container's network namespace:
      const out = await runServiceContainer(serviceImage, world)
      expect(out).toMatchObject({ ok: true })
      await expect(world).toHaveReceivedRequestsSignedBy('instanceProfile')
    } finally {
      await network.stop()
    }
  }, 120_000)
})

afterAll(async () => {
  // Nothing this suite started may outlive it.
  if (!engine.available) return
  const client = await getContainerRuntimeClient()
  const left = await client.container.dockerode.listContainers({ all: true, filters: { label: [`org.chainproof.world.pid=${process.pid}`] } })
  expect(left.map((c) => c.Names.join(','))).toEqual([])
})
