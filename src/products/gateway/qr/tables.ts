import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A customer a UPI QR code may be issued to (reference §2.8 "Create Customer"). */
export const gatewayQrCustomers = pgTable(
  'gateway_qr_customers',
  {
    /** `QRC` + epoch ms + 5 letters or digits (the order id's style). */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    mobile: text('mobile'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('ix_gateway_qr_customers_company_created').on(t.companyId, t.createdAt)],
);

/**
 * A UPI QR code (reference §2.8, docs/api/gateway-upi-qr.md). STATIC takes payments until it is
 * cancelled or reaches `close_by`; DYNAMIC closes after its first successful payment. The
 * counters are moved in the capture transaction of each payment, so they always match the ledger.
 */
export const gatewayQrCodes = pgTable(
  'gateway_qr_codes',
  {
    /** `QR` + epoch ms + 5 letters or digits; also the `tr` of the `upi://pay` string. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    customerId: text('customer_id'),
    qrType: text('qr_type').notNull(),
    /** The fixed amount (always for DYNAMIC); null lets the payer enter it. */
    amountPaise: bigint('amount_paise', { mode: 'bigint' }),
    description: text('description'),
    closeBy: instant('close_by'),
    notifyUrl: text('notify_url'),
    referenceId: text('reference_id'),
    /** The merchant access key that created the QR: its secret signs the payments' notify checksum. */
    accessKey: text('access_key'),
    qrString: text('qr_string').notNull(),
    status: text('status').notNull(),
    closeReason: text('close_reason'),
    paymentsCount: integer('payments_count').notNull().default(0),
    amountReceivedPaise: bigint('amount_received_paise', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    closedAt: instant('closed_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_qr_codes_company_reference_id').on(t.companyId, t.referenceId),
    index('ix_gateway_qr_codes_company_created').on(t.companyId, t.createdAt),
    check('ck_gateway_qr_codes_type', sql`${t.qrType} in ('STATIC', 'DYNAMIC')`),
    check('ck_gateway_qr_codes_status', sql`${t.status} in ('ACTIVE', 'CLOSED')`),
    check('ck_gateway_qr_codes_close_reason', sql`(${t.status} = 'CLOSED') = (${t.closeReason} is not null)`),
    check('ck_gateway_qr_codes_amount', sql`${t.amountPaise} is null or ${t.amountPaise} > 0`),
    check('ck_gateway_qr_codes_dynamic_amount', sql`${t.qrType} = 'STATIC' or ${t.amountPaise} is not null`),
  ],
);

/**
 * A payer's payment of a QR code: the claim made before the gateway order exists (so that a
 * DYNAMIC QR takes one payment at a time), then its order and transaction.
 */
export const gatewayQrPayments = pgTable(
  'gateway_qr_payments',
  {
    /** `QRP` + epoch ms + 5 letters or digits; the merchant `orderId` of its gateway order. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    qrCodeId: text('qr_code_id').notNull(),
    orderId: text('order_id'),
    transactionId: text('transaction_id'),
    payerVpa: text('payer_vpa').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'bigint' }).notNull(),
    /** PROCESSING until captured (SUCCESS) or refused before the bank saw it (FAILED); the payment's own status says the rest. */
    status: text('status').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('ix_gateway_qr_payments_company_qr').on(t.companyId, t.qrCodeId, t.createdAt),
    index('ix_gateway_qr_payments_company_order').on(t.companyId, t.orderId),
    check('ck_gateway_qr_payments_status', sql`${t.status} in ('PROCESSING', 'SUCCESS', 'FAILED')`),
    check('ck_gateway_qr_payments_amount', sql`${t.amountPaise} > 0`),
  ],
);
