#!/usr/bin/env node
// `npm run demo`: runs the example suites on embedded, in-process worlds (no AWS account, no
// Docker, nothing leaves 127.0.0.1), then tells the classic precedence bug as it happens.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const root = join(import.meta.dirname, '..')
const step = (text) => console.log(`\n▶ ${text}`)

// The demo needs the JavaScript of dist only: no declaration files on its path (they take
// most of a full build). Built when missing or older than src/.
const newest = (dir) => Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs))
const built = join(root, 'dist', 'esm', 'index.js')
if (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, 'src'))) {
  step('Building chainproof (JavaScript only, no type declarations) …')
  const t0 = performance.now()
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, CHAINPROOF_BUILD: 'js' } })
  if (build.status !== 0) process.exit(build.status ?? 1)
  console.log(`  built dist/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

step('Running the example suites (examples/) with Vitest, each test in a fresh in-process world: no AWS account, no Docker, nothing leaves 127.0.0.1 …')
const vitest = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'examples/'], { stdio: 'inherit', cwd: root })
if (vitest.status !== 0) process.exit(vitest.status ?? 1)

step('Telling the classic bug as it happens: a service on an EC2 host, its instance role, and CI keys left behind …')
const { S3Client } = await import('@aws-sdk/client-s3')
const { createCredentialWorld, resolveCredentials } = await import('chainproof')
const { fetchInvoice } = createRequire(import.meta.url)('./precedence-bug/invoice-service.cjs')

const say = (text = '') => console.log(text.replace(/^/gm, '  '))
const gate = { allow: { web: ['s3:GetObject'] } }

console.log('\nThe classic precedence bug')
say('The EC2 instance role `web` was fixed to allow s3:GetObject, yet the service still gets')
say('AccessDenied — because CI keys left in the environment win over the instance profile.\n')

const buggy = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' }, gate })
try {
  const world = buggy
  const outcome = await fetchInvoice(new S3Client({})).then(() => 'ok', (error) => `${error.name} (HTTP ${error.$metadata?.httpStatusCode})`)
  say(`world: { env: { user: 'ci' }, instanceProfile: { role: 'web' }, gate: { allow: { web: ['s3:GetObject'] } } }`)
  say(`GetObject s3://invoices/2026/11/invoice-0042.pdf → ${outcome}`)
  const signed = world.requests.filter((r) => r.server === 'gate').map((r) => `${r.service}:${r.action} signed by ${r.source} (${r.principal})`)
  say(`the gate saw: ${signed.join('; ')}\n`)
  const resolution = await resolveCredentials(new S3Client({}))
  say(String(resolution.report))
} finally {
  await buggy.dispose()
}

console.log('\nThe fix: remove the env keys')
const fixed = await createCredentialWorld({ instanceProfile: { role: 'web' }, gate })
try {
  const world = fixed
  const outcome = await fetchInvoice(new S3Client({})).then(() => 'ok', (error) => error.name)
  const signed = world.requests.filter((r) => r.server === 'gate').map((r) => `signed by ${r.source} (${r.principal})`)
  say(`GetObject → ${outcome}, ${signed.join('; ')}`)
} finally {
  await fixed.dispose()
}
