import { PgTransaction } from 'drizzle-orm/pg-core';
import { withTransaction } from '../db/transaction.js';
import type { Executor } from '../db/engine.js';
import { newId } from '../ids/ids.js';
import type { Page, PageRequest } from '../http/pagination.js';
import { toPage } from '../http/pagination.js';
import { WEBHOOK_TEST } from './catalogue.js';
import type { EventsContext } from './context.js';
import { EventNotFoundError, InvalidReplayRangeError, InvalidWebhookConfigError } from './errors.js';
import * as repo from './repository.js';
import { toDeliveryViews, toSummary, type DeliveryView, type EventSummary } from './views.js';

/** An event with its deliveries and their attempts, as the events API answers one. */
export type EventDetail = EventSummary & { deliveries: DeliveryView[] };

/** Bounds of a time-range replay: a mistake must not resend a company's whole history. */
export const MAX_REPLAY_EVENTS = 1000;
export const MAX_REPLAY_RANGE_MS = 31 * 24 * 3600 * 1000;

/**
 * The transactional outbox: an event and its deliveries are rows written in the caller's
 * transaction. Writing deliveries also notifies `DELIVERY_CHANNEL` in that transaction, which
 * PostgreSQL (and PGlite) deliver to listeners only when it commits: the dispatcher of every
 * process wakes exactly after a commit that gave it work, and never for an event nobody receives.
 */
