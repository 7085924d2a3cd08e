import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const money = (name: string) => bigint(name, { mode: 'bigint' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Payment Gateway payments (transactions, reference §2.2): one row per attempt on an order. G2
 * owns the table; refunds and settlements (G3) read it and update `refunded_paise`, `status`
 * (PARTIALLY_REFUNDED, REFUNDED) and `settlement_id`. A card is kept as its token, BIN, last four
 * digits and network, never its number or CVV (DESIGN.md, core rules).
 */
export const gatewayPayments = pgTable(
  'gateway_payments',
  {
    /** EnKash `transactionId`. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    orderId: text('order_id').notNull(),
    status: text('status').notNull(),
    /** Null until the customer (or the merchant's submit) chooses a mode. */
    paymentMode: text('payment_mode'),
    /** The rail of the mode (card, upi, netbanking, wallet), null with the mode. */
    rail: text('rail'),
    /** UPI only: COLLECT (a VPA) or INTENT (a link or QR). */
    upiFlow: text('upi_flow'),
    /** Where the attempt stands between rail calls: awaiting the holder's OTP or 3-D Secure answer, or the rail. */
    step: text('step').notNull(),
    amountPaise: money('amount_paise').notNull(),
    finalAmountPaise: money('final_amount_paise').notNull(),
    /** Surcharge + convenience fee + platform fee (the notify `surcharge`); the parts are in `fee_breakdown`. */
    surchargePaise: money('surcharge_paise')
      .notNull()
      .default(sql`0`),
    surchargeGstPaise: money('surcharge_gst_paise')
      .notNull()
      .default(sql`0`),
    feeBreakdown: jsonb('fee_breakdown').$type<{ surcharge: string; convenienceFee: string; platformFee: string }>(),
    mdrPaise: money('mdr_paise')
      .notNull()
      .default(sql`0`),
    mdrGstPaise: money('mdr_gst_paise')
      .notNull()
      .default(sql`0`),
    refundedPaise: money('refunded_paise')
      .notNull()
      .default(sql`0`),
    capturedAt: instant('captured_at'),
    splitDetails: jsonb('split_details').$type<unknown>(),
    settlementId: text('settlement_id'),
    bankCode: text('bank_code'),
    bankName: text('bank_name'),
    uniqueTransactionId: text('unique_transaction_id').notNull(),
    /** The bank's reference of the success: approval code, RRN or the provider's reference. */
    bankTransactionId: text('bank_transaction_id'),
    /** The hosted checkout's second key (reference §2.4), next to the transaction id. */
    publicIdentifierKey: text('public_identifier_key').notNull(),
    cardToken: text('card_token'),
    cardBin: text('card_bin'),
    cardLast4: text('card_last4'),
    cardScheme: text('card_scheme'),
    cardType: text('card_type'),
    cardHolderName: text('card_holder_name'),
    authenticationId: text('authentication_id'),
    vpa: text('vpa'),
    upiUri: text('upi_uri'),
    /** EnKash `resultCode` / `txnMsg`: why the attempt stands where it is. */
    resultCode: text('result_code').notNull(),
    txnMsg: text('txn_msg').notNull(),
    /** A success the rail reported after the order had been paid, cancelled or expired: recorded, never captured. */
    lateSuccess: boolean('late_success').notNull().default(false),
    lateSuccessReference: text('late_success_reference'),
    /** When an unanswered attempt fails by timeout (sandbox time). */
    timeoutAt: instant('timeout_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('ix_gateway_payments_company_order').on(t.companyId, t.orderId),
    index('ix_gateway_payments_company_created').on(t.companyId, t.createdAt),
    uniqueIndex('uq_gateway_payments_unique_transaction_id').on(t.uniqueTransactionId),
    // The database's own guard of "one successful payment per order" (reference §2.1).
    uniqueIndex('uq_gateway_payments_order_captured')
      .on(t.companyId, t.orderId)
      .where(sql`${t.capturedAt} is not null`),
    check(
      'ck_gateway_payments_status',
      sql`${t.status} in ('CREATED', 'AUTHORIZED', 'PENDING_WITH_BANK', 'SUCCESS', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED')`,
    ),
    check('ck_gateway_payments_step', sql`${t.step} in ('NEW', 'PROCESSING', 'OTP', 'CHALLENGE', 'BANK', 'DONE')`),
    check('ck_gateway_payments_mode', sql`(${t.paymentMode} is null) = (${t.rail} is null)`),
    check('ck_gateway_payments_amounts', sql`${t.amountPaise} > 0 and ${t.finalAmountPaise} = ${t.amountPaise} + ${t.surchargePaise} + ${t.surchargeGstPaise}`),
    check('ck_gateway_payments_refunded', sql`${t.refundedPaise} >= 0 and ${t.refundedPaise} <= ${t.finalAmountPaise}`),
    check('ck_gateway_payments_card_bin', sql`${t.cardBin} is null or ${t.cardBin} ~ '^[0-9]{6}$'`),
    check('ck_gateway_payments_card_last4', sql`${t.cardLast4} is null or ${t.cardLast4} ~ '^[0-9]{4}$'`),
  ],
);
