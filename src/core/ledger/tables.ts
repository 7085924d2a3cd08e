import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, foreignKey, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

// The double-entry ledger (docs/ledger.md, ADR 0009). Only core/ledger writes these tables. What
// the database itself guarantees, beyond these declarations, lives in the custom migration
// `*_ledger_sql.sql`: balanced transactions (a deferred constraint trigger), append-only journal
// (triggers refusing UPDATE/DELETE/TRUNCATE) and immutable account attributes.
//
// Composite foreign keys carry company, currency and normal side from the account to every row
// that depends on it, so a posting in the wrong currency or for another company's account, or a
// balance row whose limits disagree with its account, is refused by the database, not only by the
// code. The wide unique keys on ledger_accounts exist to be the targets of those foreign keys.

const amount = (name: string) => bigint(name, { mode: 'bigint' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    normalBalance: text('normal_balance').notNull(),
    currency: text('currency').notNull(),
    allowNegative: boolean('allow_negative').notNull(),
    ownerType: text('owner_type'),
    ownerId: text('owner_id'),
    createdAt: instant('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    unique('uq_ledger_accounts_company_code_currency').on(t.companyId, t.code, t.currency),
    unique('uq_ledger_accounts_id_company_currency').on(t.id, t.companyId, t.currency),
    unique('uq_ledger_accounts_id_limits').on(t.id, t.companyId, t.currency, t.normalBalance, t.allowNegative),
    check('ck_ledger_accounts_id', sql`${t.id} like 'la\\_%'`),
    check('ck_ledger_accounts_type', sql`${t.type} in ('asset', 'liability', 'equity', 'revenue', 'expense')`),
    // The normal side follows from the type; storing it lets balance rows check it by foreign key.
    check('ck_ledger_accounts_normal_balance', sql`${t.normalBalance} = case when ${t.type} in ('asset', 'expense') then 'debit' else 'credit' end`),
    check('ck_ledger_accounts_currency', sql`${t.currency} in ('INR', 'PTS')`),
    check('ck_ledger_accounts_code', sql`${t.code} ~ '^[a-z][a-z0-9_]*(:[A-Za-z0-9_.-]+)?$'`),
    check('ck_ledger_accounts_owner', sql`(${t.ownerType} is null) = (${t.ownerId} is null)`),
  ],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    /** The why: a code from chart.ts. */
    code: text('code').notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: text('reference_id').notNull(),
    description: text('description'),
    /** The company's sandbox time when the movement happened; balances as of an instant read it. */
    effectiveAt: instant('effective_at').notNull(),
    /** Real time of the insert (the database's clock). */
    createdAt: instant('created_at')
      .notNull()
      .default(sql`now()`),
    reversesTransactionId: text('reverses_transaction_id'),
  },
  (t) => [
    // One business event posts once: each payment, refund, payout… maps to exactly one transaction (PAY-6).
    unique('uq_ledger_transactions_company_reference').on(t.companyId, t.code, t.referenceType, t.referenceId),
    // A transaction is reversed at most once.
    unique('uq_ledger_transactions_reverses').on(t.reversesTransactionId),
    unique('uq_ledger_transactions_id_company_effective').on(t.id, t.companyId, t.effectiveAt),
    foreignKey({ name: 'fk_ledger_transactions_reverses', columns: [t.reversesTransactionId, t.companyId], foreignColumns: [t.id, t.companyId] }),
    unique('uq_ledger_transactions_id_company').on(t.id, t.companyId),
    check('ck_ledger_transactions_id', sql`${t.id} like 'ltx\\_%'`),
    check('ck_ledger_transactions_not_self_reversal', sql`${t.reversesTransactionId} is null or ${t.reversesTransactionId} <> ${t.id}`),
    index('ix_ledger_transactions_company_effective').on(t.companyId, t.effectiveAt, t.id),
    index('ix_ledger_transactions_company_reference_id').on(t.companyId, t.referenceType, t.referenceId),
  ],
);

