import { appendFileSync } from 'node:fs'
import { waitForOthers } from './barrier'
import { S3Client } from '@aws-sdk/client-s3'
import { expect, it } from '@jest/globals'
import { createCredentialWorld, resolveCredentials } from 'chainproof'

it('keeps its own world while other workers run theirs', async () => {
  const world = await createCredentialWorld({ env: { user: 'worker-2' }, instanceProfile: { role: 'role-2' } })
  try {
    const started = Date.now()
    await waitForOthers(2)
    const resolution = await resolveCredentials(new S3Client({}))
    expect(resolution.principal).toBe('arn:aws:iam::123456789012:user/worker-2')
    appendFileSync(process.env.ISOLATION_LOG!, JSON.stringify({ phase: 'end', n: 2, pid: process.pid, started, ended: Date.now() }) + '\n')
  } finally {
    await world.dispose()
  }
})
