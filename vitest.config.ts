import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// One runner for everything CI runs, in three projects (docs/testing.md, docs/adr/0033):
//
// - unit: tests that touch no database (src/** beside their modules, test/bench). PGlite pass only:
//   they would run the very same code again on PostgreSQL.
// - database: every other test outside test/e2e (tests on a test database or a test app), on
//   both engines; test/browser on the PGlite pass only (it is about the pages, not the store). Each file's database is a copy of one migrated template built by
//   test/support/template-databases.ts for the run.
// - process: the real `tijori` command in child processes (test/e2e), on the compiled dist/
//   (test/support/global-setup.ts). On the PostgreSQL pass only the files with a PostgreSQL branch.
//
// TEST_DATABASE_URL switches the store to PostgreSQL and selects the PostgreSQL pass.
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const onPostgres = Boolean(process.env['TEST_DATABASE_URL']);

/** A test file that opens a database, builds the app or reads TEST_DATABASE_URL is a database test. */
const USES_DATABASE = /createTestApp|createTestDatabase|createScratchDatabase|createTestRails|openDatabase|buildApp|TEST_DATABASE_URL|\bbackend\b/;
/** End-to-end files about the embedded store alone: they run PGlite whatever TEST_DATABASE_URL says. */
const PGLITE_ONLY_PROCESS = ['test/e2e/data-dir-lock.test.ts'];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.test.ts')) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const unitFiles = [...testFiles('src'), ...testFiles('test/bench')].filter((f) => !USES_DATABASE.test(read(f)));
/** Process tests without a PostgreSQL branch (they never read TEST_DATABASE_URL) run once, on PGlite. */
const processPgliteOnly = [...PGLITE_ONLY_PROCESS, ...testFiles('test/e2e').filter((f) => !read(f).includes('TEST_DATABASE_URL'))];

export default defineConfig({
  test: {
    // Time-outs catch a hang, not slowness: CI's machine is shared, and a concurrency test that
    // takes 50 s alone took over 60 s beside other work. Set-up that builds an app, starts
    // processes or launches Chromium is heavier still, and a beforeAll that times out skips a
    // whole file.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: '.vitest-results.json' }], './test/support/file-times-reporter.ts'] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: onPostgres ? [] : unitFiles,
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...unitFiles, 'test/e2e/**', ...(onPostgres ? ['test/browser/**'] : [])],
          globalSetup: ['test/support/template-databases.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'process',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...(onPostgres ? processPgliteOnly : [])],
          // Compiles dist/ for the end-to-end tests, which run bin/tijori.js.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