export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    transactionId: text('transaction_id').notNull(),
    companyId: text('company_id').notNull(),
    accountId: text('account_id').notNull(),
    currency: text('currency').notNull(),
    direction: text('direction').notNull(),
    amount: amount('amount').notNull(),
    /** Copied from the transaction (and held equal to it by the foreign key) so as-of balances read one index. */
    effectiveAt: instant('effective_at').notNull(),
  },
  (t) => [
    foreignKey({
      name: 'fk_ledger_postings_transaction',
      columns: [t.transactionId, t.companyId, t.effectiveAt],
      foreignColumns: [ledgerTransactions.id, ledgerTransactions.companyId, ledgerTransactions.effectiveAt],
    }),
    foreignKey({
      name: 'fk_ledger_postings_account',
      columns: [t.accountId, t.companyId, t.currency],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.companyId, ledgerAccounts.currency],
    }),
    check('ck_ledger_postings_direction', sql`${t.direction} in ('debit', 'credit')`),
    check('ck_ledger_postings_amount', sql`${t.amount} > 0`),
    index('ix_ledger_postings_transaction').on(t.transactionId),
    index('ix_ledger_postings_account_effective').on(t.accountId, t.effectiveAt),
  ],
);

export const ledgerBalances = pgTable(
  'ledger_balances',
  {
    accountId: text('account_id').primaryKey(),
    companyId: text('company_id').notNull(),
    currency: text('currency').notNull(),
    normalBalance: text('normal_balance').notNull(),
    allowNegative: boolean('allow_negative').notNull(),
    debitsPosted: amount('debits_posted')
      .notNull()
      .default(sql`0`),
    creditsPosted: amount('credits_posted')
      .notNull()
      .default(sql`0`),
    debitsPending: amount('debits_pending')
      .notNull()
      .default(sql`0`),
    creditsPending: amount('credits_pending')
      .notNull()
      .default(sql`0`),
    version: integer('version').notNull().default(0),
  },
  (t) => [
    foreignKey({
      name: 'fk_ledger_balances_account',
      columns: [t.accountId, t.companyId, t.currency, t.normalBalance, t.allowNegative],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.companyId, ledgerAccounts.currency, ledgerAccounts.normalBalance, ledgerAccounts.allowNegative],
    }),
    check('ck_ledger_balances_totals', sql`${t.debitsPosted} >= 0 and ${t.creditsPosted} >= 0 and ${t.debitsPending} >= 0 and ${t.creditsPending} >= 0`),
    // TigerBeetle's debits_must_not_exceed_credits, by normal side: the available balance (posted
    // balance less pending outflows) of an account without allow_negative never goes below zero.
    check(
      'ck_ledger_balances_available',
      sql`${t.allowNegative} or (case when ${t.normalBalance} = 'debit'
        then ${t.debitsPosted} - ${t.creditsPosted} - ${t.creditsPending}
        else ${t.creditsPosted} - ${t.debitsPosted} - ${t.debitsPending} end) >= 0`,
    ),
    index('ix_ledger_balances_company').on(t.companyId),
  ],
);

/**
 * Balance changes that cannot fail a check (ADR 0029), not yet folded into `ledger_balances`: any
 * change to an account with allow_negative, and on the others a change that does not lower the
 * available balance (a credit to a liability, a hold released). The posting transaction inserts
 * them instead of updating (and locking) the balance row, so concurrent writers of a hot account
 * never wait on each other. The current totals of an account are its balance row plus the sum of
 * its deltas; a checked update of the row, and the periodic compaction, fold them in (delete and
 * add, in one statement, under the row lock).
 */
