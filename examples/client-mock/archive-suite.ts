/**
 * The archiver's unit suite, written once and run by Vitest (archive.test.ts) and Jest
 * (archive.jest.test.ts). S3 is stubbed with aws-sdk-client-mock, as the team always did;
 * `withCredentialResolution` makes every stubbed call resolve credentials in a chainproof world
 * first, so the suite also sees who the calls run as — which a plain mock never shows.
 */
import { CopyObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { withCredentialResolution } from 'chainproof/client-mock'
import { archiveInvoice, createArchiveClient } from './archive.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Runner {
  describe(name: string, fn: () => void): void
  it(name: string, fn: () => Promise<void>): void
  afterEach(fn: () => void): void
  afterAll(fn: () => void): void
  expect: any
  useCredentialWorld: (spec?: any) => any
}

const pdf = { ContentType: 'application/pdf' }

export function archiveSuite({ describe, it, afterEach, afterAll, expect, useCredentialWorld }: Runner): void {
  describe('invoice archiver, S3 mocked with aws-sdk-client-mock', () => {
    const world = useCredentialWorld()
    const s3Mock = withCredentialResolution(mockClient(S3Client))
    afterEach(() => s3Mock.reset())
    afterAll(() => s3Mock.restore())

    it('archives a PDF, signed by the instance role', async () => {
      await world.set({ instanceProfile: { role: 'web' } })
      s3Mock.on(HeadObjectCommand).resolves(pdf).on(CopyObjectCommand).resolves({})
      await expect(archiveInvoice(createArchiveClient(), 'invoice-0042.pdf')).resolves.toBe('s3://archive/2026/invoice-0042.pdf')
      // what aws-sdk-client-mock always told us: which calls, with which input
      expect(s3Mock.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'archive', Key: '2026/invoice-0042.pdf', CopySource: 'invoices/invoice-0042.pdf' })
      // what chainproof adds: who they were signed by
      await expect(s3Mock).toHaveReceivedCommandSignedBy(HeadObjectCommand, 'instanceProfile')
      await expect(s3Mock).toHaveReceivedCommandSignedBy(CopyObjectCommand, { source: 'instanceProfile', role: 'web' })
    })

    it('catches the precedence bug a plain mock hides: CI keys left on the host sign the calls', async () => {
      await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
      s3Mock.on(HeadObjectCommand).resolves(pdf).on(CopyObjectCommand).resolves({})
      // the mock answers whoever signs, so the archiver "works" ...
      await archiveInvoice(createArchiveClient(), 'invoice-0042.pdf')
      // ... but not as the instance role: in production the bucket policy would deny it
      await expect(s3Mock).not.toHaveReceivedCommandSignedBy(CopyObjectCommand, { role: 'web' })
      await expect(s3Mock).toHaveReceivedCommandSignedBy(CopyObjectCommand, { source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
      await expect(createArchiveClient()).toShadowCredentialsFrom('instanceProfile')
    })

    it('fails as production would when the host has no credentials, and S3 never sees the call', async () => {
      await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
      s3Mock.resolves(pdf)
      await expect(archiveInvoice(createArchiveClient(), 'invoice-0042.pdf')).rejects.toThrow('Could not load credentials from any providers')
      expect(s3Mock.calls()).toHaveLength(0)
    })

    it('runs the deploy job as the role its profile assumes (through the world’s STS: no STSClient mock needed)', async () => {
      await world.set({ profile: 'deploy', profiles: { deploy: { role: 'archiver', sourceProfile: 'ci' }, ci: { user: 'ci' } } })
      s3Mock.on(HeadObjectCommand).resolves(pdf).on(CopyObjectCommand).resolves({})
      await archiveInvoice(createArchiveClient(), 'invoice-0042.pdf', '2027')
      await expect(s3Mock).toHaveReceivedCommandSignedBy(CopyObjectCommand, { source: 'profile', profile: 'deploy', role: 'archiver' })
      expect(world.requests.filter((r: { action?: string }) => r.action === 'AssumeRole')).toHaveLength(1)
    })

    it('rejects what is not a PDF, whatever signs', async () => {
      await world.set({ env: { user: 'ci' } })
      s3Mock.on(HeadObjectCommand).resolves({ ContentType: 'text/plain' })
      await expect(archiveInvoice(createArchiveClient(), 'notes.txt')).rejects.toThrow('invoices/notes.txt is not a PDF (text/plain)')
      expect(s3Mock.commandCalls(CopyObjectCommand)).toHaveLength(0)
    })
  })
}
