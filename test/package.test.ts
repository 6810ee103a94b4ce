/**
 * What `npm publish` ships: a fresh `git archive` of HEAD — no dist, no manual build — packed
 * with `npm pack` must build first (prepack) and ship every file the exports map, `main`,
 * `module`, `types`, `typesVersions` and `bin` name, and nothing but dist, the README and
 * package.json. (The archive borrows this checkout's node_modules: installing is not packing.)
 *
 * Whether what it ships works is the consumer matrix's job (scripts/consumers.mjs).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain .mjs helpers shared with the scripts
import { freshCheckout } from '../scripts/lib/checkout.mjs'
// @ts-expect-error: plain .mjs helpers shared with the scripts
import { packInto } from '../scripts/lib/pack.mjs'

const root = join(import.meta.dirname, '..')
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  module: string
  types: string
  bin: Record<string, string>
  exports: Record<string, unknown>
  typesVersions: Record<string, Record<string, string[]>>
}

/** Every file path a manifest field names (exports conditions, main, module, types, typesVersions, bin). */
function namedFiles(): string[] {
  const paths = new Set<string>([manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin)])
  const walk = (value: unknown): void => {
    if (typeof value === 'string') paths.add(value)
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk(manifest.exports)
  walk(manifest.typesVersions)
  return [...paths].map((p) => p.replace(/^\.\//, '')).sort()
}

let work: string
let files: string[]
let tarball: string

describe('npm pack on a fresh checkout', () => {
  beforeAll(() => {
    const fresh: { dir: string; checkout: string } = freshCheckout('chainproof-archive-')
    work = fresh.dir
    const checkout = fresh.checkout
    expect(existsSync(join(checkout, 'dist')), 'a git archive has no dist').toBe(false)
    tarball = packInto(work, checkout)
    files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''))
  }, 240_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('builds first and ships every file the manifest names', () => {
    const named = namedFiles()
    expect(named.length).toBeGreaterThan(20)
    expect(named.filter((f) => !files.includes(f))).toEqual([])
  })

  it('ships the types of every entry, for ESM and CommonJS', () => {
    for (const entry of ['index', 'vitest', 'jest', 'matchers', 'client-mock', 'testcontainers']) {
      expect(files).toContain(`dist/esm/${entry}.d.ts`)
      expect(files).toContain(`dist/cjs/${entry}.d.cts`)
    }
  })

  it('ships only dist, the README and package.json', () => {
    expect([...new Set(files.map((f) => f.split('/')[0]))].sort()).toEqual(['README.md', 'dist', 'package.json'])
  })

  it("keeps chainproof/vitest's reference to Vitest's types, without which sorted imports lose the matchers", () => {
    for (const file of ['dist/esm/vitest.d.ts', 'dist/cjs/vitest.d.cts']) {
      const text = execFileSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8' })
      expect(text.split('\n')[0], file).toBe('/// <reference types="vitest" />')
    }
  })

  it('exposes no third-party types in the public declarations but the optional peers of their own entries', () => {
    const imported = new Set<string>()
    for (const file of files.filter((f) => /\.d\.c?ts$/.test(f))) {
      const text = execFileSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8' })
      for (const match of text.matchAll(/(?:from|import)\s+'([^.'][^']*)'/g)) imported.add(match[1]!)
    }
    expect([...imported].sort()).toEqual(['aws-sdk-client-mock', 'testcontainers'])
  })
})
