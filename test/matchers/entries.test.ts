/**
 * The built entry points (npm run build first) as a user's project loads them: ESM and
 * CommonJS, outside any test runner. Importing chainproof/jest there must not crash.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const built = existsSync(`${root}/dist/esm/jest.js`) && existsSync(`${root}/dist/cjs/jest.cjs`)

function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

const script = (load: string) => `
  const jest = ${load('chainproof/jest')}
  const raw = ${load('chainproof/matchers')}
  let error = 'no error'
  try { jest.useCredentialWorld() } catch (e) { error = e.message }
  console.log(JSON.stringify({ error, matchers: Object.keys(raw.matchers), fns: typeof raw.toResolveCredentialsFrom, mask: raw.maskKeyId('AKIAABCDEFGHIJKLWXYZ') }))
`

describe('built entries outside a runner', () => {
  it('has been built', () => {
    expect(built, 'run `npm run build` before this suite').toBe(true)
  })

  const expected = {
    error: "chainproof/jest: Jest's expect, beforeEach and afterEach were not found. Import chainproof/jest from a Jest test file or setupFilesAfterEnv (for Vitest, import chainproof/vitest).",
    matchers: [
      'toResolveCredentialsFrom',
      'toResolveToRole',
      'toResolveToPrincipal',
      'toFailToResolveCredentials',
      'toShadowCredentialsFrom',
      'toBeSignedBy',
      'toHaveReceivedRequestsSignedBy',
      'toHaveReceivedCommandSignedBy',
      'toAgreeAcrossSdks',
      'toHaveFetchedCredentials',
      'toRefreshCredentialsFrom',
    ],
    fns: 'function',
    mask: '****************WXYZ',
  }

  it.runIf(built)('ESM: chainproof/jest imports without crashing and explains itself; chainproof/matchers exports the raw matchers', () => {
    const out = runNode(['--input-type=module', '-e', script((name) => `await import('${name}')`)])
    expect(JSON.parse(out.split('\n').pop()!)).toEqual(expected)
  })

  it.runIf(built)('CommonJS: the same through require', () => {
    const out = runNode(['--input-type=commonjs', '-e', script((name) => `require('${name}')`)])
    expect(JSON.parse(out.split('\n').pop()!)).toEqual(expected)
  })
})
