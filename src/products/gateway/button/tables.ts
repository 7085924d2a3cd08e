import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { ButtonField } from './model.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A payment button (docs/api/gateway-button.md, ADR 0022): what a click on the embedded button
 * asks the payer for and the order it creates. A FIXED button has `amount_paise`; a
 * PAYER_ENTERED one may bound the payer's amount with `min_amount_paise`/`max_amount_paise`.
 */
export const gatewayPaymentButtons = pgTable(
  'gateway_payment_buttons',
  {
    /** `BTN` + epoch ms + 5 letters/digits (the order id's style). */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    /** The merchant access key that created the button: the orders it makes are signed with its secret. */
    accessKey: text('access_key'),
    title: text('title').notNull(),
    description: text('description'),
    amountType: text('amount_type').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'bigint' }),
    minAmountPaise: bigint('min_amount_paise', { mode: 'bigint' }),
    maxAmountPaise: bigint('max_amount_paise', { mode: 'bigint' }),
    fields: jsonb('fields').$type<ButtonField[]>().notNull(),
    notifyUrl: text('notify_url'),
    returnUrl: text('return_url'),
    buttonLabel: text('button_label').notNull(),
    buttonColor: text('button_color').notNull(),
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('ix_gateway_payment_buttons_company_created').on(t.companyId, t.createdAt),
    check('ck_gateway_payment_buttons_status', sql`${t.status} in ('ACTIVE', 'INACTIVE')`),
    check('ck_gateway_payment_buttons_amount_type', sql`${t.amountType} in ('FIXED', 'PAYER_ENTERED')`),
    check(
      'ck_gateway_payment_buttons_amounts',
      sql`(${t.amountType} = 'FIXED' and ${t.amountPaise} > 0 and ${t.minAmountPaise} is null and ${t.maxAmountPaise} is null)
        or (${t.amountType} = 'PAYER_ENTERED' and ${t.amountPaise} is null and coalesce(${t.minAmountPaise}, 1) > 0
            and coalesce(${t.minAmountPaise}, 1) <= coalesce(${t.maxAmountPaise}, ${t.minAmountPaise}, 1))`,
    ),
  ],
);

/**
 * The orders a button made, one per click, with what the payer entered. Totals are read from the
 * captured payments of these orders (no counter on the button row: captures of one popular button
 * do not queue on it).
 */
export const gatewayPaymentButtonOrders = pgTable(
  'gateway_payment_button_orders',
  {
    companyId: text('company_id').notNull(),
    orderId: text('order_id').notNull(),
    buttonId: text('button_id').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'pk_gateway_payment_button_orders', columns: [t.companyId, t.orderId] }),
    index('ix_gateway_payment_button_orders_button').on(t.companyId, t.buttonId),
  ],
);
