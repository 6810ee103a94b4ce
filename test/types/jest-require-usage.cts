// Type test: a CommonJS test file (the dist/cjs typings, jest.d.cts).
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { signedCallsOf, withCredentialResolution } from 'chainproof/client-mock'
import { expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { matchers, maskKeyId, toBeSignedBy, toHaveReceivedCommandSignedBy, toHaveReceivedRequestsSignedBy, toShadowCredentialsFrom, type SignerExpectation } from 'chainproof/matchers'

const world = useCredentialWorld({ profile: 'dev', profiles: { dev: { user: 'dev' } } })
expect.extend(matchers)
maskKeyId('AKIAABCDEFGHIJKLWXYZ') satisfies string
expect.extend({ toBeSignedBy, toHaveReceivedRequestsSignedBy, toShadowCredentialsFrom, toHaveReceivedCommandSignedBy })
const signer: SignerExpectation = { role: 'task' }

it('types every matcher in CommonJS too', async () => {
  await world.set({ container: { role: 'task' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('ecs')
  await expect(new S3Client({})).toShadowCredentialsFrom('imds')
  await expect('https://b.s3.amazonaws.com/k').toBeSignedBy(signer)
  await expect(world).toHaveReceivedRequestsSignedBy('ecs')
  const s3Mock = withCredentialResolution(mockClient(S3Client))
  await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, signer)
  signedCallsOf(s3Mock).length satisfies number
  // @ts-expect-error a misspelled source is a type error
  await expect(world).toHaveReceivedRequestsSignedBy('ecs2')
  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('containers')
})
