/**
 * The container world's plumbing that needs no engine: the serve banner, the host view of its
 * URLs (host networking and mapped ports), free port blocks, the runtime file closure that goes
 * into a service image (symlinked node_modules included), and dist/world-server.cjs, the world
 * image's one self-contained file, run alone from an empty directory.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { packageClosure, requiredPackages } from '../../src/testcontainers/closure.js'
import { hostView, parseBanner, servePorts } from '../../src/testcontainers/env.js'
import { PORT_BLOCK, releasePortBlock, reservePortBlock } from '../../src/testcontainers/ports.js'

const banner = {
  env: {
    HOME: '/tmp/w/chainproof-home-x',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:7000',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:7001/v2/credentials/task',
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:7002',
    AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:7003',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:7004',
    AWS_REGION: 'us-east-1',
  },
  endpoints: { imds: 'http://127.0.0.1:7000', container: 'http://127.0.0.1:7001', sts: 'http://127.0.0.1:7002', sso: 'http://127.0.0.1:7003', gate: 'http://127.0.0.1:7004', signin: 'http://127.0.0.1:7006' },
  control: 'http://127.0.0.1:7005',
}

describe('the serve banner', () => {
  it('is recognised only as the JSON line with env, endpoints and control', () => {
    expect(parseBanner(JSON.stringify(banner))).toEqual(banner)
    expect(parseBanner('chainproof serve: empty world — imds http://127.0.0.1:7000')).toBeUndefined()
    expect(parseBanner('{"server":"imds","method":"GET"}')).toBeUndefined()
    expect(parseBanner('{not json')).toBeUndefined()
  })
})

describe('hostView', () => {
  it('keeps host-network URLs as printed', () => {
    expect(hostView(banner)).toEqual(banner)
  })

  it('rewrites every container port to its mapped port on 127.0.0.1, in variables, endpoints and control', () => {
    const mapping = new Map(servePorts(7000).map((port, i) => [port, 32768 + i]))
    const view = hostView({ ...banner, endpoints: { ...banner.endpoints, imds: 'http://0.0.0.0:7000' } }, mapping)
    expect(view.env.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBe('http://127.0.0.1:32768')
    expect(view.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe('http://127.0.0.1:32769/v2/credentials/task')
    expect(view.env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:32772')
    expect(view.env.HOME).toBe(banner.env.HOME)
    expect(view.endpoints).toEqual({
      imds: 'http://127.0.0.1:32768',
      container: 'http://127.0.0.1:32769',
      sts: 'http://127.0.0.1:32770',
      sso: 'http://127.0.0.1:32771',
      gate: 'http://127.0.0.1:32772',
      signin: 'http://127.0.0.1:32774',
    })
    expect(view.control).toBe('http://127.0.0.1:32773')
  })

  it('reaches a server bound to every interface on loopback', () => {
    expect(hostView({ ...banner, control: 'http://0.0.0.0:7005' }).control).toBe('http://127.0.0.1:7005')
  })

  it('refuses a world whose URLs leave loopback', () => {
    expect(() => hostView({ ...banner, env: { ...banner.env, AWS_ENDPOINT_URL: 'http://169.254.169.254' } })).toThrow(/AWS_ENDPOINT_URL = http:\/\/169\.254\.169\.254, which is not a loopback URL/)
    expect(() => hostView({ ...banner, endpoints: { ...banner.endpoints, sts: 'https://sts.amazonaws.com' } })).toThrow(/endpoints\.sts/)
  })
})

describe('reservePortBlock', () => {
  it('hands out disjoint blocks of free loopback ports, skipping a block with a busy port', async () => {
    const blocks = await Promise.all(Array.from({ length: 8 }, () => reservePortBlock()))
    const sorted = [...blocks].sort((a, b) => a - b)
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(PORT_BLOCK)
    blocks.forEach(releasePortBlock)

    // Occupy one port of a small range: the only other block in it is chosen.
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(21_003, '127.0.0.1', resolve))
    try {
      const base = await reservePortBlock({ low: 21_000, high: 21_000 + 3 * PORT_BLOCK, attempts: 200 })
      expect(base).toBe(21_000 + PORT_BLOCK)
      releasePortBlock(base)
    } finally {
      busy.close()
    }
  })
})

describe('the runtime closure of an image', () => {
  const root = mkdtempSync(join(tmpdir(), 'chainproof-closure-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  function pkg(dir: string, name: string, deps: Record<string, string> = {}, extra: Record<string, string> = {}) {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', dependencies: deps }))
    writeFileSync(join(dir, 'index.js'), `module.exports = 1`)
    for (const [file, text] of Object.entries(extra)) {
      mkdirSync(join(dir, file, '..'), { recursive: true })
      writeFileSync(join(dir, file), text)
    }
  }

  it('follows relative requires for the program and names its packages, builtins aside', async () => {
    const app = join(root, 'app')
    mkdirSync(join(app, 'lib'), { recursive: true })
    writeFileSync(join(app, 'main.cjs'), `require('node:fs'); require('path'); require('./lib/a.cjs'); require('@scope/one/sub')`)
    writeFileSync(join(app, 'lib', 'a.cjs'), `const x = require("two"); import('three')`)
    const found = await requiredPackages([join(app, 'main.cjs')])
    expect(found.files.map((f) => f.slice(app.length)).sort()).toEqual(['/lib/a.cjs', '/main.cjs'])
    expect([...found.packages].sort()).toEqual(['@scope/one', 'three', 'two'])
  })

  it('reads static imports of ES modules, but not import text inside strings (help texts, messages)', async () => {
    const app = join(root, 'esm')
    mkdirSync(app, { recursive: true })
    writeFileSync(
      join(app, 'main.mjs'),
      `import {\n  a,\n} from '@aws-sdk/client-s3'\nimport 'side-effect'\nexport { b } from "re-export"\nconst help = "write: import { x } from 'expect'"\n`,
    )
    writeFileSync(join(app, 'cli.cjs'), `const help = \`import { useCredentialWorld } from "vitest"\`; require('zod')`)
    expect([...(await requiredPackages([join(app, 'main.mjs')])).packages].sort()).toEqual(['@aws-sdk/client-s3', 're-export', 'side-effect'])
    expect([...(await requiredPackages([join(app, 'cli.cjs')])).packages]).toEqual(['zod'])
  })

  it('copies each dependency once, nested versions where Node finds them, types and maps left out, pnpm-style symlinks kept', async () => {
    const project = join(root, 'project')
    // a → b (hoisted), a → c@nested (in a's own node_modules); d is reached through a symlink (pnpm).
    pkg(join(project, 'node_modules', 'a'), 'a', { b: '1', c: '2', d: '1' }, { 'index.d.ts': 'x', 'index.js.map': '{}', 'dist-types/x.d.ts': 'x' })
    pkg(join(project, 'node_modules', 'b'), 'b')
    pkg(join(project, 'node_modules', 'c'), 'c')
    pkg(join(project, 'node_modules', 'a', 'node_modules', 'c'), 'c')
    pkg(join(project, 'node_modules', '.pnpm', 'd@1', 'node_modules', 'd'), 'd', { b: '1' })
    symlinkSync(join('.pnpm', 'd@1', 'node_modules', 'd'), join(project, 'node_modules', 'd'))
    const closure = await packageClosure(['a'], project)
    const rel = (p: string) => p.slice(project.length + 1)
    expect([...closure.packages.keys()].map(rel).sort()).toEqual(['node_modules/.pnpm/d@1/node_modules/d', 'node_modules/a', 'node_modules/a/node_modules/c', 'node_modules/b'])
    const ofA = closure.files.map((f) => rel(f.path)).filter((p) => p.startsWith('node_modules/a/') && !p.startsWith('node_modules/a/node_modules/'))
    expect(ofA.sort()).toEqual(['node_modules/a/index.js', 'node_modules/a/package.json'])
    expect(closure.files.some((f) => /\.d\.ts$|\.map$/.test(f.path))).toBe(false)
    expect(closure.links.map((l) => [rel(l.path), l.target])).toEqual([['node_modules/d', '.pnpm/d@1/node_modules/d']])
  })

  it('fails naming a missing required package, and skips a missing optional one', async () => {
    await expect(packageClosure(['nope'], root)).rejects.toThrow(/cannot find package "nope"/)
    await expect(packageClosure(['nope'], root, { optional: ['nope'] })).resolves.toMatchObject({ files: [] })
  })
})

describe('dist/world-server.cjs, the world image’s one file (no engine needed)', () => {
  const built = join(import.meta.dirname, '..', '..', 'dist', 'world-server.cjs')
  const alone = mkdtempSync(join(tmpdir(), 'chainproof-server-alone-'))
  afterAll(() => rmSync(alone, { recursive: true, force: true }))

  /** Runs the server file copied into an empty directory (no node_modules anywhere above it that holds chainproof's dependencies). */
  function spawnAlone(args: string[]) {
    return spawn(process.execPath, [join(alone, 'world-server.cjs'), ...args], { cwd: alone, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  }

  it('is built, and lists the packages it inlines', () => {
    expect(existsSync(built), `${built} is missing: build first (npx tsup)`).toBe(true)
    const meta = JSON.parse(readFileSync(join(built, '..', 'world-server.meta.json'), 'utf8')) as { packages: string[] }
    for (const name of ['zod', '@smithy/signature-v4', '@smithy/shared-ini-file-loader', '@aws-sdk/credential-provider-ini', '@smithy/credential-provider-imds']) {
      expect(meta.packages.some((p) => p.startsWith(`${name}@`)), name).toBe(true)
    }
    // No import or require of a package is left for run time: only Node's builtins.
    const text = readFileSync(built, 'utf8')
    // (`[require("@aws-sdk/signature-v4-crt");]` is text in one of the SDK's error messages.)
    const required = new Set([...text.matchAll(/(?<!\[)\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!))
    expect([...required].filter((name) => !builtinModules.includes(name.replace(/^node:/, '').split('/')[0]!) && !name.startsWith('node:'))).toEqual([])
  })

  it('serves a world from a directory with no node_modules: banner, /explain, and a clean stop on SIGTERM', async () => {
    copyFileSync(built, join(alone, 'world-server.cjs'))
    const base = await reservePortBlock()
    const child = spawnAlone(['serve', '--spec', JSON.stringify({ instanceProfile: { role: 'web' } }), '--port-base', String(base), '--format', 'json', '--log', 'none'])
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += String(chunk)))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (chunk) => {
          out += String(chunk)
          if (out.includes('\n')) resolve(out.split('\n')[0]!)
        })
        child.on('close', () => reject(new Error(`the server exited before its banner:\n${stderr}`)))
      })
      const printed = parseBanner(line)
      expect(printed?.control).toBe(`http://127.0.0.1:${base + 5}`)
      const token = (JSON.parse(line) as { token: string }).token
      expect((await fetch(`${printed!.control}/explain`)).status).toBe(401)
      const report = (await (await fetch(`${printed!.control}/explain`, { headers: { authorization: `Bearer ${token}` } })).json()) as { winner?: string }
      expect(report.winner).toBe('instanceProfile')
      expect(await (await fetch(`${printed!.endpoints.imds}/latest/meta-data/iam/security-credentials/`)).text()).toBe('web')
    } finally {
      child.kill('SIGTERM')
      releasePortBlock(base)
    }
    expect(await exited, stderr).toBe(0)
  })

  it('runs serve only, and says so for anything else', async () => {
    copyFileSync(built, join(alone, 'world-server.cjs'))
    const child = spawnAlone(['doctor'])
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += String(chunk)))
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(2)
    expect(stderr).toMatch(/runs `serve` only \(got "doctor"\)/)
  })
})
