import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, type Database } from '../../src/core/db/engine.js';
import { createJobQueue } from '../../src/core/jobs/queue.js';
import { createLogger } from '../../src/core/log/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * A migrated, pg-boss-ready PGlite data folder that every test database of this run copies
     * (test/support/app.ts), or '' when none was built (PostgreSQL run).
     */
    tijoriPgliteTemplate: string;
    /** A migrated, pg-boss-ready PostgreSQL database that every scratch database is created from, or ''. */
    tijoriPostgresTemplate: string;
  }
}

/** Where copies of the PGlite template live: tmpfs when the machine has one (PGlite writes through to it). */
export function scratchRoot(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** Migrations, then pg-boss's own schema: what every test app would otherwise build at start. */
export async function prepareTemplate(database: Database): Promise<void> {
  await database.migrate();
  const jobs = createJobQueue({ database, logger: createLogger('silent') });
  await jobs.start({ workers: false });
  await jobs.stop();
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * Vitest global set-up of the database project (vitest.config.ts): builds the one template this
 * run's test databases start from, on the engine the run is about, and removes it at the end.
 *
 * - PostgreSQL (TEST_DATABASE_URL): a database `tijori_template_…`, migrated and pg-boss-ready;
 *   each test file's database is `CREATE DATABASE … TEMPLATE` it (a file copy, no migration).
 * - PGlite: a data folder, migrated and pg-boss-ready; each test database opens a copy of it
 *   (no initdb, no migration, no pg-boss schema per test process).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env['TEST_DATABASE_URL'];
  if (adminUrl) {
    const name = `tijori_template_${randomBytes(6).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 1 });
    try {
      await prepareTemplate(database);
    } finally {
      // CREATE DATABASE … TEMPLATE refuses a template that anyone is connected to.
      await database.close();
    }
    project.provide('tijoriPgliteTemplate', '');
    project.provide('tijoriPostgresTemplate', name);
    return async () => {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    };
  }
  const dir = fs.mkdtempSync(path.join(scratchRoot(), 'tijori-template-'));
  // The test databases' folders (test/support/app.ts): removed with it at the end of the run,
  // even those of a worker that died or a file that never closed its database.
  fs.mkdirSync(copiesFolder(dir));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    await prepareTemplate(database);
  } finally {
    await database.close();
  }
  project.provide('tijoriPgliteTemplate', dir);
  project.provide('tijoriPostgresTemplate', '');
  return async () => {
    fs.rmSync(copiesFolder(dir), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** Where the copies of the PGlite template `dir` are made. */
export function copiesFolder(dir: string): string {
  return `${dir}-copies`;
}
