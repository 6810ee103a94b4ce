// Type test: the classic ts-jest setup — CommonJS with `"moduleResolution": "node"` (node10), which
// ignores package.json `exports`: the subpaths' types must still be found (package.json typesVersions).
import { S3Client } from '@aws-sdk/client-s3'
import { createCredentialWorld, type WorldSpec } from 'chainproof'
import { useCredentialWorld } from 'chainproof/jest'
import { matchers } from 'chainproof/matchers'

const spec: WorldSpec = { env: { user: 'ci' } }
const world = useCredentialWorld()
expect.extend(matchers)

test('types every entry under node10 resolution', async () => {
  await world.set(spec)
  await expect(new S3Client({})).toResolveCredentialsFrom('env')
  await expect(new S3Client({})).not.toResolveToRole('web')
  // @ts-expect-error a misspelled source is a type error
  await expect(new S3Client({})).toResolveCredentialsFrom('enviroment')
  void createCredentialWorld
})
