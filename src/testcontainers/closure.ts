import { builtinModules } from 'node:module'
import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'

/**
 * The files a Node program needs at run time, found without running it: the program's own
 * files (following relative requires), then every package its bare requires name, and their
 * dependencies, resolved the way Node resolves them (node_modules up the tree, symlinks kept).
 */

/** One file to copy: where it is on this machine (real path) and where it goes (a host path). */
export interface ClosureFile {
  /** The real path on this machine. */
  source: string
  /** The host path it stands at (the same as source unless a symlink led there). */
  path: string
  size: number
  mode: number
}

/** A symlink to recreate (node_modules/x → ../.pnpm/x/node_modules/x), as a host path and its relative target. */
export interface ClosureLink {
  path: string
  target: string
}

export interface Closure {
  files: ClosureFile[]
  links: ClosureLink[]
  /** The packages copied, by real directory → name@version. */
  packages: Map<string, string>
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
/** `require('x')` and `import('x')` calls. */
const CALL_RE = /\b(?:require|import)\(\s*(['"])([^'"\n]+)\1\s*\)/g
/** Static `import … from 'x'`, `export … from 'x'` and `import 'x'`, at the start of a line (not inside a string). */
const STATIC_RE = /^[ \t]*(?:(?:import|export)\b[^'"`;]*?\bfrom[ \t]*(['"])([^'"\n]+)\1|import[ \t]*(['"])([^'"\n]+)\3)/gm

/** Files a package never needs at run time: types, maps, docs, the ESM twin when CJS is used is kept (exports may name it). */
const SKIP_FILE = /(\.d\.ts|\.d\.cts|\.d\.mts|\.map|\.md|\.markdown|\.tsbuildinfo)$/i
const SKIP_DIR = new Set(['node_modules', 'dist-types', 'test', 'tests', '__tests__', '.github', 'docs', 'src-ts'])

function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!)) return undefined
  if (/^[a-z]+:/i.test(specifier)) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** The bare package names a set of entry files require, following their relative requires. */
export async function requiredPackages(entries: readonly string[]): Promise<{ files: string[]; packages: Set<string> }> {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const queue = [...entries.map((entry) => resolve(entry))]
  while (queue.length) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const text = await readFile(file, 'utf8')
    const specifiers = [...text.matchAll(CALL_RE)].map((m) => m[2]!)
    if (!file.endsWith('.cjs')) specifiers.push(...[...text.matchAll(STATIC_RE)].map((m) => (m[2] ?? m[4])!))
    for (const specifier of specifiers) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        const target = resolve(dirname(file), specifier)
        const candidates = [target, `${target}.cjs`, `${target}.js`, `${target}.mjs`, join(target, 'index.js')]
        for (const candidate of candidates) {
          const info = await stat(candidate).catch(() => undefined)
          if (info?.isFile()) {
            queue.push(candidate)
            break
          }
        }
        continue
      }
      const name = packageNameOf(specifier)
      if (name) packages.add(name)
    }
  }
  return { files: [...seen], packages }
}

/** Where Node finds package `name` from directory `from`: the first node_modules up the tree. */
async function findPackage(name: string, from: string): Promise<string | undefined> {
  let dir = from
  for (;;) {
    if (!dir.endsWith(`${sep}node_modules`)) {
      const candidate = join(dir, 'node_modules', name)
      const info = await stat(join(candidate, 'package.json')).catch(() => undefined)
      if (info?.isFile()) return candidate
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

async function walkFiles(root: string, dir: string, out: ClosureFile[], hostDir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (SKIP_DIR.has(entry.name)) continue
      await walkFiles(root, full, out, hostDir)
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (SKIP_FILE.test(entry.name)) continue
      const info = await stat(full).catch(() => undefined)
      if (!info?.isFile()) continue
      out.push({ source: full, path: join(hostDir, relative(root, full)), size: info.size, mode: info.mode & 0o777 })
    }
  }
}

/**
 * The packages `names` (required from `fromDir`) and everything they depend on: files to
 * copy at their real paths, and the symlinks that led to them.
 */
export async function packageClosure(names: Iterable<string>, fromDir: string, options: { optional?: Iterable<string> } = {}): Promise<Closure> {
  const files: ClosureFile[] = []
  const links = new Map<string, string>()
  const packages = new Map<string, string>()
  const optional = new Set(options.optional ?? [])
  const queue: Array<{ name: string; from: string; required: boolean }> = []
  for (const name of names) queue.push({ name, from: fromDir, required: !optional.has(name) })
  const resolved = new Set<string>()
  while (queue.length) {
    const { name, from, required } = queue.shift()!
    const key = `${name}\u0000${from}`
    if (resolved.has(key)) continue
    resolved.add(key)
    const found = await findPackage(name, from)
    if (!found) {
      if (required) throw new Error(`cannot find package "${name}" from ${from}: is it installed?`)
      continue
    }
    const real = await realpath(found)
    if (real !== found) await addLinks(found, real, links)
    if (packages.has(real)) continue
    const manifest = JSON.parse(await readFile(join(real, 'package.json'), 'utf8')) as {
      name?: string
      version?: string
      dependencies?: Record<string, string>
      optionalDependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
    }
    packages.set(real, `${manifest.name ?? name}@${manifest.version ?? '?'}`)
    await walkFiles(real, real, files, real)
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: real, required: true })
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) queue.push({ name: dep, from: real, required: false })
    for (const dep of Object.keys(manifest.peerDependencies ?? {})) queue.push({ name: dep, from: real, required: false })
  }
  return { files, links: [...links].map(([path, target]) => ({ path, target })), packages }
}

/**
 * Records the symlinks on the way from a logical path to its real path: each path component
 * that is a symlink becomes a link entry (its target made relative), so Node inside the image
 * walks the same way it does here.
 */
async function addLinks(logical: string, real: string, links: Map<string, string>): Promise<void> {
  const parts = logical.split(sep)
  let current = parts[0] === '' ? sep : parts[0]!
  for (const part of parts.slice(1)) {
    current = join(current, part)
    const info = await lstat(current).catch(() => undefined)
    if (!info?.isSymbolicLink()) continue
    const target = resolve(dirname(current), await readlink(current))
    if (!links.has(current)) links.set(current, relative(dirname(current), target))
    // Later components are inside the (real) target; keep walking from there.
    const rest = relative(current, logical)
    if (rest) return addLinks(join(await realpath(current), rest), real, links)
    return
  }
}
