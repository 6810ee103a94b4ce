// Fixture suites run by test/world/isolation.test.ts in child Jest processes: never by the main run.
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testTimeout: 90000,
  testMatch: ['<rootDir>/*.jest-fixture.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
}
