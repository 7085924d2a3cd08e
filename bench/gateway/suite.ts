/**
 * The Payment Gateway benchmark (`npm run bench -- gateway`): the merchant's flow (create order,
 * submit a frictionless card payment, read its status) per second beside pgbench running one
 * transaction shaped like a payment on the same PostgreSQL, and the status read per second beside
 * a bare fastify JSON route, each baseline measured in the same run (see bench/README.md).
 */
import os from 'node:os';
import pg from 'pg';
import { BenchChild, type ChildMessage } from '../lib/child.js';
import { CpuSampler } from '../lib/cpu.js';
import { adminDatabaseUrl, describeDatabaseUrl } from '../lib/database.js';
import { openBenchScope } from '../lib/scope.js';
import { getJson } from '../lib/http.js';
import { runLoad } from '../lib/load.js';
import type { StatementStats } from '../lib/pg-statements.js';
import { latencyOf, type BenchFigure, type SuiteResult } from '../lib/report.js';
import { writeResults } from '../lib/results.js';
import { fixed, summarize, table, type Sample, type Summary } from '../lib/stats.js';
import { diagnose, snapshot, type Diagnostics } from './diagnostics.js';
import { runFlows } from './flow.js';
import { FLOW_GOAL, FLOW_P99_GOAL_MS, merchantHeaders, probeFlow, REFERENCE_BALANCE_ROWS, settingsFromEnv, STATUS_GOAL, type Store } from './setup.js';
import { createPgbenchSchema, PGBENCH, pgbenchScript, runPgbench } from '../lib/pgbench.js';

interface Scenario {
  key: string;
  samples: Sample[];
  diagnostics: Diagnostics[];
}

interface Figure {
  figure: string;
  store: Store;
  targetKey: string;
  baselineRuns: Array<{ key: string; run: number }>;
  baselineName: string;
  goal: number | null;
  p99GoalMs: number | null;
}

const log = (line = '') => process.stdout.write(`${line}\n`);

