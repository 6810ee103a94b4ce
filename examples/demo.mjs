#!/usr/bin/env node
// `npm run demo`: runs the example suite on embedded, in-process worlds (no AWS account, no
// Docker), then prints the chain report of the classic precedence bug.
import { spawnSync } from 'node:child_process'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
import { S3Client } from '@aws-sdk/client-s3'
import { createCredentialWorld, resolveCredentials } from 'chainproof'

const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'examples/'], { stdio: 'inherit' })
if (vitest.status !== 0) process.exit(vitest.status ?? 1)

console.log('\nThe classic precedence bug: the EC2 instance role was fixed, yet the app still gets')
console.log('AccessDenied, because env keys left on the host win over the instance profile.\n')
console.log("  world: { env: { user: 'ci' }, instanceProfile: { role: 'web' } }\n")
const world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
try {
  const resolution = await resolveCredentials(new S3Client({}))
  console.log(`  resolved from: ${resolution.source}  as ${resolution.principal}\n`)
  console.log(String(resolution.report).replace(/^/gm, '  '))
} finally {
  await world.dispose()
}
