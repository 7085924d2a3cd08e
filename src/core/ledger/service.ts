import type { Executor } from '../db/engine.js';
import { uniqueViolation } from '../db/transaction.js';
import { newId } from '../ids/ids.js';
import type { SandboxClock } from '../jobs/types.js';
import type { PageRequest } from '../http/pagination.js';
import type { Currency } from '../money/money.js';
import { chartAccount, DEFAULT_ACCOUNTS, isTransactionCode, type TransactionCode } from './chart.js';
import {
  LedgerAccountConflictError,
  LedgerAccountNotFoundError,
  LedgerAlreadyReversedError,
  LedgerCaptureExceedsHoldError,
  LedgerDuplicateReferenceError,
  LedgerHoldNotFoundError,
  LedgerHoldNotPendingError,
  LedgerInsufficientFundsError,
  LedgerTransactionNotFoundError,
} from './errors.js';
import {
  assertBalanced,
  balanceFrom,
  invariant,
  normalBalanceOf,
  type Account,
  type AccountType,
  type Balance,
  type Direction,
  type Hold,
  type Posting,
  type Totals,
  type Transaction,
} from './model.js';
import * as repo from './repository.js';
import { verifyLedger, type VerifyReport } from './verify.js';

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
  listAccounts(exec: Executor, companyId: string, filters: repo.AccountFilters, page: PageRequest): Promise<{ rows: Account[]; total: number }>;
  getTransaction(exec: Executor, companyId: string, transactionId: string): Promise<Transaction>;
  findTransactionByReference(exec: Executor, companyId: string, ref: BusinessReference): Promise<Transaction | null>;
  listTransactions(exec: Executor, companyId: string, filters: repo.TransactionFilters, page: PageRequest): Promise<{ rows: Transaction[]; total: number }>;
  getHold(exec: Executor, companyId: string, holdId: string): Promise<Hold>;
  findHoldByReference(exec: Executor, companyId: string, ref: BusinessReference): Promise<Hold | null>;
  /** Every invariant of `tijori ledger verify`, over one company or all. */
  verify(exec: Executor, options?: { companyId?: string }): Promise<VerifyReport>;
}

type Delta = Totals;
const ZERO: Delta = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };

function addDelta(deltas: Map<string, Delta>, accountId: string, change: Partial<Delta>): void {
  const d = deltas.get(accountId) ?? { ...ZERO };
  deltas.set(accountId, {
    debitsPosted: d.debitsPosted + (change.debitsPosted ?? 0n),
    creditsPosted: d.creditsPosted + (change.creditsPosted ?? 0n),
    debitsPending: d.debitsPending + (change.debitsPending ?? 0n),
    creditsPending: d.creditsPending + (change.creditsPending ?? 0n),
  });
}

function postingDeltas(postings: readonly Posting[]): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  for (const p of postings) addDelta(deltas, p.accountId, p.direction === 'debit' ? { debitsPosted: p.amount } : { creditsPosted: p.amount });
  return deltas;
}

function duplicateReference(err: unknown): boolean {
  return uniqueViolation(err) === 'uq_ledger_holds_company_reference';
}

