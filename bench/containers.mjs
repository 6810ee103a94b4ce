#!/usr/bin/env node
/**
 * Container world, measured side by side in one run (after `npm run build`):
 *
 *   node bench/containers.mjs [--runs N]
 *
 * Three ways to run the same world ({ instanceProfile: { role: 'web' } }):
 *
 * - server image: what CredentialWorldContainer builds now, a Node runtime and ONE
 *   self-contained file, dist/world-server.cjs (no node_modules);
 * - closure image: the image it built before (dist/cjs/cli.cjs plus a require-graph copy of
 *   node_modules, through buildNodeImage), rebuilt here from this repo for comparison;
 * - in-process: createCredentialWorld, no container.
 *
 * Measured: the image build, cold (the image removed first) and cached (hash + lookup); and,
 * with the image cached, world start → ready, and world start → first resolution by a SEPARATE
 * process (a node child given world.env and PATH only, resolving through the SDK's default
 * chain, @aws-sdk/credential-provider-node) — plus, for comparison with earlier runs, start →
 * first resolution in this process. Medians of --runs (default 7) interleaved runs.
 *
 * Prints a table and writes bench/containers-results.json. Everything stays on loopback: the
 * containers use host networking bound to 127.0.0.1 and the child runs under a loopback-only
 * socket guard. Without a container engine it prints why and exits 0.
 */
import { execFile } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { createCredentialWorld, resolveCredentials } from '../dist/esm/index.js'
import { CredentialWorldContainer, buildNodeImage, containerEngine, removeImage } from '../dist/esm/testcontainers.js'

// No registry pull from the bench: build from the running Node binary.
process.env.CHAINPROOF_IMAGE_BASE ??= 'scratch'
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7
const SPEC = { instanceProfile: { role: 'web' } }
const GUARD = join(root, 'test', 'consumers', 'containers', 'loopback-guard.cjs')

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
const quiet = { log: () => {} }

/** The separate process: the SDK's default chain with nothing but the world's variables and PATH. */
const CHILD = `
import { defaultProvider } from '@aws-sdk/credential-provider-node'
const credentials = await defaultProvider()()
console.log(JSON.stringify({ keyIdEnd: credentials.accessKeyId.slice(-4) }))
`
async function resolveInChild(env) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--require', GUARD, '--input-type=module', '-e', CHILD], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  })
  return JSON.parse(stdout.trim().split('\n').pop()).keyIdEnd
}

/** The same chain in this process, with the world's variables: every inherited AWS_* variable removed for the call, then restored. */
async function resolveHere(env) {
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key]
  Object.assign(process.env, env)
  try {
    return (await fromNodeProviderChain()()).accessKeyId
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

/** The image CredentialWorldContainer built before: the CLI and a closure of node_modules. */
function buildClosureImage() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return buildNodeImage({
    name: 'chainproof-world-closure',
    entry: join(root, 'dist', 'cjs', 'cli.cjs'),
    files: [join(root, 'package.json')],
    from: root,
    packages: Object.keys(manifest.dependencies ?? {}),
    optionalPackages: ['@aws-sdk/credential-provider-node'],
    ...quiet,
  })
}
const buildServerImage = () => CredentialWorldContainer.buildImage(quiet)

// 1. Images: cold (removed first, interleaved) and cached.
const kinds = { server: buildServerImage, closure: buildClosureImage }
const builds = { server: { cold: [], cached: [] }, closure: { cold: [], cached: [] } }
const built = {}
const COLD_RUNS = Math.max(1, Math.min(3, RUNS))
for (let i = 0; i < COLD_RUNS; i++) {
  for (const [kind, build] of Object.entries(kinds)) {
    const existing = await build()
    await removeImage(existing.image)
    const cold = await build()
    if (!cold.built) throw new Error(`expected a cold build of the ${kind} image after removing it`)
    builds[kind].cold.push(cold.ms)
    built[kind] = cold
  }
}
for (let i = 0; i < RUNS; i++) {
  for (const [kind, build] of Object.entries(kinds)) {
    const cached = await build()
    if (cached.built) throw new Error(`expected a cache hit for the ${kind} image`)
    builds[kind].cached.push(cached.ms)
  }
}

