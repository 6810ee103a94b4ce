/** Jest runs the *.jest.test.ts suites against the built package (dist/cjs), as a user's project would. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.jest.test.ts', '<rootDir>/examples/**/*.jest.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/setup/jest-env.cjs'],
  testTimeout: 20000,
}
