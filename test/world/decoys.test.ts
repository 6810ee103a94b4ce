/**
 * Host poisoning: decoy credentials in the environment and in ~/.aws must never be resolved.
 * CI plants them for the whole run (.ci/run, CHAINPROOF_DECOYS=1); this file also plants its
 * own, so it proves the point on any machine.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld, loadScenario, resolveCredentials } from '../../src/index.js'

const DECOY_ENV_KEY = 'AKIADECOYFILEENVIRON'
const DECOY_HOME_KEY = 'AKIADECOYFILEHOMEKEY'

beforeAll(() => {
  if (process.env.CHAINPROOF_DECOYS === '1') {
    // planted by .ci/run before npm test: make sure they really are there
    expect(process.env.AWS_ACCESS_KEY_ID).toMatch(/^AKIADECOY/)
    expect(readFileSync(join(process.env.HOME!, '.aws', 'credentials'), 'utf8')).toContain('AKIADECOY')
  }
  const home = mkdtempSync(join(tmpdir(), 'chainproof-decoy-'))
  mkdirSync(join(home, '.aws'))
  writeFileSync(join(home, '.aws', 'credentials'), `[default]\naws_access_key_id = ${DECOY_HOME_KEY}\naws_secret_access_key = decoy\n[decoy]\naws_access_key_id = ${DECOY_HOME_KEY}\naws_secret_access_key = decoy\n`)
  Object.assign(process.env, {
    HOME: home,
    AWS_ACCESS_KEY_ID: DECOY_ENV_KEY,
    AWS_SECRET_ACCESS_KEY: 'decoy',
    AWS_PROFILE: 'decoy',
    AWS_WEB_IDENTITY_TOKEN_FILE: join(home, 'token'),
    AWS_ROLE_ARN: 'arn:aws:iam::999999999999:role/decoy',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/decoy',
  })
})

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'scenarios')

describe('decoy host credentials', () => {
  it('are never resolved, in any fixture world', async () => {
    const seen: string[] = []
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const scenario = await loadScenario(join(dir, file))
      await using world = await createCredentialWorld(scenario.spec)
      const bare = await fromNodeProviderChain()().then((c) => c.accessKeyId, () => undefined)
      const probed = await resolveCredentials(new S3Client({})).then((r) => r.accessKeyId, () => undefined)
      for (const key of [bare, probed]) if (key) seen.push(key)
      for (const key of [bare, probed]) if (key) expect(world.identityOf(key), `${file}: ${key.slice(-4)} must be a world key`).toBeDefined()
    }
    expect(seen.length).toBeGreaterThan(15)
    expect(seen.filter((k) => k.startsWith('AKIADECOY'))).toEqual([])
  })

  it('are back, untouched, after every world', () => {
    expect(process.env.AWS_ACCESS_KEY_ID).toBe(DECOY_ENV_KEY)
    expect(process.env.AWS_PROFILE).toBe('decoy')
  })
})
