import { describe, expect, it } from 'vitest'
import {
  actionPatternMatches,
  evaluateGatePolicy,
  gatePolicyProblems,
  globMatches,
  principalKeyMatches,
  principalNames,
  type GatePolicy,
  type GateSigner,
} from '../../src/servers/gate-policy.js'
import { actionNamesOf } from '../../src/servers/gate.js'

const web: GateSigner = {
  principal: 'arn:aws:sts::123456789012:assumed-role/web/i-0123456789abcdef0',
  role: 'web',
  roleArn: 'arn:aws:iam::123456789012:role/web',
}
const ci: GateSigner = { principal: 'arn:aws:iam::123456789012:user/ci', user: 'ci' }

describe('principalNames', () => {
  it('names a role session by role name, role ARN and session ARN, and a user by name and ARN', () => {
    expect(principalNames(web)).toEqual(['web', 'arn:aws:iam::123456789012:role/web', 'arn:aws:sts::123456789012:assumed-role/web/i-0123456789abcdef0'])
    expect(principalNames(ci)).toEqual(['ci', 'arn:aws:iam::123456789012:user/ci'])
  })
})

describe('matching', () => {
  it('globs: * is any run, ? one character, everything else literal', () => {
    expect(globMatches('s3:Get*', 's3:GetObject')).toBe(true)
    expect(globMatches('s3:Get?bject', 's3:GetObject')).toBe(true)
    expect(globMatches('s3:Get.bject', 's3:GetObject')).toBe(false)
    expect(globMatches('*', '')).toBe(true)
    expect(globMatches('a(b)+', 'a(b)+')).toBe(true)
  })

  it('compares actions case-insensitively, with wildcards anywhere', () => {
    for (const pattern of ['s3:GetObject', 'S3:getobject', 's3:*', '*', 's3:Get*', '*:GetObject', 's3:*Object']) {
      expect(actionPatternMatches(pattern, 's3:GetObject'), pattern).toBe(true)
    }
    for (const pattern of ['s3:PutObject', 'dynamodb:*', 's3:Get', 'GetObject']) {
      expect(actionPatternMatches(pattern, 's3:GetObject'), pattern).toBe(false)
    }
    expect(actionPatternMatches('s3:ListObjectsV2', ['s3:ListBucket', 's3:ListObjectsV2'])).toBe(true)
  })

  it('matches principal keys case-sensitively against every name; ! negates', () => {
    const names = principalNames(web)
    expect(principalKeyMatches('web', names)).toBe(true)
    expect(principalKeyMatches('Web', names)).toBe(false)
    expect(principalKeyMatches('arn:aws:iam::123456789012:role/web', names)).toBe(true)
    expect(principalKeyMatches('arn:aws:sts::123456789012:assumed-role/web/*', names)).toBe(true)
    expect(principalKeyMatches('*', names)).toBe(true)
    expect(principalKeyMatches('!web', names)).toBe(false)
    expect(principalKeyMatches('!ci', names)).toBe(true)
    expect(principalKeyMatches('!*', names)).toBe(false)
  })
})

