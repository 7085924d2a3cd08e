/**
 * The crash test (reliability plan PAY-8, with WH-3's at-least-once check): merchant clients create
 * orders, pay and refund them with Idempotency-Keys against the real `tijori start` while it is
 * SIGKILLed every few seconds and started again; they retry with the same keys. Afterwards the
 * database is compared with what the clients were told. Used by `npm run test:crash`
 * (test/crash/run.ts) and by CI's short form (test/e2e/crash.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SANDBOX } from '../../src/auth/seed.js';
import { EVENT_DEFINITIONS } from '../../src/app.js';
import { openDatabase } from '../../src/core/db/engine.js';
import { createScratchDatabase } from '../../bench/lib/database.js';
import { percentile } from '../../bench/lib/stats.js';
import { sandboxApi } from '../support/api-client.js';
import { runCli, tempDir } from '../support/process.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { audit, drain, type Audit } from './audit.js';
import { emptyLog, runClients, type ClientLog } from './load.js';
import { CrashServer, sleep } from './server.js';

export interface CrashOptions {
  /** PostgreSQL: the admin URL beside which a scratch database is made (and dropped). Absent: PGlite in a temporary data folder. */
  adminUrl?: string | undefined;
  durationMs: number;
  /**
   * A SIGKILL this long after the server became ready (so each process serves this long, however
   * long its restart took: on a busy machine a restart alone can outlast the interval).
   */
  killIntervalMs: number;
  /**
   * Keep the load and the kills going past `durationMs` until this many kills were made: on a
   * loaded machine a restart alone can take longer than the kill interval.
   */
  minKills?: number;
  clients: number;
  /** Refund part of every n-th payment. */
  refundEvery?: number;
  /** Bound of the wait for deliveries and refund timers after the load. */
  drainTimeoutMs?: number;
  /** Progress lines. */
  progress?: (line: string) => void;
}

export interface CrashReport {
  store: 'postgres' | 'pglite';
  seconds: number;
  kills: number;
  killIntervalMs: number;
  restartMs: { p50: number; p99: number; max: number };
  log: Pick<ClientLog, 'requests' | 'retries' | 'refused'> & { orders: number; replays: number };
  audit: Audit;
  ledger: { exitCode: number | null; breaks: number; output: string };
  drained: boolean;
  deliveries: { received: number; duplicates: number };
  /** Each invariant that failed, in words; empty when the run passed. */
  failures: string[];
}

// One Idempotency-Key lease (ADR 0010) outlives each kill: a retry of a request the killed process
// had claimed waits for it. The shortest lease allowed keeps that wait within a kill interval.
const LEASE_SECONDS = '5';

