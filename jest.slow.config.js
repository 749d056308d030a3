// The slow reliability suite (tests/slow): worker killed 50 times, Temporal and
// PostgreSQL restarted, SIGTERM mid-activity, API fuzzing, duban on a real
// Temporal cluster (two workers, two APIs). Run by
// `npm run test:slow` and by scripts/test.sh after the main suite. One file at a
// time: these tests kill and restart processes on the shared test services and
// poll the one task queue.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/tests/slow/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 15 * 60_000,
  maxWorkers: 1,
};
