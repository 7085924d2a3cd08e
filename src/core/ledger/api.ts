import type { Executor } from '../db/engine.js';
import type { PageRequest } from '../http/pagination.js';
import type { Currency } from '../money/money.js';
import type { TransactionCode } from './chart.js';
import type { Account, AccountType, Balance, Direction, Hold, Transaction } from './model.js';
import type { AccountFilters, TransactionFilters } from './repository.js';
import type { VerifyReport } from './verify.js';

// What products call: the ledger service's interface and inputs (implemented in service.ts).

/**
 * An account by id (`la_…`), by code (a chart code, ensured on first use with the chart's rules),
 * or by code and currency when the company has the code in more than one currency.
 */
export type AccountRef = string | { code: string; currency: Currency };

export interface EnsureAccountInput {
  code: string;
  /** Defaults to the chart's; a different value is a bug (the chart fixes it). */
  currency?: Currency;
  type?: AccountType;
  allowNegative?: boolean;
  name?: string;
  owner?: { type: string; id: string };
}

export interface PostingInput {
  account: AccountRef;
  direction: Direction;
  amount: bigint;
}

export interface BusinessReference {
  code: TransactionCode;
  referenceType: string;
  referenceId: string;
}

export interface PostInput extends BusinessReference {
  description?: string;
  postings: PostingInput[];
  /**
   * The company's sandbox time, when the caller has just read it from the same clock in this
   * transaction (saves the ledger's own clock read: one statement). Default: the clock's now.
   */
  effectiveAt?: Date;
}

export interface HoldInput extends BusinessReference {
  /** The account debited when the hold is captured (its pending debits grow now). */
  debitAccount: AccountRef;
  /** The account credited when the hold is captured (its pending credits grow now). */
  creditAccount: AccountRef;
  amount: bigint;
}

export interface Ledger {
  /** The database the read APIs use outside any caller transaction. */
  readonly db: Executor;
  /** The company's default accounts (chart.ts DEFAULT_ACCOUNTS); safe to call again. */
  provision(tx: Executor, companyId: string): Promise<Account[]>;
  /** The account with this code and currency, created with its zero balance if absent. Throws ledger_account_conflict. */
  ensureAccount(tx: Executor, companyId: string, input: EnsureAccountInput): Promise<Account>;
  /**
   * One balanced transaction, in the caller's transaction. Throws ledger_insufficient_funds,
   * ledger_duplicate_reference, ledger_account_not_found; an unbalanced input is a LedgerInvariantError.
   */
  post(tx: Executor, companyId: string, input: PostInput): Promise<Transaction>;
  /** The mirror transaction (code `reversal`). Throws ledger_transaction_not_found, ledger_already_reversed, ledger_insufficient_funds. */
  reverse(tx: Executor, companyId: string, transactionId: string, input: { reason: string }): Promise<Transaction>;
  /** Reserves `amount` (TigerBeetle pending transfer). Throws ledger_insufficient_funds, ledger_duplicate_reference. */
  placeHold(tx: Executor, companyId: string, input: HoldInput): Promise<Hold>;
  /** Posts `amount` (default: all) of a pending hold and releases the rest. Throws ledger_hold_not_found, ledger_hold_not_pending, ledger_capture_exceeds_hold. */
  captureHold(tx: Executor, companyId: string, holdId: string, amount?: bigint): Promise<{ hold: Hold; transaction: Transaction }>;
  /** Releases a pending hold. Throws ledger_hold_not_found, ledger_hold_not_pending. */
  voidHold(tx: Executor, companyId: string, holdId: string): Promise<Hold>;
  /** Current balance, or as of a past instant (sandbox time). Throws ledger_account_not_found. */
  balance(exec: Executor, companyId: string, accountId: string, options?: { asOf?: Date }): Promise<Balance>;
  getAccount(exec: Executor, companyId: string, account: AccountRef): Promise<Account>;
  listAccounts(exec: Executor, companyId: string, filters: AccountFilters, page: PageRequest): Promise<{ rows: Account[]; total: number }>;
  getTransaction(exec: Executor, companyId: string, transactionId: string): Promise<Transaction>;
  findTransactionByReference(exec: Executor, companyId: string, ref: BusinessReference): Promise<Transaction | null>;
  listTransactions(exec: Executor, companyId: string, filters: TransactionFilters, page: PageRequest): Promise<{ rows: Transaction[]; total: number }>;
  getHold(exec: Executor, companyId: string, holdId: string): Promise<Hold>;
  findHoldByReference(exec: Executor, companyId: string, ref: BusinessReference): Promise<Hold | null>;
  /** Every invariant of `tijori ledger verify`, over one company or all. */
  verify(exec: Executor, options?: { companyId?: string }): Promise<VerifyReport>;
  /**
   * Folds the unchecked balance deltas (ADR 0029) of accounts with at least `minDeltas` of them
   * into their balance rows, one short statement per account outside any caller transaction.
   * Balances read the same before and after. Returns the number of accounts folded.
   */
  compact(options?: { companyId?: string; minDeltas?: number; limit?: number }): Promise<number>;
}
