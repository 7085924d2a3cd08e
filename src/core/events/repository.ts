import { and, asc, count, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import { definePrepared } from '../db/prepared.js';
import { queryRows } from '../db/transaction.js';
import type { PageRequest } from '../http/pagination.js';
import { sandboxClocks } from '../jobs/tables.js';
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookNotifySecrets } from './tables.js';

/** The channel on which writing deliveries wakes the dispatchers (delivered on commit only). */
export const DELIVERY_CHANNEL = 'tijori_webhook_deliveries';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type NotifySecretRow = typeof webhookNotifySecrets.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

// Endpoints (webhook configurations)

export async function insertEndpoint(db: Executor, row: EndpointRow): Promise<void> {
  await db.insert(webhookEndpoints).values(row);
}

export async function findEndpoint(db: Executor, companyId: string, id: string, forUpdate = false): Promise<EndpointRow | null> {
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findEndpointByUrl(db: Executor, companyId: string, url: string): Promise<EndpointRow | null> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.url, url)))
    .for('update');
  return row ?? null;
}

export async function listEndpoints(db: Executor, companyId: string): Promise<EndpointRow[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.companyId, companyId)).orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

export async function updateEndpoint(db: Executor, companyId: string, id: string, set: Partial<EndpointRow>): Promise<EndpointRow | null> {
  const [row] = await db
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteEndpoint(db: Executor, companyId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

// The company's notify secret

export async function findNotifySecret(db: Executor, companyId: string, forUpdate = false): Promise<NotifySecretRow | null> {
  const query = db.select().from(webhookNotifySecrets).where(eq(webhookNotifySecrets.companyId, companyId));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** Inserts unless another request created it first; returns the row that exists afterwards. */
export async function insertNotifySecret(db: Executor, row: NotifySecretRow): Promise<NotifySecretRow> {
  await db.insert(webhookNotifySecrets).values(row).onConflictDoNothing();
  return (await findNotifySecret(db, row.companyId))!;
}

export async function updateNotifySecret(db: Executor, companyId: string, set: Partial<NotifySecretRow>): Promise<void> {
  await db.update(webhookNotifySecrets).set(set).where(eq(webhookNotifySecrets.companyId, companyId));
}

// Events

/**
 * Inserts an event and its deliveries in one statement; with deliveries, the statement also
 * notifies DELIVERY_CHANNEL (delivered on commit only; see insertDeliveries).
 */
export async function insertEvent(db: Executor, row: EventRow, deliveries: DeliveryRow[] = []): Promise<void> {
  const event = db.insert(events).values(row);
  if (deliveries.length === 0) return void (await event);
  const insert = db.insert(webhookDeliveries).values(deliveries).returning({ id: webhookDeliveries.id });
  await db.execute(sql`with event as (${event.getSQL()}), inserted as (${insert.getSQL()}) select pg_notify(${DELIVERY_CHANNEL}, '') from inserted limit 1`);
}

/**
 * A publication in one statement (issue 13): the event row; a PENDING delivery to every enabled
 * configuration of the company subscribed to the type (`events @> array[type]`, selected inside
 * the statement) and one to the notifyUrl, if any; and the NOTIFY of DELIVERY_CHANNEL only when a
 * delivery row was written. A delivery id is `deliveryIdPrefix` (`whd_` and the ten time
 * characters of `newId`) and sixteen Crockford characters of 80 random bits of a
 * `gen_random_uuid()` (a strong random source on both engines), drawn per row.
 */
const publishStatement = definePrepared<
  { pg_notify: unknown },
  [id: string, companyId: string, type: string, body: string, notifyUrl: string | null, createdAt: Date, deliveryIdPrefix: string]
>(
  'events_publish',
  `with event as (
     insert into events (id, company_id, type, body, notify_url, created_at)
     values ($1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz)
   ),
   targets as (
     select e.id as endpoint_id, e.url, gen_random_uuid()::text as u
     from webhook_endpoints e
     where e.company_id = $2::text and e.enabled = true and e.events @> array[$3::text]::text[]
     union all
     select null, $5::text, gen_random_uuid()::text where $5::text is not null
   ),
   inserted as (
     insert into webhook_deliveries (id, company_id, event_id, endpoint_id, url, status, attempt_count, trigger, created_at, updated_at)
     select $7::text || (select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', substring(r.bits from i * 5 + 1 for 5)::int + 1, 1), '' order by i)
                         from (select ('x' || substr(t.u, 1, 8) || substr(t.u, 10, 4) || substr(t.u, 25, 8))::bit(80) as bits) r, generate_series(0, 15) i),
            $2::text, $1::text, t.endpoint_id, t.url, 'PENDING', 0, 'PUBLISH', $6::timestamptz, $6::timestamptz
     from targets t
     returning id
   )
   select pg_notify('${DELIVERY_CHANNEL}', '') from inserted limit 1`,
);

/** Publishes an event in one statement (see publishStatement); returns whether any delivery was written. */
export async function publishEvent(db: Executor, row: EventRow, deliveryIdPrefix: string): Promise<boolean> {
  const rows = await publishStatement.rows(db, [row.id, row.companyId, row.type, row.body, row.notifyUrl, row.createdAt, deliveryIdPrefix]);
  return rows.length > 0;
}

export async function findEvent(db: Executor, companyId: string, id: string): Promise<EventRow | null> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.companyId, companyId), eq(events.id, id)));
  return row ?? null;
}

