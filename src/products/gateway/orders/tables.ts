import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { CustomerInfo } from './model.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Payment Gateway orders (reference §2.1, docs/api/gateway-payments.md). `id` is EnKash's order
 * id (`ORD` + epoch ms + 5 characters); `merchant_order_id` is the merchant's `orderId`, unique per
 * company. `attempts_used` counts payment attempts against the company's `maxPaymentAttempts`;
 * `paid_transaction_id` is the one payment that captured the order.
 */
export const gatewayOrders = pgTable(
  'gateway_orders',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    merchantOrderId: text('merchant_order_id').notNull(),
    /** The merchant access key that created the order: its secret signs the notify `checksum`. */
    accessKey: text('access_key'),
    amountPaise: bigint('amount_paise', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    returnUrl: text('return_url'),
    notifyUrl: text('notify_url'),
    description: text('description'),
    customerInfo: jsonb('customer_info').$type<CustomerInfo>(),
    customParameters: jsonb('custom_parameters').$type<Record<string, string>>(),
    /** UPI third-party validation (TPV): the only account the customer may pay from. */
    tpvAccountNumber: text('tpv_account_number'),
    tpvIfsc: text('tpv_ifsc'),
    maxAttempts: integer('max_attempts').notNull(),
    attemptsUsed: integer('attempts_used').notNull().default(0),
    paidTransactionId: text('paid_transaction_id'),
    cancelReason: text('cancel_reason'),
    /** Where the order came from (ADR 0028): a capture or failure is handed to that one owner. */
    originKind: text('origin_kind').notNull().default('API'),
    originId: text('origin_id'),
    expiresAt: instant('expires_at').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_orders_company_merchant_order_id').on(t.companyId, t.merchantOrderId),
    index('ix_gateway_orders_company_created').on(t.companyId, t.createdAt),
    check(
      'ck_gateway_orders_status',
      sql`${t.status} in ('CREATED', 'CHECKOUT_RENDERED', 'ATTEMPTED', 'PAYMENT_CONFIRMATION_PENDING', 'PAID', 'CANCELLED', 'EXPIRED')`,
    ),
    check('ck_gateway_orders_amount', sql`${t.amountPaise} > 0`),
    check('ck_gateway_orders_currency', sql`${t.currency} = 'INR'`),
    check('ck_gateway_orders_attempts', sql`${t.attemptsUsed} >= 0 and ${t.attemptsUsed} <= ${t.maxAttempts}`),
    check('ck_gateway_orders_origin_kind', sql`${t.originKind} in ('API', 'LINK', 'QR', 'BUTTON', 'MANDATE', 'BBPS', 'VERIFICATION')`),
    check('ck_gateway_orders_paid', sql`(${t.status} = 'PAID') = (${t.paidTransactionId} is not null)`),
  ],
);
