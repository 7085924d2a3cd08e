import type { Executor } from '../db/engine.js';
import { createConfigs } from './configs.js';
import { createContext, type EventsDeps } from './context.js';
import { DEFAULT_BATCH_SIZE, DELIVERY_JOB, RETRY_TIMER, createDelivery } from './delivery.js';
import { createDispatcher } from './dispatcher.js';
import { createOutbox } from './outbox.js';

export { DEFAULT_ROTATION_OVERLAP_SECONDS, MAX_ROTATION_OVERLAP_SECONDS, type EventsDeps } from './context.js';
export { DELIVERY_JOB, LOGGED_BODY_BYTES, RETRY_TIMER } from './delivery.js';
export { MAX_REPLAY_EVENTS, MAX_REPLAY_RANGE_MS } from './outbox.js';
export type { WebhookConfig, WebhookConfigInput } from './configs.js';
export type { AttemptView, DeliveryView, EventSummary } from './views.js';

const STALLED_SWEEP_MS = 30_000;

export type EventsService = ReturnType<typeof createEventsService>;

/**
 * Events and webhooks, assembled from their parts: configurations and secrets (configs.ts), the
 * transactional outbox with replay and the event log (outbox.ts), the HTTP attempts
 * (delivery.ts), and the dispatcher that the outbox wakes on commit (dispatcher.ts).
 */
export function createEventsService(deps: EventsDeps) {
  const ctx = createContext(deps);
  const configs = createConfigs(ctx);
  const outbox = createOutbox(ctx);
  const delivery = createDelivery(ctx, { publish: (tx: Executor, companyId, input) => outbox.publish(tx, companyId, input) });
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  const dispatcher = createDispatcher({ db: deps.db, logger: ctx.log, batchSize, runBatch: (onClaimed) => delivery.dispatchBatch(batchSize, onClaimed) });
  let sweeper: NodeJS.Timeout | undefined;

  const service = {
    catalogue: deps.catalogue,
    ...configs,
    ...outbox,

    /**
     * Makes this process look for deliveries at once (after a sweep re-queued some, say). Nothing
     * needs it after a publish: the outbox wakes every dispatcher on commit (ADR 0030).
     */
    wake(): void {
      dispatcher.wake();
      deps.jobs.wake?.(DELIVERY_JOB);
    },

    deliver: delivery.deliver,
    /** Claims and makes one batch of first attempts (what the dispatcher runs on a wake-up); returns how many it claimed. */
    dispatchBatch: (limit?: number) => delivery.dispatchBatch(limit ?? batchSize),
    recoverStalled: delivery.recoverStalled,
    checkSecretsKey: delivery.checkSecretsKey,

    /**
     * Registers the retry timer and the job of re-queued deliveries; with `sweep` (where workers
     * run, the default), also the sweep of stalled deliveries and the dispatcher of first attempts.
     */
    async start(options: { sweep?: boolean } = {}): Promise<void> {
      await service.checkSecretsKey();
      deps.timers.register<{ companyId: string; deliveryId: string }>(RETRY_TIMER, (timer) =>
        service.deliver(timer.payload.companyId, timer.payload.deliveryId),
      );
      await deps.jobs.work<{ companyId: string; deliveryId: string }>(DELIVERY_JOB, (data) => service.deliver(data.companyId, data.deliveryId));
      if (options.sweep !== false) {
        sweeper = setInterval(() => {
          service.recoverStalled().catch((err: unknown) => ctx.log.error({ err }, 'stalled-delivery sweep failed'));
        }, deps.sweepIntervalMs ?? STALLED_SWEEP_MS);
        sweeper.unref();
        await dispatcher.start();
      }
    },

    /** Stops the sweep and the dispatcher (waiting for the batches in flight) and closes kept connections. */
    async stop(): Promise<void> {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      await dispatcher.stop();
      delivery.agents.destroy();
    },
  };
  return service;
}
