/**
 * The OAuth token-endpoint benchmark: Tijori's three grants on PostgreSQL, each reported as a
 * ratio to a baseline measured in the same run on the same machine (see bench/README.md).
 */
import os from 'node:os';
import pg from 'pg';
import { BenchChild, eluBetween, type ChildMessage } from '../lib/child.js';
import { cpuBetween, machineCpu, processesCpu } from '../lib/cpu.js';
import { adminDatabaseUrl, describeDatabaseUrl } from '../lib/database.js';
import { openBenchScope } from '../lib/scope.js';
import { runLoad } from '../lib/load.js';
import { statementsBetween, type StatementStats } from '../lib/pg-statements.js';
import { latencyOf, type BenchFigure, type SuiteResult } from '../lib/report.js';
import { writeResults } from '../lib/results.js';
import { fixed, summarize, table, type Sample, type Summary } from '../lib/stats.js';
import {
  FORM,
  settingsFromEnv,
  TIJORI_AUTH,
  OIDC_AUTH,
  passwordBody,
  PASSWORD_BODY,
  benchUser,
  SAME_USER,
  CLIENT_CREDENTIALS_BODY,
  refreshBody,
  type TokenAnswer,
  postToken,
  expectToken,
  UserLeases,
  RefreshPool,
  keepRefreshToken,
} from './requests.js';

interface Scenario {
  key: string;
  label: string;
  samples: Sample[];
  diagnostics: Diagnostics[];
}

/** Where one timed run spent its CPU, and (for Tijori) its PostgreSQL statements. */
interface Diagnostics {
  wallSeconds: number;
  /** Average busy cores of the whole machine during the run. */
  machineBusyCores: number;
  /** Busy cores not accounted to the servers, the load generator or the scratch database's backends. */
  restOfMachineCores: number;
  /** CPU milliseconds per answered request, by where it was spent. */
  cpuMsPerOp: { server: number; postgres: number; loadgen: number; restOfMachine: number };
  serverEventLoopUtilization?: number;
  statementsPerOp?: number;
  statements?: Array<{ kind: string; perOp: number; msEach: number; msPerOp: number }>;
}

