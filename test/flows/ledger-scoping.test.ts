import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityService } from '../../src/auth/identity/index.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { queryRows, withTransaction } from '../../src/core/db/transaction.js';
import { createLedger, type Hold, type Ledger, type Transaction } from '../../src/core/ledger/index.js';
import * as store from '../../src/core/ledger/balance-store.js';
import * as repo from '../../src/core/ledger/repository.js';
import { backend, createTestDatabase } from '../support/app.js';
import { errorCode, sandboxFund } from '../support/ledger.js';

// Every ledger statement filters by company (DESIGN.md), not only the ones a caller reaches with
// an id it has not resolved yet: company B's id with company A's account, transaction or hold id
// finds nothing and changes nothing, through the service and through each repository function
// that takes an id already resolved (balances, as-of totals, reversal lookups, hold resolution).

let database: Database;
let db: Executor;
let ledger: Ledger;
const clock = new ManualClock(new Date('2026-05-01T09:00:00.000Z'));
let A: string;
let B: string;
let accountA: string;
let clearingA: string;
let funding: Transaction;
let reversed: Transaction;
let reversal: Transaction;
let hold: Hold;

const tx = <T>(fn: (t: Executor) => Promise<T>) => withTransaction(db, fn);

const code = errorCode;

/** Every ledger row, as text: equal before and after means nothing changed anywhere. */
async function snapshot(): Promise<string> {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
          (select coalesce(json_agg(x order by x.id), '[]')::text from ledger_accounts x) as accounts,
          (select coalesce(json_agg(x order by x.account_id), '[]')::text from ledger_balances x) as balances,
          (select coalesce(json_agg(x order by x.id), '[]')::text from ledger_balance_deltas x) as deltas,
          (select coalesce(json_agg(x order by x.id), '[]')::text from ledger_transactions x) as transactions,
          (select coalesce(json_agg(x order by x.id), '[]')::text from ledger_postings x) as postings,
          (select coalesce(json_agg(x order by x.id), '[]')::text from ledger_holds x) as holds`,
  );
  return JSON.stringify(r);
}

const fund = (companyId: string, amount: bigint, referenceId: string) => sandboxFund(db, ledger, companyId, amount, referenceId);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const identity = createIdentityService({ db, clock });
  A = (await identity.createCompany({ name: 'Scoping A' })).id;
  B = (await identity.createCompany({ name: 'Scoping B' })).id;
  ledger = createLedger({ db, clock: { now: async () => clock.now() } });
  await tx((t) => ledger.provision(t, A));
  await tx((t) => ledger.provision(t, B));
  funding = await fund(A, 100_000n, 'f1');
  await fund(B, 50_000n, 'f1');
  clock.advance(60_000);
  reversed = await fund(A, 1_000n, 'f2');
  clock.advance(60_000);
  reversal = await tx((t) => ledger.reverse(t, A, reversed.id, { reason: 'test' }));
  clock.advance(60_000);
  hold = await tx((t) =>
    ledger.placeHold(t, A, {
      code: 'payout',
      referenceType: 'payout',
      referenceId: 'po_1',
      debitAccount: 'merchant_available',
      creditAccount: 'clearing:bank_transfer',
      amount: 5_000n,
    }),
  );
  accountA = (await ledger.getAccount(db, A, 'merchant_available')).id;
  clearingA = (await ledger.getAccount(db, A, 'clearing:bank_transfer')).id;
  clock.advance(60_000);
});

afterAll(async () => {
  await database?.close();
});

describe(`ledger company scoping on ${backend}`, () => {
  it("company B's id with company A's account, transaction or hold id finds nothing and changes nothing", async () => {
    const before = await snapshot();
    const now = clock.now();

    // Through the service: each answers not found, as the API's 404.
    expect(await code(() => ledger.balance(db, B, accountA))).toBe('ledger_account_not_found');
    expect(await code(() => ledger.balance(db, B, accountA, { asOf: now }))).toBe('ledger_account_not_found');
    expect(await code(() => ledger.getTransaction(db, B, funding.id))).toBe('ledger_transaction_not_found');
    expect(await code(() => tx((t) => ledger.reverse(t, B, funding.id, { reason: 'x' })))).toBe('ledger_transaction_not_found');
    expect(await code(() => ledger.getHold(db, B, hold.id))).toBe('ledger_hold_not_found');
    expect(await code(() => tx((t) => ledger.captureHold(t, B, hold.id)))).toBe('ledger_hold_not_found');
    expect(await code(() => tx((t) => ledger.captureHold(t, B, hold.id, 1_000n)))).toBe('ledger_hold_not_found');
    expect(await code(() => tx((t) => ledger.voidHold(t, B, hold.id)))).toBe('ledger_hold_not_found');
    expect((await ledger.listTransactions(db, B, { accountId: accountA }, { offset: 0, limit: 10 })).total).toBe(0);

    // Through the repository, with ids as if already resolved: company A's own id is the control
    // that shows each call would find the row, so only the company filter hides it.
    expect(await store.readTotals(db, A, accountA)).toEqual({ debitsPosted: 1_000n, creditsPosted: 101_000n, debitsPending: 5_000n, creditsPending: 0n });
    await expect(store.readTotals(db, B, accountA)).rejects.toThrow(/has no balance row/);
    expect(await repo.totalsAsOf(db, A, accountA, now)).toEqual({ debitsPosted: 1_000n, creditsPosted: 101_000n, debitsPending: 5_000n, creditsPending: 0n });
    expect(await repo.totalsAsOf(db, B, accountA, now)).toEqual({ debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n });
    expect(await repo.totalsAsOf(db, B, clearingA, now)).toEqual({ debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n });
    expect(await repo.isReversed(db, A, reversed.id)).toBe(true);
    expect(await repo.isReversed(db, B, reversed.id)).toBe(false);
    expect((await repo.findTransaction(db, A, reversed.id))?.reversedByTransactionId).toBe(reversal.id);
    expect(await repo.findTransaction(db, B, reversed.id)).toBeNull();
    expect(await repo.findHold(db, B, hold.id, true)).toBeNull();

    // Writes with the wrong company match no row, and say so rather than lose the update silently.
    const totals = { debitsPosted: 0n, creditsPosted: 999_999n, debitsPending: 0n, creditsPending: 0n };
    expect(await tx((t) => store.applyChecked(t, B, accountA, totals))).toBe('missing');
    expect(await tx((t) => store.applyChecked(t, B, clearingA, totals))).toBe('missing');
    const resolution = { status: 'voided' as const, capturedAmount: 0n, captureTransactionId: null, resolvedAt: now };
    await expect(tx((t) => repo.resolveHold(t, B, hold.id, resolution))).rejects.toThrow(/not found in company/);

    expect(await snapshot()).toBe(before);
    expect(await ledger.getHold(db, A, hold.id)).toMatchObject({ status: 'pending', amount: 5_000n });
    expect(await ledger.balance(db, A, accountA)).toMatchObject({ posted: 100_000n, pending: 5_000n, available: 95_000n });

    // verify per company and over all companies: both clean, and the per-company counts add up.
    const [all, a, b] = [await ledger.verify(db), await ledger.verify(db, { companyId: A }), await ledger.verify(db, { companyId: B })];
    expect([all.breaks, a.breaks, b.breaks]).toEqual([[], [], []]);
    expect(a.checked).toMatchObject({ companies: 1, transactions: 3, holds: 1 });
    expect(b.checked).toMatchObject({ companies: 1, transactions: 1, holds: 0 });
    expect(all.checked.companies).toBeGreaterThanOrEqual(2);
    expect(all.checked.transactions).toBeGreaterThanOrEqual(a.checked.transactions + b.checked.transactions);
  });
});
