import { appendFileSync } from 'node:fs'
import { waitForOthers } from './barrier.js'
import { S3Client } from '@aws-sdk/client-s3'
import { expect, it } from 'vitest'
import { createCredentialWorld, resolveCredentials } from '../../src/index.js'

it('keeps its own world while other workers run theirs', async () => {
  await using world = await createCredentialWorld({ env: { user: 'worker-1' }, instanceProfile: { role: 'role-1' } })
  const started = Date.now()
  await waitForOthers(1)
  const resolution = await resolveCredentials(new S3Client({}))
  expect(resolution.principal).toBe('arn:aws:iam::123456789012:user/worker-1')
  expect(process.env.AWS_ACCESS_KEY_ID).toBe(world.env.AWS_ACCESS_KEY_ID)
  appendFileSync(process.env.ISOLATION_LOG!, JSON.stringify({ phase: 'end', n: 1, pid: process.pid, started, ended: Date.now() }) + '\n')
})