export async function runGatewaySuite(): Promise<SuiteResult> {
  const settings = settingsFromEnv();
  const started = new Date();
  const adminUrl = adminDatabaseUrl();
  const cores = os.cpus().length;
  log(
    `gateway benchmark: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per run, ` +
      `Tijori on ${settings.stores.join(' and ')}, ${cores} CPUs`,
  );

  const scope = openBenchScope(log);
  const { children, closers } = scope;

  try {
    const db = await scope.scratchDatabase(adminUrl);
    const scratch = db;
    log(`database: ${scratch.name} on PostgreSQL ${scratch.serverVersion} (beside ${describeDatabaseUrl(adminUrl)}); pgbench: ${PGBENCH}`);
    await createPgbenchSchema(scratch.url, REFERENCE_BALANCE_ROWS);

    const tijoriChild = (store: Store) =>
      BenchChild.start(`tijori-${store}`, 'lib/tijori-server.ts', {
        env: { BENCH_TIJORI_STORE: store, BENCH_TIJORI_DATABASE_URL: scratch.url, BENCH_TIJORI_POOL_SIZE: String(settings.poolSize) },
        // A V8 CPU profile of each Tijori process over the whole run, written when it stops.
        nodeOptions: settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : [],
      });
    const [fastify, ...tijoris] = await Promise.all([BenchChild.start('fastify-baseline', 'lib/fastify-baseline.ts'), ...settings.stores.map(tijoriChild)]);
    children.push(fastify.child, ...tijoris.map((t) => t.child));
    const fastifyOrigin = `http://127.0.0.1:${String(fastify.ready.port)}`;
    const tijori = new Map(
      settings.stores.map((store, i) => {
        const t = tijoris[i]!;
        return [store, { child: t.child, origin: `http://127.0.0.1:${String(t.ready.port)}`, headers: {} as Record<string, string>, paid: [] as string[] }];
      }),
    );
    log(`tijori: ${[...tijori].map(([store, t]) => `${t.origin} (${store})`).join(', ')}   fastify: ${fastifyOrigin}`);

    // One flow by hand on each store (twice: the second counts PostgreSQL statements without first-use work).
    const statementsPerFlow: Partial<Record<Store, number>> = {};
    let statusAnswer: Record<string, unknown> = {};
    for (const [store, t] of tijori) {
      t.headers = await merchantHeaders(t.origin);
      for (let i = 0; i < 2; i++) {
        const before = (await t.child.request({ type: 'stats' }, 'stats')) as ChildMessage & Partial<StatementStats>;
        statusAnswer = await probeFlow(t.origin, t.headers, `probe-${store}-${i}`);
        t.paid.push(String((statusAnswer['payload'] as { transactionId?: unknown }).transactionId));
        const after = (await t.child.request({ type: 'stats' }, 'stats')) as ChildMessage & Partial<StatementStats>;
        if (after.statements !== undefined) statementsPerFlow[store] = after.statements - (before.statements ?? 0);
      }
    }
    // The baseline serialises the same object as Tijori's status answer.
    await fastify.child.request({ type: 'body', body: statusAnswer }, 'body-set');
    const baselineProbe = await getJson(`${fastifyOrigin}/api/v0/payment/probe`, {});
    if (baselineProbe.status !== 200) throw new Error(`fastify baseline: ${baselineProbe.status}`);
    if (statementsPerFlow.postgres !== undefined) log(`PostgreSQL statements per flow (BEGIN/COMMIT included): ${statementsPerFlow.postgres}`);

    // ---- CPU accounting around each timed run ----
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    closers.push(() => admin.end());
    const backendPids = async () =>
      (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [scratch.name])).rows.map((r) => r.pid);
    const childPids = () => children.map((c) => c.pid ?? -1);
    /** Runs `run` with its CPU accounted; `externalLoadgenSeconds` is pgbench's own CPU when it is the load generator. */
    const measured = async (server: BenchChild | null, run: () => Promise<{ sample: Sample; externalLoadgenSeconds?: number }>) => {
      const sampler = await CpuSampler.start(backendPids);
      const before = await snapshot(server, childPids);
      const { sample, externalLoadgenSeconds = 0 } = await run();
      const after = await snapshot(server, childPids);
      const postgres = await sampler.stop();
      return { sample, diagnostics: diagnose(before, after, postgres, externalLoadgenSeconds, sample) };
    };

    const scenarios = new Map<string, Scenario>();
    const record = (key: string, label: string, sample: Sample, diagnostics: Diagnostics) => {
      const s = scenarios.get(key) ?? { key, samples: [], diagnostics: [] };
      s.samples.push(sample);
      s.diagnostics.push(diagnostics);
      scenarios.set(key, s);
      const rate = sample.seconds > 0 ? sample.ok / sample.seconds : 0;
      const bad = sample.non2xx + sample.errors;
      log(
        `  ${label}: ${fixed(rate)} /s   (machine busy ${fixed(diagnostics.machineBusyCores, 2)} of ${cores} cores, ` +
          `${fixed(diagnostics.restOfMachineCores, 2)} of it outside this benchmark)` +
          (bad > 0 ? `   !! ${sample.non2xx} failed, ${sample.errors} errors ${JSON.stringify(sample.statusCodes)}` : ''),
      );
    };

    const pgbenchRun = async (key: string, label: string, balanceRows: number) => {
      log(`running ${label} ...`);
      const options = { url: scratch.url, script: pgbenchScript(balanceRows), clients: settings.connections, threads: settings.pgbenchThreads };
      if (settings.warmupSeconds > 0) await runPgbench({ ...options, seconds: settings.warmupSeconds, log: false });
      const { sample, diagnostics } = await measured(null, async () => {
        const r = await runPgbench({ ...options, seconds: settings.seconds, log: true });
        return { sample: r.sample, externalLoadgenSeconds: r.pgbenchCpuSeconds };
      });
      record(key, label, sample, diagnostics);
    };
    let runTag = 0;
    const flowRun = async (store: Store) => {
      const t = tijori.get(store)!;
      const label = `tijori flow (${store})`;
      log(`running ${label} ...`);
      const flows = (seconds: number) =>
        runFlows({
          origin: t.origin,
          connections: settings.connections,
          seconds,
          headers: t.headers,
          tag: `bench-${runTag++}`,
          onPaid: (id) => t.paid.push(id),
        });
      if (settings.warmupSeconds > 0) await flows(settings.warmupSeconds);
      const { sample, diagnostics } = await measured(t.child, async () => ({ sample: await flows(settings.seconds) }));
      record(`flow-${store}`, label, sample, diagnostics);
    };
    const readRun = async (key: string, label: string, server: BenchChild, origin: string, headers: Record<string, string>, ids: string[]) => {
      log(`running ${label} ...`);
      let next = 0;
      const load = {
        url: `${origin}/api/v0/payment/-`,
        method: 'GET',
        headers,
        connections: settings.connections,
        nextPath: () => `/api/v0/payment/${encodeURIComponent(ids[next++ % ids.length]!)}`,
      };
      if (settings.warmupSeconds > 0) await runLoad({ ...load, seconds: settings.warmupSeconds });
      const { sample, diagnostics } = await measured(server, async () => ({ sample: await runLoad({ ...load, seconds: settings.seconds }) }));
      record(key, label, sample, diagnostics);
    };

    // ---- Timed runs: each Tijori run sits between two runs of its baseline ----
    const oneMerchant = settings.balanceRows === 1 ? 'one merchant balance' : `${settings.balanceRows} merchant balances`;
    await pgbenchRun('pgbench', `pgbench payment transaction, ${oneMerchant} (before)`, settings.balanceRows);
    const flowBaselines = new Map<Store, Array<{ key: string; run: number }>>();
    for (const [i, store] of settings.stores.entries()) {
      await flowRun(store);
      await pgbenchRun('pgbench', `pgbench payment transaction, ${oneMerchant} (after)`, settings.balanceRows);
      flowBaselines.set(store, [
        { key: 'pgbench', run: i },
        { key: 'pgbench', run: i + 1 },
      ]);
    }
    const readBaselines = new Map<Store, Array<{ key: string; run: number }>>();
    const fastifyRead = (when: string) =>
      readRun('fastify', `bare fastify JSON route (${when})`, fastify.child, fastifyOrigin, {}, tijori.values().next().value!.paid);
    await fastifyRead('before');
    for (const [i, store] of settings.stores.entries()) {
      const t = tijori.get(store)!;
      await readRun(`status-${store}`, `tijori GET /api/v0/payment/{id} (${store}, ${t.paid.length} payments)`, t.child, t.origin, t.headers, t.paid);
      await fastifyRead('after');
      readBaselines.set(store, [
        { key: 'fastify', run: i },
        { key: 'fastify', run: i + 1 },
      ]);
    }
    // For reference, not a goal: the same transaction without the hot balance row.
    if (settings.balanceRows < REFERENCE_BALANCE_ROWS) {
      await pgbenchRun('pgbench-spread', `pgbench payment transaction, ${REFERENCE_BALANCE_ROWS} merchant balances (reference)`, REFERENCE_BALANCE_ROWS);
    }

    // ---- Report ----
    const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
    const samplesOf = (runs: Array<{ key: string; run: number }>) => runs.map(({ key, run }) => scenarios.get(key)!.samples[run]!);
    const diagnosticsOf = (runs: Array<{ key: string; run: number }>) => runs.map(({ key, run }) => scenarios.get(key)!.diagnostics[run]!);
    const allRuns = (key: string) => (scenarios.get(key)?.samples ?? []).map((_, run) => ({ key, run }));
    const rows: Array<{ key: string; name: string; server: string; runs: Array<{ key: string; run: number }> }> = [
      ...settings.stores.map((store) => ({
        key: `flow-${store}`,
        name: 'order + card payment + status',
        server: `tijori (${store})`,
        runs: allRuns(`flow-${store}`),
      })),
      { key: 'pgbench', name: `payment transaction, ${oneMerchant}`, server: `pgbench (${allRuns('pgbench').length} runs)`, runs: allRuns('pgbench') },
      ...(scenarios.has('pgbench-spread')
        ? [
            {
              key: 'pgbench-spread',
              name: `payment transaction, ${REFERENCE_BALANCE_ROWS} balances`,
              server: 'pgbench (reference)',
              runs: allRuns('pgbench-spread'),
            },
          ]
        : []),
      ...settings.stores.map((store) => ({
        key: `status-${store}`,
        name: 'GET /api/v0/payment/{id}',
        server: `tijori (${store})`,
        runs: allRuns(`status-${store}`),
      })),
      { key: 'fastify', name: 'GET, same JSON body', server: `bare fastify (${allRuns('fastify').length} runs)`, runs: allRuns('fastify') },
    ];
    const summaries = new Map(rows.map((r) => [r.key, summarize(samplesOf(r.runs))]));
    log('');
    log(
      table(
        ['scenario', 'server', 'ops/s', 'runs ops/s', 'p50 ms', 'p99 ms', 'mean ms', 'ok', 'failed', 'errors'],
        rows.map(({ key, name, server }) => {
          const s = summaries.get(key)!;
          return [
            name,
            server,
            fixed(s.ratePerSecond),
            s.runRates.length > 1 ? s.runRates.map((r) => fixed(r, 0)).join(' / ') : '',
            fixed(s.p50Ms, 2),
            fixed(s.p99Ms, 2),
            fixed(s.meanMs, 2),
            s.ok,
            s.non2xx,
            s.errors,
          ];
        }),
      ),
    );
    log('(a flow counts when its three requests answer 200 and the payment is SUCCESS; its latency runs from the first request to the third answer)');

    log('');
    log(
      'Where the time goes (CPU ms per completed operation; postgres = backends of the scratch database; loadgen = autocannon, or pgbench itself; mean of the runs):',
    );
    log(
      table(
        ['scenario', 'server', 'server CPU', 'postgres CPU', 'loadgen CPU', 'server ELU', 'SQL stmts', 'busy cores', 'other load'],
        rows.map(({ name, server, runs }) => {
          const ds = diagnosticsOf(runs);
          return [
            name,
            server.replace(/ \(.*runs?\)$/, ''),
            fixed(mean(ds.map((d) => d.cpuMsPerOp.server)), 2),
            fixed(mean(ds.map((d) => d.cpuMsPerOp.postgres)), 2),
            fixed(mean(ds.map((d) => d.cpuMsPerOp.loadgen)), 2),
            ds[0]?.serverEventLoopUtilization === undefined ? '-' : `${fixed(mean(ds.map((d) => d.serverEventLoopUtilization ?? 0)) * 100, 0)}%`,
            ds[0]?.statementsPerOp === undefined ? '-' : fixed(mean(ds.map((d) => d.statementsPerOp ?? 0)), 1),
            fixed(mean(ds.map((d) => d.machineBusyCores)), 2),
            fixed(mean(ds.map((d) => d.restOfMachineCores)), 2),
          ];
        }),
      ),
    );
    log('("other load": busy cores outside this benchmark\'s processes and database backends; with PGlite the database runs inside the Tijori process)');
    for (const key of ['flow-postgres', 'status-postgres']) {
      const statements = scenarios.get(key)?.diagnostics[0]?.statements;
      if (!statements) continue;
      log('');
      log(
        `Tijori ${key === 'flow-postgres' ? 'flow' : 'status read'} on PostgreSQL: time from query() to its answer, per statement kind (includes waiting for a pool connection's event loop):`,
      );
      log(
        table(
          ['statement', 'per op', 'ms each', 'ms per op'],
          statements.map((x) => [x.kind, fixed(x.perOp, 2), fixed(x.msEach, 2), fixed(x.msPerOp, 2)]),
        ),
      );
    }

    const cpuPerOp = (runs: Array<{ key: string; run: number }>) =>
      mean(diagnosticsOf(runs).map((d) => d.cpuMsPerOp.server + d.cpuMsPerOp.postgres + d.cpuMsPerOp.loadgen));
    const figureDefs: Figure[] = [
      ...settings.stores.map((store) => ({
        figure: `flow (${store})`,
        store,
        targetKey: `flow-${store}`,
        baselineRuns: flowBaselines.get(store)!,
        baselineName: `pgbench payment transaction (${oneMerchant}, PostgreSQL)`,
        goal: store === 'postgres' ? FLOW_GOAL : null,
        p99GoalMs: store === 'postgres' ? FLOW_P99_GOAL_MS : null,
      })),
      ...settings.stores.map((store) => ({
        figure: `status (${store})`,
        store,
        targetKey: `status-${store}`,
        baselineRuns: readBaselines.get(store)!,
        baselineName: 'bare fastify JSON route',
        goal: store === 'postgres' ? STATUS_GOAL : null,
        p99GoalMs: null,
      })),
    ];
    const figures = figureDefs.map((f) => {
      const target = summaries.get(f.targetKey)!;
      const baseline: Summary = summarize(samplesOf(f.baselineRuns));
      const ratio = baseline.ratePerSecond > 0 ? target.ratePerSecond / baseline.ratePerSecond : 0;
      const targetCpuMsPerOp = cpuPerOp(allRuns(f.targetKey));
      const baselineCpuMsPerOp = cpuPerOp(f.baselineRuns);
      return {
        ...f,
        target,
        baseline,
        ratio,
        rateMet: f.goal === null ? null : ratio >= f.goal,
        p99Met: f.p99GoalMs === null ? null : target.p99Ms <= f.p99GoalMs,
        failures: target.non2xx + target.errors + baseline.non2xx + baseline.errors,
        targetCpuMsPerOp,
        baselineCpuMsPerOp,
        cpuCostRatio: baselineCpuMsPerOp / targetCpuMsPerOp,
        baselineDrift: Math.max(...baseline.runRates) / Math.max(1e-9, Math.min(...baseline.runRates)),
      };
    });
    const spread = summaries.get('pgbench-spread');
    // Peak RSS of each Tijori process over the whole suite, read before the scope stops them.
    const peakRss = new Map([...tijori].map(([store, t]) => [store, t.child.peakRssBytes()]));

    const { file, record: written } = writeResults('gateway', started, {
      settings,
      environment: {
        node: process.version,
        cpus: cores,
        cpuModel: os.cpus()[0]?.model,
        loadavg: os.loadavg(),
        postgres: scratch.serverVersion,
        database: scratch.name,
        pgbench: PGBENCH,
      },
      postgresStatementsPerFlow: statementsPerFlow.postgres ?? null,
      tijoriPeakRssBytes: Object.fromEntries(peakRss),
      scenarios: rows.map(({ key, name, server, runs }) => ({ key, name, server, ...summaries.get(key)!, diagnostics: diagnosticsOf(runs) })),
      figures: figures.map((f) => ({
        figure: f.figure,
        baseline: f.baselineName,
        ratio: f.ratio,
        goal: f.goal,
        met: f.rateMet,
        p99GoalMs: f.p99GoalMs,
        p99Met: f.p99Met,
        failedOperations: f.failures,
        targetRatePerSecond: f.target.ratePerSecond,
        baselineRatePerSecond: f.baseline.ratePerSecond,
        targetP50Ms: f.target.p50Ms,
        targetP99Ms: f.target.p99Ms,
        baselineP50Ms: f.baseline.p50Ms,
        baselineP99Ms: f.baseline.p99Ms,
        baselineRunRates: f.baseline.runRates,
        targetCpuMsPerOp: f.targetCpuMsPerOp,
        baselineCpuMsPerOp: f.baselineCpuMsPerOp,
        cpuCostRatio: f.cpuCostRatio,
      })),
    });

    log('');
    log(`results: ${file}`);
    const allDiagnostics = [...scenarios.values()].flatMap((x) => x.diagnostics);
    const otherLoadMax = Math.max(...allDiagnostics.map((d) => d.restOfMachineCores));
    if (otherLoadMax > 0.25) {
      log(
        `!! the machine was also busy with other work: ${fixed(mean(allDiagnostics.map((d) => d.restOfMachineCores)), 2)} cores on average, ` +
          `up to ${fixed(otherLoadMax, 2)} in one run (of ${cores}); ratios are less reliable, compare the before/after baseline runs above`,
      );
    }
    if (figures.some((f) => f.failures > 0)) log('!! SOME OPERATIONS FAILED: the figures below are not clean measurements (see failed / errors above)');
    for (const f of figures) {
      const met = f.rateMet !== false && f.p99Met !== false;
      const verdict = (ok: boolean | null, what: string) => (ok === null ? '' : ok ? `${what}: met` : `${what}: MISSED`);
      const goals = [
        f.goal === null ? '' : verdict(f.rateMet, `goal >= ${fixed(f.goal, 2)}x`),
        f.p99GoalMs === null ? '' : verdict(f.p99Met, `p99 goal <= ${f.p99GoalMs} ms at ${settings.connections} connections`),
      ].filter(Boolean);
      log(
        `${f.goal === null ? 'INFO' : met ? 'OK  ' : 'MISS'} ${f.figure.padEnd(18)} ${fixed(f.ratio, 2)}x of ${f.baselineName} ` +
          `(${fixed(f.target.ratePerSecond)} vs ${fixed(f.baseline.ratePerSecond)} /s; p50 ${fixed(f.target.p50Ms, 1)} vs ${fixed(f.baseline.p50Ms, 1)} ms, ` +
          `p99 ${fixed(f.target.p99Ms, 1)} vs ${fixed(f.baseline.p99Ms, 1)} ms)  ${goals.length > 0 ? goals.join('; ') : 'reported (the goals are for PostgreSQL)'}` +
          (f.failures > 0 ? `  [${f.failures} FAILED OPERATIONS]` : ''),
      );
      const cpuMet = f.goal === null ? null : f.cpuCostRatio >= f.goal;
      log(
        `       CPU-cost ratio ${fixed(f.cpuCostRatio, 2)}x (${fixed(f.baselineCpuMsPerOp, 2)} vs ${fixed(f.targetCpuMsPerOp, 2)} CPU ms per operation)` +
          (f.baselineDrift > 1.25 ? `; !! the baseline's two runs differ ${fixed(f.baselineDrift, 2)}x` : '') +
          (cpuMet !== null && cpuMet !== f.rateMet ? '; !! DISAGREES with the rate ratio on the goal: noise likely, re-run' : ''),
      );
      if (f.figure.startsWith('flow') && spread) {
        log(
          `       for reference: ${fixed(f.target.ratePerSecond / spread.ratePerSecond, 2)}x of the same pgbench transaction spread over ${REFERENCE_BALANCE_ROWS} balances (${fixed(spread.ratePerSecond)} /s, no hot row)`,
        );
      }
    }
    const closing: BenchFigure[] = figures.map((f) => ({
      suite: 'gateway',
      measure: f.figure.startsWith('flow') ? `order + card payment + status flows (${f.store})` : `GET /api/v0/payment/{id} (${f.store})`,
      unit: '/s',
      tijori: f.target.ratePerSecond,
      tijoriP50Ms: latencyOf(f.target).p50Ms,
      tijoriP99Ms: latencyOf(f.target).p99Ms,
      baselineName: f.figure.startsWith('flow') ? `pgbench payment txn (${oneMerchant})` : 'bare fastify JSON route',
      baseline: f.baseline.ratePerSecond,
      baselineP50Ms: latencyOf(f.baseline).p50Ms,
      baselineP99Ms: latencyOf(f.baseline).p99Ms,
      ratio: f.ratio,
      goal: f.goal,
      met: f.goal === null ? null : f.rateMet !== false && f.p99Met !== false,
      tijoriPeakRssBytes: peakRss.get(f.store) ?? null,
      failures: f.failures,
    }));
    return { suite: 'gateway', file, figures: closing, record: written };
  } finally {
    await scope.close();
  }
}
