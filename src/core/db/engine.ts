import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { isRollback, type StatementFaults } from './faults.js';
import { listenPostgres, type Listener, type NotificationHandlers } from './notifications.js';

/** A Drizzle database or transaction: repositories take one of these as their first argument. */
export type Executor = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Executor;
  /** Where the data lives, for the start banner (URL with any password hidden). */
  readonly location: string;
  /**
   * Runs one statement of a hot path as a named prepared statement (PostgreSQL plans it once per
   * connection; PGlite runs it as is). `text` uses $1…$n; only repositories call this.
   */
  prepared<T>(name: string, text: string, params: unknown[]): Promise<T[]>;
  /**
   * Runs `text` outside any transaction, for a library that brings its own SQL (pg-boss): with
   * values, one statement; without, possibly several (the last result is returned).
   */
  raw(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  ping(): Promise<void>;
  /**
   * PostgreSQL only: LISTEN on `channel` over a dedicated connection, for caches that other
   * processes invalidate with NOTIFY. PGlite runs in one process and has none.
   */
  listen?(channel: string, handlers: NotificationHandlers): Listener;
  /**
   * Statements sent to the database since it was opened (BEGIN, COMMIT and ROLLBACK included):
   * a count, so that a test can hold a route to its statement budget (DESIGN.md, core rules).
   */
  statements(): number;
  migrate(): Promise<void>;
  /** In-memory PGlite only: an independent copy of this database (tests clone a migrated template). */
  clone?(): Promise<Database>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Arbitrary constant: the advisory lock that serialises migrations of concurrent processes. */
const MIGRATION_LOCK_KEY = 7_284_441_001;

export type DatabaseTarget = { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir: string } | { kind: 'pglite-memory' };

export interface OpenOptions {
  /** Tests only (ADR 0046): statements fail where `faults` says; see core/db/faults.ts. */
  faults?: StatementFaults;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.poolSize ?? 10, options.faults);
  return openPglite(target.kind === 'pglite' ? target.dataDir : undefined, undefined, options.faults);
}

/** An injected fault for this statement, if any (a ROLLBACK is never failed, see faults.ts). */
function injected(faults: StatementFaults | undefined, statement: unknown): Error | undefined {
  return faults && !isRollback(statement) ? faults.next(statement) : undefined;
}

function isBegin(statement: unknown): boolean {
  return /^\s*begin\b/i.test(String((statement as { text?: unknown })?.text ?? statement));
}

/**
 * A failed BEGIN is a connection that broke. Drizzle's pool transaction sends BEGIN before the
 * block that releases its client, so the client is dropped from the pool here, as pg-pool drops
 * one that errored; else every failed BEGIN would leak a pooled connection until the pool ran dry.
 * A caller that holds the client itself (the migration) may still release it: that is a no-op.
 */
function dropClient(client: pg.PoolClient, error: unknown): never {
  client.release(error instanceof Error ? error : new Error(String(error)));
  client.release = () => {};
  throw error;
}

// int8 arrives as a string from pg; Drizzle's `mode: 'bigint'` columns convert it, so the raw
// parser stays the default and both drivers hand Drizzle the same text form.
async function openPostgres(url: string, poolSize: number, faults: StatementFaults | undefined): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests see errors on their own.
  });
  let statements = 0;
  // Every statement, pooled or in a transaction, goes through some client's query().
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements++;
      const fault = injected(faults, args[0]);
      const callback = args.at(-1);
      if (fault && typeof callback === 'function') {
        // As the driver fails: through the callback when given one (pg-pool's query), else a rejection.
        process.nextTick(() => (callback as (err: Error) => void)(fault));
        return undefined;
      }
      const result = fault ? Promise.reject(fault) : query(...args);
      return isBegin(args[0]) && result instanceof Promise ? result.catch((error: unknown) => dropClient(client as pg.PoolClient, error)) : result;
    };
  });
  const db = drizzlePg(pool) as unknown as Executor;
  return {
    kind: 'postgres',
    db,
    location: url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, '//$1@'),
    prepared: async <T>(name: string, text: string, params: unknown[]) => (await pool.query({ name, text, values: params })).rows as T[],
    raw: async (text, values) => {
      const result = (await pool.query(text, values?.length ? values : undefined)) as unknown as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(result) ? (result.at(-1) ?? { rows: [] }) : result;
    },
    ping: async () => {
      await pool.query('select 1');
    },
    statements: () => statements,
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    migrate: async () => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined, template: PGlite | undefined, faults: StatementFaults | undefined): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (dataDir !== undefined) lock = lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = template ? ((await template.clone()) as PGlite) : dataDir === undefined ? new PGlite() : new PGlite(path.join(dataDir, 'pglite'));
    await client.waitReady;
  } catch (err) {
    lock?.release();
    throw err;
  }
  const counter = countPgliteStatements(client, faults);
  const drizzled = drizzlePglite(client);
  return {
    kind: 'pglite',
    db: drizzled as unknown as Executor,
    location: dataDir ?? 'memory',
    prepared: async <T>(_name: string, text: string, params: unknown[]) => (await client.query<T>(text, params)).rows,
    raw: async (text, values) => {
      if (values?.length) return client.query(text, values);
      return (await client.exec(text)).at(-1) ?? { rows: [] };
    },
    ping: async () => {
      await drizzled.execute(sql`select 1`);
    },
    statements: () => counter.statements,
    migrate: () => migratePglite(drizzled, { migrationsFolder: MIGRATIONS_FOLDER }),
    ...(dataDir === undefined ? { clone: () => openPglite(undefined, client, undefined) } : {}),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * Counts the statements sent through one PGlite client (its transactions' BEGIN and COMMIT/ROLLBACK
 * as two). With `faults`, the statement they choose throws instead of running: PGlite sends BEGIN
 * and COMMIT itself, so a failing BEGIN throws before the transaction opens and a failing COMMIT
 * throws once `fn` is done, which PGlite answers with a ROLLBACK, as a failed COMMIT ends.
 */
function countPgliteStatements(client: PGlite, faults: StatementFaults | undefined): { statements: number } {
  const counter = { statements: 0 };
  type Queries = { query: (...args: unknown[]) => Promise<unknown>; exec: (...args: unknown[]) => Promise<unknown> };
  const wrap = (target: Queries) => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = (...args) => {
      counter.statements++;
      const fault = injected(faults, args[0]);
      return fault ? Promise.reject(fault) : query(...args);
    };
    target.exec = (...args) => {
      counter.statements++;
      const fault = injected(faults, args[0]);
      return fault ? Promise.reject(fault) : exec(...args);
    };
  };
  wrap(client as unknown as Queries);
  const transaction = client.transaction.bind(client);
  client.transaction = (fn) => {
    counter.statements += 2;
    const begin = injected(faults, 'begin');
    if (begin) return Promise.reject(begin);
    return transaction(async (tx) => {
      wrap(tx as unknown as Queries);
      const result = await fn(tx);
      const commit = injected(faults, 'commit');
      if (commit) throw commit;
      return result;
    });
  };
  return counter;
}