export const ledgerBalanceDeltas = pgTable(
  'ledger_balance_deltas',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    accountId: text('account_id').notNull(),
    companyId: text('company_id').notNull(),
    currency: text('currency').notNull(),
    normalBalance: text('normal_balance').notNull(),
    allowNegative: boolean('allow_negative').notNull(),
    debitsPosted: amount('debits_posted')
      .notNull()
      .default(sql`0`),
    creditsPosted: amount('credits_posted')
      .notNull()
      .default(sql`0`),
    debitsPending: amount('debits_pending')
      .notNull()
      .default(sql`0`),
    creditsPending: amount('credits_pending')
      .notNull()
      .default(sql`0`),
  },
  (t) => [
    foreignKey({
      name: 'fk_ledger_balance_deltas_account',
      columns: [t.accountId, t.companyId, t.currency, t.normalBalance, t.allowNegative],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.companyId, ledgerAccounts.currency, ledgerAccounts.normalBalance, ledgerAccounts.allowNegative],
    }),
    check('ck_ledger_balance_deltas_posted', sql`${t.debitsPosted} >= 0 and ${t.creditsPosted} >= 0`),
    // What makes a delta safe to apply without a check: it never lowers the available balance of
    // an account without allow_negative (so the balance row's CHECK plus its deltas cannot go below zero).
    check(
      'ck_ledger_balance_deltas_unchecked',
      sql`${t.allowNegative} or (case when ${t.normalBalance} = 'debit'
        then ${t.debitsPosted} - ${t.creditsPosted} - ${t.creditsPending}
        else ${t.creditsPosted} - ${t.debitsPosted} - ${t.debitsPending} end) >= 0`,
    ),
    index('ix_ledger_balance_deltas_account').on(t.accountId),
  ],
);

export const ledgerHolds = pgTable(
  'ledger_holds',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    code: text('code').notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: text('reference_id').notNull(),
    currency: text('currency').notNull(),
    debitAccountId: text('debit_account_id').notNull(),
    creditAccountId: text('credit_account_id').notNull(),
    amount: amount('amount').notNull(),
    status: text('status').notNull(),
    capturedAmount: amount('captured_amount')
      .notNull()
      .default(sql`0`),
    captureTransactionId: text('capture_transaction_id'),
    /** Sandbox time of the hold and of its capture or void, for pending amounts as of an instant. */
    placedAt: instant('placed_at').notNull(),
    resolvedAt: instant('resolved_at'),
    createdAt: instant('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    unique('uq_ledger_holds_company_reference').on(t.companyId, t.code, t.referenceType, t.referenceId),
    unique('uq_ledger_holds_capture_transaction').on(t.captureTransactionId),
    foreignKey({
      name: 'fk_ledger_holds_debit_account',
      columns: [t.debitAccountId, t.companyId, t.currency],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.companyId, ledgerAccounts.currency],
    }),
    foreignKey({
      name: 'fk_ledger_holds_credit_account',
      columns: [t.creditAccountId, t.companyId, t.currency],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.companyId, ledgerAccounts.currency],
    }),
    foreignKey({
      name: 'fk_ledger_holds_capture_transaction',
      columns: [t.captureTransactionId, t.companyId],
      foreignColumns: [ledgerTransactions.id, ledgerTransactions.companyId],
    }),
    check('ck_ledger_holds_id', sql`${t.id} like 'lh\\_%'`),
    check('ck_ledger_holds_status', sql`${t.status} in ('pending', 'captured', 'voided')`),
    check('ck_ledger_holds_amount', sql`${t.amount} > 0 and ${t.capturedAmount} >= 0 and ${t.capturedAmount} <= ${t.amount}`),
    check('ck_ledger_holds_accounts', sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check(
      'ck_ledger_holds_resolution',
      sql`case ${t.status}
        when 'pending' then ${t.captureTransactionId} is null and ${t.resolvedAt} is null and ${t.capturedAmount} = 0
        when 'captured' then ${t.captureTransactionId} is not null and ${t.resolvedAt} is not null and ${t.capturedAmount} > 0
        else ${t.captureTransactionId} is null and ${t.resolvedAt} is not null and ${t.capturedAmount} = 0 end`,
    ),
    index('ix_ledger_holds_debit_account').on(t.debitAccountId),
    index('ix_ledger_holds_credit_account').on(t.creditAccountId),
  ],
);
