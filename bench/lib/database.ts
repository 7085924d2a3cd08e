import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { isProcessAlive } from '../../src/core/db/data-dir-lock.js';

/** BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local trust-auth server. */
export function adminDatabaseUrl(): string {
  return process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface ScratchDatabase {
  name: string;
  url: string;
  serverVersion: string;
  drop(): Promise<void>;
}

/** A fresh, empty database beside `adminUrl` (as test/support/app.ts does), dropped by `drop()`. */
export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `tijori_bench_${randomBytes(6).toString('hex')}`;
  const url = withDatabaseName(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let serverVersion: string;
  try {
    serverVersion = String((await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '?');
    await admin.query(`create database ${name}`);
    // Who owns it, so that a later run can drop it if this process dies without cleaning up.
    const owner = JSON.stringify({ pid: process.pid, host: os.hostname(), createdAt: new Date().toISOString() });
    await admin.query(`comment on database ${name} is '${owner.replace(/'/g, "''")}'`);
  } finally {
    await admin.end();
  }
  // One drop however many callers ask (the normal end and a Ctrl-C may both); all await it.
  let dropping: Promise<void> | undefined;
  const dropOnce = async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    try {
      await dropper.query(`drop database if exists ${name} with (force)`);
    } finally {
      await dropper.end();
    }
  };
  return {
    name,
    url,
    serverVersion,
    drop: () => (dropping ??= dropOnce()),
  };
}

/**
 * `url` with its database replaced. Works on URLs `new URL` refuses too, such as a Unix-socket
 * one: postgres://user@/postgres?host=/var/run/postgresql
 */
export function withDatabaseName(url: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/.exec(url);
  if (!m) throw new Error(`not a postgres:// URL: ${describeDatabaseUrl(url)}`);
  return `${m[1]}/${name}${m[3] ?? ''}`;
}

/** The URL without its password, for printing. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, '//$1@');
}

/**
 * Drops scratch databases left by runs on this host whose process is gone (a run killed before
 * its cleanup: SIGKILL, or tsx escalating a Ctrl-C). Databases of live runs, of other hosts and
 * without an owner note are left alone. Returns the names dropped.
 */
export async function dropAbandonedScratchDatabases(adminUrl: string): Promise<string[]> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dropped: string[] = [];
  try {
    const { rows } = await admin.query<{ datname: string; note: string | null }>(
      "select datname, shobj_description(oid, 'pg_database') as note from pg_database where datname like 'tijori\\_bench\\_%'",
    );
    for (const { datname, note } of rows) {
      let owner: { pid?: unknown; host?: unknown };
      try {
        owner = JSON.parse(note ?? '') as typeof owner;
      } catch {
        continue;
      }
      if (owner.host !== os.hostname() || typeof owner.pid !== 'number' || !/^tijori_bench_[0-9a-f]+$/.test(datname)) continue;
      if (isProcessAlive(owner.pid)) continue;
      await admin.query(`drop database if exists ${datname} with (force)`);
      dropped.push(datname);
    }
  } finally {
    await admin.end();
  }
  return dropped;
}
