import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The sandbox outbox (ADR 0021): every SMS and e-mail a product would send to a customer,
 * recorded instead of sent, in the transaction of the change that caused it. Nothing leaves the
 * process; developers read them through `GET /api/v0/sandbox/outbox` and `/sandbox/outbox`.
 * The text holds what a customer would read (a link, an amount), never a secret or a card number.
 */
export const sandboxNotices = pgTable(
  'sandbox_notices',
  {
    /** `ntc_` + ULID. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    channel: text('channel').notNull(),
    /** The mobile number (SMS) or e-mail address (EMAIL) it would go to. */
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    /** What it is about: a kind (`payment_link`) and that object's id. */
    relatedType: text('related_type').notNull(),
    relatedId: text('related_id').notNull(),
    /** Why it was written (`payment_link.created`, `payment_link.due_date`). */
    template: text('template').notNull(),
    /** Sandbox time of the company. */
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('ix_sandbox_notices_company_created').on(t.companyId, t.createdAt, t.id),
    index('ix_sandbox_notices_company_related').on(t.companyId, t.relatedId),
    check('ck_sandbox_notices_channel', sql`${t.channel} in ('SMS', 'EMAIL')`),
  ],
);
