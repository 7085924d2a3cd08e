/**
 * The webhook benchmark (`npm run bench -- webhooks`), on PostgreSQL: events per second from the
 * transactional outbox to a local receiver, and the delay from a publishing transaction's commit
 * to the receiver having the request (p50, p99). Each figure is printed beside a baseline measured
 * in the same run: the same receiver fed by plain HTTP POSTs from this process (no outbox, no
 * queue, no signing), at the same concurrency or the same rate.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/core/clock/clock.js';
import { openDatabase } from '../../src/core/db/engine.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { createLogger } from '../../src/core/log/logger.js';
import { WEBHOOK_TEST } from '../../src/core/events/index.js';
import { envNumber } from '../lib/env.js';
import { adminDatabaseUrl, createScratchDatabase, describeDatabaseUrl, dropAbandonedScratchDatabases } from '../lib/database.js';
import type { BenchFigure, SuiteResult } from '../lib/report.js';
import { writeResults } from '../lib/results.js';
import { fixed, percentile, table } from '../lib/stats.js';

const nowMs = () => performance.timeOrigin + performance.now();
const log = (line = '') => process.stdout.write(`${line}\n`);

/** A receiver on 127.0.0.1 that answers 200 at once and notes when each webhook-id (or x-bench-id) arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  let waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? req.headers['x-bench-id'] ?? '');
      if (!arrivals.has(id)) arrivals.set(id, nowMs());
      res.writeHead(200).end('ok');
      for (const w of waiters) w();
      waiters = [];
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    arrivals,
    async waitFor(ids: string[], timeoutMs: number) {
      const until = Date.now() + timeoutMs;
      while (ids.some((id) => !arrivals.has(id))) {
        if (Date.now() > until) throw new Error(`receiver is missing ${ids.filter((id) => !arrivals.has(id)).length} of ${ids.length} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(url: string, id: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-bench-id': id } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runWebhooksSuite(): Promise<SuiteResult> {
  const settings = {
    backlogEvents: Math.floor(envNumber('BENCH_WEBHOOK_EVENTS', 3000, 100)),
    ratePerSecond: envNumber('BENCH_WEBHOOK_RATE', 100, 1),
    seconds: envNumber('BENCH_DURATION_SECONDS', 10, 1),
    /** Concurrent POSTs of the baseline: the delivery worker's batch size. */
    concurrency: 20,
  };
  const adminUrl = adminDatabaseUrl();
  await dropAbandonedScratchDatabases(adminUrl);
  const scratch = await createScratchDatabase(adminUrl);
  const receiver = await startReceiver();
  const database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 20 });
  const started = new Date();
  log(`webhooks: PostgreSQL ${scratch.serverVersion} at ${describeDatabaseUrl(scratch.url)}; ${os.cpus().length} CPUs; node ${process.version}`);
  try {
    await database.migrate();
    const config = loadConfig({}, { LOG_LEVEL: 'error' });
    const { app, services } = await buildApp({
      config,
      database,
      clock: systemClock,
      logger: createLogger('error'),
      background: { workers: true, timerPollMs: null },
    });
    await app.ready();
    try {
      const company = await services.identity.createCompany({ name: 'Webhook bench' });
      await services.events.saveConfig(company.id, { companyId: company.id, webhookUrl: receiver.url, events: [WEBHOOK_TEST.type], enabled: true });
      const payload = (i: number) => ({ ...WEBHOOK_TEST.example, message: `bench ${i}`, createdOn: new Date().toISOString() });
      const body = JSON.stringify(payload(0));

      // 1. Throughput: a backlog published in transactions of 100, drained by the workers. Nothing
      // calls a wake-up: the outbox notifies the dispatcher when a publishing transaction commits.
      const ids: string[] = [];
      const statementsBefore = database.statements();
      const cpuBefore = process.cpuUsage();
      const first = nowMs();
      for (let i = 0; i < settings.backlogEvents; i += 100) {
        await withTransaction(database.db, async (tx) => {
          for (let j = i; j < Math.min(i + 100, settings.backlogEvents); j++)
            ids.push((await services.events.publish(tx, company.id, { type: WEBHOOK_TEST.type, payload: payload(j) })).eventId);
        });
      }
      await receiver.waitFor(ids, 600_000);
      const last = Math.max(...ids.map((id) => receiver.arrivals.get(id)!));
      const tijoriRate = ids.length / ((last - first) / 1000);
      // Statements of the whole backlog (publishing, claiming, recording; a few of pg-boss's polls
      // too) per event, and this process's CPU per event (Tijori and the receiver; not PostgreSQL's).
      const statementsPerEvent = (database.statements() - statementsBefore) / ids.length;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMsPerEvent = (cpu.user + cpu.system) / 1000 / ids.length;

      // Baseline: the same number of plain POSTs, `concurrency` at a time.
      const baseIds = ids.map((_, i) => `base-${i}`);
      const baseStart = nowMs();
      let next = 0;
      await Promise.all(
        Array.from({ length: settings.concurrency }, async () => {
          while (next < baseIds.length) await post(receiver.url, baseIds[next++]!, body);
        }),
      );
      await receiver.waitFor(baseIds, 60_000);
      const baseRate = baseIds.length / ((Math.max(...baseIds.map((id) => receiver.arrivals.get(id)!)) - baseStart) / 1000);

      // 2. Delay from commit to delivery: one event per transaction at a steady rate.
      const intervalMs = 1000 / settings.ratePerSecond;
      const count = Math.round(settings.ratePerSecond * settings.seconds);
      const committedAt = new Map<string, number>();
      const paced = async (send: (i: number) => Promise<void>) => {
        const t0 = nowMs();
        const inflight: Promise<void>[] = [];
        for (let i = 0; i < count; i++) {
          const due = t0 + i * intervalMs;
          const wait = due - nowMs();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          inflight.push(send(i));
        }
        await Promise.all(inflight);
      };
      await paced(async (i) => {
        const { eventId } = await withTransaction(database.db, (tx) =>
          services.events.publish(tx, company.id, { type: WEBHOOK_TEST.type, payload: payload(i) }),
        );
        committedAt.set(eventId, nowMs());
      });
      await receiver.waitFor([...committedAt.keys()], 120_000);
      const delays = Float64Array.from([...committedAt].map(([id, at]) => receiver.arrivals.get(id)! - at)).sort();

      const sentAt = new Map<string, number>();
      await paced(async (i) => {
        const id = `paced-${i}`;
        sentAt.set(id, nowMs());
        await post(receiver.url, id, body);
      });
      const baseDelays = Float64Array.from([...sentAt].map(([id, at]) => receiver.arrivals.get(id)! - at)).sort();

      const figures = [
        { figure: 'events/s, outbox → receiver (backlog)', tijori: tijoriRate, baseline: baseRate, ratio: tijoriRate / baseRate, unit: '/s' },
        {
          figure: `p50 delay commit → delivered (${settings.ratePerSecond}/s)`,
          tijori: percentile(delays, 50),
          baseline: percentile(baseDelays, 50),
          ratio: percentile(baseDelays, 50) / percentile(delays, 50),
          unit: 'ms',
        },
        {
          figure: `p99 delay commit → delivered (${settings.ratePerSecond}/s)`,
          tijori: percentile(delays, 99),
          baseline: percentile(baseDelays, 99),
          ratio: percentile(baseDelays, 99) / percentile(delays, 99),
          unit: 'ms',
        },
      ];
      log('');
      log(
        table(
          ['figure', 'Tijori', 'baseline: plain POSTs', 'ratio (Tijori / baseline speed)'],
          figures.map((f) => [
            f.figure,
            `${fixed(f.tijori, f.unit === 'ms' ? 1 : 0)} ${f.unit}`,
            `${fixed(f.baseline, f.unit === 'ms' ? 2 : 0)} ${f.unit}`,
            `${fixed(f.ratio, 3)}x`,
          ]),
        ),
      );
      log('');
      log('Ratios are speed ratios: for delays, baseline delay / Tijori delay (1.0x = as fast as a plain POST).');
      log(
        `statements per event (publish in transactions of 100 + delivery): ${fixed(statementsPerEvent, 2)}; bench process CPU per event: ${fixed(cpuMsPerEvent, 3)} ms`,
      );

      // Tijori runs in this process here: its peak RSS is this process's high-water mark, which also
      // covers whatever suite ran before in the same `npm run bench` (they keep little in this process).
      const peakRss = process.resourceUsage().maxRSS * 1024;
      const { file, record } = writeResults('webhooks', started, {
        settings,
        environment: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavg: os.loadavg(), postgres: scratch.serverVersion },
        figures,
        statementsPerEvent,
        cpuMsPerEvent,
        delays: { events: delays.length, p50Ms: percentile(delays, 50), p99Ms: percentile(delays, 99), maxMs: delays[delays.length - 1] },
        benchProcessPeakRssBytes: peakRss,
      });
      log(`results: ${file}`);
      const common = { suite: 'webhooks', goal: null, met: null, tijoriPeakRssBytes: peakRss, failures: 0 } as const;
      const closing: BenchFigure[] = [
        {
          ...common,
          measure: `events/s, outbox → receiver (backlog of ${settings.backlogEvents})`,
          unit: '/s',
          tijori: tijoriRate,
          tijoriP50Ms: null,
          tijoriP99Ms: null,
          baselineName: `plain HTTP POSTs, ${settings.concurrency} at a time`,
          baseline: baseRate,
          baselineP50Ms: null,
          baselineP99Ms: null,
          ratio: tijoriRate / baseRate,
        },
        {
          ...common,
          measure: `delay commit → delivered (${settings.ratePerSecond} events/s)`,
          unit: 'ms',
          tijori: percentile(delays, 50),
          tijoriP50Ms: percentile(delays, 50),
          tijoriP99Ms: percentile(delays, 99),
          baselineName: 'plain HTTP POSTs at the same rate',
          baseline: percentile(baseDelays, 50),
          baselineP50Ms: percentile(baseDelays, 50),
          baselineP99Ms: percentile(baseDelays, 99),
          ratio: percentile(baseDelays, 50) / percentile(delays, 50),
        },
      ];
      return { suite: 'webhooks', file, figures: closing, record };
    } finally {
      await app.close();
    }
  } finally {
    agent.destroy();
    await database.close();
    await receiver.close();
    await scratch.drop();
  }
}
