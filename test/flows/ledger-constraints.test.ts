import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { queryRows, withTransaction } from '../../src/core/db/transaction.js';
import type { Ledger } from '../../src/core/ledger/index.js';
import { backend } from '../support/app.js';
import { sandboxFund } from '../support/ledger.js';
import { ledgerRowCounts, openLedgerDatabase, refused } from './ledger-support.js';

// The ledger tables on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) refusing
// what the ledger service (ledger.test.ts) would never do, tried with raw SQL.

let database: Database;
let db: Executor;
let ledger: Ledger;
const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
let A: string;
let B: string;

const tx = <T>(fn: (t: Executor) => Promise<T>) => withTransaction(db, fn);
const rowCounts = () => ledgerRowCounts(db);

beforeAll(async () => {
  ({ database, db, ledger, A, B } = await openLedgerDatabase(clock));
  // What the tests below read: A's chart, a funding transaction, and a resolved hold.
  await tx((t) => ledger.provision(t, A));
  await sandboxFund(db, ledger, A, 100_000n, 'fund-1');
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
  await tx((t) => ledger.voidHold(t, A, hold.id));
});

afterAll(async () => {
  await database?.close();
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
