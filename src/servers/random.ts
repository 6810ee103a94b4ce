import { randomFillSync } from 'node:crypto'

/**
 * Random bytes from the CSPRNG, drawn from a pool filled 4 KiB at a time. A world issues a dozen
 * keys, secrets and tokens as it is made; one call into the CSPRNG for each costs more than the
 * bytes (Node's randomUUID batches the same way). Each caller gets its own copy.
 */
const POOL_SIZE = 4096
let pool = Buffer.alloc(0)
let offset = 0

export function randomBytes(size: number): Buffer {
  if (size > POOL_SIZE) return randomFillSync(Buffer.alloc(size))
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE))
    offset = 0
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size))
  // the pool's used bytes are not handed out twice, and not left readable
  pool.fill(0, offset, offset + size)
  offset += size
  return bytes
}
