/**
 * chainproof/testcontainers wherever the package is installed: the PACKED TARBALL (as npm
 * publish ships it) goes into fresh throwaway consumer projects, laid out by four installers:
 *
 * - npm, flat node_modules (ESM import);
 * - npm, nested: chainproof is a dependency of the project's own local package (`file:`), and
 *   `--install-strategy=nested` puts it and each of its dependencies in a node_modules of their
 *   own: harness/node_modules/chainproof/node_modules/zod (CommonJS require, through that package);
 * - pnpm (pinned), its symlinked store (ESM import);
 * - an npm-workspaces monorepo, hoisted to the root (CommonJS require, from a workspace).
 *
 * In each, test/consumers/containers/world.test.mjs starts a CredentialWorldContainer from THAT
 * install and a separate process, given world.env and PATH only, resolves credentials with the
 * SDK's default chain (its own @aws-sdk/client-sts) and signs STS GetCallerIdentity; the world's
 * records must say the instance profile signed it. The image holds one self-contained file
 * (dist/world-server.cjs), so it is the same image for every layout.
 *
 * Installs reach the npm registry (--prefer-offline, the shared npm cache; --ignore-scripts);
 * everything else stays on this machine: the world containers use host networking on 127.0.0.1
 * and the consumer processes run under a loopback-only socket guard.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

process.env.CHAINPROOF_IMAGE_BASE ??= 'scratch'
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
import { CredentialWorldContainer, containerEngine } from '../../src/testcontainers.js'
// @ts-expect-error: a plain .mjs helper without declarations
import { packedTarball } from '../../scripts/lib/pack.mjs'

// @ts-expect-error: a plain .mjs helper shared with the scripts
import { PNPM as PINNED_PNPM, run as runCommand, runInstall } from '../../scripts/lib/proc.mjs'
const PNPM: string = PINNED_PNPM
/** What each consumer installs beside chainproof: the same versions this repo tests with, so the npm cache has them. */
const repo = join(import.meta.dirname, '..', '..')
const versionOf = (name: string) => (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
const PEERS = {
  testcontainers: versionOf('testcontainers'),
  '@aws-sdk/credential-provider-node': versionOf('@aws-sdk/credential-provider-node'),
}
const CLIENT = { '@aws-sdk/client-sts': versionOf('@aws-sdk/client-sts') }
const FILES = join(repo, 'test', 'consumers', 'containers')

const engine = await containerEngine()
const required = process.env.CHAINPROOF_REQUIRE_DOCKER === '1'
if (!engine.available && !required) console.warn(`chainproof: installed-package container tests skipped: ${engine.reason}`)

interface Run {
  code: number
  output: string
  ms: number
}

/** Runs a command to its end (asynchronously, so the four consumers proceed side by side): the scripts' own runner, 4 min at most. */
const run = (command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<Run> =>
  runCommand(command, args, { timeoutMs: 240_000, ...options })

/** An install the same way: run once more with --prefer-online when the package cache is older than a range (see runInstall). */
const install = (command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Run> =>
  runInstall(command, args, { timeoutMs: 240_000, ...options })

/** The installers' environment: this machine's (npm needs its cache and config), less every AWS_* variable. */
function installEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('AWS_')) env[key] = value
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }
}

/** The consumer test's environment: PATH, a HOME of its own, and what the engine needs; no AWS_* at all. */
function consumerEnv(home: string, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    CHAINPROOF_IMAGE_BASE: process.env.CHAINPROOF_IMAGE_BASE ?? 'scratch',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  }
  for (const key of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'TESTCONTAINERS_HOST_OVERRIDE', 'TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE']) {
    if (process.env[key]) env[key] = process.env[key]!
  }
  return env
}

const NPM_FLAGS = ['--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']

interface Setup {
  name: string
  /** Writes the project under dir; returns where the test file goes and how chainproof is imported there. */
  layout(dir: string, tarball: string): { testDir: string; importVia?: string }
  install(dir: string, tools: Promise<string>): Promise<Run>
  /** Where chainproof's package.json must be after the install (relative to dir). */
  installedAt: string
}

