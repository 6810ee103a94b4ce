#!/usr/bin/env node
/**
 * `npm run build` (and `prepack`): tsup, then what tsup's declaration bundler cannot express.
 *
 * chainproof/vitest's declarations augment `declare module 'vitest'`. The bundler drops the
 * source's `/// <reference types="vitest" />`; without it the augmentation is lost whenever
 * TypeScript reaches chainproof/vitest before Vitest's own declarations (imports sorted
 * alphabetically, or chainproof/vitest only listed in setupFiles). So it is put back here.
 *
 * CHAINPROOF_BUILD=js builds the JavaScript only (no declarations).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const tsup = spawnSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' })
if (tsup.status !== 0) process.exit(tsup.status ?? 1)

const REFERENCES = { vitest: '/// <reference types="vitest" />' }
if (process.env.CHAINPROOF_BUILD !== 'js') {
  for (const [entry, reference] of Object.entries(REFERENCES)) {
    for (const file of [join(root, 'dist', 'esm', `${entry}.d.ts`), join(root, 'dist', 'cjs', `${entry}.d.cts`)]) {
      if (!existsSync(file)) {
        console.error(`build: ${file} was not written by tsup`)
        process.exit(1)
      }
      const text = readFileSync(file, 'utf8')
      if (!text.startsWith(reference)) writeFileSync(file, `${reference}\n${text}`)
    }
  }
}
