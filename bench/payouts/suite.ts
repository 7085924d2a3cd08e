/**
 * The Payouts benchmark (`npm run bench -- payouts`): IMPS transfers per second
 * (`POST /api/v0/payout-transaction`, OAuth password-grant token, a funded payout balance, one
 * saved beneficiary) beside pgbench running one payment-shaped transaction on the same PostgreSQL
 * and beside a bare fastify JSON POST route, each baseline run before and after the Tijori run
 * (see bench/README.md).
 */
import { BenchChild, eluBetween, type ChildMessage } from '../lib/child.js';
import { adminDatabaseUrl, describeDatabaseUrl } from '../lib/database.js';
import { loadSettingsFromEnv } from '../lib/env.js';
import { getJson } from '../lib/http.js';
import { runEnvelopeLoad, sandboxPasswordToken, timedRuns } from '../lib/enkash.js';
import { statementsBetween, type StatementStats } from '../lib/pg-statements.js';
import { createPgbenchSchema, PGBENCH, pgbenchScript, runPgbench } from '../lib/pgbench.js';
import { latencyOf, type BenchFigure, type SuiteResult } from '../lib/report.js';
import { writeResults } from '../lib/results.js';
import { openBenchScope } from '../lib/scope.js';
import { fixed, table, type Sample } from '../lib/stats.js';

