import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * An OTP or 3-D Secure session of the simulated card rail, between `authorize` and the OTP or
 * challenge answer. It holds the card's token, BIN, last four and network, never its number or
 * CVV. `scenario` is the outcome decided at authorize time (scenario syntax), run once the holder
 * has authenticated.
 */
export const railCardAuthentications = pgTable(
  'rail_card_authentications',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    attemptRef: text('attempt_ref').notNull(),
    replyTo: text('reply_to').notNull(),
    method: text('method').notNull(),
    status: text('status').notNull(),
    cardToken: text('card_token').notNull(),
    bin: text('bin').notNull(),
    last4: text('last4').notNull(),
    network: text('network').notNull(),
    cardType: text('card_type').notNull(),
    issuer: text('issuer').notNull(),
    scenario: text('scenario').notNull(),
    otpAttempts: integer('otp_attempts').notNull().default(0),
    otpResends: integer('otp_resends').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('ix_rail_card_authentications_company').on(t.companyId),
    check('ck_rail_card_authentications_method', sql`${t.method} in ('otp', 'challenge')`),
    check('ck_rail_card_authentications_status', sql`${t.status} in ('awaiting', 'succeeded', 'failed')`),
    check('ck_rail_card_authentications_bin', sql`${t.bin} ~ '^[0-9]{6}$'`),
    check('ck_rail_card_authentications_last4', sql`${t.last4} ~ '^[0-9]{4}$'`),
  ],
);
