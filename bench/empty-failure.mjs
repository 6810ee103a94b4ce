/**
 * An empty machine's failure, two ways, in one process:
 *
 *   - bare: the SDK defaults against an instance metadata endpoint that accepts and never
 *     answers — a loopback TCP server started here, named by AWS_EC2_METADATA_SERVICE_ENDPOINT —
 *     in a sandbox set up by hand (empty HOME, no other AWS_* variable): what an empty CI box
 *     costs, about 2 s of IMDS timeouts (token PUT, then the IMDSv1 fallback);
 *   - chainproof: an empty world, whose IMDS answers 404 at once.
 *
 * Both time `fromNodeProviderChain()()` until it rejects.
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

const world = await createCredentialWorld({})
let inWorld
let worldMessage
try {
  const samples = []
  for (let i = 0; i < scale(50, 5) + scale(500, 30); i++) {
    const ms = await timeOnce(async () => {
      worldMessage = (await failing()).message
    })
    if (i >= scale(50, 5)) samples.push(ms)
  }
  inWorld = summarize(samples)
} finally {
  await world.dispose()
}

report({ bare, world: inWorld, ratio: bare.median / inWorld.median, messages: { bare: bareMessage.split('\n')[0], world: worldMessage.split('\n')[0] } })
