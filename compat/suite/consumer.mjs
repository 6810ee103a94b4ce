// An ES module consumer of the package root and chainproof/matchers, outside any test runner.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { createCredentialWorld, resolveCredentials, SOURCES } from 'chainproof'
import { matchers } from 'chainproof/matchers'

assert.ok(SOURCES.includes('instanceProfile'))
assert.equal(typeof matchers.toResolveCredentialsFrom, 'function')
const world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
try {
  const resolution = await resolveCredentials(fromNodeProviderChain())
  assert.equal(resolution.source, 'env')
  assert.deepEqual(resolution.report.shadowed, ['instanceProfile'])
  // Both builds loaded in one process still agree that only one world is active.
  const cjs = createRequire(import.meta.url)('chainproof')
  assert.notEqual(cjs.createCredentialWorld, createCredentialWorld)
  await assert.rejects(cjs.createCredentialWorld({}), /already active/)
} finally {
  await world.dispose()
}
console.log('esm consumer ok')
