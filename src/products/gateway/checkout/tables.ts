import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Contact details the customer typed on the hosted checkout (`PATCH /pay/checkout/customer-info`,
 * reference §2.4), per transaction. The order's own `customerInfo` (what the merchant sent) is
 * never overwritten: the checkout prefills from here first, then from the order.
 */
export const gatewayCheckoutCustomers = pgTable(
  'gateway_checkout_customers',
  {
    /** EnKash `transactionId` of the checkout attempt. */
    transactionId: text('transaction_id').primaryKey(),
    companyId: text('company_id').notNull(),
    orderId: text('order_id').notNull(),
    email: text('email'),
    mobile: text('mobile'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('ix_gateway_checkout_customers_company_order').on(t.companyId, t.orderId, t.updatedAt),
    check('ck_gateway_checkout_customers_mobile', sql`${t.mobile} is null or ${t.mobile} ~ '^[6-9][0-9]{9}$'`),
  ],
);
