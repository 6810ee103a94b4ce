/**
 * The throwaway projects (consumer matrix, compat matrix, installed-package containers) install
 * with `--prefer-offline` from a package cache that outlives a run. Real npm, against a
 * registry on loopback, shows why that once broke CI and that `runInstall` recovers: a cached
 * packument older than a dependency's range fails with ETARGET, and the install runs again
 * with `--prefer-online`. Nothing here leaves 127.0.0.1.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { NPM_INSTALL, run, runInstall } from '../scripts/lib/proc.mjs'

interface Run {
  code: number
  output: string
  ms: number
  retried?: boolean
}

interface Version {
  version: string
  dependencies?: Record<string, string>
  tarball: Buffer
}

const work = mkdtempSync(join(tmpdir(), 'chainproof-pkgcache-'))
/** What the registry serves now: package name → versions. */
const published = new Map<string, Version[]>()
const requests: string[] = []
let server: Server
let registry: string

function tarballOf(name: string, version: string, dependencies?: Record<string, string>): Buffer {
  const dir = join(work, 'src', `${name}-${version}`)
  mkdirSync(join(dir, 'package'), { recursive: true })
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ name, version, ...(dependencies ? { dependencies } : {}) }))
  execFileSync('tar', ['-czf', 'p.tgz', 'package'], { cwd: dir })
  return readFileSync(join(dir, 'p.tgz'))
}

function publish(name: string, version: string, dependencies?: Record<string, string>) {
  const list = published.get(name) ?? []
  list.push({ version, dependencies, tarball: tarballOf(name, version, dependencies) })
  published.set(name, list)
}

function packument(name: string) {
  const versions = published.get(name)
  if (!versions) return undefined
  return {
    name,
    'dist-tags': { latest: versions[versions.length - 1]!.version },
    versions: Object.fromEntries(
      versions.map((v) => [
        v.version,
        {
          name,
          version: v.version,
          ...(v.dependencies ? { dependencies: v.dependencies } : {}),
          dist: {
            tarball: `${registry}/${name}/-/${name}-${v.version}.tgz`,
            shasum: createHash('sha1').update(v.tarball).digest('hex'),
            integrity: `sha512-${createHash('sha512').update(v.tarball).digest('base64')}`,
          },
        },
      ]),
    ),
  }
}

/** A fresh project depending on `dependencies`, installed with the throwaway projects' own flags. */
function project(label: string, dependencies: Record<string, string>) {
  const dir = join(work, label)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: label, private: true, dependencies }))
  return dir
}

const npmEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: join(work, 'home'),
  npm_config_cache: join(work, 'cache'),
  npm_config_registry: `${registry}/`,
  npm_config_userconfig: join(work, 'home', '.npmrc'),
  npm_config_update_notifier: 'false',
})

beforeAll(async () => {
  mkdirSync(join(work, 'home'), { recursive: true })
  writeFileSync(join(work, 'home', '.npmrc'), '')
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).slice(1)
    requests.push(path)
    const tgz = /^(.+)\/-\/.+-(\d+\.\d+\.\d+)\.tgz$/.exec(path)
    if (tgz) {
      const found = published.get(tgz[1]!)?.find((v) => v.version === tgz[2])
      if (found) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(found.tarball)
    } else {
      const doc = packument(path)
      if (doc) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc))
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(work, { recursive: true, force: true })
})

describe('installs from a package cache older than the registry', () => {
  it('npm fails with ETARGET on a stale cached packument; runInstall installs again with --prefer-online and gets the new version', async () => {
    expect(NPM_INSTALL).toContain('--prefer-offline')
    // The cache learns cp-a when it has one version.
    publish('cp-a', '1.0.0')
    const first: Run = await run('npm', NPM_INSTALL, { cwd: project('first', { 'cp-a': '^1.0.0' }), env: npmEnv() })
    expect(first.code, first.output).toBe(0)

    // A release: cp-a 1.1.0, and cp-b 1.0.0 that needs it (as a new @aws-sdk/core needs a new @aws-sdk/checksums).
    publish('cp-a', '1.1.0')
    publish('cp-b', '1.0.0', { 'cp-a': '^1.1.0' })

    const plain: Run = await run('npm', NPM_INSTALL, { cwd: project('plain', { 'cp-b': '^1.0.0' }), env: npmEnv() })
    expect(plain.code).not.toBe(0)
    expect(plain.output).toMatch(/ETARGET/)
    expect(plain.output).toContain('cp-a@^1.1.0')

    const dir = project('recovered', { 'cp-b': '^1.0.0' })
    const recovered: Run = await runInstall('npm', NPM_INSTALL, { cwd: dir, env: npmEnv() })
    expect(recovered.code, recovered.output).toBe(0)
    expect(recovered.retried).toBe(true)
    expect(recovered.output).toContain('installed again with --prefer-online')
    expect(JSON.parse(readFileSync(join(dir, 'node_modules', 'cp-a', 'package.json'), 'utf8')).version).toBe('1.1.0')
    // Every request went to the loopback registry, and only for these packages.
    expect(new Set(requests.map((p) => p.split('/-/')[0]))).toEqual(new Set(['cp-a', 'cp-b']))
  }, 120_000)

  it('any other failure stands: a package the registry does not have is not installed again', async () => {
    const result: Run = await runInstall('npm', NPM_INSTALL, { cwd: project('missing', { 'cp-nowhere': '^1.0.0' }), env: npmEnv() })
    expect(result.code).not.toBe(0)
    expect(result.output).toMatch(/E404/)
    expect(result.retried).toBeUndefined()
  }, 60_000)
})
