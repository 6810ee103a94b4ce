/**
 * A fresh checkout of HEAD, as a clone would have it (no dist, nothing built), for the tests
 * and benches of "what a fresh clone does". It borrows this checkout's node_modules through a
 * symlink: installing is `npm ci`'s job, and it is not what they measure.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './pack.mjs'

/** Extracts `git archive HEAD` into a new temp directory; returns { dir, checkout }. */
export function freshCheckout(prefix = 'chainproof-checkout-') {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const checkout = join(dir, 'checkout')
  mkdirSync(checkout)
  const tar = execFileSync('git', ['-C', repoRoot, 'archive', '--format=tar', 'HEAD'], { maxBuffer: 512 * 1024 * 1024 })
  execFileSync('tar', ['-x', '-C', checkout], { input: tar })
  symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'))
  return { dir, checkout }
}
