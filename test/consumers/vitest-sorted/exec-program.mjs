// A service run by `npx chainproof exec` in this project's test: one S3 call at the world's gate.
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3'

const answer = await new S3Client({}).send(new ListBucketsCommand({})).then(
  () => 'answered',
  (error) => `answered ${error.$metadata?.httpStatusCode ?? error.name}`,
)
console.log(answer)
