// Type test: Vitest globals (`types: ["vitest/globals"]`) and a bare side-effect import of
// chainproof/vitest. No `import 'vitest'` anywhere (aws-sdk-client-mock #252).
import 'chainproof/vitest'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'

test('types the matchers on the global expect', async () => {
  await expect(new S3Client({})).toResolveCredentialsFrom('container')
  await expect(new S3Client({})).not.toResolveToRole('arn:aws:iam::123456789012:role/web')
  await expect(new S3Client({})).toShadowCredentialsFrom('imds')
  await expect('https://b.s3.amazonaws.com/k').toBeSignedBy({ role: 'web' })
  await expect({ requests: [] }).not.toHaveReceivedRequestsSignedBy('env')
  await expect({}).toHaveReceivedCommandSignedBy(GetObjectCommand, { profile: 'dev' })
  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('ecs2')
  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toShadowCredentialsFrom('ecs2')
})
