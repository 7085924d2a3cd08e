/**
 * Child process: Tijori over real HTTP on PostgreSQL, configured as `tijori start` would be but
 * with the OAuth rate limits raised out of the way. Env: BENCH_TIJORI_DATABASE_URL (an empty
 * database; migrated here), BENCH_TIJORI_USERS (usernames, comma-separated, created in the sandbox
 * company with the sandbox password, as `tijori user create` would). Replies `ready` with the port; answers `stats` with its event-loop
 * utilisation, the number of statements sent to PostgreSQL so far and the time spent in each
 * kind of statement (for the diagnostics of the report).
 */
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { systemClock } from '../../src/core/clock/clock.js';
import { openDatabase } from '../../src/core/db/engine.js';
import { createLogger } from '../../src/core/log/logger.js';
import { SANDBOX, seedSandbox } from '../../src/auth/seed.js';
import { onStop, send, serveStats } from '../lib/child.js';
import { countPgStatements, statementStats } from '../lib/pg-statements.js';

countPgStatements();

async function main(): Promise<void> {
  const url = process.env['BENCH_TIJORI_DATABASE_URL'];
  if (!url) throw new Error('BENCH_TIJORI_DATABASE_URL is not set');
  const base = loadConfig({}, {});
  const config: Config = {
    ...base,
    databaseUrl: url,
    logLevel: 'silent',
    port: 0,
    oauth: { ...base.oauth, ratePerClientPerMinute: 10_000_000, ratePerUsernamePerMinute: 10_000_000 },
  };
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
  await database.migrate();
  const { app, services } = await buildApp({ config, database, clock: systemClock, logger: createLogger('silent') });
  await seedSandbox(services);
  for (const username of (process.env['BENCH_TIJORI_USERS'] ?? '').split(',').filter(Boolean)) {
    await services.identity.createUser({ companyId: SANDBOX.companyId, username, password: SANDBOX.password });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  serveStats(() => ({ ...statementStats() }));
  onStop(async () => {
    await app.close();
    await database.close();
  });
  send({ type: 'ready', port });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
