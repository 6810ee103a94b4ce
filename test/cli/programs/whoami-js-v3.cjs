// A program the exec tests run inside a world: the JS SDK v3 default chain, then STS
// GetCallerIdentity at the world's STS (AWS_ENDPOINT_URL_STS). Prints one JSON line with the
// ARN, the last 4 characters of the key id and the SDK's own $source feature; never a secret.
const { fromNodeProviderChain } = require('@aws-sdk/credential-providers')
const { GetCallerIdentityCommand, STSClient } = require('@aws-sdk/client-sts')

async function main() {
  const provider = fromNodeProviderChain()
  const credentials = await provider()
  const who = await new STSClient({ credentials: provider }).send(new GetCallerIdentityCommand({}))
  process.stdout.write(`${JSON.stringify({ arn: who.Arn, keyId: credentials.accessKeyId.slice(-4), features: credentials.$source ?? {} })}\n`)
}

main().catch((error) => {
  process.stderr.write(`whoami-js-v3: ${error.name}: ${error.message}\n`)
  process.exit(3)
})
