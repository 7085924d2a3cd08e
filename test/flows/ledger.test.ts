import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { DEFAULT_ACCOUNTS, LedgerInvariantError, type Ledger } from '../../src/core/ledger/index.js';
import { backend } from '../support/app.js';
import { errorCode, sandboxFund } from '../support/ledger.js';
import { ledgerRowCounts, openLedgerDatabase } from './ledger-support.js';

// The ledger service on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): postings,
// balances, reversals, holds and as-of balances, and the domain errors and what they leave behind
// (nothing). The database refusing what the code would never do is ledger-constraints.test.ts.

let database: Database;
let db: Executor;
let ledger: Ledger;
const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
let A: string;
let B: string;

const code = errorCode;

const tx = <T>(fn: (t: Executor) => Promise<T>) => withTransaction(db, fn);
const fund = (companyId: string, amount: bigint, referenceId: string) => sandboxFund(db, ledger, companyId, amount, referenceId);
const rowCounts = () => ledgerRowCounts(db);

beforeAll(async () => {
  ({ database, db, ledger, A, B } = await openLedgerDatabase(clock));
});

afterAll(async () => {
  await database?.close();
});

describe(`ledger service on ${backend}`, () => {
  it('provisions the chart: the default accounts with their rules, once', async () => {
    const accounts = await tx((t) => ledger.provision(t, A));
    expect(accounts.map((a) => a.code)).toEqual(DEFAULT_ACCOUNTS);
    const again = await tx((t) => ledger.provision(t, A));
    expect(again.map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    const available = accounts.find((a) => a.code === 'merchant_available')!;
    expect(available).toMatchObject({ type: 'liability', normalBalance: 'credit', currency: 'INR', allowNegative: false, companyId: A });
    expect(available.id).toMatch(/^la_[0-9A-Z]{26}$/);
    expect(accounts.find((a) => a.code === 'clearing:upi')).toMatchObject({ type: 'asset', normalBalance: 'debit', allowNegative: true });
    expect(accounts.find((a) => a.code === 'points_clearing')).toMatchObject({ currency: 'PTS' });
  });

  it('ensureAccount refuses codes outside the chart and rules that disagree with it (bugs, not input)', async () => {
    await expect(tx((t) => ledger.ensureAccount(t, A, { code: 'petty_cash' }))).rejects.toThrow(LedgerInvariantError);
    await expect(tx((t) => ledger.ensureAccount(t, A, { code: 'merchant_available', allowNegative: true }))).rejects.toThrow(LedgerInvariantError);
    await expect(tx((t) => ledger.ensureAccount(t, A, { code: 'clearing' }))).rejects.toThrow(/needs a qualifier/);
    const wallet = await tx((t) => ledger.ensureAccount(t, A, { code: 'points_liability:cus_1', owner: { type: 'customer', id: 'cus_1' } }));
    expect(wallet).toMatchObject({ currency: 'PTS', ownerType: 'customer', ownerId: 'cus_1' });
    expect(await code(() => tx((t) => ledger.ensureAccount(t, A, { code: 'points_liability:cus_1', owner: { type: 'customer', id: 'cus_2' } })))).toBe(
      'ledger_account_conflict',
    );
  });

  it('posts a balanced transaction and keeps balances on the normal side', async () => {
    const t1 = await fund(A, 100_000n, 'fund-1');
    expect(t1.id).toMatch(/^ltx_/);
    expect(t1.effectiveAt).toEqual(clock.now());
    expect(t1.postings).toHaveLength(2);
    const available = await ledger.getAccount(db, A, 'merchant_available');
    expect(await ledger.balance(db, A, available.id)).toMatchObject({
      posted: 100_000n,
      pending: 0n,
      available: 100_000n,
      creditsPosted: 100_000n,
      currency: 'INR',
    });
    const funding = await ledger.getAccount(db, A, 'sandbox_funding');
    // Equity is credit-normal: funding the merchant debits it below zero, which it is allowed.
    expect((await ledger.balance(db, A, funding.id)).posted).toBe(-100_000n);
    expect(await ledger.getTransaction(db, A, t1.id)).toMatchObject({ id: t1.id, code: 'sandbox_funding', reversedByTransactionId: null });
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('refuses an overdraft with ledger_insufficient_funds and writes nothing', async () => {
    const before = await rowCounts();
    const err = await code(() =>
      tx((t) =>
        ledger.post(t, A, {
          code: 'payout',
          referenceType: 'payout',
          referenceId: 'po_over',
          postings: [
            { account: 'merchant_available', direction: 'debit', amount: 100_001n },
            { account: 'clearing:bank_transfer', direction: 'credit', amount: 100_001n },
          ],
        }),
      ),
    );
    expect(err).toBe('ledger_insufficient_funds');
    expect(await rowCounts()).toEqual(before);
  });

  it('posts one business event once (ledger_duplicate_reference)', async () => {
    const before = await rowCounts();
    expect(await code(() => fund(A, 5n, 'fund-1'))).toBe('ledger_duplicate_reference');
    expect(await rowCounts()).toEqual(before);
    // The same reference under another code is another event.
    const other = await tx((t) =>
      ledger.post(t, A, {
        code: 'adjustment',
        referenceType: 'test',
        referenceId: 'fund-1',
        postings: [
          { account: 'clearing:upi', direction: 'debit', amount: 5n },
          { account: 'sandbox_funding', direction: 'credit', amount: 5n },
        ],
      }),
    );
    expect(other.code).toBe('adjustment');
  });

  it('asserts balance in code: unbalanced, single-posting, zero and unknown-code inputs are bugs (500)', async () => {
    const before = await rowCounts();
    const post = (postings: { account: string; direction: 'debit' | 'credit'; amount: bigint }[], codeName = 'adjustment') =>
      tx((t) => ledger.post(t, A, { code: codeName as 'adjustment', referenceType: 'test', referenceId: `bad-${Math.random()}`, postings }));
    await expect(
      post([
        { account: 'merchant_available', direction: 'debit', amount: 5n },
        { account: 'sandbox_funding', direction: 'credit', amount: 4n },
      ]),
    ).rejects.toThrow(/unbalanced/);
    await expect(post([{ account: 'merchant_available', direction: 'debit', amount: 5n }])).rejects.toThrow(/at least two/);
    await expect(
      post([
        { account: 'merchant_available', direction: 'debit', amount: 0n },
        { account: 'sandbox_funding', direction: 'credit', amount: 0n },
      ]),
    ).rejects.toThrow(/positive/);
    // INR against PTS is unbalanced in each currency even if the numbers match.
    await expect(
      post([
        { account: 'merchant_available', direction: 'debit', amount: 5n },
        { account: 'points_clearing', direction: 'credit', amount: 5n },
      ]),
    ).rejects.toThrow(LedgerInvariantError);
    await expect(
      post(
        [
          { account: 'merchant_available', direction: 'debit', amount: 5n },
          { account: 'sandbox_funding', direction: 'credit', amount: 5n },
        ],
        'gift',
      ),
    ).rejects.toThrow(/not in core\/ledger\/chart.ts/);
    expect(await rowCounts()).toEqual(before);
  });

  it('one transaction may move two currencies, each balanced on its own', async () => {
    const both = await tx((t) =>
      ledger.post(t, A, {
        code: 'points_issue',
        referenceType: 'reward',
        referenceId: 'rw_mixed',
        postings: [
          { account: 'clearing:card', direction: 'debit', amount: 100n },
          { account: 'sandbox_funding', direction: 'credit', amount: 100n },
          { account: 'points_clearing', direction: 'debit', amount: 40n },
          { account: 'points_liability:cus_7', direction: 'credit', amount: 40n },
        ],
      }),
    );
    expect(both.postings.map((p) => p.currency)).toEqual(['INR', 'INR', 'PTS', 'PTS']);
    const owed = await ledger.getAccount(db, A, 'points_liability:cus_7');
    expect(await ledger.balance(db, A, owed.id)).toMatchObject({ currency: 'PTS', posted: 40n });
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('never reaches another company: its accounts and transactions are not found', async () => {
    const accountA = await ledger.getAccount(db, A, 'merchant_available');
    const [txA] = (await ledger.listTransactions(db, A, {}, { offset: 0, limit: 1 })).rows;
    expect(await code(() => ledger.balance(db, B, accountA.id))).toBe('ledger_account_not_found');
    expect(await code(() => ledger.getTransaction(db, B, txA!.id))).toBe('ledger_transaction_not_found');
    expect(await code(() => tx((t) => ledger.reverse(t, B, txA!.id, { reason: 'x' })))).toBe('ledger_transaction_not_found');
    const before = await rowCounts();
    expect(
      await code(() =>
        tx((t) =>
          ledger.post(t, B, {
            code: 'adjustment',
            referenceType: 'test',
            referenceId: 'steal',
            postings: [
              { account: accountA.id, direction: 'debit', amount: 1n },
              { account: 'sandbox_funding', direction: 'credit', amount: 1n },
            ],
          }),
        ),
      ),
    ).toBe('ledger_account_not_found');
    expect((await rowCounts()).t).toBe(before.t);
  });

  it('corrects by reversal: the mirror transaction, once; an overdrawing reversal is refused', async () => {
    clock.advance(60_000);
    const payout = await tx((t) =>
      ledger.post(t, A, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_1',
        postings: [
          { account: 'merchant_available', direction: 'debit', amount: 30_000n },
          { account: 'clearing:bank_transfer', direction: 'credit', amount: 30_000n },
        ],
      }),
    );
    const available = await ledger.getAccount(db, A, 'merchant_available');
    expect((await ledger.balance(db, A, available.id)).posted).toBe(70_000n);
    clock.advance(60_000);
    const reversal = await tx((t) => ledger.reverse(t, A, payout.id, { reason: 'bank returned the payout' }));
    expect(reversal).toMatchObject({
      code: 'reversal',
      referenceType: 'ledger_transaction',
      referenceId: payout.id,
      reversesTransactionId: payout.id,
      description: 'bank returned the payout',
    });
    expect(reversal.postings.map((p) => [p.accountId, p.direction, p.amount])).toEqual(
      payout.postings.map((p) => [p.accountId, p.direction === 'debit' ? 'credit' : 'debit', p.amount]),
    );
    expect((await ledger.balance(db, A, available.id)).posted).toBe(100_000n);
    expect((await ledger.getTransaction(db, A, payout.id)).reversedByTransactionId).toBe(reversal.id);
    expect(await code(() => tx((t) => ledger.reverse(t, A, payout.id, { reason: 'again' })))).toBe('ledger_already_reversed');

    // Reversing the funding now would take merchant_available below zero after this payout.
    const spend = await tx((t) =>
      ledger.post(t, A, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_2',
        postings: [
          { account: 'merchant_available', direction: 'debit', amount: 60_000n },
          { account: 'clearing:bank_transfer', direction: 'credit', amount: 60_000n },
        ],
      }),
    );
    const funding = (await ledger.listTransactions(db, A, { code: 'sandbox_funding' }, { offset: 0, limit: 10 })).rows[0]!;
    expect(await code(() => tx((t) => ledger.reverse(t, A, funding.id, { reason: 'oops' })))).toBe('ledger_insufficient_funds');
    expect(spend.id).toBeDefined();
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('holds: place reserves, partial capture posts and releases the rest, void releases; each resolves once', async () => {
    const available = await ledger.getAccount(db, A, 'merchant_available');
    const start = await ledger.balance(db, A, available.id);
    expect(start.available).toBe(40_000n);

    const hold = await tx((t) =>
      ledger.placeHold(t, A, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_h1',
        debitAccount: 'merchant_available',
        creditAccount: 'clearing:bank_transfer',
        amount: 25_000n,
      }),
    );
    expect(hold).toMatchObject({ status: 'pending', amount: 25_000n, capturedAmount: 0n });
    expect(await ledger.balance(db, A, available.id)).toMatchObject({ posted: 40_000n, pending: 25_000n, available: 15_000n });
    const clearing = await ledger.getAccount(db, A, 'clearing:bank_transfer');
    expect((await ledger.balance(db, A, clearing.id)).pending).toBe(25_000n);

    // Only 15,000 is available now: a second hold of 20,000 is refused.
    expect(
      await code(() =>
        tx((t) =>
          ledger.placeHold(t, A, {
            code: 'payout',
            referenceType: 'payout',
            referenceId: 'po_h2',
            debitAccount: 'merchant_available',
            creditAccount: 'clearing:bank_transfer',
            amount: 20_000n,
          }),
        ),
      ),
    ).toBe('ledger_insufficient_funds');
    expect(
      await code(() =>
        tx((t) =>
          ledger.placeHold(t, A, {
            code: 'payout',
            referenceType: 'payout',
            referenceId: 'po_h1',
            debitAccount: 'merchant_available',
            creditAccount: 'clearing:bank_transfer',
            amount: 1n,
          }),
        ),
      ),
    ).toBe('ledger_duplicate_reference');

    expect(await code(() => tx((t) => ledger.captureHold(t, A, hold.id, 25_001n)))).toBe('ledger_capture_exceeds_hold');
    clock.advance(60_000);
    const { hold: captured, transaction } = await tx((t) => ledger.captureHold(t, A, hold.id, 10_000n));
    expect(captured).toMatchObject({ status: 'captured', capturedAmount: 10_000n, captureTransactionId: transaction.id });
    expect(transaction).toMatchObject({ code: 'payout', referenceType: 'payout', referenceId: 'po_h1' });
    expect(await ledger.balance(db, A, available.id)).toMatchObject({ posted: 30_000n, pending: 0n, available: 30_000n });
    expect(await code(() => tx((t) => ledger.captureHold(t, A, hold.id)))).toBe('ledger_hold_not_pending');
    expect(await code(() => tx((t) => ledger.voidHold(t, A, hold.id)))).toBe('ledger_hold_not_pending');
    expect(await code(() => tx((t) => ledger.voidHold(t, B, hold.id)))).toBe('ledger_hold_not_found');

    const second = await tx((t) =>
      ledger.placeHold(t, A, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_h3',
        debitAccount: 'merchant_available',
        creditAccount: 'clearing:bank_transfer',
        amount: 30_000n,
      }),
    );
    expect((await ledger.balance(db, A, available.id)).available).toBe(0n);
    clock.advance(60_000);
    const voided = await tx((t) => ledger.voidHold(t, A, second.id));
    expect(voided).toMatchObject({ status: 'voided', capturedAmount: 0n, captureTransactionId: null });
    expect((await ledger.balance(db, A, available.id)).available).toBe(30_000n);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('answers a balance as of any past instant from the journal, holds included', async () => {
    const available = await ledger.getAccount(db, A, 'merchant_available');
    const at = (iso: string) => ledger.balance(db, A, available.id, { asOf: new Date(iso) });
    expect((await at('2026-03-01T09:59:59.999Z')).posted).toBe(0n);
    expect(await at('2026-03-01T10:00:00.000Z')).toMatchObject({ posted: 100_000n, asOf: new Date('2026-03-01T10:00:00.000Z') });
    expect((await at('2026-03-01T10:01:00.000Z')).posted).toBe(70_000n); // after po_1
    expect((await at('2026-03-01T10:02:00.000Z')).posted).toBe(40_000n); // reversal of po_1 and po_2
    // The 25,000 hold was open between 10:02 and its capture at 10:03.
    expect(await at('2026-03-01T10:02:30.000Z')).toMatchObject({ posted: 40_000n, pending: 25_000n, available: 15_000n });
    // The 30,000 hold was placed at 10:03 and voided at 10:04.
    expect(await at('2026-03-01T10:03:00.000Z')).toMatchObject({ posted: 30_000n, pending: 30_000n, available: 0n });
    expect(await at('2026-03-01T10:04:00.000Z')).toMatchObject({ posted: 30_000n, pending: 0n, available: 30_000n });
    const now = await ledger.balance(db, A, available.id);
    expect(await at('2030-01-01T00:00:00Z')).toMatchObject({ posted: now.posted, pending: now.pending, available: now.available });
  });

  it('lists transactions newest first with filters and stable pages', async () => {
    const all = await ledger.listTransactions(db, A, {}, { offset: 0, limit: 100 });
    expect(all.total).toBe(all.rows.length);
    const keys = all.rows.map((t) => `${t.effectiveAt.toISOString()} ${t.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    const paged = [
      ...(await ledger.listTransactions(db, A, {}, { offset: 0, limit: 2 })).rows,
      ...(await ledger.listTransactions(db, A, {}, { offset: 2, limit: 2 })).rows,
      ...(await ledger.listTransactions(db, A, {}, { offset: 4, limit: 100 })).rows,
    ];
    expect(paged.map((t) => t.id)).toEqual(all.rows.map((t) => t.id));
    const payouts = await ledger.listTransactions(db, A, { code: 'payout' }, { offset: 0, limit: 100 });
    expect(payouts.rows.map((t) => t.referenceId).sort()).toEqual(['po_1', 'po_2', 'po_h1']);
    const clearing = await ledger.getAccount(db, A, 'clearing:bank_transfer');
    expect((await ledger.listTransactions(db, A, { accountId: clearing.id }, { offset: 0, limit: 100 })).total).toBe(4);
    expect((await ledger.listTransactions(db, A, { referenceType: 'payout', referenceId: 'po_2' }, { offset: 0, limit: 100 })).rows).toHaveLength(1);
    const window = await ledger.listTransactions(
      db,
      A,
      { from: new Date('2026-03-01T10:01:00Z'), to: new Date('2026-03-01T10:02:00Z') },
      { offset: 0, limit: 100 },
    );
    expect(window.rows.map((t) => t.referenceId)).toEqual(['po_1']);
    expect((await ledger.listTransactions(db, B, {}, { offset: 0, limit: 100 })).total).toBe(0);
  });
});
