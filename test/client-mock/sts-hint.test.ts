/**
 * The report-annotation hook and the mocked-STSClient hint over plain data: who made each STS
 * call, how it is worded, and that an annotator can never cost the user the report. The
 * end-to-end cases (a real mockClient(STSClient), a real world) are in client-mock.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { annotateReport, registerReportAnnotator, type ReportAnnotationContext } from '../../src/probe/annotations.js'
import { describeStsCalls, isStsClientMocked, stsMockHints } from '../../src/client-mock/sts-hint.js'
import { createReport } from '../../src/chain/report.js'
import type { CredentialWorld, Identity, RecordedRequest, WorldSpec } from '../../src/types.js'

const at = new Date(0)
const assumeRole = (accessKeyId?: string): RecordedRequest => ({ server: 'sts', method: 'POST', path: '/', status: 200, at, service: 'sts', action: 'AssumeRole', ...(accessKeyId ? { accessKeyId } : {}) })
const webIdentityCall: RecordedRequest = { server: 'sts', method: 'POST', path: '/', status: 200, at, service: 'sts', action: 'AssumeRoleWithWebIdentity' }

function contextOf(spec: WorldSpec, requests: RecordedRequest[], identities: Record<string, Partial<Identity>> = {}, env: Record<string, string> = {}, clientProfile?: string): ReportAnnotationContext {
  const world = { spec, requests, identityOf: (id: string) => identities[id] as Identity | undefined } as unknown as CredentialWorld
  return { world, env, ...(clientProfile !== undefined ? { clientProfile } : {}) }
}

/** A class as aws-sdk-client-mock leaves it: its prototype's send is a sinon stub. */
const mockedClass = () => {
  const send = Object.assign(() => undefined, { isSinonProxy: true as const, invoke: () => undefined })
  return { prototype: { send } }
}

describe('describeStsCalls', () => {
  it('names the profile whose source credentials signed the AssumeRole, and counts repeats', () => {
    const spec: WorldSpec = { profiles: { deploy: { role: 'deployer', sourceProfile: 'base' }, ops: { role: 'ops', sourceProfile: 'other' }, base: { user: 'alice' }, other: { user: 'bob' } } }
    const ctx = contextOf(spec, [], { AKIABASE: { source: 'profile', profile: 'base' }, AKIAOTHER: { source: 'profile', profile: 'other' } })
    expect(describeStsCalls([assumeRole('AKIABASE'), assumeRole('AKIABASE'), assumeRole('AKIAOTHER')], ctx)).toBe('AssumeRole by profile deploy (2 calls) and AssumeRole by profile ops')
  })

  it('matches credential_source to the source that signed', () => {
    const spec: WorldSpec = { env: { user: 'ci' }, profiles: { fromEnv: { role: 'a', credentialSource: 'Environment' }, fromImds: { role: 'b', credentialSource: 'Ec2InstanceMetadata' } } }
    const ctx = contextOf(spec, [], { AKIAENV: { source: 'env' } })
    expect(describeStsCalls([assumeRole('AKIAENV')], ctx)).toBe('AssumeRole by profile fromEnv')
  })

  it('prefers the active profile when several profiles share the source, and says so when it cannot tell', () => {
    const spec: WorldSpec = { profiles: { a: { role: 'a', sourceProfile: 'base' }, b: { role: 'b', sourceProfile: 'base' }, base: { user: 'alice' } } }
    const identities = { AKIABASE: { source: 'profile' as const, profile: 'base' } }
    expect(describeStsCalls([assumeRole('AKIABASE')], contextOf(spec, [], identities, { AWS_PROFILE: 'b' }))).toBe('AssumeRole by profile b')
    expect(describeStsCalls([assumeRole('AKIABASE')], contextOf(spec, [], identities, {}, 'a'))).toBe('AssumeRole by profile a')
    expect(describeStsCalls([assumeRole('AKIABASE')], contextOf(spec, [], identities))).toBe('AssumeRole by a role-assuming credential provider')
    expect(describeStsCalls([assumeRole('AKIACODE')], contextOf({}, [], { AKIACODE: { source: 'code' } }))).toBe('AssumeRole by fromTemporaryCredentials (or another provider in your code)')
  })

  it('names web identity by profile or by the environment variables, and ignores other STS actions and servers', () => {
    const byProfile = contextOf({ profile: 'ci', profiles: { ci: { role: 'ci', webIdentityTokenFile: true } } }, [], {}, { AWS_PROFILE: 'ci' })
    expect(describeStsCalls([webIdentityCall], byProfile)).toBe('AssumeRoleWithWebIdentity by profile ci')
    const byEnv = contextOf({ webIdentity: { role: 'ci' } }, [])
    expect(describeStsCalls([webIdentityCall], byEnv)).toBe('AssumeRoleWithWebIdentity by fromTokenFile (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)')
    const others: RecordedRequest[] = [
      { ...assumeRole(), action: 'GetCallerIdentity' },
      { ...assumeRole(), server: 'gate' },
    ]
    expect(describeStsCalls(others, byEnv)).toBeUndefined()
  })
})

describe('stsMockHints', () => {
  const spec: WorldSpec = { profiles: { deploy: { role: 'deployer', sourceProfile: 'base' }, base: { user: 'alice' } } }

  it('hints only when STSClient is mocked and a credential provider called STS', () => {
    const ctx = contextOf(spec, [assumeRole('AKIABASE')], { AKIABASE: { source: 'profile', profile: 'base' } })
    expect(stsMockHints(ctx, mockedClass())).toEqual([
      "STSClient from @aws-sdk/client-sts is mocked (aws-sdk-client-mock), but credential providers call STS through a private client (STSClient of @aws-sdk/nested-clients/sts, since SDK 3.730) that the mock does not replace: AssumeRole by profile deploy went to the world's STS, not to your mock. Configure roles in the world (profiles with role and sourceProfile or credentialSource, webIdentity) instead of mocking STS for credentials.",
    ])
    expect(stsMockHints(ctx, { prototype: { send: () => undefined } })).toEqual([])
    expect(stsMockHints(contextOf(spec, []), mockedClass())).toEqual([])
  })

  it('tells a sinon stub from a plain send', () => {
    expect(isStsClientMocked(mockedClass())).toBe(true)
    expect(isStsClientMocked({ prototype: { send: () => undefined } })).toBe(false)
    expect(isStsClientMocked({ prototype: {} })).toBe(false)
  })
})

describe('registerReportAnnotator', () => {
  const report = () => createReport('js-v3', [], ['an existing hint'])
  const ctx = contextOf({}, [])

  it('appends each annotator’s hints once, ignores annotators that throw, and unregisters', async () => {
    const removeA = registerReportAnnotator('test.a', () => ['hint a', 'an existing hint'])
    const removeBroken = registerReportAnnotator('test.broken', () => {
      throw new Error('broken annotator')
    })
    const removeB = registerReportAnnotator('test.b', async () => ['hint b'])
    try {
      expect((await annotateReport(report(), ctx)).hints).toEqual(['an existing hint', 'hint a', 'hint b'])
      registerReportAnnotator('test.a', () => ['hint a2'])
      expect((await annotateReport(report(), ctx)).hints).toEqual(['an existing hint', 'hint a2', 'hint b'])
    } finally {
      removeA()
      removeBroken()
      removeB()
    }
    // removeA no longer owned 'test.a' (replaced): the replacement stays until its own removal
    expect((await annotateReport(report(), ctx)).hints).toEqual(['an existing hint', 'hint a2'])
  })
})