export function createOutbox(ctx: EventsContext) {
  const { db, clock, clocks, catalogue, findConfigRow } = ctx;

  /**
   * What one transaction reads once however many events it publishes (a batch of payouts, a
   * settlement run): the company's sandbox clock offset (the transaction cannot move it: only
   * `moveForwardTo` outside a transaction does), when the process's cache of offsets (ADR 0031)
   * does not know it. Only for a real transaction, never for `db`.
   */
  const perTransaction = new WeakMap<object, Map<string, unknown>>();
  async function once<T>(tx: Executor, key: string, load: () => Promise<T>): Promise<T> {
    if (!(tx instanceof PgTransaction)) return load();
    let memo = perTransaction.get(tx);
    if (!memo) perTransaction.set(tx, (memo = new Map()));
    if (memo.has(key)) return memo.get(key) as T;
    const value = await load();
    memo.set(key, value);
    return value;
  }
  async function sandboxNow(tx: Executor, companyId: string): Promise<Date> {
    const offsetMs = await once(tx, `offset ${companyId}`, async () => (await clocks.now(companyId, tx)).getTime() - clock.now().getTime());
    return new Date(clock.now().getTime() + offsetMs);
  }

  /** Inserts the event and its deliveries to `endpoints` (which wake the dispatchers once `tx` commits), in one statement. */
  async function writeEvent(
    tx: Executor,
    companyId: string,
    input: { type: string; body: string; notifyUrl: string | null },
    endpoints: { id: string; url: string }[],
  ): Promise<{ eventId: string; deliveryIds: string[] }> {
    const now = await sandboxNow(tx, companyId);
    const eventId = newId('evt', now);
    const targets = endpoints.map((e) => ({ endpointId: e.id as string | null, url: e.url }));
    if (input.notifyUrl !== null) targets.push({ endpointId: null, url: input.notifyUrl });
    const rows = deliveryRows(companyId, eventId, targets, 'PUBLISH', now);
    await repo.insertEvent(tx, { id: eventId, companyId, type: input.type, body: input.body, notifyUrl: input.notifyUrl, createdAt: now }, rows);
    return { eventId, deliveryIds: rows.map((r) => r.id) };
  }

  async function createDeliveries(
    tx: Executor,
    companyId: string,
    eventId: string,
    targets: { endpointId: string | null; url: string }[],
    trigger: 'PUBLISH' | 'REPLAY',
    now: Date,
  ): Promise<string[]> {
    const rows = deliveryRows(companyId, eventId, targets, trigger, now);
    await repo.insertDeliveries(tx, rows);
    return rows.map((r) => r.id);
  }

  function deliveryRows(
    companyId: string,
    eventId: string,
    targets: { endpointId: string | null; url: string }[],
    trigger: 'PUBLISH' | 'REPLAY',
    now: Date,
  ): repo.DeliveryRow[] {
    return targets.map((t) => ({
      id: newId('whd', now),
      companyId,
      eventId,
      endpointId: t.endpointId,
      url: t.url,
      status: 'PENDING',
      attemptCount: 0,
      nextAttemptAt: null,
      leaseUntil: null,
      leaseToken: null,
      lastResponseStatus: null,
      lastError: null,
      trigger,
      createdAt: now,
      updatedAt: now,
    }));
  }

  /** Targets of a replay: the original targets that still exist and are enabled, plus the notifyUrl. */
  async function replayTargets(tx: Executor, event: repo.EventRow): Promise<{ endpointId: string | null; url: string }[]> {
    const originals = await repo.listDeliveries(tx, event.companyId, [event.id]);
    const endpointIds = [...new Set(originals.map((d) => d.endpointId).filter((id): id is string => id !== null))];
    const targets: { endpointId: string | null; url: string }[] = [];
    for (const id of endpointIds) {
      const endpoint = await repo.findEndpoint(tx, event.companyId, id);
      if (endpoint?.enabled) targets.push({ endpointId: endpoint.id, url: endpoint.url });
    }
    if (event.notifyUrl !== null) targets.push({ endpointId: null, url: event.notifyUrl });
    return targets;
  }

  async function eventDetail(exec: Executor, companyId: string, eventId: string): Promise<EventDetail> {
    const event = await repo.findEvent(exec, companyId, eventId);
    if (!event) throw new EventNotFoundError(`No event ${eventId}`, { param: 'eventId' });
    const deliveries = await repo.listDeliveries(exec, companyId, [eventId]);
    const attempts = await repo.listAttempts(exec, companyId, eventId);
    return { ...toSummary(event), deliveries: toDeliveryViews(deliveries, attempts) };
  }

  return {
    /**
     * Publishes an event in the caller's transaction (the transactional outbox): the event row,
     * one delivery per enabled configuration subscribed to `type` and one for `notifyUrl`, and
     * nothing else: no queue work, no wake-up until `tx` commits, all in one statement (two when the
     * company's clock offset is not cached yet). Nothing exists unless it commits. The payload is checked against
     * the catalogue; a mismatch is a programmer error (thrown as a plain Error → 500).
     * Returns the event id, which is the `webhook-id` of every delivery and replay.
     */
    async publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }> {
      const problem = catalogue.problem(input.type, input.payload);
      if (problem !== null) throw new Error(`event ${input.type} payload does not match the catalogue: ${problem}`);
      const notifyUrl = input.notifyUrl ?? null;
      if (notifyUrl !== null && !/^https?:\/\//i.test(notifyUrl)) throw new Error(`notifyUrl must be an http or https URL`);
      // One statement: the event, its deliveries (the subscriptions are selected in it) and the wake-up.
      const now = await sandboxNow(tx, companyId);
      const eventId = newId('evt', now);
      await repo.publishEvent(
        tx,
        { id: eventId, companyId, type: input.type, body: JSON.stringify(input.payload), notifyUrl, createdAt: now },
        newId('whd', now).slice(0, 'whd_'.length + 10),
      );
      return { eventId };
    },

    /**
     * Publishes WEBHOOK_TEST to one enabled configuration, subscribed to it or not, and answers the
     * event with its deliveries as they committed (read in the same transaction: nothing after the
     * commit can fail the request, ADR 0046). Throws webhook_config_not_found, invalid_webhook_config.
     */
    async sendTest(companyId: string, webhookId: string, message = 'Webhook test from Tijori'): Promise<EventDetail> {
      return withTransaction(db, async (tx) => {
        const row = await findConfigRow(companyId, webhookId, tx);
        if (!row.enabled) throw new InvalidWebhookConfigError('The webhook configuration is disabled; enable it before sending a test', { param: 'webhookId' });
        const now = await clocks.now(companyId, tx);
        const payload = { event: 'WEBHOOK_TEST' as const, webhookId, message, createdOn: now.toISOString() };
        const problem = catalogue.problem(WEBHOOK_TEST.type, payload);
        if (problem !== null) throw new InvalidWebhookConfigError(`message: ${problem}`, { param: 'message' });
        const { eventId } = await writeEvent(tx, companyId, { type: WEBHOOK_TEST.type, body: JSON.stringify(payload), notifyUrl: null }, [row]);
        return eventDetail(tx, companyId, eventId);
      });
    },

    /** Events of the company, newest first. */
    async listEvents(companyId: string, filter: repo.EventFilter, page: PageRequest): Promise<Page<EventSummary>> {
      const { rows, total } = await repo.listEvents(db, companyId, filter, page);
      return toPage(rows.map(toSummary), total, page);
    },

    /** One event with its deliveries and every attempt. Throws event_not_found. */
    async getEvent(companyId: string, eventId: string): Promise<EventDetail> {
      return eventDetail(db, companyId, eventId);
    },

    /**
     * Sends an event again, with the same `webhook-id` and body, to its original targets that
     * are still enabled (and its notifyUrl): new deliveries with a fresh retry schedule.
     * Throws event_not_found.
     */
    async replayEvent(companyId: string, eventId: string): Promise<{ eventId: string; deliveryIds: string[] }> {
      return withTransaction(db, async (tx) => {
        const event = await repo.findEvent(tx, companyId, eventId);
        if (!event) throw new EventNotFoundError(`No event ${eventId}`, { param: 'eventId' });
        const now = await clocks.now(companyId, tx);
        const deliveryIds = await createDeliveries(tx, companyId, eventId, await replayTargets(tx, event), 'REPLAY', now);
        return { eventId, deliveryIds };
      });
    },

    /**
     * Replays every event created in [from, to) (optionally of one type): at most
     * MAX_REPLAY_EVENTS events in a range of at most 31 days. Throws invalid_replay_range.
     */
    async replayRange(companyId: string, input: { from: Date; to: Date; type?: string }): Promise<{ events: { eventId: string; deliveryIds: string[] }[] }> {
      if (!(input.from < input.to)) throw new InvalidReplayRangeError('from must be before to', { param: 'from' });
      if (input.to.getTime() - input.from.getTime() > MAX_REPLAY_RANGE_MS)
        throw new InvalidReplayRangeError('the range may span at most 31 days', { param: 'to' });
      if (input.type !== undefined && !catalogue.has(input.type)) throw new InvalidReplayRangeError(`unknown event type ${input.type}`, { param: 'type' });
      return withTransaction(db, async (tx) => {
        const filter: repo.EventFilter = { from: input.from, to: input.to, ...(input.type !== undefined ? { type: input.type } : {}) };
        const found = await repo.listEventsInRange(tx, companyId, filter, MAX_REPLAY_EVENTS + 1);
        if (found.length > MAX_REPLAY_EVENTS) {
          throw new InvalidReplayRangeError(`the range holds more than ${MAX_REPLAY_EVENTS} events; replay a narrower range`, { param: 'to' });
        }
        const now = await clocks.now(companyId, tx);
        const out: { eventId: string; deliveryIds: string[] }[] = [];
        for (const event of found)
          out.push({ eventId: event.id, deliveryIds: await createDeliveries(tx, companyId, event.id, await replayTargets(tx, event), 'REPLAY', now) });
        return { events: out };
      });
    },
  };
}
