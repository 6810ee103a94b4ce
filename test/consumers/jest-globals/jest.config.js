/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  injectGlobals: false,
  testMatch: ['<rootDir>/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
}
