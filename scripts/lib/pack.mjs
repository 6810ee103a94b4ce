/**
 * The packed tarball, as `npm publish` would ship it: `npm pack` (its prepack builds dist).
 *
 * One tarball per `npm test` run: scripts/test.mjs packs once and passes the path on in
 * CHAINPROOF_TARBALL; a suite run on its own packs for itself (once per process).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const repoRoot = join(import.meta.dirname, '..', '..')
let packed

/** The path of chainproof's packed tarball (`chainproof-<version>.tgz`). */
export function packedTarball() {
  const given = process.env.CHAINPROOF_TARBALL
  if (given) {
    if (!existsSync(given)) throw new Error(`CHAINPROOF_TARBALL names ${given}, which does not exist`)
    return given
  }
  packed ??= packInto(mkdtempSync(join(tmpdir(), 'chainproof-pack-')))
  return packed
}

/** Runs `npm pack` in `cwd` (default: this repo) into `destination`; returns the tarball's path. */
export function packInto(destination, cwd = repoRoot) {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  })
  const [info] = JSON.parse(out.slice(out.indexOf('[')))
  return join(destination, info.filename)
}
