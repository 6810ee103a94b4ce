import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromSSO } from '@aws-sdk/credential-providers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import { useFakeWorlds } from './fake-world.js'

const harness = useFakeWorlds()
const { attach } = harness

const ACCESS_TOKEN = 'aoaAAAAAchainproof-sso-access-token'
const SSO = {
  accessToken: ACCESS_TOKEN,
  assignments: [
    { accountId: '111122223333', roleName: 'Developer', profile: 'dev' },
    { accountId: '444455556666', roleName: 'ReadOnly', profile: '' },
  ],
}

/** Writes the SSO token cache the way `aws sso login` does, keyed by sha1 of the session name or start URL. */
function writeTokenCache(key: string, accessToken: string): void {
  const dir = join(harness.env.home, '.aws', 'sso', 'cache')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${createHash('sha1').update(key).digest('hex')}.json`)
  writeFileSync(file, JSON.stringify({ accessToken, expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-east-1', startUrl: 'https://chainproof.awsapps.com/start' }))
}

describe('SSO portal with the real fromSSO', () => {
  it('resolves role credentials for an sso_session profile (AWS_ENDPOINT_URL_SSO), attributed to that profile', async () => {
    const world = attach({ sso: SSO })
    mkdirSync(join(harness.env.home, '.aws'), { recursive: true })
    writeFileSync(
      process.env.AWS_CONFIG_FILE!,
      [
        '[profile dev]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Developer',
        '[sso-session corp]',
        'sso_start_url = https://chainproof.awsapps.com/start',
        'sso_region = us-east-1',
        '',
      ].join('\n'),
    )
    writeTokenCache('corp', ACCESS_TOKEN)
    const credentials = await fromSSO({ profile: 'dev' })()
    expect(world.ledger.identityOf(credentials.accessKeyId)).toMatchObject({
      source: 'sso',
      profile: 'dev',
      role: 'Developer',
      accountId: '111122223333',
      principal: 'arn:aws:sts::111122223333:assumed-role/Developer/dev',
    })
    expect(credentials.secretAccessKey).toBe(world.ledger.credentialsOf(credentials.accessKeyId)!.secretAccessKey)
    expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now())
    expect(world.requests).toEqual([
      expect.objectContaining({ server: 'sso', method: 'GET', path: '/federation/credentials', status: 200, service: 'sso', action: 'GetRoleCredentials' }),
    ])
  })

  it('resolves with the legacy start-URL token cache, using the fixed session name when the assignment has no profile', async () => {
    const world = attach({ sso: SSO })
    const startUrl = 'https://legacy.awsapps.com/start'
    writeTokenCache(startUrl, ACCESS_TOKEN)
    const credentials = await fromSSO({ ssoStartUrl: startUrl, ssoAccountId: '444455556666', ssoRegion: 'us-east-1', ssoRoleName: 'ReadOnly' })()
    const identity = world.ledger.identityOf(credentials.accessKeyId)!
    expect(identity).toMatchObject({ source: 'sso', sessionName: 'chainproof-sso', accountId: '444455556666' })
    expect(identity.profile).toBeUndefined()
  })

  it('fails with UnauthorizedException when the cached token is not the world\'s', async () => {
    const world = attach({ sso: SSO })
    const startUrl = 'https://stale.awsapps.com/start'
    writeTokenCache(startUrl, 'some-other-token')
    const error = (await fromSSO({ ssoStartUrl: startUrl, ssoAccountId: '111122223333', ssoRegion: 'us-east-1', ssoRoleName: 'Developer' })().catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/UnauthorizedException|Session token not found or invalid/)
    expect(error.message).not.toContain('some-other-token')
    expect(world.requests.map((r) => r.status)).toEqual([401])
  })
})

describe('SSO portal wire behaviour', () => {
  const get = (query: string, headers: Record<string, string> = {}) => fetch(`${harness.servers.urls.sso}/federation/credentials?${query}`, { headers })

  it('401 UnauthorizedException without or with a wrong bearer token, and when the world has no SSO', async () => {
    const first = attach({ sso: SSO })
    for (const headers of [{}, { 'x-amz-sso_bearer_token': 'wrong' }] as Record<string, string>[]) {
      const res = await get('role_name=Developer&account_id=111122223333', headers)
      expect(res.status).toBe(401)
      expect(res.headers.get('x-amzn-errortype')).toBe('UnauthorizedException')
      const body = await res.text()
      expect(JSON.parse(body)).toEqual({ message: expect.any(String) })
      expect(body).not.toContain('wrong')
    }
    harness.servers.detach(first)
    attach({})
    expect((await get('role_name=Developer&account_id=111122223333', { 'x-amz-sso_bearer_token': ACCESS_TOKEN })).status).toBe(401)
  })

  it('403 ForbiddenException for a role or account outside the assignments; 400 without the query', async () => {
    attach({ sso: SSO })
    const auth = { 'x-amz-sso_bearer_token': ACCESS_TOKEN }
    for (const query of ['role_name=Admin&account_id=111122223333', 'role_name=Developer&account_id=444455556666']) {
      const res = await get(query, auth)
      expect(res.status).toBe(403)
      expect(res.headers.get('x-amzn-errortype')).toBe('ForbiddenException')
    }
    expect((await get('role_name=Developer', auth)).status).toBe(400)
  })

  it('answers the GetRoleCredentials shape with expiration in epoch milliseconds', async () => {
    const world = attach({ sso: SSO })
    const res = await get('role_name=Developer&account_id=111122223333', { 'x-amz-sso_bearer_token': ACCESS_TOKEN })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { roleCredentials: Record<string, unknown> }
    const issued = world.ledger.credentialsOf(body.roleCredentials.accessKeyId as string)!
    expect(body).toEqual({
      roleCredentials: {
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken,
        expiration: issued.expiration!.getTime(),
      },
    })
  })
})
