/**
 * The verification benchmark (`npm run bench -- verification`): GSTIN checks per second
 * (`POST /api/v0/verification/gstin`, OAuth password-grant token, a new referenceId each) beside a
 * bare fastify JSON POST route answering the same object, run before and after the Tijori run;
 * then bulk rows per second: one CSV of BENCH_VERIFICATION_BULK_ROWS GSTINs
 * (`POST /api/v0/verification/bulk`), timed from the upload to COMPLETED, beside the single checks'
 * rate of the same run (see bench/README.md).
 */
import { gstinCheckCharacter } from '../../src/rails/registries/index.js';
import { BenchChild } from '../lib/child.js';
import { adminDatabaseUrl, describeDatabaseUrl } from '../lib/database.js';
import { envNumber, loadSettingsFromEnv } from '../lib/env.js';
import { getJson } from '../lib/http.js';
import { runEnvelopeLoad, sandboxPasswordToken, timedRuns } from '../lib/enkash.js';
import { latencyOf, type BenchFigure, type SuiteResult } from '../lib/report.js';
import { writeResults } from '../lib/results.js';
import { openBenchScope } from '../lib/scope.js';
import { fixed, type Sample } from '../lib/stats.js';

const GSTIN = '27AABCT1234E1ZS';
const GOAL = 0.2;
const checkBody = (referenceId: string) => JSON.stringify({ referenceId, consent: 'Y', purpose: 'bench', gstin: GSTIN });
const log = (line = '') => process.stdout.write(`${line}\n`);

