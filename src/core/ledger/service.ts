import type { Executor } from '../db/engine.js';
import { uniqueViolation } from '../db/transaction.js';
import { newId } from '../ids/ids.js';
import type { SandboxClock } from '../jobs/types.js';
import type { Currency } from '../money/money.js';
import { chartAccount, DEFAULT_ACCOUNTS, isTransactionCode } from './chart.js';
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
import { assertBalanced, balanceFrom, invariant, normalBalanceOf, type Account, type Hold, type Posting, type Totals, type Transaction } from './model.js';
import type { AccountRef, BusinessReference, EnsureAccountInput, Ledger } from './api.js';
import * as repo from './repository.js';
import * as store from './balance-store.js';
import type { AccountDelta } from './balance-store.js';
import { verifyLedger } from './verify.js';

export type { AccountRef, EnsureAccountInput, PostingInput, BusinessReference, PostInput, HoldInput, Ledger } from './api.js';

type Delta = Totals;
/** A balance change with its account. */
type Change = AccountDelta & { account: Account };
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
    invariant(
      input.allowNegative === undefined || input.allowNegative === chart.allowNegative,
      `account ${input.code} has allowNegative ${chart.allowNegative}`,
    );
    // Most calls find the account; only the first one inserts (and a concurrent twin waits on the unique key).
    const existing = found ?? (await repo.findAccountsByCode(tx, companyId, input.code, chart.currency))[0];
    const account =
      existing ??
      (await repo.insertAccountIfAbsent(tx, {
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
      }));
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

  // What the process remembers of committed accounts (ADR 0029): an account's id, currency and
  // rules never change and it is never deleted, so a posting names its accounts without a read.
  // Per ledger (one database); only accounts another transaction created are remembered, since one
  // created in the caller's transaction may still roll back.
  const byCode = new Map<string, Account>();
  const byId = new Map<string, Account>();
  const codeKey = (companyId: string, code: string, currency: Currency) => `${companyId}\u0000${code}\u0000${currency}`;
  const MEMORY_LIMIT = 100_000;
  function remember(account: Account): void {
    if (byId.size >= MEMORY_LIMIT) {
      byId.clear();
      byCode.clear();
    }
    byId.set(account.id, account);
    byCode.set(codeKey(account.companyId, account.code, account.currency), account);
  }
  const recalled = (companyId: string, id: string): Account | undefined => {
    const account = byId.get(id);
    return account?.companyId === companyId ? account : undefined;
  };
  const isId = (ref: AccountRef): ref is string => typeof ref === 'string' && ref.startsWith('la_');
  const codeOf = (ref: AccountRef): string => (typeof ref === 'string' ? ref : ref.code);

  /** resolve(…, true) of every reference: remembered accounts cost nothing, the others one read together. */
  async function resolveAll(tx: Executor, companyId: string, refs: readonly AccountRef[]): Promise<Account[]> {
    const known = (ref: AccountRef): Account | undefined => {
      if (isId(ref)) return recalled(companyId, ref);
      const chart = chartAccount(codeOf(ref));
      invariant(typeof ref === 'string' || ref.currency === chart.currency, `account ${codeOf(ref)} is kept in ${chart.currency}`);
      return byCode.get(codeKey(companyId, codeOf(ref), chart.currency));
    };
    const missing = refs.filter((ref) => known(ref) === undefined);
    if (missing.length === 0) return refs.map((ref) => known(ref)!);
    const found = await repo.findAccountsForPosting(
      tx,
      companyId,
      [...new Set(missing.filter((ref) => !isId(ref)).map(codeOf))],
      [...new Set(missing.filter(isId))],
    );
    const committed = new Set(found.filter((f) => f.committed).map((f) => f.account.id));
    const accounts: Account[] = [];
    for (const ref of refs) {
      let account = known(ref);
      if (!account && isId(ref)) {
        account = found.find((f) => f.account.id === ref)?.account;
        if (!account) throw new LedgerAccountNotFoundError('Ledger account not found', { param: 'accountId' });
      } else if (!account) {
        const code = codeOf(ref);
        const match = found.find((f) => f.account.code === code && f.account.currency === chartAccount(code).currency)?.account;
        account = await ensureAccount(tx, companyId, { code, ...(typeof ref === 'string' ? {} : { currency: ref.currency }) }, match);
      }
      if (committed.has(account.id)) remember(account);
      accounts.push(account);
    }
    return accounts;
  }

  /** The company's accounts with these ids (remembered, or read together); a missing one is a bug. */
  async function accountsById(tx: Executor, companyId: string, ids: readonly string[]): Promise<Map<string, Account>> {
    const accounts = new Map<string, Account>();
    for (const id of ids) {
      const account = recalled(companyId, id);
      if (account) accounts.set(id, account);
    }
    const missing = [...new Set(ids.filter((id) => !accounts.has(id)))];
    if (missing.length > 0) {
      for (const { account, committed } of await repo.findAccountsForPosting(tx, companyId, [], missing)) {
        accounts.set(account.id, account);
        if (committed) remember(account);
      }
    }
    for (const id of ids) invariant(accounts.has(id), `ledger account ${id} not found in company ${companyId}`);
    return accounts;
  }

  /** The non-zero changes, split into the ones that can fail a check and the ones that cannot. */
  function split(deltas: Map<string, Delta>, accounts: ReadonlyMap<string, Account>): { checked: Change[]; unchecked: Change[] } {
    const checked: Change[] = [];
    const unchecked: Change[] = [];
    for (const accountId of [...deltas.keys()].sort()) {
      const d = deltas.get(accountId)!;
      if (d.debitsPosted === 0n && d.creditsPosted === 0n && d.debitsPending === 0n && d.creditsPending === 0n) continue;
      const change: Change = { ...d, account: accounts.get(accountId)! };
      (store.needsCheck(change) ? checked : unchecked).push(change);
    }
    return { checked, unchecked };
  }

  /**
   * The changes that can fail a check, in ascending account id (the one lock order of every
   * writer), one atomic statement per account that locks its balance row to COMMIT and folds its
   * deltas in. A change that would take a non-negative account's available balance below zero is
   * refused (ledger_insufficient_funds) and written nowhere; the CHECKs on ledger_balances refuse
   * the same things again if this code is ever wrong. A refusal may follow writes of this ledger
   * call (the transaction and its postings, an earlier account): like every ledger error, it
   * requires the caller's transaction to roll back. Changes that cannot fail are delta rows,
   * written with the journal, and lock nothing.
   */
  async function applyChecked(tx: Executor, companyId: string, checked: readonly Change[]): Promise<void> {
    for (const change of checked) {
      const result = await store.applyChecked(tx, companyId, change.account.id, change);
      invariant(result !== 'missing', `ledger account ${change.account.id} has no balance row`);
      if (result === 'refused') {
        throw new LedgerInsufficientFundsError(`Insufficient balance in ledger account ${change.account.code}`, {
          param: 'amount',
          detail: `account ${change.account.id}`,
        });
      }
    }
  }

  async function insert(tx: Executor, row: repo.NewTransactionRow, postings: Posting[], unchecked: readonly AccountDelta[]): Promise<Transaction> {
    assertBalanced(postings);
    const createdAt = await store.insertJournal(tx, row, postings, unchecked);
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
      const accounts = await resolveAll(
        tx,
        companyId,
        input.postings.map((p) => p.account),
      );
      const postings: Posting[] = input.postings.map((p, i) => ({
        accountId: accounts[i]!.id,
        direction: p.direction,
        amount: p.amount,
        currency: accounts[i]!.currency,
      }));
      assertBalanced(postings);
      const effectiveAt = input.effectiveAt ?? (await clock.now(companyId, tx));
      const { checked, unchecked } = split(postingDeltas(postings), new Map(accounts.map((a) => [a.id, a])));
      // The journal and the unchecked deltas first, in one statement: a twin (committed, or waited
      // for on the reference key) is refused before any balance changes; the checked balance rows,
      // the only ones locked, last, just before COMMIT.
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
        unchecked,
      );
      await applyChecked(tx, companyId, checked);
      return transaction;
    },

    async reverse(tx, companyId, transactionId, { reason }) {
      const original = await repo.findTransaction(tx, companyId, transactionId);
      if (!original) throw new LedgerTransactionNotFoundError('Ledger transaction not found', { param: 'transactionId' });
      if (await repo.isReversed(tx, companyId, transactionId)) throw new LedgerAlreadyReversedError('This ledger transaction is already reversed');
      const postings: Posting[] = original.postings.map((p) => ({ ...p, direction: p.direction === 'debit' ? 'credit' : 'debit' }));
      const { checked, unchecked } = split(
        postingDeltas(postings),
        await accountsById(
          tx,
          companyId,
          postings.map((p) => p.accountId),
        ),
      );
      await applyChecked(tx, companyId, checked);
      // A twin reversal that held the same rows has committed by now: refuse before writing.
      if (checked.length > 0 && (await repo.isReversed(tx, companyId, transactionId)))
        throw new LedgerAlreadyReversedError('This ledger transaction is already reversed');
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
          unchecked,
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
      const [debit, credit] = (await resolveAll(tx, companyId, [input.debitAccount, input.creditAccount])) as [Account, Account];
      invariant(debit.id !== credit.id, 'a hold moves money between two different accounts');
      invariant(debit.currency === credit.currency, `a hold stays in one currency (${debit.currency} ≠ ${credit.currency})`);
      const deltas = new Map<string, Delta>();
      addDelta(deltas, debit.id, { debitsPending: input.amount });
      addDelta(deltas, credit.id, { creditsPending: input.amount });
      const { checked, unchecked } = split(
        deltas,
        new Map([
          [debit.id, debit],
          [credit.id, credit],
        ]),
      );
      await applyChecked(tx, companyId, checked);
      if (checked.length > 0 && (await repo.findHoldByReference(tx, companyId, input)))
        throw new LedgerDuplicateReferenceError('This business event already has its ledger hold');
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
      await store.insertDeltas(tx, companyId, unchecked);
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
      const { checked, unchecked } = split(deltas, await accountsById(tx, companyId, [hold.debitAccountId, hold.creditAccountId]));
      await applyChecked(tx, companyId, checked);
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
        unchecked,
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
      const { checked, unchecked } = split(deltas, await accountsById(tx, companyId, [hold.debitAccountId, hold.creditAccountId]));
      await applyChecked(tx, companyId, checked);
      await store.insertDeltas(tx, companyId, unchecked);
      const resolved = { status: 'voided' as const, capturedAmount: 0n, captureTransactionId: null, resolvedAt: await clock.now(companyId, tx) };
      await repo.resolveHold(tx, companyId, hold.id, resolved);
      return { ...hold, ...resolved };
    },

    async balance(exec, companyId, accountId, options = {}) {
      const account = await resolve(exec, companyId, accountId, false);
      const totals = options.asOf ? await repo.totalsAsOf(exec, companyId, account.id, options.asOf) : await store.readTotals(exec, companyId, account.id);
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

    async compact(options = {}) {
      const accounts = await store.accountsToCompact(db, {
        ...(options.companyId ? { companyId: options.companyId } : {}),
        minDeltas: options.minDeltas ?? 1,
        limit: options.limit ?? 1000,
      });
      // Each fold is its own short transaction: the row lock is held for one statement.
      for (const a of accounts)
        await store.applyChecked(db, a.companyId, a.accountId, { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n });
      return accounts.length;
    },
  };
  return ledger;
}
