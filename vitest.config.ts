import { defineConfig } from 'vitest/config';

// One runner for everything CI runs: unit tests beside their modules (src/**) and the
// flows, end-to-end and browser tests under test/. TEST_DATABASE_URL switches the store to PostgreSQL.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Compiles dist/ for the end-to-end tests, which run bin/tijori.js.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
