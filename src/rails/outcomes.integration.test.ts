import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../core/db/transaction.js';
import { createTestApp, createTestDatabase, type TestApp } from '../../test/support/app.js';
import { seedBearer } from '../../test/support/oauth.js';
import { parseScenario } from './scenario.js';
import type { RailCall, RailOutcomeEvent } from './types.js';

const COMPANY = 'CEK1GZBO6A';

/**
 * The rails on the real sandbox clock and timers (core/jobs): outcomes are rows of
 * sandbox_timers, fire in order when the clock is advanced through the API, and reach the
 * product's listener with the attempt reference it gave.
 */
describe('rail outcomes on the sandbox clock', () => {
  let t: TestApp;
  let bearer: string;
  const events: RailOutcomeEvent[] = [];
  let n = 0;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({
    companyId: COMPANY,
    attemptRef: `att_${++n}`,
    replyTo: 'it.listener',
    exec: t.database.db,
    ...overrides,
  });
  const advance = async (seconds: number) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: { authorization: bearer }, payload: { seconds } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload as { now: string; timersFired: number };
  };

  beforeAll(async () => {
    t = await createTestApp();
    bearer = await seedBearer(t.app);
    const record = async (e: RailOutcomeEvent) => {
      events.push(e);
    };
    t.services.rails.card.onOutcome('it.listener', record);
    t.services.rails.upi.onOutcome('it.listener', record);
    t.services.rails.bankTransfer.onOutcome('it.listener', record);
    t.services.rails.netbanking.onOutcome('it.listener', record);
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    events.length = 0;
  });

  it('reports a delayed card success when the clock passes it, not before', async () => {
    const c = call();
    const result = await t.services.rails.card.authorize(c, { card: { cardNumber: '4000000000000077', expiry: '12/30', cvv: '123' }, amountPaise: 50_000n });
    expect(result.status).toBe('pending');
    const start = await t.services.clocks.now(COMPANY);
    await advance(9 * 60);
    expect(events).toHaveLength(0);
    const after = await advance(60);
    expect(after.timersFired).toBe(1);
    expect(events).toEqual([
      expect.objectContaining({
        rail: 'card',
        attemptRef: c.attemptRef,
        replyTo: 'it.listener',
        sequence: 1,
        status: 'succeeded',
        occurredAt: new Date(start.getTime() + 600_000),
      }),
    ]);
  });

  it("fires a collect's expiry and its late success in order", async () => {
    const c = call();
    const r = await t.services.rails.upi.collect(c, { payerVpa: 'late@enkash', amountPaise: 10_000n });
    expect(r.status).toBe('pending');
    await advance(15 * 60);
    expect(events.map((e) => [e.attemptRef, e.sequence, e.status])).toEqual([
      [c.attemptRef, 1, 'expired'],
      [c.attemptRef, 2, 'succeeded'],
    ]);
    expect(events[1]!.reference).toMatch(/^\d{12}$/);
  });

  it('settles NEFT at the next half-hour batch and reverses a transfer a day later at a batch', async () => {
    const c = call({ scenario: parseScenario('reverse_after:P1D') });
    const now = await t.services.clocks.now(COMPANY);
    const r = await t.services.rails.bankTransfer.transfer(c, {
      mode: 'NEFT',
      amountPaise: 10_000_00n,
      beneficiary: { accountNumber: '100000000001', ifsc: 'HDFC0000001' },
    });
    expect(r.status).toBe('pending');
    const batch = Math.floor(now.getTime() / 1_800_000) * 1_800_000 + 1_800_000;
    expect(r.batchAt).toEqual(new Date(batch));
    await advance(2 * 86_400);
    expect(events.map((e) => [e.sequence, e.status, e.occurredAt.getTime() % 1_800_000, e.reference, e.details['fundsReturned']])).toEqual([
      [1, 'succeeded', 0, r.utr, 'false'],
      [2, 'reversed', 0, r.utr, 'true'],
    ]);
    expect(events[0]!.occurredAt).toEqual(new Date(batch));
  });

  it("scheduling in the caller's transaction: rolled back, no outcome is ever reported", async () => {
    const before = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from sandbox_timers where kind like 'rails.%'`);
    await expect(
      t.database.db.transaction(async (tx) => {
        await t.services.rails.netbanking.pay(call({ exec: tx as never }), { bankCode: 'BARB', amountPaise: 100n });
        throw new Error('the product failed to record its attempt');
      }),
    ).rejects.toThrow('the product failed');
    const after = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from sandbox_timers where kind like 'rails.%'`);
    expect(after[0]!.n).toBe(before[0]!.n);
    await advance(10 * 60);
    expect(events).toHaveLength(0);
  });

  it('keeps an outcome whose listener is missing, and leaves it to be retried', async () => {
    const c = call({ replyTo: 'it.nobody', scenario: parseScenario('succeed_after:PT1M') });
    await t.services.rails.netbanking.pay(c, { bankCode: 'HDFC', amountPaise: 100n });
    await advance(120);
    const rows = await queryRows<{ status: string; last_error: string }>(
      t.database.db,
      sql`select status, last_error from sandbox_timers where kind = 'rails.netbanking.outcome' and payload like ${`%${c.attemptRef}%`}`,
    );
    expect(rows).toEqual([{ status: 'SCHEDULED', last_error: "netbanking rail: no outcome listener registered for 'it.nobody'" }]);
  });
});

describe('rail outcomes across a restart', () => {
  it('an outcome scheduled by one process is reported by the next one', async () => {
    const database = await createTestDatabase();
    try {
      const first = await createTestApp({ database });
      const c: RailCall = { companyId: COMPANY, attemptRef: 'po_restart', replyTo: 'payouts', exec: database.db };
      const r = await first.services.rails.bankTransfer.transfer(c, {
        mode: 'IMPS',
        amountPaise: 500_00n,
        beneficiary: { accountNumber: '100000000004', ifsc: 'UTIB0000001' },
      });
      expect(r.status).toBe('pending');
      await first.close();

      const second = await createTestApp({ database, seed: false });
      const seen: RailOutcomeEvent[] = [];
      second.services.rails.bankTransfer.onOutcome('payouts', async (e) => {
        seen.push(e);
      });
      const now = await second.services.clocks.now(COMPANY);
      await second.services.timers.advance(COMPANY, new Date(now.getTime() + 31 * 60_000));
      expect(seen).toEqual([expect.objectContaining({ attemptRef: 'po_restart', sequence: 1, status: 'succeeded', reference: r.utr })]);
      await second.close();
    } finally {
      await database.close();
    }
  });
});