export interface EventFilter {
  type?: string;
  from?: Date;
  to?: Date;
}

function eventConditions(companyId: string, filter: EventFilter): SQL {
  const conditions: SQL[] = [eq(events.companyId, companyId)];
  if (filter.type !== undefined) conditions.push(eq(events.type, filter.type));
  if (filter.from !== undefined) conditions.push(gte(events.createdAt, filter.from));
  if (filter.to !== undefined) conditions.push(lt(events.createdAt, filter.to));
  return and(...conditions)!;
}

/** Newest first (created_at, then id: ids are ULIDs, so ties keep a stable order). */
export async function listEvents(db: Executor, companyId: string, filter: EventFilter, page: PageRequest): Promise<{ rows: EventRow[]; total: number }> {
  const where = eventConditions(companyId, filter);
  const rows = await db.select().from(events).where(where).orderBy(desc(events.createdAt), desc(events.id)).limit(page.limit).offset(page.offset);
  const [total] = await db.select({ n: count() }).from(events).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Oldest first, at most `limit` (the caller asks for one more than it allows, to detect overflow). */
export async function listEventsInRange(db: Executor, companyId: string, filter: EventFilter, limit: number): Promise<EventRow[]> {
  return db.select().from(events).where(eventConditions(companyId, filter)).orderBy(asc(events.createdAt), asc(events.id)).limit(limit);
}

// Deliveries and attempts

/**
 * Inserts deliveries and, in the same statement, notifies DELIVERY_CHANNEL: PostgreSQL delivers a
 * notification when (and only if) the transaction commits, and folds repeats within one
 * transaction into one, so a publishing transaction costs no extra round trip for its wake-up.
 */
export async function insertDeliveries(db: Executor, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const insert = db.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id });
  await db.execute(sql`with inserted as (${insert.getSQL()}) select pg_notify(${DELIVERY_CHANNEL}, '') from inserted limit 1`);
}

/** Endpoints of the company by id (those that still exist). */
export async function findEndpoints(db: Executor, companyId: string, ids: string[]): Promise<EndpointRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), inArray(webhookEndpoints.id, ids)));
}

/** A first attempt taken by `claimFreshDeliveries`, with its event. */
export interface ClaimedDelivery {
  id: string;
  companyId: string;
  eventId: string;
  endpointId: string | null;
  url: string;
  attemptCount: number;
  /** The company's sandbox time at the claim. */
  sandboxNow: Date;
  eventType: string;
  eventBody: string;
}

/**
 * Takes up to `limit` deliveries waiting for their first attempt (PENDING, never tried, of any
 * company), oldest first, for this worker: one statement for the whole batch. SKIP LOCKED lets the
 * dispatchers of several processes claim side by side without waiting or taking the same row.
 * Retries are not taken here: they wait for their timer on the company's sandbox clock.
 */
