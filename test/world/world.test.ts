import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { S3Client } from '@aws-sdk/client-s3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCredentialWorld, resolveCredentials } from '../../src/index.js'

const run = promisify(execFile)

describe('the sandbox', () => {
  let saved: NodeJS.ProcessEnv
  beforeEach(() => {
    saved = { ...process.env }
    // decoys a careless kit would pick up from the host
    const decoyHome = mkdtempSync(join(tmpdir(), 'chainproof-decoy-home-'))
    mkdirSync(join(decoyHome, '.aws'))
    writeFileSync(join(decoyHome, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIADECOYDECOYDECOY1\naws_secret_access_key = decoy\n')
    process.env.HOME = decoyHome
    process.env.AWS_ACCESS_KEY_ID = 'AKIADECOYDECOYDECOY2'
    process.env.AWS_SECRET_ACCESS_KEY = 'decoy'
    process.env.AWS_PROFILE = 'decoy'
    process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = '/decoy'
  })
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  })

  it('swaps process.env for the world and restores it exactly, idempotently', async () => {
    const before = { ...process.env }
    const world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    expect(process.env.AWS_ACCESS_KEY_ID).toBeUndefined()
    expect(process.env.AWS_PROFILE).toBeUndefined()
    expect(process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).toBeUndefined()
    expect(process.env.HOME).toBe(world.home)
    expect(process.env.USERPROFILE).toBe(world.home)
    for (const [name, value] of Object.entries(world.env)) expect(process.env[name]).toBe(value)
    expect(world.env).toMatchObject({
      HOME: world.home,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: world.endpoints.imds + '/',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_STS: world.endpoints.sts,
      AWS_ENDPOINT_URL_SSO: world.endpoints.sso,
    })
    for (const url of Object.values(world.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await world.dispose()
    expect({ ...process.env }).toEqual(before)
    expect(existsSync(world.home)).toBe(false)
    await world.dispose()
    expect({ ...process.env }).toEqual(before)
  })

  it('never resolves the host credentials (decoy env and decoy ~/.aws)', async () => {
    await using _world = await createCredentialWorld({})
    await expect(resolveCredentials(new S3Client({}))).rejects.toThrow('Could not load credentials from any providers')
  })

  it('uses a fresh HOME per world, so the SDK file cache never serves an old world', async () => {
    const first = await createCredentialWorld({ profiles: { default: { user: 'alice' } } })
    const a = await resolveCredentials(new S3Client({}))
    await first.dispose()
    await using second = await createCredentialWorld({ profiles: { default: { user: 'bob' } } })
    const b = await resolveCredentials(new S3Client({}))
    expect(second.home).not.toBe(first.home)
    expect(a.principal).toBe('arn:aws:iam::123456789012:user/alice')
    expect(b.principal).toBe('arn:aws:iam::123456789012:user/bob')
  })

  it('allows one world at a time and says where the active one was created', async () => {
    await using _world = await createCredentialWorld({})
    const error = await createCredentialWorld({}).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/A credential world is already active in this process \(created at .*world\.test\.ts:\d+/)
  })

  it('leaves nothing changed when a spec is invalid, and the next world still works', async () => {
    const before = { ...process.env }
    await expect(createCredentialWorld({ env: { user: 'bad name!' } } as never)).rejects.toThrow('Invalid WorldSpec:\n  - env')
    expect({ ...process.env }).toEqual(before)
    await using world = await createCredentialWorld({ env: { user: 'ci' } })
    expect(world.identityOf(process.env.AWS_ACCESS_KEY_ID!)?.principal).toBe('arn:aws:iam::123456789012:user/ci')
  })

  it('writes the generated shared files into the sandbox HOME', async () => {
    await using world = await createCredentialWorld({
      profiles: { default: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'default', region: 'eu-west-1' } },
      files: { config: '[profile extra]\nregion = ap-south-1\n' },
    })
    const config = readFileSync(join(world.home, '.aws', 'config'), 'utf8')
    expect(config).toContain('[profile deploy]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = default')
    expect(config).toContain('[profile extra]')
    expect(readFileSync(join(world.home, '.aws', 'credentials'), 'utf8')).toMatch(/^\[default\]\naws_access_key_id = AKIA/)
  })

  it('hands child processes everything they need in world.env', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    const script = `
      const { fromNodeProviderChain } = require('@aws-sdk/credential-providers')
      fromNodeProviderChain()().then((c) => console.log(c.accessKeyId), (e) => { console.error(e.message); process.exit(1) })`
    // the child inherits nothing but PATH and the world's variables
    const { stdout } = await run(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...world.env }, cwd: process.cwd() })
    expect(world.identityOf(stdout.trim())).toMatchObject({ source: 'instanceProfile', role: 'web' })
  })

  it('supports await using', async () => {
    let home: string
    {
      await using world = await createCredentialWorld({})
      home = world.home
      expect(existsSync(home)).toBe(true)
    }
    expect(existsSync(home)).toBe(false)
    expect(process.env.AWS_PROFILE).toBe('decoy')
  })
})

describe('where the active world was created', () => {
  it('names the useCredentialWorld() call when a hook made it', async () => {
    const { useCredentialWorld } = await import('../../src/runner/use-world.js')
    let before: (() => Promise<void>) | undefined
    let after: (() => Promise<void>) | undefined
    useCredentialWorld({}, { beforeEach: (fn) => (before = fn), afterEach: (fn) => (after = fn) })
    await before!()
    const error = await createCredentialWorld({}).catch((e: Error) => e)
    await after!()
    expect((error as Error).message).toMatch(/created at useCredentialWorld\(\) at .*world\.test\.ts:\d+:\d+\)/)
  })
})