export function createLedger(deps: { db: Executor; clock: SandboxClock }): Ledger {
  const { db, clock } = deps;

  /** `found`: the company's account with this code in the chart's currency, when the caller already read it. */
  async function ensureAccount(tx: Executor, companyId: string, input: EnsureAccountInput, found?: Account): Promise<Account> {
    const chart = chartAccount(input.code);
    invariant(input.currency === undefined || input.currency === chart.currency, `account ${input.code} is kept in ${chart.currency}`);
    invariant(input.type === undefined || input.type === chart.type, `account ${input.code} is of type ${chart.type}`);
    invariant(input.allowNegative === undefined || input.allowNegative === chart.allowNegative, `account ${input.code} has allowNegative ${chart.allowNegative}`);
    // Most calls find the account; only the first one inserts (and a concurrent twin waits on the unique key).
    const existing = found ?? (await repo.findAccountsByCode(tx, companyId, input.code, chart.currency))[0];
    const account = existing ?? await repo.insertAccountIfAbsent(tx, {
      id: newId('la'),
      companyId,
      code: input.code,
      name: input.name ?? chart.name,
      type: chart.type,
      normalBalance: normalBalanceOf(chart.type),
      currency: chart.currency,
      allowNegative: chart.allowNegative,
      ownerType: input.owner?.type ?? null,
      ownerId: input.owner?.id ?? null,
    });
    // Rows created before a chart change keep their rules; say so rather than post under the wrong ones.
    if (account.type !== chart.type || account.allowNegative !== chart.allowNegative) {
      throw new LedgerAccountConflictError(`Ledger account ${input.code} exists with different rules`, { param: 'code' });
    }
    if (input.owner && (account.ownerType !== input.owner.type || account.ownerId !== input.owner.id)) {
      throw new LedgerAccountConflictError(`Ledger account ${input.code} belongs to another owner`, { param: 'code' });
    }
    return account;
  }

  async function resolve(exec: Executor, companyId: string, ref: AccountRef, create: boolean): Promise<Account> {
    if (typeof ref === 'string' && ref.startsWith('la_')) {
      const account = await repo.findAccount(exec, companyId, ref);
      if (!account) throw new LedgerAccountNotFoundError('Ledger account not found', { param: 'accountId' });
      return account;
    }
    const code = typeof ref === 'string' ? ref : ref.code;
    const currency = typeof ref === 'string' ? undefined : ref.currency;
    if (create) return ensureAccount(exec, companyId, { code, ...(currency ? { currency } : {}) });
    const found = await repo.findAccountsByCode(exec, companyId, code, currency);
    invariant(found.length <= 1, `account code ${code} exists in several currencies; name the currency`);
    if (!found[0]) throw new LedgerAccountNotFoundError('Ledger account not found', { param: 'accountId' });
    return found[0];
  }

  /** resolve(…, true) of every reference, with the accounts named by code read in one query. */
  async function resolveAll(tx: Executor, companyId: string, refs: readonly AccountRef[]): Promise<Account[]> {
    const byId = (ref: AccountRef): ref is string => typeof ref === 'string' && ref.startsWith('la_');
    const codes = [...new Set(refs.filter((ref) => !byId(ref)).map((ref) => (typeof ref === 'string' ? ref : ref.code)))];
    const known = codes.length === 0 ? [] : await repo.findAccountsByCodes(tx, companyId, codes);
    const accounts: Account[] = [];
    for (const ref of refs) {
      if (byId(ref)) {
        accounts.push(await resolve(tx, companyId, ref, true));
        continue;
      }
      const code = typeof ref === 'string' ? ref : ref.code;
      const found = known.find((a) => a.code === code && a.currency === chartAccount(code).currency);
      accounts.push(await ensureAccount(tx, companyId, { code, ...(typeof ref === 'string' ? {} : { currency: ref.currency }) }, found));
    }
    return accounts;
  }

  /**
   * Applies the deltas in ascending account id (the one lock order of every writer), one atomic
   * UPDATE per account, so each balance row is locked only from its own update to COMMIT. A change
   * that would take a non-negative account's available balance below zero is refused
   * (ledger_insufficient_funds) and written nowhere else in this call; releasing a hold or
   * capturing less than held always succeeds. The CHECKs on ledger_balances refuse the same
   * things again if this code is ever wrong. A refusal may follow writes of this ledger call (the
   * transaction and its postings, an earlier account): like every ledger error, it requires the
   * caller's transaction to roll back.
   */
  async function applyDeltas(tx: Executor, companyId: string, deltas: Map<string, Delta>): Promise<void> {
    for (const accountId of [...deltas.keys()].sort()) {
      const change = await repo.applyBalanceDelta(tx, companyId, accountId, deltas.get(accountId)!);
      invariant(change !== 'missing', `ledger account ${accountId} has no balance row`);
      if (change === 'refused') {
        const account = await repo.findAccount(tx, companyId, accountId);
        throw new LedgerInsufficientFundsError(`Insufficient balance in ledger account ${account?.code ?? accountId}`, { param: 'amount', detail: `account ${accountId}` });
      }
    }
  }

  async function insert(tx: Executor, row: repo.NewTransactionRow, postings: Posting[]): Promise<Transaction> {
    assertBalanced(postings);
    const createdAt = await repo.insertTransaction(tx, row, postings);
    if (createdAt === null) throw new LedgerDuplicateReferenceError('This business event already has its ledger transaction');
    return { ...row, createdAt, reversedByTransactionId: null, postings };
  }

  function assertReference(ref: BusinessReference): void {
    invariant(isTransactionCode(ref.code), `transaction code ${ref.code} is not in core/ledger/chart.ts`);
    invariant(ref.referenceType.length > 0 && ref.referenceId.length > 0, 'a ledger transaction names the business object it records');
  }

  const ledger: Ledger = {
    db,

    async provision(tx, companyId) {
      const accounts: Account[] = [];
      for (const code of DEFAULT_ACCOUNTS) accounts.push(await ensureAccount(tx, companyId, { code }));
      return accounts;
    },

    ensureAccount,

    async post(tx, companyId, input) {
      assertReference(input);
      invariant(input.code !== 'reversal', 'reversals are made by ledger.reverse()');
      const accounts = await resolveAll(tx, companyId, input.postings.map((p) => p.account));
      const postings: Posting[] = input.postings.map((p, i) => ({ accountId: accounts[i]!.id, direction: p.direction, amount: p.amount, currency: accounts[i]!.currency }));
      assertBalanced(postings);
      const effectiveAt = await clock.now(companyId, tx);
      // The journal first: a twin (committed, or waited for on the reference key) is refused before
      // any balance changes; the balance rows, the hot ones, are locked last, just before COMMIT.
      const transaction = await insert(
        tx,
        {
          id: newId('ltx'),
          companyId,
          code: input.code,
          referenceType: input.referenceType,
          referenceId: input.referenceId,
          description: input.description ?? null,
          effectiveAt,
          reversesTransactionId: null,
        },
        postings,
      );
      await applyDeltas(tx, companyId, postingDeltas(postings));
      return transaction;
    },

    async reverse(tx, companyId, transactionId, { reason }) {
      const original = await repo.findTransaction(tx, companyId, transactionId);
      if (!original) throw new LedgerTransactionNotFoundError('Ledger transaction not found', { param: 'transactionId' });
      if (await repo.isReversed(tx, companyId, transactionId)) throw new LedgerAlreadyReversedError('This ledger transaction is already reversed');
      const postings: Posting[] = original.postings.map((p) => ({ ...p, direction: p.direction === 'debit' ? 'credit' : 'debit' }));
      await applyDeltas(tx, companyId, postingDeltas(postings));
      if (await repo.isReversed(tx, companyId, transactionId)) throw new LedgerAlreadyReversedError('This ledger transaction is already reversed');
      const effectiveAt = await clock.now(companyId, tx);
      try {
        return await insert(
          tx,
          {
            id: newId('ltx'),
            companyId,
            code: 'reversal',
            referenceType: 'ledger_transaction',
            referenceId: transactionId,
            description: reason,
            effectiveAt,
            reversesTransactionId: transactionId,
          },
          postings,
        );
      } catch (err) {
        if (err instanceof LedgerDuplicateReferenceError) throw new LedgerAlreadyReversedError('This ledger transaction is already reversed', { cause: err });
        throw err;
      }
    },

    async placeHold(tx, companyId, input) {
      assertReference(input);
      invariant(input.amount > 0n, 'a hold amount is positive');
      if (await repo.findHoldByReference(tx, companyId, input)) throw new LedgerDuplicateReferenceError('This business event already has its ledger hold');
      const debit = await resolve(tx, companyId, input.debitAccount, true);
      const credit = await resolve(tx, companyId, input.creditAccount, true);
      invariant(debit.id !== credit.id, 'a hold moves money between two different accounts');
      invariant(debit.currency === credit.currency, `a hold stays in one currency (${debit.currency} ≠ ${credit.currency})`);
      const deltas = new Map<string, Delta>();
      addDelta(deltas, debit.id, { debitsPending: input.amount });
      addDelta(deltas, credit.id, { creditsPending: input.amount });
      await applyDeltas(tx, companyId, deltas);
      if (await repo.findHoldByReference(tx, companyId, input)) throw new LedgerDuplicateReferenceError('This business event already has its ledger hold');
      const hold: Hold = {
        id: newId('lh'),
        companyId,
        code: input.code,
        referenceType: input.referenceType,
        referenceId: input.referenceId,
        currency: debit.currency,
        debitAccountId: debit.id,
        creditAccountId: credit.id,
        amount: input.amount,
        status: 'pending',
        capturedAmount: 0n,
        captureTransactionId: null,
        placedAt: await clock.now(companyId, tx),
        resolvedAt: null,
      };
      try {
        await repo.insertHold(tx, hold);
      } catch (err) {
        if (duplicateReference(err)) throw new LedgerDuplicateReferenceError('This business event already has its ledger hold', { cause: err });
        throw err;
      }
      return hold;
    },

    async captureHold(tx, companyId, holdId, amount) {
      // The hold row is locked before the balances, in every path, so the lock order is fixed.
      const hold = await repo.findHold(tx, companyId, holdId, true);
      if (!hold) throw new LedgerHoldNotFoundError('Ledger hold not found', { param: 'holdId' });
      if (hold.status !== 'pending') throw new LedgerHoldNotPendingError(`Ledger hold is already ${hold.status}`);
      const captured = amount ?? hold.amount;
      invariant(captured > 0n, 'a capture amount is positive');
      if (captured > hold.amount) throw new LedgerCaptureExceedsHoldError('The capture amount exceeds the amount held', { param: 'amount' });
      const postings: Posting[] = [
        { accountId: hold.debitAccountId, direction: 'debit', amount: captured, currency: hold.currency },
        { accountId: hold.creditAccountId, direction: 'credit', amount: captured, currency: hold.currency },
      ];
      const deltas = postingDeltas(postings);
      addDelta(deltas, hold.debitAccountId, { debitsPending: -hold.amount });
      addDelta(deltas, hold.creditAccountId, { creditsPending: -hold.amount });
      await applyDeltas(tx, companyId, deltas);
      const now = await clock.now(companyId, tx);
      const transaction = await insert(
        tx,
        {
          id: newId('ltx'),
          companyId,
          code: hold.code,
          referenceType: hold.referenceType,
          referenceId: hold.referenceId,
          description: null,
          effectiveAt: now,
          reversesTransactionId: null,
        },
        postings,
      );
      const resolved = { status: 'captured' as const, capturedAmount: captured, captureTransactionId: transaction.id, resolvedAt: now };
      await repo.resolveHold(tx, companyId, hold.id, resolved);
      return { hold: { ...hold, ...resolved }, transaction };
    },

    async voidHold(tx, companyId, holdId) {
      const hold = await repo.findHold(tx, companyId, holdId, true);
      if (!hold) throw new LedgerHoldNotFoundError('Ledger hold not found', { param: 'holdId' });
      if (hold.status !== 'pending') throw new LedgerHoldNotPendingError(`Ledger hold is already ${hold.status}`);
      const deltas = new Map<string, Delta>();
      addDelta(deltas, hold.debitAccountId, { debitsPending: -hold.amount });
      addDelta(deltas, hold.creditAccountId, { creditsPending: -hold.amount });
      await applyDeltas(tx, companyId, deltas);
      const resolved = { status: 'voided' as const, capturedAmount: 0n, captureTransactionId: null, resolvedAt: await clock.now(companyId, tx) };
      await repo.resolveHold(tx, companyId, hold.id, resolved);
      return { ...hold, ...resolved };
    },

    async balance(exec, companyId, accountId, options = {}) {
      const account = await resolve(exec, companyId, accountId, false);
      const totals = options.asOf ? await repo.totalsAsOf(exec, companyId, account.id, options.asOf) : await repo.readTotals(exec, companyId, account.id);
      return balanceFrom(account.id, account.currency, account.normalBalance, totals, options.asOf ?? null);
    },

    getAccount: (exec, companyId, account) => resolve(exec, companyId, account, false),
    listAccounts: (exec, companyId, filters, page) => repo.listAccounts(exec, companyId, filters, page),

    async getTransaction(exec, companyId, transactionId) {
      const found = await repo.findTransaction(exec, companyId, transactionId);
      if (!found) throw new LedgerTransactionNotFoundError('Ledger transaction not found', { param: 'transactionId' });
      return found;
    },
    findTransactionByReference: (exec, companyId, ref) => repo.findTransactionByReference(exec, companyId, ref),
    listTransactions: (exec, companyId, filters, page) => repo.listTransactions(exec, companyId, filters, page),

    async getHold(exec, companyId, holdId) {
      const found = await repo.findHold(exec, companyId, holdId);
      if (!found) throw new LedgerHoldNotFoundError('Ledger hold not found', { param: 'holdId' });
      return found;
    },
    findHoldByReference: (exec, companyId, ref) => repo.findHoldByReference(exec, companyId, ref),

    verify: (exec, options = {}) => verifyLedger(exec, options),
  };
  return ledger;
}
