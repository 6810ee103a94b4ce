/**
 * A bridged stub is still an ordinary aws-sdk-client-mock stub: aws-sdk-client-mock-jest's own
 * matchers see its calls, side by side with chainproof's (Jest only: the Vitest entry of
 * aws-sdk-client-mock-jest 4.1 needs chalk 5, which it does not install).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { withCredentialResolution } from 'chainproof/client-mock'
import 'aws-sdk-client-mock-jest'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { stableMessage } from './support/messages'

const world = useCredentialWorld()
const s3Mock = withCredentialResolution(mockClient(S3Client))
afterEach(() => s3Mock.reset())

describe('aws-sdk-client-mock-jest and chainproof on one stub', () => {
  it('both see the calls that resolved credentials', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    s3Mock.on(GetObjectCommand).resolves({ ContentType: 'application/pdf' })
    await new S3Client({}).send(new GetObjectCommand({ Bucket: 'invoices', Key: 'a.pdf' }))
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'invoices', Key: 'a.pdf' })
    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 1)
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'env')
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile')
  })

  it('a call whose credentials failed reached neither', async () => {
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    await expect(new S3Client({}).send(new PutObjectCommand({ Bucket: 'archive', Key: 'a.pdf' }))).rejects.toThrow('Could not load credentials from any providers')
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand)
    let message = ''
    try {
      expect(s3Mock).toHaveReceivedCommand(PutObjectCommand)
    } catch (error) {
      message = stableMessage((error as Error).message)
    }
    expect(message).toMatchInlineSnapshot(`
      "Expected S3Client to receive "PutObjectCommand"
      S3Client received "PutObjectCommand" 0 times"
    `)
  })
})
