import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // test/consumers: projects of their own, installed from the packed tarball by scripts/consumers.mjs.
    exclude: ['**/*.jest.test.ts', 'node_modules/**', 'dist/**', 'test/consumers/**'],
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    setupFiles: ['test/setup/loopback-only.ts'],
    testTimeout: 20_000,
  },
})
