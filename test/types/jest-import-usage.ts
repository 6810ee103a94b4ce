// Type test: a Jest suite that imports expect from @jest/globals and chainproof/jest.
import { S3Client } from '@aws-sdk/client-s3'
import { expect, it } from '@jest/globals'
import { useCredentialWorld, type CredentialWorldHandle } from 'chainproof/jest'

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

  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('enviroment')
  // @ts-expect-error toFailToResolveCredentials takes a string or RegExp
  await expect(new S3Client({})).toFailToResolveCredentials(1)
})
