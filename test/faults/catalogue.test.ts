import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { FAULT_CATALOGUE, describeFault, faultIssues } from '../../src/world/faults.js'
import { parseWorldSpec } from '../../src/world/spec.js'
import { ServerFaults } from '../../src/servers/faults.js'
import { imdsRoutes } from '../../src/sources/instanceProfile/server.js'
import { fakeWorld } from '../servers/fake-world.js'

function errorOf(input: unknown): string {
  try {
    parseWorldSpec(input)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the spec to be rejected')
}

describe('the fault catalogue as data', () => {
  it('accepts every fault of the catalogue in a world that has its target', () => {
    const spec = {
      instanceProfile: { role: 'web' },
      container: { role: 'task' },
      webIdentity: { role: 'irsa' },
      profiles: {
        base: { user: 'alice' },
        admin: { role: 'admin', sourceProfile: 'base' },
        tool: { process: { user: 'tool' } },
        dev: { sso: { role: 'Dev' } },
      },
      faults: [
        { target: 'imds', kind: 'tokenStatus', status: 403 },
        { target: 'imds', kind: 'tokenTimeout' },
        { target: 'imds', kind: 'rejectV1' },
        { target: 'imds', kind: 'status', status: 500, path: 'role', times: 2 },
        { target: 'imds', kind: 'throttle', times: 1 },
        { target: 'imds', kind: 'delay', ms: 1500, path: 'credentials' },
        { target: 'imds', kind: 'malformedCredentials', variant: 'missingFields' },
        { target: 'imds', kind: 'expiredCredentials', agoSeconds: 60 },
        { target: 'imds', kind: 'expiringCredentials', inSeconds: 120 },
        { target: 'container', kind: 'status', status: 401 },
        { target: 'container', kind: 'malformedBody' },
        { target: 'container', kind: 'delay', ms: 1200, times: 1 },
        { target: 'sts', kind: 'error', code: 'AccessDenied', action: 'AssumeRole' },
        { target: 'sts', kind: 'error', code: 'InvalidIdentityToken' },
        { target: 'webIdentityTokenFile', kind: 'missing' },
        { target: 'credentialProcess', kind: 'exitNonZero', exitCode: 3 },
        { target: 'sso', kind: 'tokenExpired', profile: 'dev' },
        { target: 'ini', kind: 'malformed', file: 'credentials', how: 'colonSeparator' },
        { target: 'profile', kind: 'sourceProfileLoop', profile: 'loop' },
      ],
    }
    expect(parseWorldSpec(spec)).toEqual(spec)
    expect(parseWorldSpec({ faults: [{ target: 'profile', kind: 'missing', name: 'typo' }] }).faults).toHaveLength(1)
  })

  it('names the field path and the accepted values of every bad fault, all at once', () => {
    expect(
      errorOf({
        instanceProfile: { role: 'web' },
        faults: [
          { target: 'imds', kind: 'tokenStatus', status: 401 },
          { target: 'imds', kind: 'tokenStatus' },
          { target: 'imds', kind: 'tokenstatus', status: 403 },
          { target: 'ec2', kind: 'tokenStatus' },
          { target: 'imds', kind: 'delay', ms: 1.5, path: 'meta', times: 0, slow: true },
          { target: 'sts', kind: 'error', code: 'AccessDenied' },
          { target: 'credentialProcess', kind: 'badJson', exitCode: 2 },
          'imds',
        ],
      }),
    ).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - faults[0].status: expected 400, 403, 404 or 405
        - faults[1].status: required; expected 400, 403, 404 or 405
        - faults[2].kind: expected "tokenStatus", "tokenTimeout", "rejectV1", "status", "throttle", "delay", "malformedCredentials", "expiredCredentials" or "expiringCredentials" (the kinds of target "imds")
        - faults[3].target: expected "imds", "container", "sts", "webIdentityTokenFile", "credentialProcess", "sso", "ini", "login" or "profile"
        - faults[4].ms: expected a delay in milliseconds: a whole number from 1 to 30000
        - faults[4].path: expected "token", "role" or "credentials"
        - faults[4].times: expected how many requests the fault answers: a whole number from 1 to 1000
        - faults[4]: unknown option "slow"; an imds delay fault takes "ms", "path", "times", "after" or "lasting"
        - faults[5]: an sts fault needs something that calls STS: add a profile with { role, sourceProfile | credentialSource }, webIdentity: { role }, or a profile with { role, webIdentityTokenFile: true }
        - faults[6]: unknown option "exitCode"; a credentialProcess badJson fault takes "profile"
        - faults[7]: expected a fault object { target, kind, … } (see the fault catalogue)"
    `)
  })

  it('says what to add when the world lacks the fault\'s target', () => {
    expect(
      errorOf({
        faults: [
          { target: 'imds', kind: 'tokenTimeout' },
          { target: 'container', kind: 'status', status: 500 },
          { target: 'sts', kind: 'error', code: 'InvalidIdentityToken' },
          { target: 'webIdentityTokenFile', kind: 'empty' },
          { target: 'credentialProcess', kind: 'expired' },
          { target: 'sso', kind: 'tokenExpired' },
          { target: 'ini', kind: 'malformed', file: 'credentials' },
        ],
      }),
    ).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - faults[0]: an imds fault needs an instance profile: add instanceProfile: { role: "<name>" }
        - faults[1]: a container fault needs a container endpoint: add container: { role: "<name>" }
        - faults[2]: an sts AssumeRoleWithWebIdentity fault needs web identity: add webIdentity: { role } or a profile with { role, webIdentityTokenFile: true }
        - faults[3]: a webIdentityTokenFile fault needs a token file: add webIdentity: { role } (or set this fault's profile to a profile with webIdentityTokenFile: true)
        - faults[4]: a credentialProcess fault needs a profile with process: add profiles: { <name>: { process: { user } } }
        - faults[5]: an sso fault needs a profile with sso: add profiles: { <name>: { sso: { role } } }
        - faults[6].file: the world writes no ~/.aws/credentials: add a profile with { user } (or files.credentials)"
    `)
  })

  it('asks which profile when several could be meant, and refuses to clash with the spec', () => {
    expect(
      errorOf({
        profile: 'app',
        profiles: { app: { user: 'a' }, a: { process: { user: 'p' } }, b: { process: { user: 'q' } } },
        faults: [
          { target: 'credentialProcess', kind: 'exitNonZero' },
          { target: 'credentialProcess', kind: 'badVersion', profile: 'app' },
          { target: 'profile', kind: 'missing' },
          { target: 'profile', kind: 'sourceProfileLoop' },
          { target: 'sts', kind: 'error', code: 'InvalidIdentityToken', action: 'AssumeRole' },
        ],
      }),
    ).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - faults[0].profile: several profiles have process: name one, expected "a" or "b"
        - faults[1].profile: profile "app" has no process: expected "a" or "b"
        - faults[2]: a profile missing fault sets AWS_PROFILE itself (to its name, default "missing"): remove \`profile\` and vars.AWS_PROFILE from the spec
        - faults[3].profile: profile "app" is already defined; the loop fault writes its own profiles "app" and "app-source": name another profile
        - faults[4].action: InvalidIdentityToken is only answered to AssumeRoleWithWebIdentity: leave action out or use "AssumeRoleWithWebIdentity""
    `)
  })

  it('documents every fault: what it does and what the SDK does', () => {
    for (const [target, kinds] of Object.entries(FAULT_CATALOGUE)) {
      for (const [kind, entry] of Object.entries(kinds)) {
        expect(entry.does, `${target} ${kind}`).not.toBe('')
        expect(entry.sdk, `${target} ${kind}`).not.toBe('')
      }
    }
    expect(describeFault({ target: 'imds', kind: 'tokenStatus', status: 403 })).toBe(
      'imds tokenStatus (status: 403): the IMDSv2 token request (PUT /latest/api/token) answers with that status',
    )
    expect(faultIssues({ instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'rejectV1' }] })).toEqual([])
  })
})

