import type { Logger } from 'pino';
import type { Executor } from '../db/engine.js';
import { DELIVERY_CHANNEL } from './repository.js';

/** Batches in flight at once: the next claim overlaps the sends of the previous batch. */
const DEFAULT_CONCURRENCY = 2;
const RECONNECT_MS = 1000;

interface PgliteLike {
  listen(channel: string, callback: (payload: string) => void): Promise<(() => Promise<void>) | undefined>;
}
interface PgClientLike {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  release(err?: Error | boolean): void;
}
interface PgPoolLike {
  connect(): Promise<PgClientLike>;
}

/**
 * Wakes delivery where the outbox says there is work: it LISTENs on DELIVERY_CHANNEL, which a
 * publishing transaction notifies on commit (repository.insertDeliveries), and then claims
 * batches until a claim comes back short. On PostgreSQL the listener holds one connection of the
 * pool, so every process hears every commit; on PGlite the notification is in-process. No
 * polling: a notification lost with a dropped connection is made up by the claim after
 * reconnecting, and in the worst case by the stalled-delivery sweep.
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
  let reconnect: NodeJS.Timeout | undefined;

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

  async function listenPostgres(pool: PgPoolLike): Promise<void> {
    const client = await pool.connect();
    let released = false;
    const drop = (err?: Error) => {
      if (released) return;
      released = true;
      client.release(err ?? true);
    };
    client.on('notification', wake);
    client.on('error', (err) => {
      logger.warn({ err: err.message }, 'webhook listener connection lost; reconnecting');
      drop(err);
      if (!stopped) reconnect = setTimeout(() => void listen().then(wake, () => undefined), RECONNECT_MS);
    });
    await client.query(`listen ${DELIVERY_CHANNEL}`);
    unlisten = async () => {
      if (!released) await client.query(`unlisten ${DELIVERY_CHANNEL}`).catch(() => undefined);
      drop();
    };
  }

  async function listen(): Promise<void> {
    const client = (deps.db as unknown as { $client?: unknown }).$client;
    if (client && typeof (client as PgliteLike).listen === 'function') {
      const off = await (client as PgliteLike).listen(DELIVERY_CHANNEL, wake);
      unlisten = async () => {
        await off?.();
      };
    } else if (client && typeof (client as PgPoolLike).connect === 'function') {
      try {
        await listenPostgres(client as PgPoolLike);
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'webhook listener could not connect; retrying');
        if (!stopped) reconnect = setTimeout(() => void listen().then(wake, () => undefined), RECONNECT_MS);
      }
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
      clearTimeout(reconnect);
      await unlisten?.();
      unlisten = undefined;
      if (running > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
