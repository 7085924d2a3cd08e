import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const paise = (name: string) => bigint(name, { mode: 'bigint' });

/**
 * A settlement payout (reference §2.6): one per company, IST batch date and beneficiary: the
 * merchant itself (`beneficiary` = 'MERCHANT') or a split-settlement account (its `SPA…` id). The
 * unique key makes a batch run twice (two processes) create it once.
 */
export const gatewaySettlements = pgTable(
  'gateway_settlements',
  {
    /** settlementPayoutId: `STL` + epoch ms + 5 letters/digits. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    /** IST calendar date of the batch, `YYYY-MM-DD`. */
    batchDate: text('batch_date').notNull(),
    beneficiary: text('beneficiary').notNull(),
    /** Payments captured before this instant belong to the batch. */
    cutoffAt: ts('cutoff_at').notNull(),
    totalSalePaise: paise('total_sale_paise').notNull(),
    splitPaise: paise('split_paise').notNull(),
    totalRefundPaise: paise('total_refund_paise').notNull(),
    refundChargebackPaise: paise('refund_chargeback_paise').notNull(),
    totalChargesPaise: paise('total_charges_paise').notNull(),
    totalGstPaise: paise('total_gst_paise').notNull(),
    adjustmentPaise: paise('adjustment_paise').notNull(),
    carryForwardPaise: paise('carry_forward_paise').notNull(),
    totalSettlementPaise: paise('total_settlement_paise').notNull(),
    transactionCount: integer('transaction_count').notNull(),
    refundCount: integer('refund_count').notNull(),
    payoutStatus: text('payout_status').notNull(),
    accountNumber: text('account_number').notNull(),
    ifsc: text('ifsc').notNull(),
    transferMode: text('transfer_mode'),
    utr: text('utr'),
    failureReason: text('failure_reason'),
    /** The ledger transaction of the payout (reversed when the payout fails). */
    payoutLedgerTransactionId: text('payout_ledger_transaction_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_settlements_company_batch_beneficiary').on(t.companyId, t.batchDate, t.beneficiary),
    index('ix_gateway_settlements_company_created').on(t.companyId, t.createdAt),
    check('ck_gateway_settlements_payout_status', sql`${t.payoutStatus} in ('INIT', 'PROCESSING', 'SUCCESS', 'FAILED')`),
    check(
      'ck_gateway_settlements_amounts',
      sql`${t.totalSalePaise} >= 0 and ${t.splitPaise} >= 0 and ${t.totalRefundPaise} >= 0 and ${t.totalChargesPaise} >= 0 and ${t.totalGstPaise} >= 0 and ${t.adjustmentPaise} >= 0 and ${t.carryForwardPaise} >= 0 and ${t.totalSettlementPaise} >= 0`,
    ),
    // The settlement arithmetic, kept true by the database as well as the code (ADR 0017).
    check(
      'ck_gateway_settlements_identity',
      sql`${t.totalSettlementPaise} - ${t.carryForwardPaise} = ${t.totalSalePaise} - ${t.splitPaise} - ${t.totalRefundPaise} - ${t.totalChargesPaise} - ${t.totalGstPaise} - ${t.adjustmentPaise}`,
    ),
  ],
);

/**
 * What a settlement is made of: each payment (or split share of one) and each refund, once per
 * beneficiary. The unique key is the second guard against settling anything twice.
 */
export const gatewaySettlementLines = pgTable(
  'gateway_settlement_lines',
  {
    companyId: text('company_id').notNull(),
    settlementId: text('settlement_id').notNull(),
    beneficiary: text('beneficiary').notNull(),
    kind: text('kind').notNull(),
    /** A payment's transactionId (PAYMENT, SPLIT_SHARE) or a refund's (REFUND). */
    referenceId: text('reference_id').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    mdrPaise: paise('mdr_paise').notNull(),
    mdrGstPaise: paise('mdr_gst_paise').notNull(),
  },
  (t) => [
    unique('uq_gateway_settlement_lines_company_kind_reference').on(t.companyId, t.beneficiary, t.kind, t.referenceId),
    index('ix_gateway_settlement_lines_settlement').on(t.companyId, t.settlementId),
    check('ck_gateway_settlement_lines_kind', sql`${t.kind} in ('PAYMENT', 'SPLIT_SHARE', 'REFUND')`),
  ],
);