/** `rows` distinct well-formed GSTINs of Maharashtra (the registry's default answers them Active). */
function bulkCsv(rows: number): string {
  const lines = ['gstin'];
  for (let i = 0; i < rows; i++) {
    const body = `27AABC${String.fromCharCode(65 + (i % 26))}${String(i % 10_000).padStart(4, '0')}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}${1 + Math.floor(i / 10_000)}Z`;
    lines.push(`${body}${gstinCheckCharacter(body)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function runChecks(url: string, headers: Record<string, string>, connections: number, seconds: number, tag: string): Promise<Sample> {
  let n = 0;
  return runEnvelopeLoad({ url, headers, connections, seconds, nextBody: () => checkBody(`${tag}-${n++}`) });
}

export async function runVerificationSuite(): Promise<SuiteResult> {
  const settings = loadSettingsFromEnv('BENCH_VERIFICATION_CONNECTIONS');
  const bulkRows = Math.floor(envNumber('BENCH_VERIFICATION_BULK_ROWS', 10_000, 1));
  const started = new Date();
  const adminUrl = adminDatabaseUrl();
  log(
    `verification benchmark: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per run; bulk ${bulkRows} rows`,
  );
  const scope = openBenchScope(log);
  try {
    const db = await scope.scratchDatabase(adminUrl);
    log(`database: ${db.name} on PostgreSQL ${db.serverVersion} (beside ${describeDatabaseUrl(adminUrl)})`);
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
    const probe = await getJson(`${origin}/api/v0/verification/gstin`, { method: 'POST', headers, body: checkBody('bench-probe') });
    if (probe.status !== 200 || (probe.body['payload'] as { status?: string } | undefined)?.status !== 'VALID')
      throw new Error(`probe GSTIN check: ${probe.status} ${JSON.stringify(probe.body)}`);
    await fastify.child.request({ type: 'body', body: probe.body }, 'body-set');

    const { timed, report } = timedRuns(settings, log);
    let tag = 0;
    const bare = (when: string) =>
      timed('fastify', `bare fastify JSON POST (${when})`, (seconds) =>
        runChecks(`${fastifyOrigin}/api/v0/verification/gstin`, { 'content-type': 'application/json' }, settings.connections, seconds, `base-${tag++}`),
      );
    await bare('before');
    await timed('gstin', 'tijori POST /api/v0/verification/gstin', (seconds) =>
      runChecks(`${origin}/api/v0/verification/gstin`, headers, settings.connections, seconds, `bench-${tag++}`),
    );
    await bare('after');

    // Bulk: one upload, polled every 100 ms until COMPLETED.
    log(`running bulk job of ${bulkRows} GSTIN rows ...`);
    const t0 = performance.now();
    const uploaded = await fetch(`${origin}/api/v0/verification/bulk?checkType=GSTIN&referenceId=BENCH-BULK&consent=Y&purpose=bench`, {
      method: 'POST',
      headers: { authorization: headers.authorization, 'content-type': 'text/csv' },
      body: bulkCsv(bulkRows),
    });
    const job = ((await uploaded.json()) as { payload: { jobId: string } | null }).payload;
    if (uploaded.status !== 200 || !job) throw new Error(`bulk upload: ${uploaded.status}`);
    let state: { status: string; rowsDone: number; rowsFailed: number };
    for (;;) {
      state = (await getJson(`${origin}/api/v0/verification/bulk/${job.jobId}`, { method: 'GET', headers })).body['payload'] as typeof state;
      if (state.status === 'COMPLETED' || state.status === 'CANCELLED') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const bulkSeconds = (performance.now() - t0) / 1000;
    const bulkRate = state.rowsDone / bulkSeconds;
    log(`  bulk: ${state.rowsDone} rows in ${fixed(bulkSeconds, 2)} s = ${fixed(bulkRate)} rows/s (${state.rowsFailed} failed)`);
    const peakRss = tijori.child.peakRssBytes();

    const summaries = report();
    const gstin = summaries.get('gstin')!;
    const baseline = summaries.get('fastify')!;
    const ratio = baseline.ratePerSecond > 0 ? gstin.ratePerSecond / baseline.ratePerSecond : 0;
    const figures: BenchFigure[] = [
      {
        suite: 'verification',
        measure: 'POST /api/v0/verification/gstin (VALID)',
        unit: '/s',
        tijori: gstin.ratePerSecond,
        tijoriP50Ms: latencyOf(gstin).p50Ms,
        tijoriP99Ms: latencyOf(gstin).p99Ms,
        baselineName: 'bare fastify JSON POST route',
        baseline: baseline.ratePerSecond,
        baselineP50Ms: latencyOf(baseline).p50Ms,
        baselineP99Ms: latencyOf(baseline).p99Ms,
        ratio,
        goal: GOAL,
        met: ratio >= GOAL,
        tijoriPeakRssBytes: peakRss,
        failures: gstin.non2xx + gstin.errors + baseline.non2xx + baseline.errors,
      },
      {
        suite: 'verification',
        measure: `bulk GSTIN rows (${bulkRows}-row CSV, upload to COMPLETED)`,
        unit: '/s',
        tijori: bulkRate,
        tijoriP50Ms: null,
        tijoriP99Ms: null,
        baselineName: 'single GSTIN checks over HTTP (same run)',
        baseline: gstin.ratePerSecond,
        baselineP50Ms: null,
        baselineP99Ms: null,
        ratio: gstin.ratePerSecond > 0 ? bulkRate / gstin.ratePerSecond : 0,
        goal: null,
        met: null,
        tijoriPeakRssBytes: peakRss,
        failures: state.rowsFailed,
      },
    ];
    for (const f of figures) {
      log(
        `${f.met === false ? 'MISS' : 'INFO'} ${f.measure}: ${fixed(f.tijori)} /s, ${fixed(f.ratio, 2)}x of ${f.baselineName} (${fixed(f.baseline)} /s)` +
          (f.goal === null ? '' : `; goal ${f.goal}x ${f.met ? 'met' : 'MISSED'}`),
      );
    }
    const { file, record } = writeResults('verification', started, {
      settings: { ...settings, bulkRows },
      environment: { node: process.version, postgres: db.serverVersion, database: db.name },
      tijoriPeakRssBytes: peakRss,
      bulk: { rows: state.rowsDone, failed: state.rowsFailed, seconds: bulkSeconds },
      scenarios: Object.fromEntries(summaries),
      figures,
    });
    log(`results: ${file}`);
    return { suite: 'verification', file, figures, record };
  } finally {
    await scope.close();
  }
}
