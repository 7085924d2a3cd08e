import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const paise = (name: string) => bigint(name, { mode: 'bigint' });

/**
 * Payment links, EnKash's "quick collect" requests (reference §2.10; ADR 0021). `reference_id`
 * is the merchant's and unique per company when given. `amount_paid_paise` adds up the captured
 * payments of the link's orders (gateway_payment_link_orders).
 */
export const gatewayPaymentLinks = pgTable(
  'gateway_payment_links',
  {
    /** The quickCollectRequestId: `QC` + epoch ms + 6 letters or digits. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    referenceId: text('reference_id'),
    /** The merchant key that created the link: its orders are created with it (notify checksum). */
    accessKey: text('access_key'),
    amountPaise: paise('amount_paise').notNull(),
    amountPaidPaise: paise('amount_paid_paise')
      .notNull()
      .default(sql`0`),
    partialPayment: boolean('partial_payment').notNull(),
    minPartialPaise: paise('min_partial_paise'),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    customerMobile: text('customer_mobile'),
    description: text('description'),
    notifyUrl: text('notify_url'),
    sendSms: boolean('send_sms').notNull(),
    sendEmail: boolean('send_email').notNull(),
    /** The public page, `<public base>/pay/link/{id}`, fixed at creation (notices quote it). */
    paymentLink: text('payment_link').notNull(),
    status: text('status').notNull(),
    dueDate: instant('due_date'),
    expiryDate: instant('expiry_date'),
    cancelledAt: instant('cancelled_at'),
    paidAt: instant('paid_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_payment_links_company_reference_id').on(t.companyId, t.referenceId),
    index('ix_gateway_payment_links_company_created').on(t.companyId, t.createdAt),
    check('ck_gateway_payment_links_status', sql`${t.status} in ('ACTIVE', 'PARTIALLY_PAID', 'PAID', 'EXPIRED', 'CANCELLED')`),
    check('ck_gateway_payment_links_amount', sql`${t.amountPaise} > 0 and ${t.amountPaidPaise} >= 0`),
  ],
);

/**
 * The gateway orders a link's page created (one per "pay" on the page) and how each ended:
 * OPEN until captured (PAID) or replaced by a newer order of the link (CANCELLED).
 */
export const gatewayPaymentLinkOrders = pgTable(
  'gateway_payment_link_orders',
  {
    orderId: text('order_id').primaryKey(),
    companyId: text('company_id').notNull(),
    linkId: text('link_id').notNull(),
    /** 1, 2, … per link: the order's merchant orderId is `{linkId}-{sequence}`, and payments list in this order. */
    sequence: integer('sequence').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    status: text('status').notNull(),
    transactionId: text('transaction_id'),
    paymentMode: text('payment_mode'),
    paidAt: instant('paid_at'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_payment_link_orders_link_sequence').on(t.companyId, t.linkId, t.sequence),
    check('ck_gateway_payment_link_orders_status', sql`${t.status} in ('OPEN', 'PAID', 'CANCELLED')`),
  ],
);
