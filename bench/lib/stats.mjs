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

/**
 * Measures several variants side by side: each round runs every variant once, in an order that
 * rotates, so drift (GC, JIT, a busy neighbour) lands on all of them alike. Warm-up rounds first;
 * `between` runs untimed before each round.
 */
export async function sideBySide(variants, { warmup, rounds, between }) {
  const names = Object.keys(variants)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (let round = 0; round < warmup + rounds; round++) {
    // untimed, between rounds (a fresh world every few rounds)
    if (between) await between()
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]
      const ms = await timeOnce(variants[name])
      if (round >= warmup) samples[name].push(ms)
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n])]))
}

export const round2 = (x) => Math.round(x * 100) / 100
