import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SQL } from 'drizzle-orm';
import { buildApp, type Services } from '../../src/app.js';
import { loadConfig, type Config, type OAuthSettings, type WebhookSettings } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import { openDatabase, type Database, type OpenOptions } from '../../src/core/db/engine.js';
import { queryRows as queryExecutorRows } from '../../src/core/db/transaction.js';
import { createLogger } from '../../src/core/log/logger.js';
import { seedSandbox } from '../../src/auth/seed.js';
import { copiesFolder, prepareTemplate } from './template-databases.js';

/** The store a test runs on: PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export const backend: 'postgres' | 'pglite' = process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite';

/**
 * A fresh database for one test file: a copy of the run's migrated PGlite template, or a new
 * PostgreSQL database created beside TEST_DATABASE_URL from the run's migrated template and
 * dropped on close. Migrations are applied and pg-boss's schema is in place either way. The
 * templates are built once per run by test/support/template-databases.ts (vitest global set-up);
 * outside it (a project without that set-up) this builds them as before, per test process.
 */
export async function createTestDatabase(poolSize = 10, options: OpenOptions = {}): Promise<Database & { url?: string }> {
  if (!process.env['TEST_DATABASE_URL']) return openPgliteCopy(options);
  const template = provided('tijoriPostgresTemplate');
  const scratch = await createScratchDatabase('tijori_test', template || undefined);
  const database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize }, options);
  try {
    if (!template) await database.migrate();
  } catch (err) {
    await database.close();
    await scratch.drop();
    throw err;
  }
  return {
    ...database,
    url: scratch.url,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/** What the run's global set-up provided, or '' (outside vitest, or a project without that set-up). */
function provided(key: 'tijoriPgliteTemplate' | 'tijoriPostgresTemplate'): string {
  if (!process.env['VITEST']) return '';
  try {
    return inject(key) ?? '';
  } catch {
    return '';
  }
}

/**
 * A copy of the run's PGlite template folder, opened as the embedded store (a PGlite on that
 * folder, on tmpfs where the machine has one) and removed on close (or with the template at the
 * end of the run). It reports itself as an
 * in-memory database, which it stands for: its data dies with it, so the app seals webhook
 * secrets with a throw-away key as it does for one (never a key file in the data folder).
 */
async function openPgliteCopy(options: OpenOptions): Promise<Database> {
  const template = provided('tijoriPgliteTemplate');
  if (!template) {
    if (options.faults) throw new Error('fault injection needs the run template (vitest global set-up)');
    return (await pgliteTemplate()).clone!();
  }
  const dir = fs.mkdtempSync(path.join(copiesFolder(template), 'db-'));
  let database: Database;
  try {
    fs.cpSync(template, dir, { recursive: true });
    database = await openDatabase({ kind: 'pglite', dataDir: dir }, options);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...database,
    location: 'memory',
    close: async () => {
      try {
        await database.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

let template: Promise<Database> | undefined;

/**
 * Without the run's template: one migrated in-memory PGlite per test process, with pg-boss's
 * schema in place; each test database is a copy of it.
 */
function pgliteTemplate(): Promise<Database> {
  template ??= (async () => {
    const database = await openDatabase({ kind: 'pglite-memory' });
    await prepareTemplate(database);
    return database;
  })();
  return template;
}

/** A new PostgreSQL database beside TEST_DATABASE_URL (empty, or a copy of `template`), dropped (with its connections) by `drop()`. */
export async function createScratchDatabase(prefix: string, template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env['TEST_DATABASE_URL'];
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await run(template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Every line the app logged, for tests that check what reaches the log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  clock: ManualClock;
  config: Config;
  logs: LogCapture;
  close(): Promise<void>;
}

export interface TestAppOptions {
  oauth?: Partial<OAuthSettings>;
  webhooks?: Partial<WebhookSettings>;
  seed?: boolean;
  registerApiRoutes?: (api: FastifyInstance) => void;
  database?: Database;
  /** Job workers run by default; sandbox timers fire only when a test advances a clock or calls runDue. */
  background?: { workers: boolean; timerPollMs: number | null };
  /**
   * SECRETS_KEY (hex); TEST_SECRETS_KEY by default, so that app instances sharing one database
   * (a restart, two processes) open each other's secrets as the start requires (ADR 0038).
   */
  secretsKey?: string;
  /** TIJORI_PUBLIC_URL: the public base of links and of the OpenAPI document's `servers`. */
  publicUrl?: string;
  /** TRUST_PROXY: whose X-Forwarded-For names the client. */
  trustProxy?: Config['trustProxy'];
}

/** The secrets key of test apps: one for every app of a run, as one for every process of a deployment. */
export const TEST_SECRETS_KEY = '7e57'.repeat(16);

/** The real app on a real database with a manual clock; the sandbox company is seeded by default. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const base = loadConfig({}, { LOG_LEVEL: 'info' });
  const config: Config = {
    ...base,
    oauth: { ...base.oauth, ...options.oauth },
    webhooks: { ...base.webhooks, ...options.webhooks },
    secretsKey: options.secretsKey ?? TEST_SECRETS_KEY,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  };
  const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
  const logs = new LogCapture();
  const { app, services } = await buildApp({
    config,
    database,
    clock,
    logger: createLogger(config.logLevel, logs),
    background: options.background ?? { workers: true, timerPollMs: null },
    ...(options.registerApiRoutes ? { registerApiRoutes: options.registerApiRoutes } : {}),
  });
  if (options.seed !== false) await seedSandbox(services);
  await app.ready();
  return {
    app,
    services,
    database,
    clock,
    config,
    logs,
    close: async () => {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}

/** Rows of a raw query on either driver (node-postgres answers `{rows}`, PGlite's Drizzle driver too, an array on some paths). */
export function queryRows<T>(database: Database, query: SQL): Promise<T[]> {
  return queryExecutorRows<T>(database.db, query);
}
