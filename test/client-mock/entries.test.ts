/**
 * aws-sdk-client-mock is an optional peer: no built entry may load it (or sinon) at run time,
 * not even chainproof/client-mock, which only refers to its types. Checked over the built files
 * (npm run build first), following every local chunk an entry imports, in both formats; and
 * chainproof/client-mock loads in plain Node, ESM and CommonJS.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const built = ['dist/esm/client-mock.js', 'dist/esm/client-mock.d.ts', 'dist/cjs/client-mock.cjs'].every((file) => existsSync(join(root, file)))

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g

/** Every bare module an entry loads, through the chunks it imports. */
function bareImportsOf(entry: string): Set<string> {
  const bare = new Set<string>()
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!))
      else bare.add(specifier!)
    }
  }
  visit(entry)
  return bare
}

describe('aws-sdk-client-mock stays optional', () => {
  it('has been built', () => {
    expect(built, 'run `npm run build` before this suite').toBe(true)
  })

  const entries = ['index', 'vitest', 'jest', 'matchers', 'client-mock'].flatMap((name) => [`dist/esm/${name}.js`, `dist/cjs/${name}.cjs`])
  it.runIf(built).each(entries)('%s loads neither aws-sdk-client-mock nor sinon', (entry) => {
    const imports = [...bareImportsOf(join(root, entry))]
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter((name) => /^(aws-sdk-client-mock|sinon)(\/|$)/.test(name))).toEqual([])
  })

  it.runIf(built)('chainproof/client-mock refers to aws-sdk-client-mock in its types only', () => {
    expect(readFileSync(join(root, 'dist/esm/client-mock.d.ts'), 'utf8')).toContain("from 'aws-sdk-client-mock'")
  })

  const script = (load: string) =>
    `const m = ${load}; console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort().map((k) => k + ':' + typeof m[k])))`
  it.runIf(built).each([
    ['ESM', ['--input-type=module', '-e', script("await import('chainproof/client-mock')")]],
    ['CommonJS', ['--input-type=commonjs', '-e', script("require('chainproof/client-mock')")]],
  ])('%s: chainproof/client-mock loads outside a runner', (_format, args) => {
    const out = execFileSync(process.execPath, args as string[], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
    expect(JSON.parse(out.split('\n').pop()!)).toEqual(['isStsClientMocked:function', 'signedCallsOf:function', 'withCredentialResolution:function'])
  })
})
