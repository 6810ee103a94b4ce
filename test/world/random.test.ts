import { describe, expect, it } from 'vitest'
import { randomBytes } from '../../src/servers/random.js'

describe('pooled random bytes (keys, secrets, tokens of a world)', () => {
  it('hands out the asked size, never the same bytes twice, across pool refills and past the pool size', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const size = [8, 16, 18, 24, 30, 32, 42, 96][i % 8]!
      const bytes = randomBytes(size)
      expect(bytes.length).toBe(size)
      seen.add(bytes.toString('hex'))
    }
    expect(seen.size).toBe(2000)
    const big = randomBytes(10_000)
    expect(big.length).toBe(10_000)
    expect(new Set(big).size).toBeGreaterThan(200)
  })

  it('gives each caller its own copy: changing one does not change the next', () => {
    const a = randomBytes(32)
    const copy = Buffer.from(a)
    a.fill(0)
    const b = randomBytes(32)
    expect(b.equals(Buffer.alloc(32))).toBe(false)
    expect(copy.equals(Buffer.alloc(32))).toBe(false)
  })
})
