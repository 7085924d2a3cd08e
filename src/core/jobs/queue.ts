import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, Executor } from '../db/engine.js';
import { queryRows, rawSql } from '../db/transaction.js';
import type { JobQueue } from './types.js';

export interface QueueSettings {
  /** How often an idle worker looks for new jobs (pg-boss allows 0.5 s at least). */
  pollingIntervalSeconds: number;
  /** A job still active this long after it started is considered lost (its process died) and retried. */
  expireInSeconds: number;
  /** Attempts after the first when a handler throws. */
  retryLimit: number;
  /** Jobs a worker fetches at once and runs concurrently. */
  batchSize: number;
}

const DEFAULTS: QueueSettings = { pollingIntervalSeconds: 0.5, expireInSeconds: 60, retryLimit: 5, batchSize: 20 };

export interface JobRunner extends JobQueue {
  /**
   * Creates the queues (and pg-boss's schema on first use); with `workers`, this process also
   * runs the registered handlers. Every process calls it, so that enqueueing works everywhere.
   */
  start(options: { workers: boolean }): Promise<void>;
  stop(): Promise<void>;
}

type Handler = (data: object, job: { id: string }) => Promise<void>;

/**
 * The job queue, on pg-boss (SKIP LOCKED fetches, so two processes never take the same job; a
 * job lost with its process is retried after `expireInSeconds`). It runs on both engines: pg-boss
 * gets its SQL through our Database, so the embedded PGlite needs no second connection.
 */
export function createJobQueue(deps: { database: Database; logger: Logger; settings?: Partial<QueueSettings> }): JobRunner {
  const { database, logger } = deps;
  const settings = { ...DEFAULTS, ...deps.settings };
  const handlers = new Map<string, Handler>();
  const workerIds = new Map<string, string>();
  let boss: PgBoss | undefined;
  let started = false;
  let runWorkers = false;

  const running = (): PgBoss => {
    if (!boss || !started) throw new Error('the job queue is not started');
    return boss;
  };
  // pg-boss pauses a polling interval after every fetch; a full batch asks for the next one at
  // once, so a backlog drains at the speed of the handlers. Jobs of a batch run concurrently and
  // fail one by one: pg-boss then completes only those still active.
  const startWorker = async (name: string, handler: Handler) => {
    const boss = running();
    // The first fetch may finish before work() returns the worker's id.
    const self: { id?: string } = {};
    self.id = await boss.work<object>(name, { pollingIntervalSeconds: settings.pollingIntervalSeconds, batchSize: settings.batchSize }, async (jobs) => {
      if (jobs.length === settings.batchSize && self.id) boss.notifyWorker(self.id);
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await handler(job.data, { id: job.id });
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            logger.warn({ queue: name, jobId: job.id, err: message }, 'job failed; it will be retried');
            await boss.fail(name, job.id, { message });
          }
        }),
      );
    });
    workerIds.set(name, self.id);
  };
  const createQueue = (name: string) =>
    running().createQueue(name, { name, retryLimit: settings.retryLimit, retryDelay: 1, retryBackoff: true, expireInSeconds: settings.expireInSeconds });

  return {
    async enqueue(tx: Executor, name, data, options = {}) {
      if (!handlers.has(name)) throw new Error(`job queue ${name} has no registered handler`);
      const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: await queryRows(tx, rawSql(text, values)) }) };
      await running().send(name, data, {
        db,
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.retryLimit === undefined ? {} : { retryLimit: options.retryLimit }),
      });
    },
    async work(name, handler) {
      if (handlers.has(name)) throw new Error(`job queue ${name} is already registered`);
      handlers.set(name, handler as Handler);
      if (started) {
        await createQueue(name);
        if (runWorkers) await startWorker(name, handler as Handler);
      }
    },
    async start({ workers }) {
      boss = new PgBoss({
        db: { executeSql: (text, values) => database.raw(text, values) },
        schema: 'pgboss',
        migrate: true,
        // Maintenance (expiring lost jobs, archiving) runs where workers run.
        supervise: workers,
        schedule: false,
        maintenanceIntervalSeconds: 30,
      });
      boss.on('error', (err: Error) => logger.error({ err: err.message }, 'job queue error'));
      await boss.start();
      started = true;
      runWorkers = workers;
      for (const name of handlers.keys()) await createQueue(name);
      if (workers) for (const [name, handler] of handlers) await startWorker(name, handler);
    },
    wake(name) {
      const id = workerIds.get(name);
      if (id && boss) boss.notifyWorker(id);
    },
    async stop() {
      if (!started || !boss) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
