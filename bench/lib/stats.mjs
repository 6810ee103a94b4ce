/** Timing helpers shared by the benches: medians and p95 over samples in milliseconds. */
import { performance } from 'node:perf_hooks'

export function quantile(samples, q) {
  if (!samples.length) return NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

export function summarize(samples) {
  return { n: samples.length, median: quantile(samples, 0.5), p95: quantile(samples, 0.95), min: Math.min(...samples), max: Math.max(...samples) }
}

/** Times one call of fn, in milliseconds. */
export async function timeOnce(fn) {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

/** A small seeded PRNG (mulberry32): the same orders every run. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A new order of the names for each round (Fisher–Yates). */
function shuffled(names, random) {
  const order = [...names]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

/** Lets what the previous call left behind (sockets closing, child processes' exit events) run before the next timing. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

/**
 * Measures several variants side by side: each round runs every variant once, in an order
 * shuffled afresh each round, so drift (GC, JIT, a busy neighbour) and what the previous variant
 * leaves behind land on all of them alike (a fixed rotation would always put the same variant
 * after the same one). Warm-up rounds first; `between` runs untimed before each round.
 */
export async function sideBySide(variants, { warmup, rounds, between, seed = 18 }) {
  const names = Object.keys(variants)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  const random = prng(seed)
  for (let round = 0; round < warmup + rounds; round++) {
    // untimed, between rounds (a fresh world every few rounds)
    if (between) await between()
    for (const name of shuffled(names, random)) {
      await settle()
      const ms = await timeOnce(variants[name])
      if (round >= warmup) samples[name].push(ms)
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n])]))
}

export const round2 = (x) => Math.round(x * 100) / 100
