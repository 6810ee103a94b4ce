import { createServer } from 'node:net'

import { PORT_BLOCK, PORT_OFFSETS } from '../servers/index.js'

/** Ports `chainproof serve` uses from its base: one per server, and the control server. */
export { PORT_BLOCK, PORT_OFFSETS }

/** Blocks handed out in this process and not yet released, so two containers never share one. */
const reserved = new Set<number>()

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/**
 * A base port whose block of {@link PORT_BLOCK} ports is free on 127.0.0.1 right now, chosen at
 * random in [low, high) (away from the usual ephemeral range's busiest part) and reserved in
 * this process until {@link releasePortBlock}. Another process could still take a port before
 * the container binds it; the caller retries with a new block when the container cannot.
 */
export async function reservePortBlock(options: { low?: number; high?: number; attempts?: number } = {}): Promise<number> {
  const low = options.low ?? 20_000
  const high = options.high ?? 32_000
  const attempts = options.attempts ?? 50
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = low + Math.floor(Math.random() * ((high - low - PORT_BLOCK) / PORT_BLOCK)) * PORT_BLOCK
    if ([...reserved].some((other) => Math.abs(other - base) < PORT_BLOCK)) continue
    reserved.add(base)
    const free = await Promise.all(Array.from({ length: PORT_BLOCK }, (_, i) => portFree(base + i)))
    if (free.every(Boolean)) return base
    reserved.delete(base)
  }
  throw new Error(`no free block of ${PORT_BLOCK} ports on 127.0.0.1 between ${low} and ${high} after ${attempts} tries`)
}

export function releasePortBlock(base: number): void {
  reserved.delete(base)
}
