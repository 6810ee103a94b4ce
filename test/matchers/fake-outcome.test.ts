/**
 * The matchers' decisions and messages over fake probe outcomes: no world, no SDK. The
 * integration suites (matchers.test.ts, matchers.jest.test.ts) run the same matchers for real.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createReport } from '../../src/chain/report.js'
import type { ProbeOutcome, ResolvedIdentity } from '../../src/probe/outcome.js'
import type { ChainReport } from '../../src/types.js'
import { failureOf } from '../support/messages.js'

const probe = vi.hoisted(() => vi.fn())
vi.mock('../../src/probe/probe.js', () => ({ probe }))
const { matchers } = await import('../../src/matchers/index.js')
expect.extend(matchers)

// Runtime registration above; the types come from src/vitest.ts's augmentation in real use.
type Chainproof = import('../../src/matchers/types.js').ChainproofMatchers<Promise<void>>
const expectTarget = (target: unknown) => expect(target) as unknown as Chainproof & { not: Chainproof }

const envReport = createReport(
  'js-v3',
  [
    { source: 'env', name: 'fromEnv', status: 'won', reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' },
    { source: 'instanceProfile', name: 'fromInstanceMetadata', status: 'shadowed', reason: 'role web' },
  ],
  ['unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile'],
)

function resolved(identity: Partial<ResolvedIdentity> = {}, report: () => Promise<ChainReport> = async () => envReport): ProbeOutcome & { report: ReturnType<typeof vi.fn> } {
  return {
    ok: true,
    resolution: { source: 'env', principal: 'arn:aws:iam::123456789012:user/ci', accessKeyId: 'AKIAABCDEFGHIJKLWXYZ', features: {}, ...identity },
    report: vi.fn(report),
  }
}

function failed(message: string): ProbeOutcome & { report: ReturnType<typeof vi.fn> } {
  const report = createReport('js-v3', [{ source: 'env', name: 'fromEnv', status: 'absent', reason: 'no AWS_ACCESS_KEY_ID' }])
  return { ok: false, error: new Error(message), message, report: vi.fn(async () => report) }
}

beforeEach(() => probe.mockReset())

describe('toResolveCredentialsFrom', () => {
  it('passes on the source, canonical or alias, without computing the report', async () => {
    const outcome = resolved({ source: 'instanceProfile', role: 'web', principal: 'arn:aws:sts::123456789012:assumed-role/web/i-0abc' })
    probe.mockResolvedValue(outcome)
    await expectTarget({}).toResolveCredentialsFrom('instanceProfile')
    await expectTarget({}).toResolveCredentialsFrom('imds')
    await expectTarget({}).not.toResolveCredentialsFrom('env')
    expect(outcome.report).not.toHaveBeenCalled()
  })

  it('computes the report once when failing and prints it after Expected/Received', async () => {
    const outcome = resolved()
    probe.mockResolvedValue(outcome)
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('ec2'))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Expected source:    "instanceProfile"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
    expect(outcome.report).toHaveBeenCalledTimes(1)
  })

  it('says "not" under .not', async () => {
    probe.mockResolvedValue(resolved())
    expect(await failureOf(() => expectTarget({}).not.toResolveCredentialsFrom('environment'))).toMatchInlineSnapshot(`
      "expect(client).not.toResolveCredentialsFrom(source)

      Expected source:    not "env"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
  })

  it('names .resolves in the hint when the target is a promise', async () => {
    probe.mockResolvedValue(resolved())
    const message = await failureOf(() => (expect(Promise.resolve({})).resolves as unknown as Chainproof).toResolveCredentialsFrom('sso'))
    expect(message.split('\n')[0]).toMatchInlineSnapshot(`"expect(client).resolves.toResolveCredentialsFrom(source)"`)
  })

  it('checks the profile as well as the source', async () => {
    probe.mockResolvedValue(resolved({ source: 'profile', profile: 'default' }))
    await expectTarget({}).toResolveCredentialsFrom('profile', { profile: 'default' })
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('profile', { profile: 'dev' }))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source, options)

      Expected source:    "profile"
      Expected profile:   "dev"
      Received source:    "profile"
      Received profile:   "default"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
  })

  it('prints the error when resolution failed', async () => {
    probe.mockResolvedValue(failed('Could not load credentials from any providers'))
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('env'))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Expected source: "env"
      Received error:  "Could not load credentials from any providers"

      Credential chain (js-v3) — no source resolved
        1. env  fromEnv  · absent  no AWS_ACCESS_KEY_ID"
    `)
    await expectTarget({}).not.toResolveCredentialsFrom('env')
  })

  it('is a matcher error, listing the valid names, for an unknown source — before anything is probed', async () => {
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('instanceprofile' as never))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Matcher error: source: unknown credential source "instanceprofile". Valid sources: env, sso, profile, process, webIdentity, container, instanceProfile, login, code (aliases: environment, ini, sharedCredentialsFile, credentialProcess, tokenFile, webIdentityToken, ecs, containerCredentials, imds, ec2, instanceMetadata)."
    `)
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('env', { profile: '' }))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source, options)

      Matcher error: options.profile must be a non-empty profile name, got """
    `)
    expect(probe).not.toHaveBeenCalled()
  })

  it('masks any key id that reaches a message from an error or the report', async () => {
    probe.mockResolvedValue(failed('The security token for AKIAABCDEFGHIJKL2345 is invalid'))
    const message = await failureOf(() => expectTarget({}).toResolveCredentialsFrom('env'))
    expect(message).not.toContain('AKIAABCDEFGHIJKL2345')
    expect(message).toContain('****************XXXX')
  })

  it('still fails readably when the report itself cannot be computed', async () => {
    probe.mockResolvedValue(resolved({}, async () => { throw new Error('IMDS mock stopped') }))
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('sso'))).toContain('Credential chain: could not be explained (IMDS mock stopped)')
  })

  it('shows where the ledger and the $source codes disagree', async () => {
    probe.mockResolvedValue(resolved({ disagreements: ["the SDK's $source codes (n) point to profile, but the world's ledger says env"] }))
    expect(await failureOf(() => expectTarget({}).toResolveCredentialsFrom('profile'))).toMatch(/Note:\n {2}- the SDK's \$source codes \(n\) point to profile/)
  })
})

describe('toResolveToRole', () => {
  const session = { source: 'instanceProfile' as const, role: 'web', principal: 'arn:aws:sts::123456789012:assumed-role/web/i-0abc' }
  it('passes for the role name or ARN, fails otherwise', async () => {
    probe.mockResolvedValue(resolved(session))
    await expectTarget({}).toResolveToRole('web')
    await expectTarget({}).toResolveToRole('arn:aws:iam::123456789012:role/web')
    await expectTarget({}).not.toResolveToRole('api')
    expect(await failureOf(() => expectTarget({}).toResolveToRole('api'))).toMatchInlineSnapshot(`
      "expect(client).toResolveToRole(role)

      Expected role:      "api"
      Received source:    "instanceProfile"
      Received role:      "web"
      Received principal: "arn:aws:sts::123456789012:assumed-role/web/i-0abc"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
  })
  it('says when the credentials are a user, not a role session', async () => {
    probe.mockResolvedValue(resolved())
    expect(await failureOf(() => expectTarget({}).toResolveToRole('web'))).toMatchInlineSnapshot(`
      "expect(client).toResolveToRole(role)

      Expected role:      "web"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX
      Note:               these are user credentials, not a role session

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
  })
  it('rejects a non-string role as a matcher error', async () => {
    expect(await failureOf(() => expectTarget({}).toResolveToRole(42 as never))).toMatchInlineSnapshot(`
      "expect(client).toResolveToRole(role)

      Matcher error: expected a role name or role ARN (a non-empty string), got 42"
    `)
  })
})

describe('toResolveToPrincipal', () => {
  it('accepts a string, a RegExp (also global, repeatedly) and an asymmetric matcher', async () => {
    probe.mockResolvedValue(resolved())
    await expectTarget({}).toResolveToPrincipal('arn:aws:iam::123456789012:user/ci')
    const global = /user\/ci$/g
    await expectTarget({}).toResolveToPrincipal(global)
    await expectTarget({}).toResolveToPrincipal(global)
    await expectTarget({}).toResolveToPrincipal(expect.stringContaining(':user/'))
    await expectTarget({}).not.toResolveToPrincipal(expect.stringContaining(':assumed-role/'))
    expect(await failureOf(() => expectTarget({}).toResolveToPrincipal(/assumed-role\/web\//))).toMatchInlineSnapshot(`
      "expect(client).toResolveToPrincipal(principal)

      Expected principal: /assumed-role\\/web\\//
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
    expect(await failureOf(() => expectTarget({}).not.toResolveToPrincipal(expect.stringMatching(/:user\//)))).toMatchInlineSnapshot(`
      "expect(client).not.toResolveToPrincipal(principal)

      Expected principal: not StringMatching /:user\\//
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
  })
  it('rejects other expected values as a matcher error', async () => {
    expect(await failureOf(() => expectTarget({}).toResolveToPrincipal(42 as never))).toMatchInlineSnapshot(`
      "expect(client).toResolveToPrincipal(principal)

      Matcher error: expected an ARN string, a RegExp or an asymmetric matcher, got 42"
    `)
  })
})

describe('toFailToResolveCredentials', () => {
  it('passes on failure, optionally with a matching message', async () => {
    probe.mockResolvedValue(failed('Could not load credentials from any providers'))
    await expectTarget({}).toFailToResolveCredentials()
    await expectTarget({}).toFailToResolveCredentials('any providers')
    await expectTarget({}).toFailToResolveCredentials(/^Could not load/)
    await expectTarget({}).not.toFailToResolveCredentials('timed out')
    expect(await failureOf(() => expectTarget({}).toFailToResolveCredentials(/timed out/))).toMatchInlineSnapshot(`
      "expect(client).toFailToResolveCredentials(message)

      Expected pattern: /timed out/
      Received message: "Could not load credentials from any providers"

      Credential chain (js-v3) — no source resolved
        1. env  fromEnv  · absent  no AWS_ACCESS_KEY_ID"
    `)
    expect(await failureOf(() => expectTarget({}).not.toFailToResolveCredentials())).toMatchInlineSnapshot(`
      "expect(client).not.toFailToResolveCredentials()

      Expected:         credentials to resolve
      Received message: "Could not load credentials from any providers"

      Credential chain (js-v3) — no source resolved
        1. env  fromEnv  · absent  no AWS_ACCESS_KEY_ID"
    `)
  })
  it('fails, naming what resolved, when credentials resolve', async () => {
    probe.mockResolvedValue(resolved())
    await expectTarget({}).not.toFailToResolveCredentials()
    expect(await failureOf(() => expectTarget({}).toFailToResolveCredentials())).toMatchInlineSnapshot(`
      "expect(client).toFailToResolveCredentials()

      Expected:           credential resolution to fail
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
    expect(await failureOf(() => expectTarget({}).toFailToResolveCredentials('any providers'))).toMatchInlineSnapshot(`
      "expect(client).toFailToResolveCredentials(message)

      Expected message:   "any providers"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
        2. instanceProfile  fromInstanceMetadata  ◐ shadowed  role web
      Hints:
        - unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use instanceProfile"
    `)
  })
})