export async function claimFreshDeliveries(
  db: Executor,
  at: { wallNow: Date; leaseUntil: Date; leaseToken: string },
  limit: number,
): Promise<ClaimedDelivery[]> {
  const wall = at.wallNow.toISOString();
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with picked as (
          select id from webhook_deliveries
          where status = 'PENDING' and next_attempt_at is null and attempt_count = 0
          order by created_at, id
          limit ${limit}
          for update skip locked
        )
        update webhook_deliveries d
        set status = 'SENDING', attempt_count = d.attempt_count + 1, lease_until = ${at.leaseUntil.toISOString()}::timestamptz, lease_token = ${at.leaseToken},
            updated_at = ${wall}::timestamptz + coalesce((select c.offset_ms from sandbox_clocks c where c.company_id = d.company_id), 0) * interval '1 millisecond'
        from picked, events e
        where d.id = picked.id and e.id = d.event_id
        returning d.id, d.company_id, d.event_id, d.endpoint_id, d.url, d.attempt_count, d.updated_at, e.type as event_type, e.body as event_body`,
  );
  return rows.map((r) => ({
    id: r['id'] as string,
    companyId: r['company_id'] as string,
    eventId: r['event_id'] as string,
    endpointId: (r['endpoint_id'] as string | null) ?? null,
    url: r['url'] as string,
    attemptCount: Number(r['attempt_count']),
    sandboxNow: new Date(r['updated_at'] as string | Date),
    eventType: r['event_type'] as string,
    eventBody: r['event_body'] as string,
  }));
}

/**
 * Records many successful attempts in one statement: each delivery becomes SUCCEEDED, and its
 * attempt is logged, only if the worker still holds it (the same test as `completeAttempt`).
 * Returns the ids of the deliveries recorded.
 */
export async function completeSucceeded(db: Executor, done: { attempt: AttemptRow; leaseToken: string; updatedAt: Date }[]): Promise<Set<string>> {
  if (done.length === 0) return new Set();
  const values = sql.join(
    done.map(
      ({ attempt: a, leaseToken, updatedAt }) =>
        sql`(${a.id}::text, ${a.companyId}::text, ${a.deliveryId}::text, ${a.eventId}::text, ${a.attemptNumber}::int, ${a.attemptedAt.toISOString()}::timestamptz,
           ${a.webhookTimestamp}::int, ${a.url}::text, ${JSON.stringify(a.requestHeaders)}::jsonb, ${a.requestBody}::text, ${a.responseStatus}::int,
           ${a.responseBody}::text, ${a.latencyMs}::int, ${leaseToken}::text, ${updatedAt.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with v (id, company_id, delivery_id, event_id, attempt_number, attempted_at, webhook_timestamp, url, request_headers, request_body,
                response_status, response_body, latency_ms, lease_token, updated_at) as (values ${values}),
        done as (
          update webhook_deliveries d
          set status = 'SUCCEEDED', next_attempt_at = null, last_response_status = v.response_status, last_error = null,
              updated_at = v.updated_at, lease_until = null, lease_token = null
          from v
          where d.company_id = v.company_id and d.id = v.delivery_id and d.status = 'SENDING' and d.lease_token = v.lease_token and d.attempt_count = v.attempt_number
          returning d.id
        ),
        logged as (
          insert into webhook_attempts (id, company_id, delivery_id, event_id, attempt_number, attempted_at, webhook_timestamp, url, request_headers,
                                        request_body, outcome, response_status, response_body, error, latency_ms)
          select v.id, v.company_id, v.delivery_id, v.event_id, v.attempt_number, v.attempted_at, v.webhook_timestamp, v.url, v.request_headers,
                 v.request_body, 'SUCCEEDED', v.response_status, v.response_body, null, v.latency_ms
          from v join done on done.id = v.delivery_id
          on conflict do nothing
        )
        select id from done`,
  );
  return new Set(rows.map((r) => r.id));
}

export async function listDeliveries(db: Executor, companyId: string, eventIds: string[]): Promise<DeliveryRow[]> {
  if (eventIds.length === 0) return [];
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.companyId, companyId), inArray(webhookDeliveries.eventId, eventIds)))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id));
}

export async function listAttempts(db: Executor, companyId: string, eventId: string): Promise<AttemptRow[]> {
  return db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.companyId, companyId), eq(webhookAttempts.eventId, eventId)))
    .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attemptNumber));
}

/**
 * Takes the next attempt of a delivery for this worker, atomically: a PENDING delivery that is
 * due (on the sandbox clock), or a SENDING one whose worker's lease ran out (it died mid-send;
 * the attempt keeps its number). Two workers can never both win: the conditional UPDATE
 * serialises on the row and only one sees the old status.
 */
export async function claimDelivery(
  db: Executor,
  companyId: string,
  id: string,
  at: { sandboxNow: Date; wallNow: Date; leaseUntil: Date; leaseToken: string; maxAttempts: number },
): Promise<DeliveryRow | null> {
  const d = webhookDeliveries;
  const [row] = await db
    .update(d)
    .set({
      status: 'SENDING',
      attemptCount: sql`case when ${d.status} = 'SENDING' then ${d.attemptCount} else ${d.attemptCount} + 1 end`,
      leaseUntil: at.leaseUntil,
      leaseToken: at.leaseToken,
      updatedAt: at.sandboxNow,
    })
    .where(
      and(
        eq(d.companyId, companyId),
        eq(d.id, id),
        or(
          and(eq(d.status, 'PENDING'), lt(d.attemptCount, at.maxAttempts), or(sql`${d.nextAttemptAt} is null`, lte(d.nextAttemptAt, at.sandboxNow))),
          and(eq(d.status, 'SENDING'), lt(d.leaseUntil, at.wallNow)),
        ),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Records an attempt's outcome, if this worker still holds the attempt: its `leaseToken` from the
 * claim must still be the delivery's (a worker whose lease was taken over loses, even though the
 * attempt number is the same).
 */
export async function completeAttempt(
  db: Executor,
  attempt: AttemptRow,
  leaseToken: string,
  delivery: {
    status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
    nextAttemptAt: Date | null;
    lastResponseStatus: number | null;
    lastError: string | null;
    updatedAt: Date;
  },
): Promise<boolean> {
  const d = webhookDeliveries;
  const rows = await db
    .update(d)
    .set({ ...delivery, leaseUntil: null, leaseToken: null })
    .where(
      and(
        eq(d.companyId, attempt.companyId),
        eq(d.id, attempt.deliveryId),
        eq(d.status, 'SENDING'),
        eq(d.leaseToken, leaseToken),
        eq(d.attemptCount, attempt.attemptNumber),
      ),
    )
    .returning({ id: d.id });
  if (rows.length === 0) return false;
  await db.insert(webhookAttempts).values(attempt).onConflictDoNothing();
  return true;
}

/**
 * Closes a delivery without an HTTP attempt (its configuration was disabled or deleted). The claim
 * counted an attempt that was never made, so the count goes back to the attempts in the log. Only
 * the holder of the lease (`leaseToken`) may; returns whether it did.
 */
export async function abandonDelivery(db: Executor, companyId: string, id: string, leaseToken: string, reason: string, at: Date): Promise<boolean> {
  const d = webhookDeliveries;
  const rows = await db
    .update(d)
    .set({
      status: 'FAILED',
      attemptCount: sql`${d.attemptCount} - 1`,
      lastError: reason,
      leaseUntil: null,
      leaseToken: null,
      nextAttemptAt: null,
      updatedAt: at,
    })
    .where(and(eq(d.companyId, companyId), eq(d.id, id), eq(d.status, 'SENDING'), eq(d.leaseToken, leaseToken)))
    .returning({ id: d.id });
  return rows.length > 0;
}

/**
 * Deliveries nobody will run unless the sweep re-queues them:
 * - SENDING whose worker died mid-attempt (its lease, wall-clock time, ran out);
 * - PENDING that are due on their company's sandbox clock (the same test as `claimDelivery`, so a
 *   listed delivery can be claimed and the sweep never re-lists it for ever) and were not touched
 *   for `graceMs`: their job or retry timer was lost (a DB error before the claim outlived pg-boss's
 *   retries or the timer's five attempts). `updated_at` is sandbox time, so "untouched" compares it
 *   with the company's sandbox now (real time + offset): an advance of the clock can make a
 *   delivery eligible sooner, while its timer is about to fire, which only costs a duplicate job
 *   that `deliver` ignores through its claim.
 */
export async function listStalledDeliveries(
  db: Executor,
  at: { wallNow: Date; graceMs: number; maxAttempts: number },
  limit: number,
): Promise<{ companyId: string; id: string }[]> {
  const d = webhookDeliveries;
  const c = sandboxClocks;
  const sandboxNow = sql`(${at.wallNow.toISOString()}::timestamptz + coalesce(${c.offsetMs}, 0) * interval '1 millisecond')`;
  const sending = await db
    .select({ companyId: d.companyId, id: d.id })
    .from(d)
    .where(and(eq(d.status, 'SENDING'), lt(d.leaseUntil, at.wallNow)))
    .limit(limit);
  if (sending.length >= limit) return sending;
  const pending = await db
    .select({ companyId: d.companyId, id: d.id })
    .from(d)
    .leftJoin(c, eq(c.companyId, d.companyId))
    .where(
      and(
        eq(d.status, 'PENDING'),
        lt(d.attemptCount, at.maxAttempts),
        or(sql`${d.nextAttemptAt} is null`, sql`${d.nextAttemptAt} <= ${sandboxNow}`),
        sql`${d.updatedAt} < ${sandboxNow} - ${at.graceMs} * interval '1 millisecond'`,
      ),
    )
    .orderBy(asc(d.nextAttemptAt))
    .limit(limit - sending.length);
  return [...sending, ...pending];
}

/** One sealed secret of each kind, if any, for the start-time check of the server key (any company: a process-level check). */
export async function listSealedSecrets(
  db: Executor,
): Promise<{ endpoints: { id: string; secretSealed: string }[]; notify: { companyId: string; secretSealed: string }[] }> {
  const endpoints = await db.select({ id: webhookEndpoints.id, secretSealed: webhookEndpoints.secretSealed }).from(webhookEndpoints);
  const notify = await db.select({ companyId: webhookNotifySecrets.companyId, secretSealed: webhookNotifySecrets.secretSealed }).from(webhookNotifySecrets);
  return { endpoints, notify };
}
