import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A company's webhook configuration (reference §1.6, `POST /api/v0/webhook-data`). One row per
 * (company, webhookUrl): posting the same URL again updates it (docs/api/webhooks.md). The
 * signing secrets and the static headers (which receivers use as credentials) are stored only
 * sealed with AES-256-GCM under the server key (secrets-key.ts).
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    url: text('url').notNull(),
    /** Sealed JSON object of the static headers. */
    headersSealed: text('headers_sealed').notNull(),
    sslCertificate: text('ssl_certificate'),
    events: text('events').array().notNull(),
    enabled: boolean('enabled').notNull(),
    /** Why the endpoint was disabled (by the company, or by a 410 Gone); null while enabled. */
    disabledReason: text('disabled_reason'),
    secretSealed: text('secret_sealed').notNull(),
    /** The secret before the last rotation, still signed with until `previous_secret_expires_at`. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('uq_webhook_endpoints_company_url').on(t.companyId, t.url), check('ck_webhook_endpoints_id', sql`${t.id} like 'whe\\_%'`)],
);

/** The company-level secret that signs deliveries to per-request `notifyUrl`s. */
export const webhookNotifySecrets = pgTable(
  'webhook_notify_secrets',
  {
    companyId: text('company_id').primaryKey(),
    secretSealed: text('secret_sealed').notNull(),
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  // No foreign keys to companies: core/ never imports auth/ (the eslint boundary of DESIGN.md).
);

/** The outbox: one row per published event, written in the business transaction. Immutable. */
export const events = pgTable(
  'events',
  {
    /** `evt_…`: the `webhook-id` of every delivery and replay of this event. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    type: text('type').notNull(),
    /** The exact JSON body sent on every attempt and replay (text, not jsonb, so bytes and key order never change). */
    body: text('body').notNull(),
    notifyUrl: text('notify_url'),
    /** Sandbox time of the company when the event was published. */
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('ix_events_company_created').on(t.companyId, t.createdAt, t.id), check('ck_events_id', sql`${t.id} like 'evt\\_%'`)],
);

/** One delivery of an event to one target (an endpoint or the event's notifyUrl). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    eventId: text('event_id').notNull(),
    /** Null for a notifyUrl delivery. */
    endpointId: text('endpoint_id'),
    url: text('url').notNull(),
    status: text('status').notNull(),
    attemptCount: integer('attempt_count').notNull().default(0),
    /** Sandbox time of the next attempt while PENDING. */
    nextAttemptAt: ts('next_attempt_at'),
    /** While SENDING: wall-clock time after which another worker may take the attempt over. */
    leaseUntil: ts('lease_until'),
    /**
     * While SENDING: a random token of the worker holding the attempt. A takeover keeps the attempt
     * number, so only the token tells the slow original worker from the one that took over.
     */
    leaseToken: text('lease_token'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    /** What created it: PUBLISH (the event was published or tested) or REPLAY. */
    trigger: text('trigger').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('ix_webhook_deliveries_event').on(t.companyId, t.eventId),
    // The recovery sweep looks only at deliveries a worker holds.
    index('ix_webhook_deliveries_sending')
      .on(t.leaseUntil)
      .where(sql`${t.status} = 'SENDING'`),
    // ...and at due PENDING ones whose job or timer was lost.
    index('ix_webhook_deliveries_pending')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'PENDING'`),
    foreignKey({ name: 'fk_webhook_deliveries_event', columns: [t.eventId], foreignColumns: [events.id] }),
    check('ck_webhook_deliveries_status', sql`${t.status} in ('PENDING', 'SENDING', 'SUCCEEDED', 'FAILED')`),
    check('ck_webhook_deliveries_trigger', sql`${t.trigger} in ('PUBLISH', 'REPLAY')`),
  ],
);

/** The delivery log: one row per HTTP attempt, with truncated bodies. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    eventId: text('event_id').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    /** Sandbox time of the attempt. */
    attemptedAt: ts('attempted_at').notNull(),
    /** The `webhook-timestamp` sent (wall-clock unix seconds). */
    webhookTimestamp: integer('webhook_timestamp').notNull(),
    url: text('url').notNull(),
    /** Request headers with static header values masked. */
    requestHeaders: jsonb('request_headers').notNull(),
    requestBody: text('request_body').notNull(),
    outcome: text('outcome').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    error: text('error'),
    latencyMs: integer('latency_ms').notNull(),
  },
  (t) => [
    unique('uq_webhook_attempts_delivery_number').on(t.deliveryId, t.attemptNumber),
    foreignKey({ name: 'fk_webhook_attempts_delivery', columns: [t.deliveryId], foreignColumns: [webhookDeliveries.id] }),
    index('ix_webhook_attempts_event').on(t.companyId, t.eventId),
    check('ck_webhook_attempts_outcome', sql`${t.outcome} in ('SUCCEEDED', 'FAILED')`),
  ],
);
