import { defineConfig } from 'vitest/config'

// chainproof/vitest is registered here only; tsconfig's "types" brings its typings.
export default defineConfig({ test: { include: ['*.test.ts'], setupFiles: ['chainproof/vitest'] } })
