// Type test: a Vitest suite that imports its expect and chainproof/vitest, nothing else.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock'
import { signedCallsOf, withCredentialResolution, type SignedCommandCall } from 'chainproof/client-mock'
import { matchers } from 'chainproof/matchers'
import { expect, it } from 'vitest'
import { useCredentialWorld, type CredentialWorldHandle, type SignerExpectation } from 'chainproof/vitest'

const world: CredentialWorldHandle = useCredentialWorld({ region: 'eu-west-1' })

it('types every matcher', async () => {
  const spec = await world.set({ instanceProfile: { role: 'web' } })
  spec.endpoints.imds satisfies string
  world.identityOf('AKIA')?.principal satisfies string | undefined
  await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
  await expect(new S3Client({})).toResolveCredentialsFrom('imds', { profile: 'dev' })
  await expect(new S3Client({})).not.toResolveCredentialsFrom('env')
  await expect(Promise.resolve(new S3Client({}))).resolves.toResolveToRole('web')
  await expect(new S3Client({})).toResolveToPrincipal(/assumed-role\/web\//)
  await expect(new S3Client({})).toResolveToPrincipal(expect.stringContaining(':assumed-role/'))
  await expect(new S3Client({})).toResolveToPrincipal('arn:aws:sts::123456789012:assumed-role/web/i-1')
  await expect(new S3Client({})).toFailToResolveCredentials()
  await expect(new S3Client({})).toFailToResolveCredentials(/any providers/)
  await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
  await expect(new S3Client({})).not.toShadowCredentialsFrom(['container', 'imds'])
  await expect('https://b.s3.amazonaws.com/k?X-Amz-Signature=0').toBeSignedBy('env')
  await expect(new URL('https://b.s3.amazonaws.com/k')).not.toBeSignedBy({ role: 'web', principal: /assumed-role/ })
  await expect(Promise.resolve('db:5432/?Action=connect')).toBeSignedBy({ source: 'imds', profile: 'dev' }, { headers: { 'content-type': 'text/plain' } })
  const signer: SignerExpectation = { principal: expect.stringContaining(':user/ci') }
  await expect(world).toHaveReceivedRequestsSignedBy(signer)
  await expect(world).toAgreeAcrossSdks(['js-v2', 'js-v3'])
  // @ts-expect-error: not an SDK chainproof models
  await expect(world).toAgreeAcrossSdks(['js-v4', 'js-v3'])
  await expect(world.current).not.toHaveReceivedRequestsSignedBy('webIdentity')

  const s3Mock: AwsClientStub<S3Client> = withCredentialResolution(mockClient(S3Client))
  s3Mock.on(GetObjectCommand).resolves({})
  withCredentialResolution(mockClient(new S3Client({}))).resolves({})
  await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile')
  await expect(s3Mock).not.toHaveReceivedCommandSignedBy(PutObjectCommand, { source: 'imds', role: 'web', principal: /:assumed-role\// })
  const call: SignedCommandCall | undefined = signedCallsOf(s3Mock)[0]
  if (call?.resolved) call.source satisfies string
  // @ts-expect-error a misspelled source is a type error
  await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceprofile')
  // @ts-expect-error the command is a class, not its name
  await expect(s3Mock).toHaveReceivedCommandSignedBy('GetObjectCommand', 'env')
  // @ts-expect-error withCredentialResolution takes a client mock, not a client
  withCredentialResolution(new S3Client({}))

  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('instanceprofile')
  // @ts-expect-error options are an object
  await expect(new S3Client({})).toResolveCredentialsFrom('env', 'dev')
  // @ts-expect-error a principal is not a number
  await expect(new S3Client({})).toResolveToPrincipal(42)
  // @ts-expect-error toResolveToRole needs the role
  await expect(new S3Client({})).toResolveToRole()
  // @ts-expect-error a misspelled source is a type error, in a list too
  await expect(new S3Client({})).toShadowCredentialsFrom(['container', 'instanceprofile'])
  // @ts-expect-error a misspelled source is a type error
  await expect('url').toBeSignedBy('enviroment')
  // @ts-expect-error a misspelled signer field is a type error
  await expect('url').toBeSignedBy({ roles: 'web' })
  // @ts-expect-error a misspelled source is a type error
  await expect(world).toHaveReceivedRequestsSignedBy({ source: 'ec3' })
  // Vitest ≥ 3.2 types custom matchers through `Matchers` (expect.extend checks the table against
  // them); 3.0 and 3.1 accept any table. Both take chainproof's own matchers.
  expect.extend({ toResolveCredentialsFrom: matchers.toResolveCredentialsFrom, toResolveToRole: matchers.toResolveToRole })
})
