// A CommonJS consumer of the package root and chainproof/matchers, outside any test runner.
const assert = require('node:assert/strict')
const { fromNodeProviderChain } = require('@aws-sdk/credential-providers')
const { createCredentialWorld, resolveCredentials, SOURCES } = require('chainproof')
const { matchers } = require('chainproof/matchers')

;(async () => {
  assert.ok(SOURCES.includes('instanceProfile'))
  assert.equal(typeof matchers.toResolveCredentialsFrom, 'function')
  const world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
  try {
    const resolution = await resolveCredentials(fromNodeProviderChain())
    assert.equal(resolution.source, 'instanceProfile')
    assert.match(resolution.principal, /^arn:aws:sts::123456789012:assumed-role\/web\/i-/)
  } finally {
    await world.dispose()
  }
  console.log('cjs consumer ok')
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
