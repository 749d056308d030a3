// Jest runs TypeScript through @swc/jest (fast, no type checking: `tsc --noEmit`
// runs separately in scripts/test.sh). globalSetup starts real services.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Minutes-long reliability runs (worker kills, server restarts, outages, fuzzing): `npm run test:slow`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/slow/'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  setupFiles: ['<rootDir>/tests/support/jestWorker.ts'],
  // Generous: workflow tests bundle code with webpack and start servers.
  testTimeout: 120000,
  maxWorkers: 2,
};
