import type { Currency } from '../money/money.js';

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';
export const ACCOUNT_TYPES: readonly AccountType[] = ['asset', 'liability', 'equity', 'revenue', 'expense'];
export type Direction = 'debit' | 'credit';
export type HoldStatus = 'pending' | 'captured' | 'voided';

/** Assets and expenses grow by debits; liabilities, equity and revenue by credits. */
export function normalBalanceOf(type: AccountType): Direction {
  return type === 'asset' || type === 'expense' ? 'debit' : 'credit';
}

export interface Account {
  id: string;
  companyId: string;
  code: string;
  name: string;
  type: AccountType;
  normalBalance: Direction;
  currency: Currency;
  allowNegative: boolean;
  ownerType: string | null;
  ownerId: string | null;
  createdAt: Date;
}

export interface Posting {
  accountId: string;
  direction: Direction;
  amount: bigint;
  currency: Currency;
}

export interface Transaction {
  id: string;
  companyId: string;
  code: string;
  referenceType: string;
  referenceId: string;
  description: string | null;
  effectiveAt: Date;
  createdAt: Date;
  reversesTransactionId: string | null;
  /** The reversal of this transaction, if it has one. */
  reversedByTransactionId: string | null;
  postings: Posting[];
}

export interface Hold {
  id: string;
  companyId: string;
  code: string;
  referenceType: string;
  referenceId: string;
  currency: Currency;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  status: HoldStatus;
  capturedAmount: bigint;
  captureTransactionId: string | null;
  placedAt: Date;
  resolvedAt: Date | null;
}

/** The four running totals of an account (TigerBeetle's account fields). */
export interface Totals {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

export interface Balance extends Totals {
  accountId: string;
  currency: Currency;
  /** Posted balance on the account's normal side (debits − credits for assets and expenses). */
  posted: bigint;
  /** Pending outflows: held against this account by holds not yet captured or voided. */
  pending: bigint;
  /** Pending inflows: what captures of open holds would add. */
  pendingInflow: bigint;
  /** posted − pending: what can still leave the account. */
  available: bigint;
  /** The instant the balance is as of, or null for the current balance. */
  asOf: Date | null;
}

export function balanceFrom(accountId: string, currency: Currency, normal: Direction, totals: Totals, asOf: Date | null): Balance {
  const debitNormal = normal === 'debit';
  const posted = debitNormal ? totals.debitsPosted - totals.creditsPosted : totals.creditsPosted - totals.debitsPosted;
  const pending = debitNormal ? totals.creditsPending : totals.debitsPending;
  const pendingInflow = debitNormal ? totals.debitsPending : totals.creditsPending;
  return { accountId, currency, ...totals, posted, pending, pendingInflow, available: posted - pending, asOf };
}

/** A broken ledger precondition in the calling code: never bad user input, always a bug (→ 500). */
export class LedgerInvariantError extends Error {}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new LedgerInvariantError(message);
}

/**
 * Asserted before every insert (house style Part 3 #8), and refused again by the database at
 * COMMIT: at least two postings, every amount positive, and debits equal credits per currency.
 */
export function assertBalanced(postings: readonly Posting[]): void {
  invariant(postings.length >= 2, 'a ledger transaction needs at least two postings');
  const net = new Map<string, bigint>();
  for (const p of postings) {
    invariant(typeof p.amount === 'bigint' && p.amount > 0n, 'posting amounts must be positive bigints');
    net.set(p.currency, (net.get(p.currency) ?? 0n) + (p.direction === 'debit' ? p.amount : -p.amount));
  }
  for (const [currency, sum] of net) invariant(sum === 0n, `unbalanced ledger transaction in ${currency}: debits − credits = ${sum}`);
}