// 2. Warm start (cached image) → ready → first resolution, interleaved.
const sample = () => ({ ready: [], startToFirstChild: [], child: [], startToFirstHere: [], stop: [] })
const starts = { server: sample(), closure: sample(), inProcess: sample() }
const startWorld = {
  server: () => new CredentialWorldContainer(SPEC, { image: built.server.image }).start(),
  closure: () => new CredentialWorldContainer(SPEC, { image: built.closure.image }).start(),
  inProcess: () => createCredentialWorld(SPEC),
}
const stopWorld = (world) => (world.stop ? world.stop() : world.dispose())
// One throwaway start each, so no side pays a one-time cost (module loading) in the figures.
for (const start of Object.values(startWorld)) await stopWorld(await start())
for (let i = 0; i < RUNS; i++) {
  for (const [kind, start] of Object.entries(startWorld)) {
    const s = starts[kind]
    // Start → first resolution by a separate process.
    let t0 = now()
    let world = await start()
    const ready = now()
    const keyIdEnd = await resolveInChild(world.env)
    s.startToFirstChild.push(now() - t0)
    s.ready.push(ready - t0)
    s.child.push(now() - ready)
    const requests = kind === 'inProcess' ? world.requests : await world.requests()
    const imds = requests.filter((r) => r.server === 'imds' && r.status === 200)
    if (!keyIdEnd || !imds.length) throw new Error(`the ${kind} world served no credentials to the child`)
    t0 = now()
    await stopWorld(world)
    s.stop.push(now() - t0)
    // Start → first resolution in this process (the figure earlier benches reported).
    t0 = now()
    world = await start()
    if (kind === 'inProcess') {
      const resolution = await resolveCredentials(fromNodeProviderChain())
      if (resolution.source !== 'instanceProfile') throw new Error(`in-process world resolved from ${resolution.source}`)
    } else if (!(await resolveHere(world.env))) throw new Error(`no credentials from the ${kind} world`)
    s.startToFirstHere.push(now() - t0)
    await stopWorld(world)
  }
}

const fmt = (ms) => (ms === undefined ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`)
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`)
const m = (kind, key) => (starts[kind][key].length ? median(starts[kind][key]) : undefined)
const rows = [
  [`image build, cold (image removed first; median of ${COLD_RUNS})`, median(builds.server.cold), median(builds.closure.cold), undefined],
  ['image build, cached (hash + lookup)', median(builds.server.cached), median(builds.closure.cached), undefined],
  ['world start → ready', m('server', 'ready'), m('closure', 'ready'), m('inProcess', 'ready')],
  ['world start → first resolution, separate process', m('server', 'startToFirstChild'), m('closure', 'startToFirstChild'), m('inProcess', 'startToFirstChild')],
  ['  of which: the process resolving', m('server', 'child'), m('closure', 'child'), m('inProcess', 'child')],
  ['world start → first resolution, this process', m('server', 'startToFirstHere'), m('closure', 'startToFirstHere'), m('inProcess', 'startToFirstHere')],
  ['stop / dispose', m('server', 'stop'), m('closure', 'stop'), m('inProcess', 'stop')],
]
const header = ['', 'server image', 'closure image', 'in-process', 'server/closure']
const table = rows.map(([label, s, c, p]) => [label, fmt(s), fmt(c), fmt(p), ratio(s, c)])
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)))
const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
const serverFile = join(root, 'dist', 'world-server.cjs')
const serverBytes = statSync(serverFile).size
console.log(`chainproof container bench — ${RUNS} runs each (medians), Node ${process.version}, ${engine.description}`)
for (const [kind, image] of Object.entries(built)) {
  console.log(`${kind} image ${image.image}: base ${image.base}, ${(image.sizeBytes / 1e6).toFixed(1)} MB, ${image.files} files, ${image.packages.length} packages`)
}
console.log(`dist/world-server.cjs: ${(serverBytes / 1024).toFixed(0)} KiB`)
console.log(line(header))
for (const r of table) console.log(line(r))
const target = m('server', 'startToFirstChild')
console.log(`target: world start → first resolution by a separate process ≤ 500 ms: ${target <= 500 ? 'met' : 'NOT met'} (${fmt(target)})`)

const medians = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.length ? median(v) : null]))
const results = {
  date: new Date().toISOString(),
  node: process.version,
  engine: engine.description,
  runs: RUNS,
  coldRuns: COLD_RUNS,
  spec: SPEC,
  serverFile: { path: 'dist/world-server.cjs', bytes: serverBytes },
  images: Object.fromEntries(
    Object.entries(built).map(([kind, image]) => [kind, { tag: image.image, base: image.base, sizeBytes: image.sizeBytes, files: image.files, packages: image.packages }]),
  ),
  ms: {
    imageBuildCold: { server: median(builds.server.cold), closure: median(builds.closure.cold) },
    imageBuildCached: { server: median(builds.server.cached), closure: median(builds.closure.cached) },
    server: medians(starts.server),
    closure: medians(starts.closure),
    inProcess: medians(starts.inProcess),
  },
  ratios: {
    coldBuildServerToClosure: median(builds.server.cold) / median(builds.closure.cold),
    startToFirstChildServerToClosure: m('server', 'startToFirstChild') / m('closure', 'startToFirstChild'),
    startToFirstChildServerToInProcess: m('server', 'startToFirstChild') / m('inProcess', 'startToFirstChild'),
  },
  target: { startToFirstResolutionSeparateProcessMs: 500, met: target <= 500 },
  samples: { builds, starts },
}
writeFileSync(join(here, 'containers-results.json'), JSON.stringify(results, null, 2) + '\n')
console.log(`wrote ${join('bench', 'containers-results.json')}`)
