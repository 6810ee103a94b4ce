/**
 * Credentials over time, written once and run by Vitest (over-time.test.ts) and Jest
 * (over-time.jest.test.ts). Each test simulates more than an hour of the service's life in well
 * under a second: the world's clock, or the runner's own fake Date, moves time for the SDK and
 * the world's servers alike.
 */
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { handlers, readPart, uploadInParts } from './uploader'

const MINUTE = 60_000

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Runner {
  describe(name: string, fn: () => void): void
  it(name: string, fn: () => Promise<void>, timeout?: number): void
  expect: any
  useCredentialWorld: (spec?: any) => any
  /** The runner's fake timers, with only Date faked: install, move by ms, uninstall. */
  fakeDate: { install(): void; advance(ms: number): void; uninstall(): void }
}

export function overTimeSuite({ describe, it, expect, useCredentialWorld, fakeDate }: Runner): void {
  const world = useCredentialWorld()

  describe('credentials over time', () => {
    it('a long upload outlives its first credentials and succeeds: 8 parts, 10 minutes apart, one client', async () => {
      // the pod's web identity sessions last 15 minutes; the upload takes 80
      await world.set({ webIdentity: { role: 'uploader', expiresIn: 900 }, gate: { allow: { uploader: ['s3:PutObject', 's3:GetObject'] } } })
      const s3 = new S3Client({})
      const parts = Array.from({ length: 8 }, (_, i) => `part ${i + 1} of the nightly export`)
      const started = world.clock.now()
      await uploadInParts(s3, { bucket: 'exports', key: 'nightly.csv', parts, between: () => world.clock.advance(10 * MINUTE) })
      expect(world.clock.now().getTime() - started.getTime()).toBeGreaterThanOrEqual(80 * MINUTE)
      expect(await readPart(s3, 'exports', 'nightly.csv', 8)).toBe('part 8 of the nightly export')

      // every part was signed by a live session of the role; the client refreshed under the upload
      const puts = world.requests.filter((r: any) => r.server === 'gate' && r.action === 'PutObject')
      expect(puts.map((r: any) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200])
      const signers = new Set(puts.map((r: any) => r.accessKeyId))
      expect(signers.size).toBeGreaterThan(3)
      for (const id of signers) expect(world.identityOf(id)).toMatchObject({ source: 'webIdentity', role: 'uploader' })
      await expect(world).toHaveReceivedRequestsSignedBy({ source: 'webIdentity', role: 'uploader' })
      // each part comes 10 minutes on, when the session has 5 minutes left — inside the SDK's refresh
      // window — so each starts a background refresh: one AssumeRoleWithWebIdentity per part, plus the first
      await expect(world).toHaveFetchedCredentials('webIdentity', { times: 9 })
      await expect(s3).toRefreshCredentialsFrom('webIdentity')
    })

    it("fifty clients in one service: fifty IMDS fetches — and one with a shared provider (the runner's fake Date)", async () => {
      fakeDate.install()
      try {
        await world.set({ instanceProfile: { role: 'web' } })
        const clients = handlers(50, () => new S3Client({}))
        await Promise.all(clients.map((client) => client.config.credentials()))
        await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 50 })
        expect(world.fetches.filter((f: any) => f.step === 'token')).toHaveLength(50)

        // an hour later (past expiry, so no background refresh: each waits for its own fetch)
        fakeDate.advance(61 * MINUTE)
        await Promise.all(clients.map((client) => client.config.credentials()))
        await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 100 })

        // the same service with one provider shared by every client
        await world.set({ instanceProfile: { role: 'web' } })
        const shared = fromNodeProviderChain()
        const sharing = handlers(50, () => new S3Client({ credentials: shared }))
        await Promise.all(sharing.map((client) => client.config.credentials()))
        await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 1 })
        fakeDate.advance(61 * MINUTE)
        await Promise.all(sharing.map((client) => client.config.credentials()))
        await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })
      } finally {
        fakeDate.uninstall()
      }
    })

    it('the memoization surprise: a client created before world.rotate keeps the old keys until they near expiry', async () => {
      await world.set({ instanceProfile: { role: 'web', expiresIn: 3600 } })
      const early = new S3Client({})
      const old = await early.config.credentials()
      await world.rotate('instanceProfile')

      const late = new S3Client({})
      const fresh = await late.config.credentials()
      expect(world.identityOf(old.accessKeyId)).toMatchObject({ generation: 1 })
      expect(world.identityOf(fresh.accessKeyId)).toMatchObject({ generation: 2 })
      // 40 minutes on, the early client still signs with generation 1 (and AWS still honours it)
      await world.clock.advance(40 * MINUTE)
      expect((await early.config.credentials()).accessKeyId).toBe(old.accessKeyId)
      await expect(world).toHaveFetchedCredentials('instanceProfile', { times: 2 })

      // once generation 1 is inside its refresh window, the early client moves on by itself
      await expect(early).toRefreshCredentialsFrom('instanceProfile')
      // past generation 1's expiry: both clients sign with live credentials of the instance role
      await world.clock.advance(10 * MINUTE)
      expect(world.clock.now().getTime()).toBeGreaterThan(old.expiration!.getTime())
      await early.send(new HeadBucketCommand({ Bucket: 'exports' }))
      await late.send(new HeadBucketCommand({ Bucket: 'exports' }))
      const heads = world.requests.filter((r: any) => r.action === 'HeadBucket')
      expect(heads.map((r: any) => world.identityOf(r.accessKeyId)?.generation).every((g: number) => g >= 2)).toBe(true)
    })
  })
}
