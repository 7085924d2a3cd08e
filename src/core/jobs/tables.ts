import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

// core/ knows no module above it: the foreign keys of company_id to companies are in the SQL
// migration 0003_core_foreign_keys.

/**
 * A company's sandbox clock: its time is real time plus `offset_ms`, and the offset only grows
 * (the CHECK and the service's `greatest` keep it so). No row means an offset of zero.
 */
export const sandboxClocks = pgTable(
  'sandbox_clocks',
  {
    companyId: text('company_id').primaryKey(),
    offsetMs: bigint('offset_ms', { mode: 'bigint' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [check('ck_sandbox_clocks_offset', sql`${t.offsetMs} >= 0`)],
);

/**
 * Timers on sandbox time. `seq` breaks ties between timers due at the same instant in creation
 * order. `lease_until` (real time) is the lease of a running timer, and the not-before instant of
 * a scheduled one that failed and waits to be retried.
 */
export const sandboxTimers = pgTable(
  'sandbox_timers',
  {
    id: text('id').primaryKey(),
    seq: bigint('seq', { mode: 'bigint' }).generatedAlwaysAsIdentity().notNull(),
    companyId: text('company_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
    kind: text('kind').notNull(),
    payload: text('payload').notNull(),
    dedupeKey: text('dedupe_key'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    unique('uq_sandbox_timers_company_dedupe_key').on(t.companyId, t.dedupeKey),
    index('ix_sandbox_timers_pending')
      .on(t.companyId, t.dueAt, t.seq)
      .where(sql`${t.status} in ('SCHEDULED', 'RUNNING')`),
    // The poller's "what fell due" across companies (ADR 0031).
    index('ix_sandbox_timers_pending_due')
      .on(t.dueAt)
      .where(sql`${t.status} in ('SCHEDULED', 'RUNNING')`),
    check('ck_sandbox_timers_status', sql`${t.status} in ('SCHEDULED', 'RUNNING', 'DONE', 'FAILED')`),
    check('ck_sandbox_timers_id', sql`${t.id} like 'tmr\\_%'`),
  ],
);
