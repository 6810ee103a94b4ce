import { defineConfig } from 'tsup'
import { bundledSdkLinks } from './scripts/world-server-build.mjs'

const entry = {
  index: 'src/index.ts',
  vitest: 'src/vitest.ts',
  jest: 'src/jest.ts',
  matchers: 'src/matchers.ts',
  'client-mock': 'src/client-mock.ts',
  testcontainers: 'src/testcontainers.ts',
  cli: 'src/cli/main.ts',
}

// Peer and optional packages stay external: importing chainproof must never pull a
// dev-only dependency into a user's runtime (aws-sdk-client-mock-jest #243).
const external = [/^@aws-sdk\//, /^@smithy\//, 'vitest', 'jest', '@jest/globals', '@jest/expect', 'expect', 'aws-sdk-client-mock', 'testcontainers']

// CHAINPROOF_BUILD=js: the JavaScript only, no declaration files (about 1 s instead of about
// 25 s) — what `npm run demo` needs. Packing and `npm test` always build everything. A
// JavaScript-only build leaves dist's declaration files where they are (no clean).
const dts = process.env.CHAINPROOF_BUILD !== 'js'

export default defineConfig([
  { entry, format: 'esm', outDir: 'dist/esm', dts, sourcemap: true, clean: dts, target: 'node20', external, splitting: true, shims: true },
  { entry, format: 'cjs', outDir: 'dist/cjs', dts, sourcemap: true, clean: dts, target: 'node20', external, shims: true, splitting: true },
  // The world image's program (chainproof/testcontainers): `serve` as ONE file with every runtime
  // dependency inlined (zod, @smithy/*, the SDK providers the chain report runs), so the image
  // needs no node_modules. Never imported by the entries above; see scripts/world-server-build.mjs.
  {
    entry: { 'world-server': 'src/testcontainers/world-server.ts' },
    format: 'cjs',
    outDir: 'dist',
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    noExternal: [/.*/],
    shims: true,
    splitting: false,
    minify: true,
    esbuildPlugins: [bundledSdkLinks()],
  },
  // Preloaded (--require) into every worker thread a process starts while a world is active: the
  // network guard in that thread. One CommonJS file with only node built-ins (src/world/guard-preload.ts).
  { entry: { 'guard-preload': 'src/world/guard-preload.ts' }, format: 'cjs', outDir: 'dist/cjs', dts: false, sourcemap: false, clean: false, target: 'node20', platform: 'node', splitting: false, shims: true },
])
