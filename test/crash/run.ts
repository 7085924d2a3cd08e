/**
 * `npm run test:crash`: the crash test's full form (reliability plan PAY-8) on the compiled
 * `tijori start`. Prints the table of test/crash/harness.ts and exits 1 when an invariant fails.
 *
 *   npm run test:crash -- [--store postgres|pglite] [--seconds 60] [--kill-every 2] [--clients 4] [--min-kills 20]
 *
 * The load runs for --seconds, and on past them until --min-kills kills were made (a restart on a
 * busy machine can take longer than the interval).
 *
 * PostgreSQL (the default) uses a scratch database beside TEST_DATABASE_URL (or BENCH_DATABASE_URL,
 * else postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 */
import { parseArgs } from 'node:util';
import { adminDatabaseUrl } from '../../bench/lib/database.js';
import { cleanup } from '../support/process.js';
import { formatReport, runCrashTest } from './harness.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'postgres' },
    seconds: { type: 'string', default: '60' },
    'kill-every': { type: 'string', default: '2' },
    clients: { type: 'string', default: '4' },
    'min-kills': { type: 'string', default: '20' },
  },
});

const positive = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
  return n;
};

async function main(): Promise<number> {
  if (values.store !== 'postgres' && values.store !== 'pglite') throw new Error(`--store must be postgres or pglite (got "${values.store}")`);
  const report = await runCrashTest({
    adminUrl: values.store === 'postgres' ? adminDatabaseUrl() : undefined,
    durationMs: positive('seconds', values.seconds) * 1000,
    killIntervalMs: positive('kill-every', values['kill-every']) * 1000,
    clients: Math.round(positive('clients', values.clients)),
    minKills: Math.round(positive('min-kills', values['min-kills'])),
    progress: (line) => process.stderr.write(`[crash] ${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  return report.failures.length === 0 ? 0 : 1;
}

main()
  .then((code) => (process.exitCode = code))
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
