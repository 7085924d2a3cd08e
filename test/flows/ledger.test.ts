import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityService } from '../../src/auth/identity/index.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { queryRows, withTransaction } from '../../src/core/db/transaction.js';
import { createLedger, DEFAULT_ACCOUNTS, LedgerInvariantError, type Ledger } from '../../src/core/ledger/index.js';
import { backend, createTestDatabase } from '../support/app.js';
import { errorCode, sandboxFund } from '../support/ledger.js';

// The ledger service on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): postings,
// balances, reversals, holds and as-of balances, the domain errors and what they leave behind
// (nothing), and the database refusing what the code would never do, tried with raw SQL.

let database: Database;
let db: Executor;
let ledger: Ledger;
const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
let A: string;
let B: string;

const code = errorCode;

/** The SQLSTATE and message of a statement the database refuses. */
async function refused(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    let e: unknown = err;
    const messages: string[] = [];
    for (let depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) messages.push(String((e as Error).message));
    return messages.join(' | ');
  }
  throw new Error('the database accepted it');
}

const tx = <T>(fn: (t: Executor) => Promise<T>) => withTransaction(db, fn);
const fund = (companyId: string, amount: bigint, referenceId: string) => sandboxFund(db, ledger, companyId, amount, referenceId);

async function rowCounts() {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`select (select count(*) from ledger_transactions) as t, (select count(*) from ledger_postings) as p, (select count(*) from ledger_holds) as h,
          (select coalesce(sum(debits_posted + credits_posted + debits_pending + credits_pending + version), 0) from ledger_balances) as b`,
  );
  return { t: Number(r!['t']), p: Number(r!['p']), h: Number(r!['h']), b: String(r!['b']) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const identity = createIdentityService({ db, clock });
  A = (await identity.createCompany({ name: 'Ledger A' })).id;
  B = (await identity.createCompany({ name: 'Ledger B' })).id;
  ledger = createLedger({ db, clock: { now: async () => clock.now() } });
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

describe(`the database refuses what the code never does (${backend})`, () => {
  const ids = async () => {
    const available = await ledger.getAccount(db, A, 'merchant_available');
    const funding = await ledger.getAccount(db, A, 'sandbox_funding');
    const points = await ledger.getAccount(db, A, 'points_clearing');
    const [anyTx] = (await ledger.listTransactions(db, A, {}, { offset: 0, limit: 1 })).rows;
    return { available: available.id, funding: funding.id, points: points.id, tx: anyTx!.id };
  };

  /** A raw transaction + postings, straight into the tables, committed (or refused at COMMIT). */
  const rawPost = (id: string, postings: [string, 'debit' | 'credit', number, string?, string?][]) =>
    db.transaction(async (t) => {
      await t.execute(sql`insert into ledger_transactions (id, company_id, code, reference_type, reference_id, effective_at)
                          values (${id}, ${A}, 'adjustment', 'raw', ${id}, '2026-03-01T12:00:00Z')`);
      for (const [account, direction, amount, currency = 'INR', company = A] of postings) {
        await t.execute(sql`insert into ledger_postings (transaction_id, company_id, account_id, currency, direction, amount, effective_at)
                            values (${id}, ${company}, ${account}, ${currency}, ${direction}, ${amount}, '2026-03-01T12:00:00Z')`);
      }
    });

  it('an unbalanced transaction fails at COMMIT (deferred constraint trigger), and so does one with a single posting or none', async () => {
    const { available, funding } = await ids();
    const before = await rowCounts();
    expect(
      await refused(() =>
        rawPost('ltx_RAW1', [
          [available, 'debit', 5],
          [funding, 'credit', 4],
        ]),
      ),
    ).toMatch(/does not balance in INR/);
    expect(await refused(() => rawPost('ltx_RAW2', [[available, 'debit', 5]]))).toMatch(/needs at least two/);
    expect(await refused(() => rawPost('ltx_RAW3', []))).toMatch(/needs at least two/);
    expect(await rowCounts()).toEqual(before);
  });

  it('the sum is per currency: 5 INR against 5 PTS is refused even though the numbers cancel', async () => {
    const { available, points } = await ids();
    const before = await rowCounts();
    expect(
      await refused(() =>
        rawPost('ltx_RAWC', [
          [available, 'debit', 5],
          [points, 'credit', 5, 'PTS'],
        ]),
      ),
    ).toMatch(/does not balance in (INR|PTS)/);
    expect(await rowCounts()).toEqual(before);
  });

  it('a balanced raw transaction commits (the trigger checks sums, not who wrote them)', async () => {
    const { available, funding } = await ids();
    await rawPost('ltx_RAW4', [
      [funding, 'debit', 7],
      [available, 'credit', 7],
    ]);
    // …which the balance rows do not know about: verify names it.
    const report = await ledger.verify(db);
    expect(report.breaks.map((b) => b.kind).sort()).toEqual(['balance_mismatch', 'balance_mismatch']);
    expect(report.breaks[0]!.message).toMatch(/postings and open holds give/);
    // Put the balances right the only way allowed: the totals follow the journal.
    await db.execute(sql`update ledger_balances set credits_posted = credits_posted + 7, version = version + 1 where account_id = ${available}`);
    await db.execute(sql`update ledger_balances set debits_posted = debits_posted + 7, version = version + 1 where account_id = ${funding}`);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it("postings in another currency than their account, or for another company's account, are refused", async () => {
    const { available, funding, points } = await ids();
    expect(
      await refused(() =>
        rawPost('ltx_RAW5', [
          [available, 'debit', 5, 'PTS'],
          [funding, 'credit', 5, 'PTS'],
        ]),
      ),
    ).toMatch(/fk_ledger_postings_account/);
    const bFunding = await tx((t) => ledger.ensureAccount(t, B, { code: 'sandbox_funding' }));
    expect(
      await refused(() =>
        rawPost('ltx_RAW6', [
          [available, 'debit', 5],
          [bFunding.id, 'credit', 5, 'INR', B],
        ]),
      ),
    ).toMatch(/fk_ledger_postings_transaction/);
    expect(
      await refused(() =>
        rawPost('ltx_RAW7', [
          [available, 'debit', 5],
          [bFunding.id, 'credit', 5],
        ]),
      ),
    ).toMatch(/fk_ledger_postings_account/);
    expect(
      await refused(() =>
        rawPost('ltx_RAW8', [
          [available, 'debit', 5],
          [points, 'credit', 5, 'INR'],
        ]),
      ),
    ).toMatch(/fk_ledger_postings_account/);
    expect(
      await refused(() =>
        rawPost('ltx_RAW9', [
          [available, 'debit', -5],
          [funding, 'credit', -5],
        ]),
      ),
    ).toMatch(/ck_ledger_postings_amount/);
  });

  it('transactions and postings are append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const { tx: id } = await ids();
    expect(await refused(() => db.execute(sql`update ledger_transactions set description = 'edited' where id = ${id}`))).toMatch(/append-only: UPDATE refused/);
    expect(await refused(() => db.execute(sql`delete from ledger_transactions where id = ${id}`))).toMatch(/append-only: DELETE refused/);
    expect(await refused(() => db.execute(sql`update ledger_postings set amount = amount + 1 where transaction_id = ${id}`))).toMatch(/append-only/);
    expect(await refused(() => db.execute(sql`delete from ledger_postings where transaction_id = ${id}`))).toMatch(/append-only/);
    expect(await refused(() => db.execute(sql`truncate ledger_postings`))).toMatch(/append-only: TRUNCATE refused/);
    expect(await refused(() => db.execute(sql`delete from ledger_balances`))).toMatch(/append-only/);
    expect(await refused(() => db.execute(sql`delete from ledger_holds`))).toMatch(/append-only/);
  });

  it('an account keeps its rules, and a balance row cannot disagree with them', async () => {
    const { available } = await ids();
    expect(await refused(() => db.execute(sql`update ledger_accounts set allow_negative = true where id = ${available}`))).toMatch(/never change/);
    expect(await refused(() => db.execute(sql`update ledger_accounts set currency = 'PTS' where id = ${available}`))).toMatch(/never change/);
    expect(await refused(() => db.execute(sql`delete from ledger_accounts where id = ${available}`))).toMatch(/never deleted/);
    expect(await refused(() => db.execute(sql`update ledger_balances set allow_negative = true where account_id = ${available}`))).toMatch(
      /fk_ledger_balances_account/,
    );
    await db.execute(sql`update ledger_accounts set name = 'Renamed' where id = ${available}`);
  });

  it("a non-negative account's available balance cannot go below zero, posted or pending (CHECK)", async () => {
    const { available } = await ids();
    const balance = await ledger.balance(db, A, available);
    expect(
      await refused(() =>
        db.execute(
          sql`update ledger_balances set debits_posted = debits_posted + ${(balance.available + 1n).toString()}::bigint where account_id = ${available}`,
        ),
      ),
    ).toMatch(/ck_ledger_balances_available/);
    expect(
      await refused(() =>
        db.execute(
          sql`update ledger_balances set debits_pending = debits_pending + ${(balance.available + 1n).toString()}::bigint where account_id = ${available}`,
        ),
      ),
    ).toMatch(/ck_ledger_balances_available/);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('a hold resolves once, and keeps its amount and accounts', async () => {
    const [held] = await queryRows<{ id: string }>(db, sql`select id from ledger_holds where status <> 'pending' limit 1`);
    expect(
      await refused(() =>
        db.execute(
          sql`update ledger_holds set status = 'pending', resolved_at = null, captured_amount = 0, capture_transaction_id = null where id = ${held!.id}`,
        ),
      ),
    ).toMatch(/already/);
    const hold = await tx((t) =>
      ledger.placeHold(t, A, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_h9',
        debitAccount: 'merchant_available',
        creditAccount: 'clearing:bank_transfer',
        amount: 1n,
      }),
    );
    expect(await refused(() => db.execute(sql`update ledger_holds set amount = 2 where id = ${hold.id}`))).toMatch(/only the resolution/);
    await tx((t) => ledger.voidHold(t, A, hold.id));
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });
});
