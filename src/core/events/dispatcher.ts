import type { Logger } from 'pino';
import type { Executor } from '../db/engine.js';
import { listenPostgres } from '../db/notifications.js';
import { DELIVERY_CHANNEL } from './repository.js';

/** Batches in flight at once: the next claim overlaps the sends of the previous batch. */
const DEFAULT_CONCURRENCY = 2;

interface PgliteLike {
  listen(channel: string, callback: (payload: string) => void): Promise<(() => Promise<void>) | undefined>;
}
/** The pg Pool under the Drizzle database: its options name the database the pool was opened on. */
interface PgPoolLike {
  connect(): Promise<unknown>;
  options?: { connectionString?: string };
}

/**
 * Wakes delivery where the outbox says there is work: it LISTENs on DELIVERY_CHANNEL, which a
 * publishing transaction notifies on commit (repository.publishEvent), and then claims
 * batches until a claim comes back short. On PostgreSQL it listens through the process's one LISTEN
 * connection to the database (core/db/notifications.ts, shared with the sandbox clock), so every
 * process hears every commit; on PGlite the notification is in-process. No polling: a notification
 * lost with a dropped connection is made up by the claim after reconnecting (the connection
 * re-LISTENs every second), and in the worst case by the stalled-delivery sweep.
 */
export function createDispatcher(deps: {
  db: Executor;
  logger: Logger;
  /** Claims and runs one batch; calls `onClaimed` with the number claimed as soon as it knows it. */
  runBatch: (onClaimed: (count: number) => void) => Promise<number>;
  batchSize: number;
  concurrency?: number;
}) {
  const { logger } = deps;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  let wanted = false;
  let running = 0;
  let stopped = true;
  let idle: (() => void)[] = [];
  let unlisten: (() => Promise<void>) | undefined;

  const pump = () => {
    while (wanted && !stopped && running < concurrency) {
      wanted = false;
      running++;
      deps
        .runBatch((count) => {
          // A full batch: more may wait, claim the next one now.
          if (count >= deps.batchSize) wake();
        })
        .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook dispatch failed'))
        .finally(() => {
          running--;
          if (running === 0) {
            for (const resolve of idle) resolve();
            idle = [];
          }
          pump();
        });
    }
  };
  function wake(): void {
    wanted = true;
    pump();
  }

  async function listen(): Promise<void> {
    const client = (deps.db as unknown as { $client?: unknown }).$client;
    if (client && typeof (client as PgliteLike).listen === 'function') {
      const off = await (client as PgliteLike).listen(DELIVERY_CHANNEL, wake);
      unlisten = async () => {
        // A database closed under the app (a lost embedded database, a test) has nothing left to unlisten.
        if ((client as { closed?: boolean }).closed) return;
        await off?.();
      };
    } else if (client && typeof (client as PgPoolLike).connect === 'function' && typeof (client as PgPoolLike).options?.connectionString === 'string') {
      await new Promise<void>((resolve) => {
        let first = true;
        const listener = listenPostgres((client as PgPoolLike).options!.connectionString!, DELIVERY_CHANNEL, {
          onNotification: wake,
          onListening(listening) {
            if (first) {
              first = false;
              if (!listening) logger.warn('webhook listener could not connect; retrying');
              return resolve();
            }
            // Back after a loss: claim what was published while not listening.
            if (listening) wake();
            else logger.warn('webhook listener connection lost; reconnecting');
          },
        });
        unlisten = () => listener.close();
      });
    } else {
      throw new Error('webhook dispatch needs a PGlite or pg database client to LISTEN on');
    }
  }

  return {
    wake,
    /** Starts listening, then claims whatever waits already (published while no process listened). */
    async start(): Promise<void> {
      if (!stopped) return;
      stopped = false;
      await listen();
      wake();
    },
    /** Stops listening and waits for the batches in flight to be recorded. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await unlisten?.();
      unlisten = undefined;
      if (running > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
