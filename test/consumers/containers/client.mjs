/**
 * The service under test, in its own process: the SDK's default chain (through
 * @aws-sdk/client-sts, installed in this consumer) resolves credentials from the world's
 * variables alone and signs one request, STS GetCallerIdentity, to the world's STS.
 * Prints one JSON line: the caller's ARN and the access key id's last 4 characters only.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'

const client = new STSClient({})
try {
  const identity = await client.send(new GetCallerIdentityCommand({}))
  const credentials = await client.config.credentials()
  console.log(JSON.stringify({ ok: true, arn: identity.Arn, keyIdEnd: credentials.accessKeyId.slice(-4) }))
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: `${error.name}: ${String(error.message).split('\n')[0]}` }))
  process.exitCode = 1
}
