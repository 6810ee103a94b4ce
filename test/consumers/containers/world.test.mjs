/**
 * Copied into a throwaway consumer project that installed chainproof from its packed tarball
 * (npm flat, npm nested, pnpm, an npm-workspaces monorepo): a credential world container from
 * THAT install starts, a separate process resolves credentials with nothing but world.env and
 * makes a signed request, and the world's own records say who signed it. Run with
 * `node --require ./loopback-guard.cjs world.test.mjs` (node:test, no runner to install).
 *
 * CONSUMER_IMPORT names the module to take chainproof from (default chainproof itself; the
 * nested setup imports it through the package that depends on it). CONSUMER_REPORT: a file
 * for a one-line JSON summary.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual, promisify } from 'node:util'

const here = fileURLToPath(new URL('.', import.meta.url))
const via = process.env.CONSUMER_IMPORT
const load = async (subpath) => (via ? createRequire(import.meta.url)(`${via}/${subpath}`) : import(`chainproof/${subpath}`))
const { CredentialWorldContainer } = await load('testcontainers')
const { toHaveReceivedRequestsSignedBy } = await load('matchers')

/** The little a chainproof matcher needs from a runner, for calling it by hand. */
const matcherContext = {
  isNot: false,
  promise: '',
  utils: { matcherHint: (name) => name, printExpected: (v) => JSON.stringify(v), printReceived: (v) => JSON.stringify(v) },
  equals: (a, b) => isDeepStrictEqual(a, b),
}

test('a CredentialWorldContainer from this install serves the instance profile to a separate process', async () => {
  const world = await new CredentialWorldContainer({ instanceProfile: { role: 'web' } }).start()
  try {
    // The separate process gets the world's variables and PATH, nothing of this machine.
    const env = { PATH: process.env.PATH ?? '', ...world.env }
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', `${here}loopback-guard.cjs`, `${here}client.mjs`], { cwd: here, env })
    const out = JSON.parse(stdout.trim().split('\n').pop())
    assert.equal(out.ok, true, out.error)
    assert.match(out.arn, /^arn:aws:sts::123456789012:assumed-role\/web\//)

    const signed = await toHaveReceivedRequestsSignedBy.call(matcherContext, world, 'instanceProfile')
    assert.equal(signed.pass, true, signed.message())
    const notEnv = await toHaveReceivedRequestsSignedBy.call(matcherContext, world, 'env')
    assert.equal(notEnv.pass, false)

    const requests = await world.requests()
    assert.ok(requests.some((r) => r.server === 'imds' && r.status === 200), 'the client asked the world IMDS')
    const call = requests.find((r) => r.server === 'sts' && r.action === 'GetCallerIdentity')
    assert.ok(call, 'the signed call reached the world STS')
    assert.equal(call.source, 'instanceProfile')
    assert.ok(call.accessKeyId.endsWith(out.keyIdEnd))

    if (process.env.CONSUMER_REPORT) {
      const servers = [...new Set(requests.map((r) => r.server))].sort()
      writeFileSync(process.env.CONSUMER_REPORT, JSON.stringify({ image: world.image, arn: out.arn, keyIdEnd: out.keyIdEnd, servers, signedBy: call.source }) + '\n')
    }
  } finally {
    await world.stop()
  }
})