describe('evaluateGatePolicy', () => {
  it('allows everything when the world has no gate rules', () => {
    expect(evaluateGatePolicy(undefined, ci, 's3:DeleteObject')).toEqual({ allowed: true, reason: 'unrestricted' })
  })

  it('needs an allow: by role name, role ARN, user name or principal ARN', () => {
    const policy = (key: string): GatePolicy => ({ allow: { [key]: ['s3:GetObject'] } })
    expect(evaluateGatePolicy(policy('web'), web, 's3:GetObject')).toMatchObject({ allowed: true, reason: 'allowed', rule: { effect: 'allow', principal: 'web', action: 's3:GetObject' } })
    expect(evaluateGatePolicy(policy('arn:aws:iam::123456789012:role/web'), web, 's3:GetObject').allowed).toBe(true)
    expect(evaluateGatePolicy(policy(web.principal), web, 's3:GetObject').allowed).toBe(true)
    expect(evaluateGatePolicy(policy('ci'), ci, 's3:GetObject').allowed).toBe(true)
    expect(evaluateGatePolicy(policy('arn:aws:iam::123456789012:user/ci'), ci, 's3:GetObject').allowed).toBe(true)
    // another principal's allow, or another action, is no allow
    expect(evaluateGatePolicy(policy('web'), ci, 's3:GetObject')).toEqual({ allowed: false, reason: 'implicitDeny' })
    expect(evaluateGatePolicy(policy('web'), web, 's3:PutObject')).toEqual({ allowed: false, reason: 'implicitDeny' })
    // an empty allow list denies everything
    expect(evaluateGatePolicy({ allow: {} }, web, 's3:GetObject').allowed).toBe(false)
  })

  it('an explicit deny wins over any allow', () => {
    const policy: GatePolicy = { allow: { web: ['*'], '*': ['s3:*'] }, deny: { web: ['s3:PutObject'] } }
    expect(evaluateGatePolicy(policy, web, 's3:PutObject')).toEqual({
      allowed: false,
      reason: 'explicitDeny',
      rule: { effect: 'deny', principal: 'web', action: 's3:PutObject' },
    })
    expect(evaluateGatePolicy(policy, web, 's3:GetObject').allowed).toBe(true)
    expect(evaluateGatePolicy(policy, ci, 's3:PutObject').allowed).toBe(true)
  })

  it('a bucket policy that shuts out every principal but one: deny { "!web": ["s3:*"] }', () => {
    const policy: GatePolicy = { allow: { '*': ['s3:*'] }, deny: { '!web': ['s3:*'] } }
    expect(evaluateGatePolicy(policy, web, 's3:GetObject').allowed).toBe(true)
    expect(evaluateGatePolicy(policy, ci, 's3:GetObject')).toMatchObject({ allowed: false, reason: 'explicitDeny', rule: { principal: '!web' } })
    // the deny is scoped to its actions
    expect(evaluateGatePolicy(policy, ci, 'dynamodb:GetItem')).toEqual({ allowed: false, reason: 'implicitDeny' })
  })

  it('deny "*" shuts out everyone, whatever the allows', () => {
    const policy: GatePolicy = { allow: { web: ['*'] }, deny: { '*': ['s3:Delete*'] } }
    expect(evaluateGatePolicy(policy, web, 's3:DeleteObject').allowed).toBe(false)
    expect(evaluateGatePolicy(policy, web, 's3:deleteobject').allowed).toBe(false)
    expect(evaluateGatePolicy(policy, web, 's3:GetObject').allowed).toBe(true)
  })

  it('applies a pattern that matches any of the call names (IAM action or operation)', () => {
    const names = actionNamesOf('s3', { action: 'ListObjectsV2', iamAction: 's3:ListBucket' })
    expect(names).toEqual(['s3:ListBucket', 's3:ListObjectsV2'])
    expect(evaluateGatePolicy({ allow: { web: ['s3:ListBucket'] } }, web, names).allowed).toBe(true)
    expect(evaluateGatePolicy({ allow: { web: ['s3:ListObjectsV2'] } }, web, names).allowed).toBe(true)
    expect(evaluateGatePolicy({ allow: { web: ['s3:*'] }, deny: { web: ['s3:ListBucket'] } }, web, names).allowed).toBe(false)
    expect(actionNamesOf('dynamodb', { action: 'GetItem', iamAction: 'dynamodb:GetItem' })).toEqual(['dynamodb:GetItem'])
  })

  it('always allows sts:GetCallerIdentity, as AWS does, even against an explicit deny', () => {
    expect(evaluateGatePolicy({ allow: {}, deny: { '*': ['*'] } }, ci, 'sts:GetCallerIdentity')).toEqual({ allowed: true, reason: 'exempt' })
    expect(evaluateGatePolicy({ allow: {}, deny: { '*': ['*'] } }, ci, 'sts:AssumeRole').allowed).toBe(false)
  })
})

describe('gatePolicyProblems', () => {
  it('accepts service:Action patterns and *, and says what is wrong with others', () => {
    expect(gatePolicyProblems({ allow: { web: ['s3:GetObject', 's3:*', '*', 's3:Get*'], '!ci': ['dynamodb:Query'] }, deny: { '*': ['sqs:Send?essage'] } })).toEqual([])
    const problems = gatePolicyProblems({ allow: { web: ['GetObject', 's3 GetObject'], '': ['*'] } })
    expect(problems).toHaveLength(3)
    expect(problems[0]).toMatch(/"GetObject" is not an action pattern; write 'service:Action'/)
  })
})