const json = (path: string, value: unknown) => {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
}

const SETUPS: Setup[] = [
  {
    name: 'npm (flat)',
    installedAt: 'node_modules/chainproof',
    layout(dir, tarball) {
      json(join(dir, 'package.json'), { name: 'consumer-npm', private: true, type: 'module', dependencies: { chainproof: `file:${tarball}`, ...PEERS, ...CLIENT } })
      return { testDir: dir }
    },
    install: (dir) => install('npm', ['install', ...NPM_FLAGS], { cwd: dir, env: installEnv() }),
  },
  {
    name: 'npm (nested)',
    installedAt: 'harness/node_modules/chainproof',
    layout(dir, tarball) {
      // chainproof is a dependency of the project's own test-harness package, not of the project.
      json(join(dir, 'harness', 'package.json'), {
        name: 'harness',
        version: '1.0.0',
        exports: { './testcontainers': './testcontainers.cjs', './matchers': './matchers.cjs' },
        dependencies: { chainproof: `file:${tarball}`, ...PEERS },
      })
      writeFileSync(join(dir, 'harness', 'testcontainers.cjs'), "module.exports = require('chainproof/testcontainers')\n")
      writeFileSync(join(dir, 'harness', 'matchers.cjs'), "module.exports = require('chainproof/matchers')\n")
      json(join(dir, 'package.json'), { name: 'consumer-nested', private: true, type: 'module', dependencies: { harness: 'file:./harness', ...CLIENT } })
      return { testDir: dir, importVia: 'harness' }
    },
    install: async (dir) => {
      const result = await install('npm', ['install', '--install-strategy=nested', ...NPM_FLAGS], { cwd: dir, env: installEnv() })
      // Nested for real: chainproof's own dependencies under its own node_modules, none hoisted.
      if (result.code === 0 && !existsSync(join(dir, 'harness', 'node_modules', 'chainproof', 'node_modules', 'zod', 'package.json'))) {
        return { ...result, code: 1, output: `${result.output}\nexpected zod nested at harness/node_modules/chainproof/node_modules/zod` }
      }
      return result
    },
  },
  {
    name: `pnpm (${PNPM})`,
    installedAt: 'node_modules/chainproof',
    layout(dir, tarball) {
      json(join(dir, 'package.json'), { name: 'consumer-pnpm', private: true, type: 'module', dependencies: { chainproof: `file:${tarball}`, ...PEERS, ...CLIENT } })
      return { testDir: dir }
    },
    install: async (dir, tools) => {
      const pnpm = join(await tools, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')
      return install(process.execPath, [pnpm, 'install', '--ignore-scripts', '--prefer-offline', '--config.confirmModulesPurge=false', '--reporter=append-only'], { cwd: dir, env: installEnv() })
    },
  },
  {
    name: 'npm workspaces (hoisted monorepo)',
    installedAt: 'node_modules/chainproof',
    layout(dir, tarball) {
      json(join(dir, 'package.json'), { name: 'consumer-monorepo', private: true, workspaces: ['packages/*'] })
      json(join(dir, 'packages', 'service', 'package.json'), { name: 'service', version: '1.0.0', type: 'module', dependencies: { chainproof: `file:${tarball}`, ...PEERS, ...CLIENT } })
      json(join(dir, 'packages', 'other', 'package.json'), { name: 'other', version: '1.0.0', dependencies: { ...CLIENT } })
      return { testDir: join(dir, 'packages', 'service'), importVia: 'chainproof' }
    },
    install: (dir) => install('npm', ['install', ...NPM_FLAGS], { cwd: dir, env: installEnv() }),
  },
]

describe.runIf(engine.available)('chainproof/testcontainers installed from the packed tarball', () => {
  let work: string
  let tarball: string
  let tools: Promise<string>
  let prebuilt: Promise<unknown>
  const timings: Record<string, { installMs: number; testMs: number }> = {}

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'chainproof-installed-'))
    tarball = packedTarball() as string
    // pnpm, pinned, from the npm registry into a tools folder (started now, awaited by the pnpm setup only).
    const toolsDir = join(work, 'tools')
    json(join(toolsDir, 'package.json'), { name: 'tools', private: true })
    tools = install('npm', ['install', '--no-save', `${PNPM}`, ...NPM_FLAGS], { cwd: toolsDir, env: installEnv() }).then((r) => {
      if (r.code !== 0) throw new Error(`installing ${PNPM} failed (exit ${r.code}):\n${r.output.slice(-3000)}`)
      return toolsDir
    })
    tools.catch(() => {})
    // The world image of the tarball's own server file, built (or found) once while the installs
    // run, so four consumers do not build the same image at once; each still looks it up itself.
    const extracted = join(work, 'tarball')
    mkdirSync(extracted)
    const untar = await run('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1'], { cwd: work, env: { PATH: process.env.PATH ?? '' } })
    expect(untar.code, untar.output).toBe(0)
    expect(existsSync(join(extracted, 'dist', 'world-server.cjs')), 'the packed tarball ships dist/world-server.cjs').toBe(true)
    prebuilt = CredentialWorldContainer.buildImage({ packageRoot: extracted, log: () => {} })
    prebuilt.catch(() => {})
  }, 300_000)

  afterAll(async () => {
    if (Object.keys(timings).length) console.log(`installed-package timings (ms): ${JSON.stringify(timings)}`)
    // Four node_modules trees: removing them can take a while on a busy disk.
    if (work && process.env.CHAINPROOF_KEEP_CONSUMERS !== '1') await rm(work, { recursive: true, force: true })
  }, 120_000)

  it.concurrent.each(SETUPS.map((setup) => [setup.name, setup] as const))(
    '%s: a world container from that install serves the instance profile to a separate process',
    async (_name, setup) => {
      const dir = join(work, setup.name.replace(/\W+/g, '-').replace(/^-|-$/g, ''))
      mkdirSync(dir, { recursive: true })
      const { testDir, importVia } = setup.layout(dir, tarball)
      for (const file of ['world.test.mjs', 'client.mjs', 'loopback-guard.cjs']) copyFileSync(join(FILES, file), join(testDir, file))

      const install = await setup.install(dir, tools)
      expect(install.code, `${setup.name} install failed:\n${install.output.slice(-4000)}`).toBe(0)
      const installed = join(dir, setup.installedAt)
      expect(existsSync(join(installed, 'package.json')), `${setup.name}: chainproof is not at ${setup.installedAt}`).toBe(true)
      expect(existsSync(join(installed, 'dist', 'world-server.cjs'))).toBe(true)
      await prebuilt

      const report = join(dir, 'report.json')
      const test = await run(process.execPath, ['--require', './loopback-guard.cjs', 'world.test.mjs'], {
        cwd: testDir,
        env: consumerEnv(dir, { CONSUMER_REPORT: report, ...(importVia ? { CONSUMER_IMPORT: importVia } : {}) }),
        timeoutMs: 120_000,
      })
      timings[setup.name] = { installMs: Math.round(install.ms), testMs: Math.round(test.ms) }
      expect(test.code, `${setup.name}: the consumer's test failed:\n${test.output.slice(-6000)}`).toBe(0)
      const summary = JSON.parse(readFileSync(report, 'utf8')) as { image: string; arn: string; keyIdEnd: string; servers: string[]; signedBy: string }
      expect(summary).toMatchObject({ signedBy: 'instanceProfile', servers: ['imds', 'sts'] })
      expect(summary.image).toMatch(/^chainproof-world:[0-9a-f]{16}$/)
      // The same server file in every layout, so the same image.
      expect(summary.image).toBe(((await prebuilt) as { image: string }).image)
      expect(summary.keyIdEnd).toMatch(/^[A-Z0-9]{4}$/)
    },
    300_000,
  )
})

if (!engine.available && required) {
  it('has a container engine (CHAINPROOF_REQUIRE_DOCKER=1)', () => {
    throw new Error(`CHAINPROOF_REQUIRE_DOCKER=1 but ${engine.reason}`)
  })
}