describe('held answers', () => {
  function put(url: string): Promise<{ status: number; ms: number }> {
    const started = performance.now()
    return new Promise((resolve, reject) => {
      const req = http.request(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }, agent: false }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }))
      })
      req.on('error', reject)
      req.end()
    })
  }

  it('keep no timer alive, and end when the world is detached', () => {
    const timers = () => process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length
    const faults = new ServerFaults([{ index: 0, fault: { target: 'imds', kind: 'tokenTimeout' } }])
    const token = imdsRoutes.find((r) => r.name === 'imds.token')!
    const request = { method: 'PUT', path: '/latest/api/token', query: new URLSearchParams(), rawQuery: '', headers: {}, body: Buffer.alloc(0), text: '', params: [] }
    const before = timers()
    const answer = faults.handle(token, request, fakeWorld({ instanceProfile: { role: 'web' } }))
    // the 10 s hold is running, but unref'd: it would not keep a process alive
    expect(timers()).toBe(before)
    expect(faults.fired.map((f) => f.route)).toEqual(['imds.token'])
    faults.release()
    return expect(answer).resolves.toMatchObject({ status: 503 })
  })

  it('end when the world is disposed', async () => {
    const world = await createCredentialWorld({ instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'tokenTimeout' }] })
    let answer: Promise<{ status: number; ms: number }>
    try {
      answer = put(world.endpoints.imds)
      await new Promise((resolve) => setTimeout(resolve, 100))
    } finally {
      await world.dispose()
    }
    const { status, ms } = await answer
    expect(status).toBe(503)
    expect(ms).toBeLessThan(2000)
  })

  it('hold a delayed answer for the time asked, then answer normally', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' }, faults: [{ target: 'imds', kind: 'delay', ms: 300, path: 'token' }] })
    const { status, ms } = await put(world.endpoints.imds)
    expect(status).toBe(200)
    expect(ms).toBeGreaterThanOrEqual(290)
  })
})
