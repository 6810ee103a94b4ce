import { describe, expect, it } from 'vitest'
import { alignRows, maskKeyId, redactKeyIds } from '../../src/matchers/format.js'
import { isSessionOfRole, roleNameOf } from '../../src/matchers/to-resolve-to-role.js'
import { stableMessage } from '../support/messages.js'

describe('maskKeyId', () => {
  it('keeps only the last 4 characters behind a fixed-width mask', () => {
    expect(maskKeyId('AKIAABCDEFGHIJKLWXYZ')).toBe('****************WXYZ')
    expect(maskKeyId('ASIA2345')).toBe('****************2345')
  })
})

describe('redactKeyIds', () => {
  it('masks every access key id in free text and leaves the rest', () => {
    const text = 'key AKIAABCDEFGHIJKLWXYZ and ASIAZZZZZZZZZZZZ2345, not AKIA or arn:aws:iam::123456789012:user/ci'
    expect(redactKeyIds(text)).toBe('key ****************WXYZ and ****************2345, not AKIA or arn:aws:iam::123456789012:user/ci')
  })
})

describe('alignRows', () => {
  it('aligns values after the longest label, as Jest aligns Expected/Received', () => {
    expect(alignRows([['Expected source', '"env"'], ['Access key id', '****']])).toEqual(['Expected source: "env"', 'Access key id:   ****'])
    expect(alignRows([])).toEqual([])
  })
})

describe('isSessionOfRole', () => {
  const session = { role: 'web', principal: 'arn:aws:sts::123456789012:assumed-role/web/i-0abc' }
  it('compares role names for a bare name', () => {
    expect(isSessionOfRole(session, 'web')).toBe(true)
    expect(isSessionOfRole(session, 'api')).toBe(false)
  })
  it('compares account and name for an ARN (a path cannot be seen in the session ARN)', () => {
    expect(isSessionOfRole(session, 'arn:aws:iam::123456789012:role/web')).toBe(true)
    expect(isSessionOfRole(session, 'arn:aws:iam::123456789012:role/service/web')).toBe(true)
    expect(isSessionOfRole(session, 'arn:aws:iam::999999999999:role/web')).toBe(false)
    expect(isSessionOfRole(session, 'arn:aws:iam::123456789012:role/api')).toBe(false)
  })
  it('never matches user credentials', () => {
    expect(isSessionOfRole({ principal: 'arn:aws:iam::123456789012:user/web' }, 'web')).toBe(false)
  })
  it('reads the name out of an ARN', () => {
    expect(roleNameOf('arn:aws:iam::1:role/a/b/web')).toBe('web')
    expect(roleNameOf('web')).toBe('web')
  })
})

describe('stableMessage (test support)', () => {
  it('removes colours, masked ids and dates', () => {
    expect(stableMessage('\u001b[31m****************AB23\u001b[39m at 2026-11-28T20:58:00.000Z on i-0123456789abcdef0')).toBe(
      '****************XXXX at DATE on i-INSTANCE',
    )
  })
})