export async function runCrashTest(options: CrashOptions): Promise<CrashReport> {
  const say = options.progress ?? (() => undefined);
  const scratch = options.adminUrl ? await createScratchDatabase(options.adminUrl) : undefined;
  const dataDir = scratch ? undefined : tempDir('tijori-crash-');
  const receiver = await startReceiver();
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    TIJORI_IDEMPOTENCY_LEASE_SECONDS: LEASE_SECONDS,
    // A delivery cut off by a kill is retried once its lease (this deadline) ends.
    TIJORI_WEBHOOK_TIMEOUT_MS: '2000',
    TIJORI_TIMER_POLL_MS: '250',
    ...(scratch ? { DATABASE_URL: scratch.url, TIJORI_SEED: 'true', SECRETS_KEY: randomBytes(32).toString('hex') } : {}),
  };
  const server = new CrashServer(env, dataDir);
  try {
    await server.start();
    const baseUrl = await server.url();
    // Every event type goes to the receiver, so every event row must end with a delivery.
    const api = await sandboxApi(() => baseUrl);
    const config = await api.call('POST', '/api/v0/webhook-data', {
      webhookUrl: `${receiver.url}/crash`,
      events: EVENT_DEFINITIONS.map((d) => d.type),
      enabled: true,
      companyId: SANDBOX.companyId,
      sslCertificate: null,
    });
    if (config.status !== 200) throw new Error(`webhook configuration: ${config.status} ${JSON.stringify(config.json)}`);

    const log = emptyLog();
    const t0 = performance.now();
    let loadOver = false;
    const loadEnds = t0 + options.durationMs;
    say(
      `load for ${options.durationMs / 1000} s, ${options.clients} clients, SIGKILL ${options.killIntervalMs / 1000} s after each start is ready (${scratch ? 'PostgreSQL' : 'PGlite'})`,
    );
    const load = runClients({
      server,
      log,
      tag: randomBytes(4).toString('hex'),
      clients: options.clients,
      until: () => loadOver,
      refundEvery: options.refundEvery ?? 3,
    });
    const killer = (async () => {
      for (;;) {
        const at = performance.now() + options.killIntervalMs;
        if (at >= loadEnds && server.kills >= (options.minKills ?? 0)) {
          await sleep(Math.max(0, loadEnds - performance.now()));
          loadOver = true;
          return;
        }
        await sleep(at - performance.now());
        await server.killAndRestart();
        say(
          `kill ${server.kills}: ready again in ${Math.round(server.restartMs.at(-1)!)} ms; ${log.payments.length} payments, ${log.refunds.length} refunds acknowledged`,
        );
      }
    })();
    await killer;
    await load;
    const seconds = (performance.now() - t0) / 1000;
    say(`load done: ${log.payments.length} payments, ${log.refunds.length} refunds acknowledged; draining`);

    const drained = await drain(await server.url(), log, receiver.received, options.drainTimeoutMs ?? 120_000);
    await server.stop();

    // The server is stopped (PGlite allows one process per folder): read its database directly.
    const database = scratch
      ? await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 1 })
      : await openDatabase({ kind: 'pglite', dataDir: dataDir! });
    let result: Audit;
    try {
      result = await audit(database, log, receiver.received);
    } finally {
      await database.close();
    }
    const verify = await runCli(['ledger', 'verify', ...(dataDir ? ['--data-dir', dataDir] : [])], {
      env: scratch ? { DATABASE_URL: scratch.url } : {},
      timeoutMs: 120_000,
    });
    const breaks = Number(/Ledger BROKEN: (\d+)/.exec(verify.stdout)?.[1] ?? (verify.code === 0 ? 0 : 1));

    const restarts = [...server.restartMs].sort((a, b) => a - b);
    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    const report: CrashReport = {
      store: scratch ? 'postgres' : 'pglite',
      seconds,
      kills: server.kills,
      killIntervalMs: options.killIntervalMs,
      restartMs: { p50: percentile(restarts, 50), p99: percentile(restarts, 99), max: restarts.at(-1) ?? Number.NaN },
      log: {
        requests: log.requests,
        retries: log.retries,
        refused: log.refused,
        orders: log.orders.length,
        replays: [...log.orders, ...log.payments, ...log.refunds].filter((a) => a.replayed).length,
      },
      audit: result,
      ledger: { exitCode: verify.code, breaks, output: (verify.stdout + verify.stderr).trim() },
      drained,
      deliveries: { received: ids.length, duplicates: ids.length - new Set(ids).size },
      failures: [],
    };
    report.failures = failuresOf(report);
    return report;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${server.output()}`, { cause: err });
  } finally {
    await server.stop().catch(() => undefined);
    await receiver.close();
    await scratch?.drop();
  }
}

function failuresOf(r: CrashReport): string[] {
  const { payments, refunds, events } = r.audit;
  const failures: string[] = [];
  const check = (ok: boolean, what: string, detail: string[] = []) => {
    if (!ok) failures.push([what, ...detail.slice(0, 10).map((d) => `  ${d}`)].join('\n'));
  };
  check(payments.acknowledged > 0, 'no payment was acknowledged');
  check(payments.lost.length === 0, `${payments.lost.length} acknowledged payments not found once with their amount, captured`, payments.lost);
  check(
    payments.duplicates === 0 && payments.doubleCaptured === 0,
    `duplicates: ${payments.duplicates} extra payment rows or captures, ${payments.doubleCaptured} orders captured twice`,
  );
  check(refunds.lost.length === 0, `${refunds.lost.length} acknowledged refunds not found once with their amount, SUCCESS`, refunds.lost);
  check(
    refunds.duplicates === 0 && refunds.overRefunded === 0,
    `refunds: ${refunds.duplicates} duplicates, ${refunds.overRefunded} payments whose refunds do not add up`,
  );
  check(r.ledger.exitCode === 0, `tijori ledger verify exited ${r.ledger.exitCode}`, r.ledger.output.split('\n'));
  check(events.undelivered.length === 0, `${events.undelivered.length} events without a successful delivery seen by the receiver`, events.undelivered);
  check(
    events.paymentsWithoutOneEvent.length === 0,
    `${events.paymentsWithoutOneEvent.length} captured payments without exactly one PAYMENT_SUCCESS event`,
    events.paymentsWithoutOneEvent,
  );
  check(
    r.log.refused.length === 0,
    `${r.log.refused.length} requests refused with a 4xx`,
    r.log.refused.map((x) => `${x.status} ${x.code} ${x.path} ${x.key}: ${x.body}`),
  );
  return failures;
}

/** The table `npm run test:crash` prints. */
export function formatReport(r: CrashReport): string {
  const { payments, refunds, events } = r.audit;
  const ms = (n: number) => `${Math.round(n)} ms`;
  const rows: Array<[string, string | number]> = [
    ['store', r.store === 'postgres' ? 'PostgreSQL' : 'PGlite (file-backed)'],
    ['load', `${r.seconds.toFixed(1)} s, ${r.log.requests} requests, ${r.log.retries} retries, ${r.log.replays} acknowledgements were replays`],
    ['kill cycles (SIGKILL + restart)', `${r.kills} (one ${r.killIntervalMs / 1000} s after each ready)`],
    ['restart-to-ready p50 / p99 / max', `${ms(r.restartMs.p50)} / ${ms(r.restartMs.p99)} / ${ms(r.restartMs.max)}`],
    ['acknowledged orders', r.log.orders],
    ['acknowledged payments', payments.acknowledged],
    ['  found exactly once', payments.foundOnce],
    ['  duplicates', payments.duplicates + payments.doubleCaptured],
    ['acknowledged refunds', refunds.acknowledged],
    ['  found exactly once', refunds.foundOnce],
    ['  duplicates', refunds.duplicates + refunds.overRefunded],
    ['ledger breaks (tijori ledger verify)', `${r.ledger.breaks} (exit ${r.ledger.exitCode})`],
    ['ledger captures', payments.ledgerCaptures],
    ['events', events.total],
    ['undelivered events', events.undelivered.length],
    ['duplicate deliveries (informational)', `${r.deliveries.duplicates} of ${r.deliveries.received}`],
    ['refused requests (4xx)', r.log.refused.length],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push(r.failures.length === 0 ? 'RESULT: PASS (every invariant holds)' : `RESULT: FAIL\n${r.failures.join('\n')}`);
  return lines.join('\n');
}
