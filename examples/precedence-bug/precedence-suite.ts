/**
 * The precedence bug, end to end, written once and run by Vitest (precedence.test.ts) and
 * Jest (precedence.jest.test.ts). The instance role `web` is allowed to read invoices; the
 * CI user's keys that someone left in the environment are not. Those keys win.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { S3Client } from '@aws-sdk/client-s3'
import { createRequire } from 'node:module'

interface Service {
  fetchInvoice(client?: S3Client): Promise<string>
  databaseAuthToken(): Promise<string>
}

/** The service is plain CommonJS, as many are; both runners load it the same way. */
function loadService(dirname: string): Service {
  const load = createRequire(join(dirname, 'precedence-suite.ts'))
  return { ...load('./invoice-service.cjs'), ...load('./db-login.cjs') } as Service
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Runner {
  describe(name: string, fn: () => void): void
  it(name: string, fn: () => Promise<void>, timeout?: number): void
  expect: any
  useCredentialWorld: (spec?: any) => any
  dirname: string
}

const run = promisify(execFile)

/** The machine: an EC2 instance whose role may read invoices, plus (in the bug) CI keys left in the environment. */
const gate = { allow: { web: ['s3:GetObject'] } }
const BUGGY_HOST = { env: { user: 'ci' }, instanceProfile: { role: 'web' }, gate }
const FIXED_HOST = { instanceProfile: { role: 'web' }, gate }

export function precedenceSuite({ describe, it, expect, useCredentialWorld, dirname }: Runner): void {
  const world = useCredentialWorld()
  const { fetchInvoice, databaseAuthToken } = loadService(dirname)

  /** Runs the service as its own Node process with nothing but the world's environment. */
  async function runServiceProcess(): Promise<{ ok: boolean; error?: string; status?: number }> {
    const result = await run(process.execPath, [join(dirname, 'invoice-service.cjs')], {
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...world.env },
      cwd: dirname,
    }).catch((failure: { stdout: string }) => failure)
    return JSON.parse(result.stdout.trim())
  }

  describe('the precedence bug: the instance role was fixed, yet AccessDenied', () => {
    it('(a) reproduces it: env keys win over the instance role, and the gate says AccessDenied', async () => {
      await world.set(BUGGY_HOST)
      await expect(fetchInvoice(new S3Client({}))).rejects.toMatchObject({ name: 'AccessDenied' })
      await expect(new S3Client({})).toResolveCredentialsFrom('env')
      await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
      await expect(world).toHaveReceivedRequestsSignedBy({ source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
      await expect(world).not.toHaveReceivedRequestsSignedBy({ role: 'web' })
    })

    it('(b) explains it: the report names the winning variables and how to fix them', async () => {
      await world.set(BUGGY_HOST)
      const report = await world.explain(new S3Client({}))
      expect(report.winner).toBe('env')
      expect(report.shadowed).toEqual(['instanceProfile'])
      expect(report.hints).toEqual([expect.stringContaining('To use instanceProfile instead of env: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')])
      expect(String(report)).toContain('the instance metadata service has role web')
    })

    it('(c) proves the fix: without the env keys the service runs as the instance role and succeeds', async () => {
      await world.set(FIXED_HOST)
      await expect(fetchInvoice(new S3Client({}))).resolves.toContain('invoice-0042.pdf')
      await expect(new S3Client({})).toResolveToRole('web')
      await expect(world).toHaveReceivedRequestsSignedBy({ source: 'instanceProfile', role: 'web' })
    })

    it('across a process boundary: the service in its own process fails under the bug and is seen signing with env keys', async () => {
      await world.set(BUGGY_HOST)
      expect(await runServiceProcess()).toEqual({ ok: false, error: 'AccessDenied', status: 403 })
      await expect(world).toHaveReceivedRequestsSignedBy('env')
      await expect(world).not.toHaveReceivedRequestsSignedBy('instanceProfile')
    }, 20_000)

    it('across a process boundary: after the fix the same process succeeds as the instance role', async () => {
      await world.set(FIXED_HOST)
      expect(await runServiceProcess()).toMatchObject({ ok: true })
      await expect(world).toHaveReceivedRequestsSignedBy({ source: 'instanceProfile', role: 'web' })
    }, 20_000)

    it('the RDS variant: the database login token is signed by whichever source wins', async () => {
      await world.set(BUGGY_HOST)
      await expect(databaseAuthToken()).toBeSignedBy('env')
      await expect(databaseAuthToken()).not.toBeSignedBy({ role: 'web' })
      await world.set(FIXED_HOST)
      await expect(databaseAuthToken()).toBeSignedBy({ source: 'instanceProfile', role: 'web' })
    })
  })
}