export async function runOAuthSuite(): Promise<SuiteResult> {
  const settings = settingsFromEnv();
  const started = new Date();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const adminUrl = adminDatabaseUrl();
  log(`oauth benchmark: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per run, ${os.cpus().length} CPUs`);

  const scope = openBenchScope(log);
  const { children, closers } = scope;

  try {
    const db = await scope.scratchDatabase(adminUrl);
    log(`database: ${db.name} on PostgreSQL ${db.serverVersion} (beside ${describeDatabaseUrl(adminUrl)})`);

    const [tijori, oidc, argon2] = await Promise.all([
      BenchChild.start('tijori-server', 'oauth/tijori-server.ts', {
        env: {
          BENCH_TIJORI_DATABASE_URL: db.url,
          BENCH_TIJORI_USERS: [...Array.from({ length: settings.passwordUsers }, (_, i) => benchUser(i)), SAME_USER].join(','),
        },
        // A V8 CPU profile of the Tijori process over the whole run, written when it stops.
        nodeOptions: settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : [],
      }),
      BenchChild.start('oidc-server', 'oauth/oidc-server.ts'),
      BenchChild.start('argon2-baseline', 'oauth/argon2-baseline.ts'),
    ]);
    children.push(tijori.child, oidc.child, argon2.child);
    const tijoriUrl = `http://127.0.0.1:${String(tijori.ready.port)}/oauth/token`;
    const oidcUrl = `http://127.0.0.1:${String(oidc.ready.port)}/token`;
    log(`tijori: ${tijoriUrl}   oidc-provider: ${oidcUrl}   argon2 hash params: ${String(argon2.ready['params'])}`);

    // Each grant once by hand: it must answer 200 with tokens, and we count its PostgreSQL statements.
    const tijoriStats = async () => (await tijori.child.request({ type: 'stats' }, 'stats')) as ChildMessage & StatementStats;
    const roundTrips: Record<string, number> = {};
    const probe = async (name: string, body: () => string, withRefresh: boolean, then: (a: TokenAnswer) => void = () => undefined) => {
      // Twice: the second count is the steady one (no first-use work).
      for (let i = 0; i < 2; i++) {
        const before = (await tijoriStats()).statements;
        const answer = await postToken(tijoriUrl, TIJORI_AUTH, body());
        roundTrips[name] = (await tijoriStats()).statements - before;
        expectToken(`tijori ${name}`, answer, withRefresh);
        then(answer);
      }
    };
    let probeRefresh = '';
    const keepProbeRefresh = (a: TokenAnswer) => (probeRefresh = String(a.body['refresh_token']));
    await probe('password', () => PASSWORD_BODY, true, keepProbeRefresh);
    await probe('client_credentials', () => CLIENT_CREDENTIALS_BODY, false);
    await probe('refresh_token', () => refreshBody(probeRefresh), true, keepProbeRefresh);
    expectToken('oidc-provider client_credentials', await postToken(oidcUrl, OIDC_AUTH, CLIENT_CREDENTIALS_BODY), false);
    log(
      `PostgreSQL statements per grant (BEGIN/COMMIT included): ${Object.entries(roundTrips)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );

    // CPU accounting around each timed run: our processes, the PostgreSQL backends of the scratch
    // database, and the rest of the machine (other work on the box: the noise).
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    closers.push(() => admin.end());
    const backendPids = async () =>
      (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [db.name])).rows.map((r) => r.pid);
    const ours = { tijori: tijori.child, oidc: oidc.child, argon2: argon2.child };
    const snapshot = async (server: keyof typeof ours) => {
      const stats = server === 'argon2' ? null : await ours[server].request({ type: 'stats' }, 'stats');
      return {
        at: performance.now(),
        machine: machineCpu(),
        loadgen: process.cpuUsage(),
        children: processesCpu(Object.values(ours).map((c) => c.pid ?? -1)),
        server: processesCpu([ours[server].pid ?? -1]),
        postgres: processesCpu(await backendPids()),
        stats,
      };
    };
    const diagnose = (before: Awaited<ReturnType<typeof snapshot>>, after: Awaited<ReturnType<typeof snapshot>>, sample: Sample): Diagnostics => {
      const ops = Math.max(1, sample.ok + sample.non2xx);
      const wall = (after.at - before.at) / 1000;
      const loadgen = (after.loadgen.user + after.loadgen.system - before.loadgen.user - before.loadgen.system) / 1e6;
      const server = cpuBetween(before.server, after.server);
      const children = cpuBetween(before.children, after.children);
      const postgres = cpuBetween(before.postgres, after.postgres);
      const busy = before.machine && after.machine ? after.machine.busy - before.machine.busy : Number.NaN;
      const perOp = (seconds: number) => (seconds * 1000) / ops;
      const d: Diagnostics = {
        wallSeconds: wall,
        machineBusyCores: busy / wall,
        cpuMsPerOp: { server: perOp(server), postgres: perOp(postgres), loadgen: perOp(loadgen), restOfMachine: perOp(busy - children - postgres - loadgen) },
        restOfMachineCores: (busy - children - postgres - loadgen) / wall,
      };
      if (before.stats && after.stats) {
        d.serverEventLoopUtilization = eluBetween(before.stats['elu'], after.stats['elu']);
        const statements = statementsBetween(before.stats as Partial<StatementStats>, after.stats as Partial<StatementStats>, ops);
        if (statements) Object.assign(d, statements);
      }
      return d;
    };

    const scenarios = new Map<string, Scenario>();
    const record = (key: string, label: string, sample: Sample, diagnostics: Diagnostics) => {
      const s = scenarios.get(key) ?? { key, label, samples: [], diagnostics: [] };
      s.samples.push(sample);
      s.diagnostics.push(diagnostics);
      scenarios.set(key, s);
      const rate = sample.seconds > 0 ? sample.ok / sample.seconds : 0;
      const bad = sample.non2xx + sample.errors;
      log(
        `  ${label}: ${fixed(rate)} /s   (machine busy ${fixed(diagnostics.machineBusyCores, 2)} of ${os.cpus().length} cores, ` +
          `${fixed(diagnostics.restOfMachineCores, 2)} of it outside this benchmark)` +
          (bad > 0 ? `   !! ${sample.non2xx} non-2xx, ${sample.errors} errors ${JSON.stringify(sample.statusCodes)}` : ''),
      );
    };
    const http = async (key: string, label: string, server: keyof typeof ours, load: Omit<Parameters<typeof runLoad>[0], 'connections' | 'seconds'>) => {
      log(`running ${label} ...`);
      if (settings.warmupSeconds > 0) await runLoad({ ...load, connections: settings.connections, seconds: settings.warmupSeconds });
      const before = await snapshot(server);
      const sample = await runLoad({ ...load, connections: settings.connections, seconds: settings.seconds });
      record(key, label, sample, diagnose(before, await snapshot(server), sample));
    };
    const argon2Run = async (label: string) => {
      log(`running ${label} ...`);
      const run = async (seconds: number) =>
        (await argon2.child.request({ type: 'run', seconds, concurrency: settings.connections }, 'result', (seconds + 60) * 1000))['sample'] as Sample;
      if (settings.warmupSeconds > 0) await run(settings.warmupSeconds);
      const before = await snapshot('argon2');
      const sample = await run(settings.seconds);
      record('argon2', label, sample, diagnose(before, await snapshot('argon2'), sample));
    };

    const tijoriHeaders = { authorization: TIJORI_AUTH, 'content-type': FORM };
    const oidcHeaders = { authorization: OIDC_AUTH, 'content-type': FORM };
    const pool = new RefreshPool();
    pool.put(probeRefresh);

    // Each target runs between two runs of its baseline; the baseline figure is the two together.
    await argon2Run('argon2id verify (before)');
    const leases = new UserLeases(Array.from({ length: settings.passwordUsers }, (_, i) => benchUser(i)));
    const keepFromPassword = keepRefreshToken(pool, true);
    await http('tijori-password', `tijori password (${settings.passwordUsers} users)`, 'tijori', {
      url: tijoriUrl,
      headers: tijoriHeaders,
      nextBody: (context) => passwordBody(leases.take(context)),
      onResponse: (status, body, context) => {
        leases.give(context);
        keepFromPassword(status, body);
      },
    });
    await argon2Run('argon2id verify (after)');

    // Top the pool up with more password grants (bounded concurrency, before any timing) if needed.
    const minted = { count: 0, seconds: 0 };
    if (pool.size < settings.minRefreshFamilies) {
      const t0 = performance.now();
      const need = settings.minRefreshFamilies - pool.size;
      let next = 0;
      await Promise.all(
        Array.from({ length: settings.connections }, async (_, lane) => {
          while (next++ < need) {
            const answer = await postToken(tijoriUrl, TIJORI_AUTH, passwordBody(benchUser(lane)));
            expectToken('tijori password (refresh pool)', answer, true);
            pool.put(String(answer.body['refresh_token']));
            minted.count++;
          }
        }),
      );
      minted.seconds = (performance.now() - t0) / 1000;
      log(`minted ${minted.count} more refresh tokens with password grants in ${fixed(minted.seconds)} s`);
    }
    const familiesAtStart = pool.size;

    await http('oidc-cc', 'oidc-provider client_credentials (before)', 'oidc', { url: oidcUrl, headers: oidcHeaders, body: CLIENT_CREDENTIALS_BODY });
    await http('tijori-cc', 'tijori client_credentials', 'tijori', { url: tijoriUrl, headers: tijoriHeaders, body: CLIENT_CREDENTIALS_BODY });
    await http('tijori-refresh', 'tijori refresh_token', 'tijori', {
      url: tijoriUrl,
      headers: tijoriHeaders,
      nextBody: () => refreshBody(pool.take()),
      onResponse: keepRefreshToken(pool, false),
    });
    await http('oidc-cc', 'oidc-provider client_credentials (after)', 'oidc', { url: oidcUrl, headers: oidcHeaders, body: CLIENT_CREDENTIALS_BODY });

    // Not timed: correct logins of ONE user in parallel (a user on two devices, a retrying
    // client). Every one should succeed; refusals here are a lockout that counts good passwords.
    log(`checking ${settings.connections} parallel correct logins of one user, 3 times ...`);
    const sameUser: Record<string, number> = {};
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: settings.connections }, () => postToken(tijoriUrl, TIJORI_AUTH, passwordBody(SAME_USER))));
      for (const a of answers) {
        const what = a.status === 200 ? '200' : `${a.status} ${String(a.body['error_description'] ?? a.body['error'] ?? '')}`;
        sameUser[what] = (sameUser[what] ?? 0) + 1;
      }
    }
    const sameUserRefused = Object.entries(sameUser).reduce((n, [k, v]) => (k === '200' ? n : n + v), 0);

    // ---- Report ----
    const summary = (key: string): Summary => summarize(scenarios.get(key)!.samples);
    const rows: Array<{ key: string; name: string; server: string; s: Summary }> = [
      { key: 'tijori-refresh', name: 'refresh_token grant', server: 'tijori', s: summary('tijori-refresh') },
      { key: 'tijori-cc', name: 'client_credentials grant', server: 'tijori', s: summary('tijori-cc') },
      { key: 'oidc-cc', name: 'client_credentials grant', server: 'oidc-provider (2 runs)', s: summary('oidc-cc') },
      { key: 'tijori-password', name: 'password grant', server: 'tijori', s: summary('tijori-password') },
      { key: 'argon2', name: 'argon2id verify()', server: '@node-rs/argon2 (2 runs)', s: summary('argon2') },
    ];
    log('');
    log(
      table(
        ['scenario', 'server', 'ops/s', 'runs ops/s', 'p50 ms', 'p99 ms', 'mean ms', 'ok', 'non-2xx', 'errors'],
        rows.map(({ name, server, s }) => [
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
        ]),
      ),
    );
    const refresh = summary('tijori-refresh');
    log('');
    log(
      `refresh tokens: ${pool.presented} presented, each once (never reused); pool seeded with ${familiesAtStart} families ` +
        `(${pool.families.size} from the password runs, ${minted.count} minted); every 200 returned its successor to the pool, ` +
        `so each family rotated ~${fixed(refresh.ok / Math.max(1, familiesAtStart))} times in the timed run` +
        (pool.exhausted > 0 ? `; POOL EXHAUSTED ${pool.exhausted} times (those requests sent a bogus token)` : ''),
    );

    // Where the time went: CPU per answered request by process, and Tijori's statements.
    const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
    const diag = (key: string) => scenarios.get(key)!.diagnostics;
    log('');
    log('Where the time goes (CPU ms per answered request; postgres = backends of the scratch database; mean of the runs):');
    log(
      table(
        ['scenario', 'server', 'server CPU', 'postgres CPU', 'loadgen CPU', 'server ELU', 'SQL stmts', 'busy cores', 'other load'],
        rows.map(({ key, name, server }) => {
          const ds = diag(key);
          return [
            name,
            server.replace(/ \(2 runs\)/, ''),
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
    log('("other load": busy cores outside this benchmark\'s processes and database backends, i.e. noise from the rest of the machine)');
    for (const { key, name } of rows.filter((r) => r.server === 'tijori')) {
      const statements = diag(key)[0]?.statements ?? [];
      log('');
      log(`Tijori ${name}: time from query() to its answer, per statement kind (includes waiting on a busy event loop):`);
      log(
        table(
          ['statement', 'per request', 'ms each', 'ms per request'],
          statements.map((x) => [x.kind, fixed(x.perOp, 2), fixed(x.msEach, 2), fixed(x.msPerOp, 2)]),
        ),
      );
    }

    // CPU (server + its database backends + load generator) per answered request: on a saturated
    // machine throughput is cores / this, so its inverse ratio estimates the rate ratio without
    // the noise of whatever else ran at the time.
    const cpuPerOp = (key: string) => mean(diag(key).map((d) => d.cpuMsPerOp.server + d.cpuMsPerOp.postgres + d.cpuMsPerOp.loadgen));
    const figures = [
      // A refresh rotates (consumes one row, revokes, inserts two) where the baseline only issues: the issue's goal is 0.6x.
      { figure: 'refresh_token', targetKey: 'tijori-refresh', baselineKey: 'oidc-cc', baselineName: 'oidc-provider client_credentials', goal: 0.6 },
      { figure: 'client_credentials', targetKey: 'tijori-cc', baselineKey: 'oidc-cc', baselineName: 'oidc-provider client_credentials', goal: 1.0 },
      { figure: 'password', targetKey: 'tijori-password', baselineKey: 'argon2', baselineName: 'argon2id verify() at the same concurrency', goal: 0.8 },
    ].map((f) => {
      const target = summary(f.targetKey);
      const baseline = summary(f.baselineKey);
      const ratio = baseline.ratePerSecond > 0 ? target.ratePerSecond / baseline.ratePerSecond : 0;
      const failures = target.non2xx + target.errors + baseline.non2xx + baseline.errors;
      const targetCpuMsPerOp = cpuPerOp(f.targetKey);
      const baselineCpuMsPerOp = cpuPerOp(f.baselineKey);
      const cpuCostRatio = baselineCpuMsPerOp / targetCpuMsPerOp;
      const baselineDrift = Math.max(...baseline.runRates) / Math.max(1e-9, Math.min(...baseline.runRates));
      return { ...f, target, baseline, ratio, met: ratio >= f.goal, failures, targetCpuMsPerOp, baselineCpuMsPerOp, cpuCostRatio, baselineDrift };
    });

    // Peak RSS of the Tijori process over the whole suite, read before the scope stops it.
    const peakRss = tijori.child.peakRssBytes();
    const { file, record: written } = writeResults('oauth', started, {
      settings,
      environment: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadavg: os.loadavg(),
        postgres: db.serverVersion,
        database: db.name,
      },
      tijoriPeakRssBytes: peakRss,
      postgresStatementsPerGrant: roundTrips,
      sameUserParallelLogins: { attempts: settings.connections * 3, answers: sameUser },
      passwordUserLeaseOverflows: leases.overflow,
      refreshPool: {
        familiesAtStart,
        fromPasswordRuns: pool.families.size,
        minted: minted.count,
        mintSeconds: minted.seconds,
        presented: pool.presented,
        exhausted: pool.exhausted,
      },
      scenarios: rows.map(({ key, name, server, s }) => ({ key, name, server, ...s, diagnostics: diag(key) })),
      figures: figures.map((f) => ({
        figure: f.figure,
        baseline: f.baselineName,
        ratio: f.ratio,
        goal: f.goal,
        met: f.met,
        failedRequests: f.failures,
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
    log(
      sameUserRefused === 0
        ? `parallel logins of one user: all ${settings.connections * 3} answered 200`
        : `!! parallel logins of one user: ${sameUserRefused} of ${settings.connections * 3} CORRECT logins refused ${JSON.stringify(sameUser)}`,
    );
    if (leases.overflow > 0) log(`!! ${leases.overflow} password requests had no free user and shared one (socket errors lost leases)`);
    const allDiagnostics = [...scenarios.values()].flatMap((x) => x.diagnostics);
    const otherLoad = mean(allDiagnostics.map((d) => d.restOfMachineCores));
    const otherLoadMax = Math.max(...allDiagnostics.map((d) => d.restOfMachineCores));
    if (otherLoadMax > 0.25) {
      log(
        `!! the machine was also busy with other work: ${fixed(otherLoad, 2)} cores on average, up to ${fixed(otherLoadMax, 2)} in one run ` +
          `(of ${os.cpus().length}); ratios are less reliable, compare the before/after baseline runs above`,
      );
    }
    const anyFailures = figures.some((f) => f.failures > 0);
    if (anyFailures) log('!! SOME REQUESTS FAILED: the figures below are not clean measurements (see non-2xx / errors above)');
    for (const f of figures) {
      const verdict = f.met ? 'met' : `MISSED (${fixed((f.ratio / f.goal) * 100, 0)}% of goal)`;
      log(
        `${f.met ? 'OK  ' : 'MISS'} ${f.figure.padEnd(18)} ${fixed(f.ratio, 2)}x of ${f.baselineName} ` +
          `(${fixed(f.target.ratePerSecond)} vs ${fixed(f.baseline.ratePerSecond)} /s; p50 ${fixed(f.target.p50Ms, 1)} vs ${fixed(f.baseline.p50Ms, 1)} ms, ` +
          `p99 ${fixed(f.target.p99Ms, 1)} vs ${fixed(f.baseline.p99Ms, 1)} ms)  goal >= ${fixed(f.goal, 2)}x: ${verdict}` +
          (f.failures > 0 ? `  [${f.failures} FAILED REQUESTS]` : ''),
      );
      const cpuMet = f.cpuCostRatio >= f.goal;
      log(
        `       CPU-cost ratio ${fixed(f.cpuCostRatio, 2)}x (${fixed(f.baselineCpuMsPerOp, 2)} vs ${fixed(f.targetCpuMsPerOp, 2)} CPU ms per request)` +
          (f.baselineDrift > 1.25 ? `; !! the baseline's two runs differ ${fixed(f.baselineDrift, 2)}x` : '') +
          (cpuMet !== f.met ? `; !! DISAGREES with the rate ratio on the goal: noise likely, re-run` : ''),
      );
    }
    const closing: BenchFigure[] = figures.map((f) => ({
      suite: 'oauth',
      measure: `POST /oauth/token ${f.figure}`,
      unit: '/s',
      tijori: f.target.ratePerSecond,
      tijoriP50Ms: latencyOf(f.target).p50Ms,
      tijoriP99Ms: latencyOf(f.target).p99Ms,
      baselineName: f.baselineName,
      baseline: f.baseline.ratePerSecond,
      baselineP50Ms: latencyOf(f.baseline).p50Ms,
      baselineP99Ms: latencyOf(f.baseline).p99Ms,
      ratio: f.ratio,
      goal: f.goal,
      met: f.met,
      tijoriPeakRssBytes: peakRss,
      failures: f.failures,
    }));
    return { suite: 'oauth', file, figures: closing, record: written };
  } finally {
    await scope.close();
  }
}
