import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';

// Payouts (reference §3). Money lives in the ledger (payout_float and its holds); these tables
// hold the business objects, every row scoped by company_id. Constraint names are mapped to
// domain errors by repository.ts.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A company's registered beneficiaries. A deleted one keeps its row (payouts name it) and frees its beneficiaryId. */
export const payoutBeneficiaries = pgTable(
  'payout_beneficiaries',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    beneficiaryId: text('beneficiary_id').notNull(),
    beneficiaryName: text('beneficiary_name').notNull(),
    accountNumber: text('account_number'),
    ifsc: text('ifsc'),
    vpa: text('vpa'),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    city: text('city'),
    state: text('state'),
    pincode: text('pincode'),
    createdAt: at('created_at').notNull(),
    deletedAt: at('deleted_at'),
  },
  (t) => [
    uniqueIndex('uq_payout_beneficiaries_company_beneficiary')
      .on(t.companyId, t.beneficiaryId)
      .where(sql`deleted_at is null`),
    index('ix_payout_beneficiaries_company_created').on(t.companyId, t.createdAt),
    // Account and IFSC, or a VPA: never both, never neither (reference §3).
    check(
      'ck_payout_beneficiaries_destination',
      sql`(${t.accountNumber} is not null and ${t.ifsc} is not null and ${t.vpa} is null) or (${t.accountNumber} is null and ${t.ifsc} is null and ${t.vpa} is not null)`,
    ),
  ],
);

/** The company's own bank accounts that fund its payout float ("Add Source Bank Account"). */
export const payoutSourceAccounts = pgTable(
  'payout_source_accounts',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    accountNumber: text('account_number').notNull(),
    ifsc: text('ifsc').notNull(),
    accountHolderName: text('account_holder_name').notNull(),
    bankName: text('bank_name').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [unique('uq_payout_source_accounts_company_account').on(t.companyId, t.accountNumber)],
);

/** Simulated inward credits to the payout float ("Add Funds to EnKash"); each has one ledger transaction. */
export const payoutFundLoads = pgTable(
  'payout_fund_loads',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    amountPaise: bigint('amount_paise', { mode: 'bigint' }).notNull(),
    sourceAccountNumber: text('source_account_number'),
    utr: text('utr').notNull(),
    reference: text('reference'),
    ledgerTransactionId: text('ledger_transaction_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('ix_payout_fund_loads_company_created').on(t.companyId, t.createdAt), check('ck_payout_fund_loads_amount', sql`${t.amountPaise} > 0`)],
);

export const payoutBatches = pgTable(
  'payout_batches',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    batchTransactionId: text('batch_transaction_id').notNull(),
    transferCount: integer('transfer_count').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [unique('uq_payout_batches_company_batch').on(t.companyId, t.batchTransactionId)],
);

/**
 * One row per transfer attempt. A REJECTED attempt keeps its row and frees its transactionId
 * (EnKash: re-initiate with the same id), so uniqueness holds among the others only.
 */
export const payoutTransfers = pgTable(
  'payout_transfers',
  {
    /** The enkashTransactionId. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    batchTransactionId: text('batch_transaction_id'),
    beneficiaryId: text('beneficiary_id'),
    beneficiaryName: text('beneficiary_name'),
    accountNumber: text('account_number'),
    ifsc: text('ifsc'),
    vpa: text('vpa'),
    amountPaise: bigint('amount_paise', { mode: 'bigint' }).notNull(),
    transferMode: text('transfer_mode').notNull(),
    transferRemark: text('transfer_remark'),
    reference: text('reference'),
    fundSourceId: text('fund_source_id'),
    debitAccountNumber: text('debit_account_number'),
    status: text('status').notNull(),
    statusCode: text('status_code'),
    statusMessage: text('status_message'),
    utr: text('utr'),
    holdId: text('hold_id'),
    /** The X-Tijori-Scenario of the request, for a batch transfer sent to the rail later. */
    scenario: text('scenario'),
    /** The last rail outcome applied (RailOutcomeEvent.sequence): a repeated outcome is ignored. */
    lastOutcomeSequence: integer('last_outcome_sequence').notNull().default(0),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('uq_payout_transfers_company_transaction')
      .on(t.companyId, t.transactionId)
      .where(sql`status <> 'REJECTED'`),
    index('ix_payout_transfers_company_created').on(t.companyId, t.createdAt),
    index('ix_payout_transfers_company_batch').on(t.companyId, t.batchTransactionId),
    check('ck_payout_transfers_status', sql`${t.status} in ('PENDING', 'REJECTED', 'PROCESSING', 'SUCCESS', 'FAILED', 'REVERSED')`),
    // A REJECTED attempt records the mode as sent; only accepted ones have a valid mode.
    check('ck_payout_transfers_mode', sql`${t.status} = 'REJECTED' or ${t.transferMode} in ('IMPS', 'NEFT', 'RTGS', 'UPI')`),
    check('ck_payout_transfers_amount', sql`${t.amountPaise} > 0`),
  ],
);
