/**
 * The bar of the core issue: a user project that installs the packed tarball next to the AWS
 * SDK and its runner can write the README's tests and they pass — under Vitest (ESM) and
 * Jest (CommonJS). The project links this repo's installed dependencies instead of fetching.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
let project: string

const README_TEST = `
import { S3Client } from '@aws-sdk/client-s3'
import { it, expect } from 'vitest'
import { useCredentialWorld } from 'chainproof/vitest'

const world = useCredentialWorld()

it('runs as the instance role', async () => {
  await world.set({ instanceProfile: { role: 'web' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('instanceProfile')
  await expect(new S3Client({})).toResolveToRole('web')
})

it('shows the precedence bug', async () => {
  await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('env')
  await expect(new S3Client({})).not.toResolveCredentialsFrom('instanceProfile')
})
`

const JEST_TEST = `
const { S3Client } = require('@aws-sdk/client-s3')
const { useCredentialWorld } = require('chainproof/jest')

const world = useCredentialWorld()

test('runs as the instance role', async () => {
  await world.set({ instanceProfile: { role: 'web' } })
  await expect(new S3Client({})).toResolveCredentialsFrom('imds')
  await expect(new S3Client({})).toResolveToRole('web')
})
`

/** Runs node with args in the project; returns stdout and stderr, throwing them on a non-zero exit. */
function run(args: string[], cwd: string): string {
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: cwd, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CI: 'true', NO_COLOR: '1' },
  })
  const out = `${result.stdout}\n${result.stderr}`
  if (result.status !== 0) throw new Error(`exit ${result.status}:\n${out}`)
  return out
}

describe('the packed tarball in a user project', () => {
  beforeAll(() => {
    expect(existsSync(join(root, 'dist', 'esm', 'index.js')), 'run `npm run build` first (npm test does)').toBe(true)
    project = mkdtempSync(join(tmpdir(), 'chainproof-user-project-'))
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!
    const modules = join(project, 'node_modules')
    mkdirSync(join(modules, 'chainproof'), { recursive: true })
    execFileSync('tar', ['-xzf', join(project, packed), '-C', join(modules, 'chainproof'), '--strip-components=1'])
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry === 'chainproof' || entry === '.package-lock.json') continue
      symlinkSync(join(root, 'node_modules', entry), join(modules, entry))
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }))
    writeFileSync(join(project, 'vitest.config.js'), 'export default { test: { include: ["*.test.js"] } }\n')
    writeFileSync(join(project, 'readme.test.js'), README_TEST)
    writeFileSync(join(project, 'readme.jest.cjs'), JEST_TEST)
    writeFileSync(join(project, 'jest.config.cjs'), 'module.exports = { testMatch: ["**/*.jest.cjs"], testEnvironment: "node" }\n')
  }, 60_000)

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true })
  })

  it('ships only dist and the README', () => {
    const files = readdirSync(join(project, 'node_modules', 'chainproof')).sort()
    expect(files).toEqual(['README.md', 'dist', 'package.json'])
  })

  it("runs the README's tests under Vitest", () => {
    const out = run([join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], project)
    expect(out).toMatch(/Tests\s+2 passed/)
  }, 60_000)

  it('runs them under Jest, from CommonJS', () => {
    const out = run([join(project, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', 'jest.config.cjs'], project)
    expect(out).toMatch(/Tests:\s+1 passed, 1 total/)
  }, 60_000)
})
