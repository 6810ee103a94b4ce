// Fixture suites run by test/world/isolation.test.ts in child Vitest processes: never by the main run.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    root: import.meta.dirname,
    testTimeout: 90_000,
    include: [process.env.FIXTURE_GLOB ?? '*.vitest-fixture.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
})
