// Type test: Jest globals typed by @types/jest, chainproof/jest listed in setupFilesAfterEnv
// (a bare import here stands for it).
import 'chainproof/jest'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'

test('types the matchers on the global expect', async () => {
  await expect(new S3Client({})).toResolveCredentialsFrom('webIdentity')
  await expect(new S3Client({})).not.toResolveCredentialsFrom('tokenFile', { profile: 'ci' })
  await expect(new S3Client({})).toResolveToRole('arn:aws:iam::123456789012:role/web')
  await expect(new S3Client({})).toResolveToPrincipal(expect.stringContaining(':assumed-role/web/'))
  await expect(new S3Client({})).rejects.toFailToResolveCredentials()
  await expect(new S3Client({})).toShadowCredentialsFrom(['imds', 'container'])
  await expect('https://b.s3.amazonaws.com/k').not.toBeSignedBy({ source: 'env', role: 'web' })
  await expect({ requests: [] }).toHaveReceivedRequestsSignedBy({ principal: /:user\/ci$/ })
  await expect({}).not.toHaveReceivedCommandSignedBy(GetObjectCommand, 'container')
  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('profiles')
  // @ts-expect-error a misspelled source is a type error
  await expect('https://b.s3.amazonaws.com/k').toBeSignedBy('profiles')
})
