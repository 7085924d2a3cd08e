import { sql } from 'drizzle-orm';
import { check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The exact bytes of a stored response: a replay must be byte-identical (pg hands a Buffer, PGlite a Uint8Array). */
const bytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});

/**
 * One row per (company, Idempotency-Key) (DESIGN.md "Request flow"; house style 2.9). A claim is
 * `in_progress` under a lease token; completion stores the status, headers and serialized
 * body of the answer, replayed byte for byte until `expires_at`. Rows past `expires_at` count as
 * absent and are deleted by `pruneExpiredIdempotencyKeys`. The foreign key to `companies` is in
 * the custom migration `idempotency_sql`: core/ does not import the identity module's tables.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    companyId: text('company_id').notNull(),
    key: text('key').notNull(),
    /** `v2:` + HMAC-SHA256 (hex) of method, route, params, query and canonical body under a key of the server (ADR 0047); an unkeyed sha256 in rows written before. */
    fingerprint: text('fingerprint').notNull(),
    /** For operators reading the table; the fingerprint is what is compared. */
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: text('status').notNull(),
    /** Random per claim: only the request holding it may complete or release the record. */
    leaseToken: text('lease_token').notNull(),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    responseStatus: integer('response_status'),
    /** The allow-listed headers of the answer (content-type, x-error-code), replayed with it. */
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: bytes('response_body'),
    /**
     * Where a multi-step request stood when its process last wrote (Brandur's recovery point), e.g.
     * `{"transactionId": "TXN…"}` once a payment attempt exists: a retry that takes the key over
     * after the lease resumes from there instead of starting a second effect.
     */
    recoveryPoint: jsonb('recovery_point').$type<Record<string, string>>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'pk_idempotency_keys', columns: [t.companyId, t.key] }),
    index('ix_idempotency_keys_expires_at').on(t.expiresAt),
    check('ck_idempotency_keys_status', sql`${t.status} in ('in_progress', 'completed')`),
    check('ck_idempotency_keys_key', sql`char_length(${t.key}) between 1 and 255`),
    check(
      'ck_idempotency_keys_response',
      sql`(${t.status} = 'completed') = (${t.responseStatus} is not null and ${t.responseBody} is not null and ${t.completedAt} is not null)`,
    ),
  ],
);
