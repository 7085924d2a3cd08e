import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityService } from '../../src/auth/identity/index.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { AppError } from '../../src/core/errors/app-error.js';
import { createLedger, type Ledger } from '../../src/core/ledger/index.js';
import { backend, createTestDatabase } from '../support/app.js';
import { sandboxFund } from '../support/ledger.js';

// Concurrent writers against the same accounts (PAY-11 shape): on PostgreSQL with a pool of 10
// connections the balance locks serialise them; on PGlite (one connection) they queue. Either way
// an account is never overdrawn, no writer sees a deadlock, and each business event, hold
// resolution and reversal happens exactly once.

let database: Database;
let db: Executor;
let ledger: Ledger;
let companyId: string;
const clock = new ManualClock(new Date('2026-06-01T00:00:00.000Z'));

beforeAll(async () => {
  database = await createTestDatabase(10);
  db = database.db;
  companyId = (await createIdentityService({ db, clock }).createCompany({ name: 'Concurrency' })).id;
  ledger = createLedger({ db, clock: { now: async () => clock.now() } });
  await withTransaction(db, (tx) => ledger.provision(tx, companyId));
});

afterAll(async () => {
  await database?.close();
});

/** Each attempt's outcome: 'ok' or the AppError code; anything else (a deadlock, a 23505) fails the test. */
async function attempt(fn: (tx: Executor) => Promise<unknown>): Promise<string> {
  try {
    await withTransaction(db, fn);
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

const fund = (account: string, amount: bigint, referenceId: string) => sandboxFund(db, ledger, companyId, amount, referenceId, account);

describe(`concurrent ledger writers on ${backend}`, () => {
  it('300 concurrent payouts against a balance that covers exactly 100: 100 succeed, none overdraws', async () => {
    await fund('merchant_available', 100_000n, 'fund-payouts');
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        attempt((tx) =>
          ledger.post(tx, companyId, {
            code: 'payout',
            referenceType: 'payout',
            referenceId: `po_${i}`,
            postings: [
              { account: 'merchant_available', direction: 'debit', amount: 1_000n },
              { account: 'clearing:bank_transfer', direction: 'credit', amount: 1_000n },
            ],
          }),
        ),
      ),
    );
    expect(tally(outcomes)).toEqual({ ok: 100, ledger_insufficient_funds: 200 });
    const available = await ledger.getAccount(db, companyId, 'merchant_available');
    expect(await ledger.balance(db, companyId, available.id)).toMatchObject({ posted: 0n, available: 0n });
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('holds race the same way: concurrent holds never reserve more than is available', async () => {
    await fund('payout_float', 50_000n, 'fund-holds');
    const outcomes = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        attempt((tx) =>
          ledger.placeHold(tx, companyId, {
            code: 'payout',
            referenceType: 'payout_hold',
            referenceId: `ph_${i}`,
            debitAccount: 'payout_float',
            creditAccount: 'clearing:bank_transfer',
            amount: 1_000n,
          }),
        ),
      ),
    );
    expect(tally(outcomes)).toEqual({ ok: 50, ledger_insufficient_funds: 70 });
    const float = await ledger.getAccount(db, companyId, 'payout_float');
    expect(await ledger.balance(db, companyId, float.id)).toMatchObject({ posted: 50_000n, pending: 50_000n, available: 0n });
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('transfers in opposite directions between two accounts never deadlock visibly and conserve the total', async () => {
    await fund('merchant_available', 20_000n, 'fund-a');
    await fund('merchant_pending_settlement', 20_000n, 'fund-b');
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const [from, to] = i % 2 === 0 ? ['merchant_available', 'merchant_pending_settlement'] : ['merchant_pending_settlement', 'merchant_available'];
        return attempt((tx) =>
          ledger.post(tx, companyId, {
            code: 'settlement',
            referenceType: 'swap',
            referenceId: `sw_${i}`,
            postings: [
              { account: from, direction: 'debit', amount: 100n },
              { account: to, direction: 'credit', amount: 100n },
            ],
          }),
        );
      }),
    );
    expect(tally(outcomes)).toEqual({ ok: 200 });
    const a = await ledger.balance(db, companyId, (await ledger.getAccount(db, companyId, 'merchant_available')).id);
    const b = await ledger.balance(db, companyId, (await ledger.getAccount(db, companyId, 'merchant_pending_settlement')).id);
    expect(a.posted + b.posted).toBe(40_000n);
    expect(a.posted).toBe(20_000n);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('one business event posts once, a hold resolves once and a transaction is reversed once, under 20 concurrent attempts each', async () => {
    const twins = await Promise.all(
      Array.from({ length: 20 }, () =>
        attempt((tx) =>
          ledger.post(tx, companyId, {
            code: 'payment_capture',
            referenceType: 'payment',
            referenceId: 'pay_once',
            postings: [
              { account: 'clearing:upi', direction: 'debit', amount: 10_000n },
              { account: 'merchant_pending_settlement', direction: 'credit', amount: 10_000n },
            ],
          }),
        ),
      ),
    );
    expect(tally(twins)).toEqual({ ok: 1, ledger_duplicate_reference: 19 });

    const hold = await withTransaction(db, (tx) =>
      ledger.placeHold(tx, companyId, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_once',
        debitAccount: 'merchant_pending_settlement',
        creditAccount: 'clearing:bank_transfer',
        amount: 5_000n,
      }),
    );
    const resolutions = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        attempt((tx) => (i % 2 === 0 ? ledger.captureHold(tx, companyId, hold.id, 4_000n) : ledger.voidHold(tx, companyId, hold.id))),
      ),
    );
    expect(tally(resolutions)).toEqual({ ok: 1, ledger_hold_not_pending: 19 });

    const payment = (await ledger.findTransactionByReference(db, companyId, { code: 'payment_capture', referenceType: 'payment', referenceId: 'pay_once' }))!;
    const reversals = await Promise.all(Array.from({ length: 20 }, () => attempt((tx) => ledger.reverse(tx, companyId, payment.id, { reason: 'race' }))));
    const counts = tally(reversals);
    expect(counts['ok']).toBe(1);
    // The rest are refused as already reversed, or for funds when the capture above took them.
    expect((counts['ledger_already_reversed'] ?? 0) + (counts['ledger_insufficient_funds'] ?? 0)).toBe(19);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });
});
