import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const paise = (name: string) => bigint(name, { mode: 'bigint' });

/**
 * A refund of a captured gateway payment (reference §2.5). `requestId` is the merchant's and
 * unique per company: a repeat answers the first refund. The amount is reserved on the payment
 * (`gateway_payments.refunded_paise`) when the refund is created and given back if it fails.
 */
export const gatewayRefunds = pgTable(
  'gateway_refunds',
  {
    /** The refund's transactionId: `RFD` + epoch ms + 5 letters/digits. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    paymentId: text('payment_id').notNull(),
    orderId: text('order_id').notNull(),
    requestId: text('request_id').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    remarks: text('remarks'),
    status: text('status').notNull(),
    paymentMode: text('payment_mode').notNull(),
    rail: text('rail').notNull(),
    bankCode: text('bank_code'),
    bankName: text('bank_name'),
    /** EnKash-style unique reference of the refund, given at creation. */
    uniqueTransactionId: text('unique_transaction_id').notNull(),
    /** The rail's reference (ARN for cards, RRN for UPI), once the refund succeeded. */
    bankTransactionId: text('bank_transaction_id'),
    txnMsg: text('txn_msg').notNull(),
    failureReason: text('failure_reason'),
    /** The outcome decided at creation (scenario syntax), run when the rail's delay has passed. */
    scenario: text('scenario').notNull(),
    /** The ledger transaction that reserved the amount, reversed if the refund fails. */
    ledgerTransactionId: text('ledger_transaction_id').notNull(),
    /** The settlement payout that deducted it from the merchant, once settled. */
    settlementId: text('settlement_id'),
    createdAt: ts('created_at').notNull(),
    completedAt: ts('completed_at'),
  },
  (t) => [
    unique('uq_gateway_refunds_company_request_id').on(t.companyId, t.requestId),
    index('ix_gateway_refunds_company_payment').on(t.companyId, t.paymentId),
    index('ix_gateway_refunds_company_unsettled')
      .on(t.companyId, t.status)
      .where(sql`${t.settlementId} is null`),
    check('ck_gateway_refunds_status', sql`${t.status} in ('CREATED', 'SUCCESS', 'FAILED')`),
    check('ck_gateway_refunds_amount', sql`${t.amountPaise} > 0`),
  ],
);
