/**
 * Child process: Tijori over real HTTP on PostgreSQL, configured as `tijori start` would be but
 * with the OAuth rate limits raised out of the way. Env: BENCH_TIJORI_DATABASE_URL (an empty
 * database; migrated here), BENCH_TIJORI_USERS (usernames, comma-separated, created in the sandbox
 * company with the sandbox password, as `tijori user create` would). Replies `ready` with the port; answers `stats` with its event-loop
 * utilisation, the number of statements sent to PostgreSQL so far and the time spent in each
 * kind of statement (for the diagnostics of the report).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { systemClock } from '../../src/core/clock/clock.js';
import { openDatabase } from '../../src/core/db/engine.js';
import { createLogger } from '../../src/core/log/logger.js';
import { SANDBOX, seedSandbox } from '../../src/auth/seed.js';
import { onStop, send, serveStats } from '../lib/child.js';

// ---- Statement accounting: a wrapper around pg.Client#query (BEGIN and COMMIT included). The
// time is from the call to the answer on this client: the round trip plus any event-loop delay.
let statements = 0;
const byKind = new Map<string, { count: number; ms: number }>();

const kinds = new Map<string, string>();

/** "select oauth_refresh_tokens for update", "insert oauth_access_tokens", "begin", ... (cached per SQL text). */
function statementKind(config: unknown): string {
  const sqlText = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '?');
  let kind = kinds.get(sqlText);
  if (kind === undefined) {
    const text = sqlText.trim().toLowerCase();
    const verb = text.split(/\s+/, 1)[0] ?? '?';
    const table = /\b(?:from|into|update)\s+"?([\w.]+)"?/.exec(text)?.[1];
    const joins = (text.match(/\bjoin\b/g) ?? []).length;
    kind = [verb, table, joins > 0 ? `(+${joins} join)` : '', /\bfor update\s*$/.test(text) ? 'for update' : ''].filter(Boolean).join(' ');
    if (kinds.size < 10_000) kinds.set(sqlText, kind);
  }
  return kind;
}

type Callback = (err: unknown, res: unknown) => void;
const originalQuery = pg.Client.prototype.query as unknown as (this: pg.Client, ...args: unknown[]) => unknown;
pg.Client.prototype.query = function countedQuery(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
  statements++;
  const kind = statementKind(config);
  const t0 = performance.now();
  const done = () => {
    const entry = byKind.get(kind) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - t0;
    byKind.set(kind, entry);
  };
  const wrap = (cb: Callback): Callback => (err, res) => {
    done();
    cb(err, res);
  };
  if (typeof values === 'function') values = wrap(values as Callback);
  else if (typeof callback === 'function') callback = wrap(callback as Callback);
  const result = originalQuery.call(this, config, values, callback);
  if (typeof values !== 'function' && typeof callback !== 'function' && result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(done, done);
  }
  return result;
} as unknown as typeof pg.Client.prototype.query;

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

  serveStats(() => ({ statements, byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, { ...v }])) }));
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
