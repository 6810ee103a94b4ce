/**
 * The source layout holds: one folder per credential source under src/sources/, one registry
 * list whose order is the public `SOURCES` order, every table derived from it, and imports that
 * run one way — no cycles anywhere in src/, and servers/ never imports world/, probe/, matchers/
 * or the CLI (docs/ARCHITECTURE.md). Imports are read with TypeScript's own pre-processor.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { SOURCES, SOURCE_ALIASES } from '../src/types.js'
import { FEATURE_CODES, JS_V3_LINKS, PROFILE_BRANCHES, REGISTRY } from '../src/sources/index.js'
import { SERVER_NAMES } from '../src/servers/index.js'

const SRC = resolve(import.meta.dirname, '..', 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** file (relative to src) → the src files it imports (type-only imports included: a cycle of types is still a cycle). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of files(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(SRC, resolve(dirname(file), name.replace(/\.js$/, '.ts'))))
    graph.set(relative(SRC, file), targets)
  }
  return graph
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string) => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return found
}

describe('the source layout', () => {
  const graph = importGraph()

  it('has no import cycles in src/', () => {
    expect(graph.size).toBeGreaterThan(100)
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([])
  })

  it('servers/ imports no world/, probe/, matchers/, cli/ or chain/ module: data flows spec → world → servers → probe → matchers', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      file.startsWith('servers/') ? targets.filter((t) => /^(world|probe|matchers|cli|chain|runner)\//.test(t)).map((t) => `${file} → ${t}`) : [],
    )
    expect(upward).toEqual([])
  })

  it("a source's server files import only servers/ and their own folder", () => {
    const wrong = [...graph].flatMap(([file, targets]) => {
      const m = /^sources\/(\w+)\/(server|state)\.ts$/.exec(file)
      if (!m) return []
      return targets.filter((t) => !t.startsWith('servers/') && !t.startsWith(`sources/${m[1]}/`) && t !== 'types.ts').map((t) => `${file} → ${t}`)
    })
    expect(wrong).toEqual([])
  })

  it('registers every source once, in the public SOURCES order, each with its own folder', () => {
    expect(REGISTRY.map((s) => s.source)).toEqual(SOURCES.filter((s) => s !== 'code'))
    const folders = readdirSync(join(SRC, 'sources')).filter((name) => statSync(join(SRC, 'sources', name)).isDirectory())
    expect(folders.sort()).toEqual(REGISTRY.map((s) => s.source).sort())
    for (const alias of Object.values(SOURCE_ALIASES)) expect(SOURCES).toContain(alias)
  })

  it('derives the chain links, fromIni branches, $source codes and servers from the registry', () => {
    expect(JS_V3_LINKS.map((l) => `${l.source}:${l.name}`)).toEqual([
      'env:fromEnv',
      'sso:fromSSO',
      'profile:fromIni',
      'process:fromProcess',
      'webIdentity:fromTokenFile',
      'container:fromHttp',
      'instanceProfile:fromInstanceMetadata',
    ])
    expect(PROFILE_BRANCHES.map((b) => `${b.branch}:${b.source}`)).toEqual(['role:profile', 'static:profile', 'webIdentity:webIdentity', 'process:process', 'sso:sso', 'login:login'])
    const codes = new Map(FEATURE_CODES)
    expect(codes.get('AC')).toBe('login')
    expect(codes.get('g')).toBe('env')
    expect(new Set(FEATURE_CODES.map(([code]) => code)).size).toBe(FEATURE_CODES.length)
    expect(SERVER_NAMES).toEqual(['imds', 'container', 'sts', 'sso', 'gate', 'signin'])
  })

  it('keeps what is about one source in its folder: no module outside src/sources/ names login_session or the Signin service', () => {
    const outside = files(SRC)
      .filter((file) => !relative(SRC, file).startsWith('sources/'))
      .filter((file) => /login_session|CreateOAuth2Token|credential-provider-login/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file))
    // the public types name every ProfileSpec shape; probe/sdk.ts is the table of the SDK packages the probe loads (the world image inlines them)
    expect(outside.sort()).toEqual(['probe/sdk.ts', 'types.ts'])
  })
})
