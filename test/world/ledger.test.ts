import { describe, expect, it } from 'vitest'
import { Ledger, roleArnOf, roleNameOf } from '../../src/servers/ledger.js'

describe('Ledger', () => {
  it('issues unique user keys (AKIA) and role sessions (ASIA) and identifies them without secrets', () => {
    const ledger = new Ledger()
    const user = ledger.issue({ source: 'env', principal: { kind: 'user', name: 'ci', accountId: '123456789012' } })
    const role = ledger.issue({
      source: 'instanceProfile',
      principal: { kind: 'role', name: 'web', arn: roleArnOf('web', '123456789012'), accountId: '123456789012', sessionName: 'i-0abc' },
    })
    expect(user.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/)
    expect(role.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(user.sessionToken).toBeUndefined()
    expect(role.sessionToken).toBeTruthy()
    expect(role.expiration!.getTime()).toBeGreaterThan(Date.now())
    const identity = ledger.identityOf(role.accessKeyId)!
    expect(identity).toMatchObject({ source: 'instanceProfile', role: 'web', principal: 'arn:aws:sts::123456789012:assumed-role/web/i-0abc' })
    expect(JSON.stringify(identity)).not.toContain(role.secretAccessKey)
    expect(JSON.stringify(identity)).not.toContain(role.sessionToken)
    expect(ledger.identityOf(user.accessKeyId)?.principal).toBe('arn:aws:iam::123456789012:user/ci')
    expect(ledger.identityOf('AKIAUNKNOWN')).toBeUndefined()
    const keys = new Set(Array.from({ length: 2000 }, () => ledger.issue({ source: 'env', principal: { kind: 'user', name: 'x', accountId: '1' } }).accessKeyId))
    expect(keys.size).toBe(2000)
  })

  it('reads role names from bare names and ARNs', () => {
    expect(roleArnOf('web', '111122223333')).toBe('arn:aws:iam::111122223333:role/web')
    expect(roleNameOf('arn:aws:iam::111122223333:role/team/web')).toBe('web')
    expect(roleNameOf('web')).toBe('web')
  })
})
