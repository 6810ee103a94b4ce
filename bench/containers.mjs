#!/usr/bin/env node
/**
 * Container world vs in-process world, measured side by side in one run (after `npm run build`):
 *
 *   node bench/containers.mjs [--runs N]
 *
 * - world image build, cold (the cached image removed first) and cached (hash + lookup);
 * - world start → first resolution: `new CredentialWorldContainer(spec).start()` then the SDK's
 *   default chain resolving from the container's IMDS, vs `createCredentialWorld(spec)` then
 *   `resolveCredentials(fromNodeProviderChain())`;
 * - a warm resolution in each (a fresh provider against a running world);
 * - stop vs dispose.
 *
 * Prints a table with ratios and writes bench/containers-results.json. Everything stays on
 * loopback: the container uses host networking bound to 127.0.0.1. Without a container engine
 * it prints why and exits 0.
 */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { createCredentialWorld, resolveCredentials } from '../dist/esm/index.js'
import { CredentialWorldContainer, containerEngine, removeImage } from '../dist/esm/testcontainers.js'

// No registry pull from the bench: build from the running Node binary.
process.env.CHAINPROOF_IMAGE_BASE ??= 'scratch'

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const here = dirname(fileURLToPath(import.meta.url))
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5
const SPEC = { instanceProfile: { role: 'web' } }

const engine = await containerEngine()
if (!engine.available) {
  console.log(`bench/containers: skipped (${engine.reason})`)
  process.exit(0)
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const now = () => performance.now()

/**
 * Resolves through the SDK's default chain with a world's variables, as a service would: every
 * inherited AWS_* variable removed for the call, then restored.
 */
async function resolveWith(env) {
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key]
  Object.assign(process.env, env)
  try {
    const credentials = await fromNodeProviderChain()()
    return credentials.accessKeyId
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

// 1. Image: cold (removed first) and cached.
const first = await CredentialWorldContainer.buildImage({ log: () => {} })
await removeImage(first.image)
const cold = await CredentialWorldContainer.buildImage()
if (!cold.built) throw new Error('expected a cold build after removing the image')
const cachedMs = []
for (let i = 0; i < RUNS; i++) {
  const cached = await CredentialWorldContainer.buildImage({ log: () => {} })
  if (cached.built) throw new Error('expected a cache hit')
  cachedMs.push(cached.ms)
}

// 2. World start → first resolution, and a warm resolution, container vs in-process (interleaved).
const container = { startToFirst: [], first: [], warm: [], stop: [] }
const inProcess = { startToFirst: [], first: [], warm: [], stop: [] }
// One throwaway start each, so neither side pays a one-time cost (module loading) in the figures.
await (await new CredentialWorldContainer(SPEC).start()).stop()
await (await createCredentialWorld(SPEC)).dispose()
for (let i = 0; i < RUNS; i++) {
  let t0 = now()
  const world = await new CredentialWorldContainer(SPEC).start()
  const started = now()
  const keyId = await resolveWith(world.env)
  container.startToFirst.push(now() - t0)
  container.first.push(now() - started)
  if (!(await world.requests()).some((r) => r.server === 'imds' && r.status === 200)) throw new Error('the container world saw no IMDS request')
  t0 = now()
  const again = await resolveWith(world.env)
  container.warm.push(now() - t0)
  if (!keyId || !again) throw new Error('no credentials from the container world')
  t0 = now()
  await world.stop()
  container.stop.push(now() - t0)

  t0 = now()
  const local = await createCredentialWorld(SPEC)
  const created = now()
  const resolution = await resolveCredentials(fromNodeProviderChain())
  inProcess.startToFirst.push(now() - t0)
  inProcess.first.push(now() - created)
  if (resolution.source !== 'instanceProfile') throw new Error(`in-process world resolved from ${resolution.source}`)
  t0 = now()
  await fromNodeProviderChain()()
  inProcess.warm.push(now() - t0)
  t0 = now()
  await local.dispose()
  inProcess.stop.push(now() - t0)
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`)
const rows = [
  ['world image build, cold (image removed first)', cold.ms, undefined],
  ['world image build, cached (hash + lookup)', median(cachedMs), undefined],
  ['world start → first resolution', median(container.startToFirst), median(inProcess.startToFirst)],
  ['  of which: first resolution', median(container.first), median(inProcess.first)],
  ['warm resolution (new provider, running world)', median(container.warm), median(inProcess.warm)],
  ['stop / dispose', median(container.stop), median(inProcess.stop)],
]
const header = ['', 'container', 'in-process', 'ratio']
const table = rows.map(([label, c, p]) => [label, fmt(c), p === undefined ? '—' : fmt(p), p === undefined ? '—' : `${(c / p).toFixed(1)}×`])
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)))
const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
console.log(`chainproof container bench — ${RUNS} runs each (medians), Node ${process.version}, ${engine.description}`)
console.log(`image ${cold.image}: base ${cold.base}, ${(cold.sizeBytes / 1e6).toFixed(1)} MB, ${cold.files} files, ${cold.packages.length} packages`)
console.log(line(header))
for (const r of table) console.log(line(r))

const results = {
  date: new Date().toISOString(),
  node: process.version,
  engine: engine.description,
  runs: RUNS,
  spec: SPEC,
  image: { tag: cold.image, base: cold.base, sizeBytes: cold.sizeBytes, files: cold.files, packages: cold.packages },
  ms: {
    imageBuildCold: cold.ms,
    imageBuildCached: median(cachedMs),
    container: Object.fromEntries(Object.entries(container).map(([k, v]) => [k, median(v)])),
    inProcess: Object.fromEntries(Object.entries(inProcess).map(([k, v]) => [k, median(v)])),
  },
  ratios: {
    startToFirstResolution: median(container.startToFirst) / median(inProcess.startToFirst),
    warmResolution: median(container.warm) / median(inProcess.warm),
  },
  samples: { imageBuildCached: cachedMs, container, inProcess },
}
writeFileSync(join(here, 'containers-results.json'), JSON.stringify(results, null, 2) + '\n')
console.log(`wrote ${join('bench', 'containers-results.json')}`)
