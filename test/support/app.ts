import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { SQL } from 'drizzle-orm';
import { buildApp, type Services } from '../../src/app.js';
import { loadConfig, type Config, type OAuthSettings, type WebhookSettings } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import { openDatabase, type Database } from '../../src/core/db/engine.js';
import { queryRows as queryExecutorRows } from '../../src/core/db/transaction.js';
import { createLogger } from '../../src/core/log/logger.js';
import { createJobQueue } from '../../src/core/jobs/queue.js';
import { seedSandbox } from '../../src/auth/seed.js';

/** The store a test runs on: PostgreSQL when TEST_DATABASE_URL is set, else in-memory PGlite. */
export const backend: 'postgres' | 'pglite' = process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite';

/**
 * A fresh database for one test file: an in-memory PGlite, or a new PostgreSQL database created
 * beside TEST_DATABASE_URL and dropped on close. Migrations are applied.
 */
export async function createTestDatabase(poolSize = 10): Promise<Database & { url?: string }> {
  if (!process.env['TEST_DATABASE_URL']) return (await pgliteTemplate()).clone!();
  const scratch = await createScratchDatabase('tijori_test');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize });
  await database.migrate();
  return {
    ...database,
    url: scratch.url,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

let template: Promise<Database> | undefined;

/**
 * One migrated in-memory PGlite per test process, with pg-boss's schema in place; each test
 * database is a copy of it (cloning costs a fraction of initdb, the migrations and pg-boss's
 * schema creation, which every test app would otherwise repeat).
 */
function pgliteTemplate(): Promise<Database> {
  template ??= (async () => {
    const database = await openDatabase({ kind: 'pglite-memory' });
    await database.migrate();
    const jobs = createJobQueue({ database, logger: createLogger('silent') });
    await jobs.start({ workers: false });
    await jobs.stop();
    return database;
  })();
  return template;
}

/** A new, empty PostgreSQL database beside TEST_DATABASE_URL, dropped (with its connections) by `drop()`. */
export async function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
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
  await run(`create database ${name}`);
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
  /** SECRETS_KEY (hex): app instances sharing an in-memory database need the same one (each gets a random key otherwise). */
  secretsKey?: string;
}

/** The real app on a real database with a manual clock; the sandbox company is seeded by default. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const base = loadConfig({}, { LOG_LEVEL: 'info' });
  const config: Config = {
    ...base,
    oauth: { ...base.oauth, ...options.oauth },
    webhooks: { ...base.webhooks, ...options.webhooks },
    ...(options.secretsKey ? { secretsKey: options.secretsKey } : {}),
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
