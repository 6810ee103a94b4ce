// Type test: a Jest suite that imports expect from @jest/globals and chainproof/jest.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { withCredentialResolution } from 'chainproof/client-mock'
import { expect, it } from '@jest/globals'
import { useCredentialWorld, type CredentialWorldHandle, type SignedByOptions } from 'chainproof/jest'

const world: CredentialWorldHandle = useCredentialWorld()

it('types every matcher', async () => {
  await world.set({ env: { user: 'ci' } })
  world.requests.length satisfies number
  await expect(new S3Client({})).toResolveCredentialsFrom('env')
  await expect(new S3Client({})).toResolveCredentialsFrom('ini', { profile: 'dev' })
  await expect(new S3Client({})).not.toResolveCredentialsFrom('instanceProfile')
  await expect(Promise.resolve(new S3Client({}))).resolves.toResolveToRole('web')
  await expect(new S3Client({})).toResolveToPrincipal(expect.stringMatching(/:user\/ci$/))
  await expect(new S3Client({})).toFailToResolveCredentials('any providers')
  await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
  await expect(new S3Client({})).not.toShadowCredentialsFrom(['env'])
  const options: SignedByOptions = { headers: { 'content-length': '5' } }
  await expect('https://b.s3.amazonaws.com/k').toBeSignedBy('environment', options)
  await expect(Promise.resolve('db:5432/?Action=connect')).not.toBeSignedBy({ role: 'arn:aws:iam::123456789012:role/web' })
  await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', principal: 'arn:aws:iam::123456789012:user/alice' })
  await expect(world).not.toHaveReceivedRequestsSignedBy('container')
  await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])
  // @ts-expect-error: not an SDK chainproof models
  await expect(world).toAgreeAcrossSdks(['ruby-v9'])

  const s3Mock = withCredentialResolution(mockClient(S3Client))
  await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'env')
  await expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, { principal: expect.stringContaining(':user/') })
  // @ts-expect-error a misspelled source is a type error
  await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { source: 'enviroment' })

  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('enviroment')
  // @ts-expect-error a misspelled source is a type error
  await expect('url').toBeSignedBy({ source: 'enviroment' })
  // @ts-expect-error a misspelled source is a type error
  await expect(world).toHaveReceivedRequestsSignedBy('instanceprofile')
  // @ts-expect-error toShadowCredentialsFrom needs a source
  await expect(new S3Client({})).toShadowCredentialsFrom()
  // @ts-expect-error toFailToResolveCredentials takes a string or RegExp
  await expect(new S3Client({})).toFailToResolveCredentials(1)
})
