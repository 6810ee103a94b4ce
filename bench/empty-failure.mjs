/**
 * An empty machine's failure, two ways, in one process:
 *
 *   - bare: the SDK defaults against an instance metadata endpoint that accepts and never
 *     answers — a loopback TCP server started here, named by AWS_EC2_METADATA_SERVICE_ENDPOINT —
 *     in a sandbox set up by hand (empty HOME, no other AWS_* variable): what an empty CI box
 *     costs, about 2 s of IMDS timeouts (token PUT, then the IMDSv1 fallback);
 *   - chainproof: an empty world, whose IMDS answers 404 at once: `fromNodeProviderChain()()`
 *     until it rejects, and — as users write it — a passing
 *     `expect(new S3Client({})).toFailToResolveCredentials()` (the raw matcher).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chainproof, guardLoopback, report, scale } from './lib/harness.mjs'
import { summarize, timeOnce } from './lib/stats.mjs'

guardLoopback()
const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers')
const { createCredentialWorld } = await chainproof()
const { toFailToResolveCredentials } = await chainproof('matchers')
const { S3Client } = await import('@aws-sdk/client-s3')
const context = {
  isNot: false,
  promise: '',
  equals: Object.is,
  utils: { matcherHint: (name) => `expect(client)${name}()`, printExpected: (v) => JSON.stringify(v), printReceived: (v) => JSON.stringify(v) },
}

const failing = async () => {
  const outcome = await fromNodeProviderChain()().then(
    () => 'resolved',
    (error) => error,
  )
  if (outcome === 'resolved') throw new Error('expected the chain to fail')
  return outcome
}

// The unanswering endpoint: accepts, reads, never writes.
const sockets = new Set()
const silent = net.createServer((socket) => {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
  socket.resume()
})
await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve))
const endpoint = `http://127.0.0.1:${silent.address().port}`

const home = mkdtempSync(join(tmpdir(), 'chainproof-bench-home-'))
const saved = { ...process.env }
let bare
let bareMessage
try {
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') || ['HOME', 'USERPROFILE'].includes(name)) delete process.env[name]
  Object.assign(process.env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  })
  const samples = []
  for (let i = 0; i < scale(5, 1); i++) {
    samples.push(
      await timeOnce(async () => {
        bareMessage = (await failing()).message
      }),
    )
  }
  bare = summarize(samples)
} finally {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
  Object.assign(process.env, saved)
  rmSync(home, { recursive: true, force: true })
  for (const socket of sockets) socket.destroy()
  silent.close()
}

let inWorld
let worldMessage
let matcher
{
  let world = await createCredentialWorld({})
  try {
    const chain = []
    const passing = []
    for (let i = 0; i < scale(50, 5) + scale(500, 30); i++) {
      // a world lives for a test, not for hundreds of resolutions: a fresh one every 25 rounds, untimed
      if (i % 25 === 24) {
        await world.dispose()
        world = await createCredentialWorld({})
      }
      const ms = await timeOnce(async () => {
        worldMessage = (await failing()).message
      })
      const matched = await timeOnce(async () => {
        const result = await toFailToResolveCredentials.call(context, new S3Client({}))
        if (!result.pass) throw new Error(result.message())
      })
      if (i >= scale(50, 5)) {
        chain.push(ms)
        passing.push(matched)
      }
    }
    inWorld = summarize(chain)
    matcher = summarize(passing)
  } finally {
    await world.dispose()
  }
}

report({ bare, world: inWorld, matcher, ratio: bare.median / inWorld.median, matcherRatio: bare.median / matcher.median, messages: { bare: bareMessage.split('\n')[0], world: worldMessage.split('\n')[0] } })