/** The saved beneficiary every transfer pays: the sandbox account that IMPS credits at once (docs/sandbox.md). */
const BENEFICIARY = { beneficiaryId: 'BENCHPAYEE', beneficiaryName: 'Bench Payee', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC0000001' };
/** Enough float for every transfer of a long run at ₹1 each. */
const FUNDS_RUPEES = 10_000_000;
const transferBody = (transactionId: string) =>
  JSON.stringify({ transactionId, beneficiaryId: BENEFICIARY.beneficiaryId, transferAmount: 1, transferMode: 'IMPS', transferRemark: 'bench payout' });

const log = (line = '') => process.stdout.write(`${line}\n`);

/** Funds the payout balance, saves the beneficiary and makes one transfer by hand; returns its answer. */
async function prepare(origin: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
    const answer = await getJson(`${origin}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    if (answer.status !== 200 || answer.body['response_code'] !== 0) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  await post('/api/v0/payout-account/add-funds', { amount: FUNDS_RUPEES, reference: 'bench float' }, { 'idempotency-key': 'bench-payouts-funds' });
  await post('/api/v0/beneficiary-detail', BENEFICIARY);
  const probe = await getJson(`${origin}/api/v0/payout-transaction`, { method: 'POST', headers, body: transferBody('bench-probe') });
  const status = (probe.body['payload'] as { transferStatus?: unknown } | undefined)?.transferStatus;
  if (probe.status !== 200 || probe.body['response_code'] !== 0 || status !== 'SUCCESS') {
    throw new Error(`probe IMPS transfer: expected 200 SUCCESS, got ${probe.status} ${JSON.stringify(probe.body)}`);
  }
  return probe.body;
}

/**
 * Transfers (or the fastify baseline's POSTs) for `seconds`, each with a new transactionId. An
 * answer counts when it is 200 with `response_code` 0 (a rejected or unfunded transfer is a 200
 * with response_code 1: counted as failed, not as a transfer).
 */
async function runTransfers(url: string, headers: Record<string, string>, connections: number, seconds: number, tag: string): Promise<Sample> {
  let n = 0;
  return runEnvelopeLoad({ url, headers, connections, seconds, nextBody: () => transferBody(`${tag}-${n++}`) });
}

export async function runPayoutsSuite(): Promise<SuiteResult> {
  const settings = loadSettingsFromEnv('BENCH_PAYOUTS_CONNECTIONS');
  const started = new Date();
  const adminUrl = adminDatabaseUrl();
  log(`payouts benchmark: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per run`);
  const scope = openBenchScope(log);
  try {
    const db = await scope.scratchDatabase(adminUrl);
    log(`database: ${db.name} on PostgreSQL ${db.serverVersion} (beside ${describeDatabaseUrl(adminUrl)}); pgbench: ${PGBENCH}`);
    // One balance row: every transfer debits the one company's payout float, a hot row on both sides.
    await createPgbenchSchema(db.url, 1);
    const [tijori, fastify] = await Promise.all([
      BenchChild.start('tijori-postgres', 'lib/tijori-server.ts', {
        env: { BENCH_TIJORI_STORE: 'postgres', BENCH_TIJORI_DATABASE_URL: db.url, BENCH_TIJORI_POOL_SIZE: String(settings.poolSize) },
      }),
      BenchChild.start('fastify-baseline', 'lib/fastify-baseline.ts'),
    ]);
    scope.children.push(tijori.child, fastify.child);
    const origin = `http://127.0.0.1:${String(tijori.ready.port)}`;
    const fastifyOrigin = `http://127.0.0.1:${String(fastify.ready.port)}`;
    const headers = { authorization: await sandboxPasswordToken(origin), 'content-type': 'application/json' };
    const probe = await prepare(origin, headers);
    // The baseline answers the same object as Tijori's transfer answer.
    await fastify.child.request({ type: 'body', body: probe }, 'body-set');

    const { samples, timed, report } = timedRuns(settings, log);
    let tag = 0;
    const pgbench = (when: string) =>
      timed('pgbench', `pgbench payment transaction, one balance (${when})`, async (seconds) => {
        const options = { url: db.url, script: pgbenchScript(1), clients: settings.connections, threads: settings.pgbenchThreads, seconds };
        return (await runPgbench({ ...options, log: true })).sample;
      });
    const bare = (when: string) =>
      timed('fastify', `bare fastify JSON POST (${when})`, (seconds) =>
        runTransfers(`${fastifyOrigin}/api/v0/payout-transaction`, { 'content-type': 'application/json' }, settings.connections, seconds, `base-${tag++}`),
      );

    // Each baseline runs before and after the Tijori run, to damp drift.
    await pgbench('before');
    await bare('before');
    // Where the transfer's time goes: the server's event-loop use and its statements per transfer.
    const stats = async () => (await tijori.child.request({ type: 'stats' }, 'stats')) as ChildMessage & Partial<StatementStats>;
    let before = await stats();
    await timed('transfer', 'tijori POST /api/v0/payout-transaction (IMPS)', async (seconds) => {
      before = await stats(); // the timed run's window, not the warm-up's
      return runTransfers(`${origin}/api/v0/payout-transaction`, headers, settings.connections, seconds, `bench-${tag++}`);
    });
    const after = await stats();
    const transferSample = samples.get('transfer')![0]!;
    const serverEventLoopUtilization = eluBetween(before['elu'], after['elu']);
    const statements = statementsBetween(before, after, Math.max(1, transferSample.ok + transferSample.non2xx));
    await bare('after');
    await pgbench('after');
    const peakRss = tijori.child.peakRssBytes();

    const summaries = report();
    const transfer = summaries.get('transfer')!;
    const figures: BenchFigure[] = [
      ['pgbench', 'pgbench payment txn (one balance)'],
      ['fastify', 'bare fastify JSON POST route'],
    ].map(([key, baselineName]) => {
      const baseline = summaries.get(key!)!;
      return {
        suite: 'payouts',
        measure: 'POST /api/v0/payout-transaction (IMPS, SUCCESS)',
        unit: '/s',
        tijori: transfer.ratePerSecond,
        tijoriP50Ms: latencyOf(transfer).p50Ms,
        tijoriP99Ms: latencyOf(transfer).p99Ms,
        baselineName: baselineName!,
        baseline: baseline.ratePerSecond,
        baselineP50Ms: latencyOf(baseline).p50Ms,
        baselineP99Ms: latencyOf(baseline).p99Ms,
        ratio: baseline.ratePerSecond > 0 ? transfer.ratePerSecond / baseline.ratePerSecond : 0,
        goal: null,
        met: null,
        tijoriPeakRssBytes: peakRss,
        failures: transfer.non2xx + transfer.errors + baseline.non2xx + baseline.errors,
      };
    });
    log(
      `Tijori server during the transfer run: event loop ${fixed(serverEventLoopUtilization * 100, 0)}% busy, ` +
        `${fixed(statements?.statementsPerOp ?? Number.NaN, 1)} PostgreSQL statements per transfer (BEGIN/COMMIT included)`,
    );
    if (statements)
      log(
        table(
          ['statement', 'per transfer', 'ms each', 'ms per transfer'],
          statements.statements.map((x) => [x.kind, fixed(x.perOp, 2), fixed(x.msEach, 2), fixed(x.msPerOp, 2)]),
        ),
      );
    for (const f of figures) {
      log(
        `INFO transfer ${fixed(f.ratio, 2)}x of ${f.baselineName} (${fixed(f.tijori)} vs ${fixed(f.baseline)} /s; ` +
          `p50 ${fixed(f.tijoriP50Ms ?? Number.NaN, 1)} vs ${fixed(f.baselineP50Ms ?? Number.NaN, 1)} ms, p99 ${fixed(f.tijoriP99Ms ?? Number.NaN, 1)} vs ${fixed(f.baselineP99Ms ?? Number.NaN, 1)} ms)` +
          (f.failures > 0 ? `  [${f.failures} FAILED OPERATIONS]` : ''),
      );
    }
    const { file, record } = writeResults('payouts', started, {
      settings,
      environment: { node: process.version, postgres: db.serverVersion, database: db.name, pgbench: PGBENCH },
      tijoriPeakRssBytes: peakRss,
      transferDiagnostics: { serverEventLoopUtilization, ...statements },
      scenarios: Object.fromEntries(summaries),
      figures,
    });
    log(`results: ${file}`);
    return { suite: 'payouts', file, figures, record };
  } finally {
    await scope.close();
  }
}
