/** What every bench shares: a loopback-only guard, the result hand-off, and loading the TS scenario space. */
import net from 'node:net'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

export const root = join(import.meta.dirname, '..', '..')

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/i

/**
 * Benches never send a packet anywhere but loopback — also outside a world, where chainproof's
 * own guard is not installed. Any other connect throws before a socket is opened.
 */
export function guardLoopback() {
  const connect = net.Socket.prototype.connect
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0]
    const host = typeof first === 'object' && first !== null ? (first.path ? undefined : (first.host ?? 'localhost')) : typeof first === 'number' || /^\d+$/.test(String(first)) ? (typeof args[1] === 'string' ? args[1] : 'localhost') : undefined
    if (host !== undefined && !LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) throw new Error(`bench: refused a connection to ${host}: benches only talk to loopback`)
    return connect.apply(this, args)
  }
}

/**
 * chainproof's built entry (`chainproof`, `chainproof/matchers`): this repo's dist, or the dist
 * directory given with `--dist=<dir>`, to compare two builds side by side (before/after a fix).
 */
export function chainproof(entry = 'index') {
  if (args.dist) return import(pathToFileURL(join(String(args.dist), 'esm', `${entry}.js`)).href)
  return import(entry === 'index' ? 'chainproof' : `chainproof/${entry}`)
}

/** A bench child hands its figures to bench/run.mjs on one line of stdout. */
export function report(result) {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`)
}

/** test/support/scenario-space.ts, transpiled with the repo's TypeScript (type-only imports vanish). */
export async function loadScenarioSpace() {
  // bench/run.mjs transpiles it once for all workers (loading TypeScript costs each a few hundred ms).
  if (args.space) return import(pathToFileURL(String(args.space)).href)
  const file = transpileScenarioSpace()
  try {
    return await import(pathToFileURL(file).href)
  } finally {
    rmSync(dirname(file), { recursive: true, force: true })
  }
}

/** Writes test/support/scenario-space.ts as an ES module in a temp dir; returns its path. */
export function transpileScenarioSpace() {
  const ts = createRequire(join(root, 'package.json'))('typescript')
  const source = readFileSync(join(root, 'test', 'support', 'scenario-space.ts'), 'utf8')
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
  const file = join(mkdtempSync(join(tmpdir(), 'chainproof-bench-')), 'scenario-space.mjs')
  writeFileSync(file, outputText)
  return file
}

export const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? true]
  }),
)
/** `--quick` shrinks every loop (a smoke run); the README's figures come from a full run. */
export const scale = (full, quick) => (args.quick ? quick : full)
