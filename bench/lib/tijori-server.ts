/**
 * Child process: Tijori over real HTTP, configured as `tijori start` would be (job workers and
 * sandbox timers running, the sandbox company and its merchant keys seeded), on one of two stores:
 *
 * - BENCH_TIJORI_STORE=postgres: BENCH_TIJORI_DATABASE_URL (an empty database; migrated here),
 *   a pool of BENCH_TIJORI_POOL_SIZE connections;
 * - BENCH_TIJORI_STORE=pglite: the embedded PGlite default, in a fresh data folder under the
 *   system's temporary folder, removed when this process stops.
 *
 * Replies `ready` with the port; answers `stats` with its event-loop utilisation and (PostgreSQL
 * only) the statements sent so far and the time spent in each kind (bench/lib/pg-statements.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { SANDBOX, seedSandbox } from '../../src/auth/seed.js';
import { loadConfig, type Config } from '../../src/config.js';
import { systemClock } from '../../src/core/clock/clock.js';
import { openDatabase, type Database } from '../../src/core/db/engine.js';
import { createLogger } from '../../src/core/log/logger.js';
import { onStop, send, serveStats } from './child.js';
import { countPgStatements, statementStats } from './pg-statements.js';

countPgStatements();

async function main(): Promise<void> {
  const store = process.env['BENCH_TIJORI_STORE'] ?? 'postgres';
  const base = loadConfig({}, {});
  let database: Database;
  let config: Config;
  let removeDataDir = () => undefined as void;
  if (store === 'postgres') {
    const url = process.env['BENCH_TIJORI_DATABASE_URL'];
    if (!url) throw new Error('BENCH_TIJORI_DATABASE_URL is not set');
    database = await openDatabase({ kind: 'postgres', url, poolSize: Number(process.env['BENCH_TIJORI_POOL_SIZE'] ?? 10) });
    config = { ...base, databaseUrl: url };
  } else if (store === 'pglite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tijori-bench-pglite-'));
    removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
    database = await openDatabase({ kind: 'pglite', dataDir });
    config = { ...base, dataDir, databaseUrl: undefined };
  } else {
    throw new Error(`BENCH_TIJORI_STORE must be postgres or pglite (got "${store}")`);
  }
  await database.migrate();
  const { app, services } = await buildApp({
    config: { ...config, logLevel: 'silent', port: 0 },
    database,
    clock: systemClock,
    logger: createLogger('silent'),
  });
  await seedSandbox(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  serveStats(() => (database.kind === 'postgres' ? { ...statementStats() } : {}));
  onStop(async () => {
    await app.close();
    await database.close();
    removeDataDir();
  });
  send({ type: 'ready', port, store: database.kind, companyId: SANDBOX.companyId });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
