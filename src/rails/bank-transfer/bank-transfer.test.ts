import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTimers } from '../../core/jobs/timers.js';
import { createLogger } from '../../core/log/logger.js';
import { queryRows } from '../../../test/support/app.js';
import { createTestRails, type TestRails } from '../../../test/support/rails.js';
import { parseScenario } from '../scenario.js';
import type { RailCall, RailOutcomeEvent } from '../types.js';
import type { Beneficiary } from './rail.js';
import { amountRejection, DEFAULT_LIMITS, generateUtr, nextNeftBatch, rupees, type TransferMode } from './rules.js';
import { BankTransferSimulator, neftPlan, transferPlan } from './simulator.js';

/** The sandbox instant every test's company starts at (a Friday, 15:37 IST). */
const START = new Date('2026-11-27T10:07:00.000Z');
const ACCOUNT: Beneficiary = { accountNumber: '100000000001', ifsc: 'HDFC0000001' };

describe('bank-transfer rules', () => {
  it('puts a NEFT transfer in the next half-hourly batch, strictly after submission', () => {
    expect(nextNeftBatch(new Date('2026-11-27T10:07:00Z'))).toEqual(new Date('2026-11-27T10:30:00Z'));
    expect(nextNeftBatch(new Date('2026-11-27T10:29:59.999Z'))).toEqual(new Date('2026-11-27T10:30:00Z'));
    expect(nextNeftBatch(new Date('2026-11-27T10:30:00Z'))).toEqual(new Date('2026-11-27T11:00:00Z'));
    // 23:45 IST on a Sunday: NEFT runs round the clock, so the next batch is 00:00 IST (18:30 UTC).
    expect(nextNeftBatch(new Date('2026-11-29T18:15:00Z'))).toEqual(new Date('2026-11-29T18:30:00Z'));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
        const batch = nextNeftBatch(new Date(ms)).getTime();
        expect(batch).toBeGreaterThan(ms);
        expect(batch - ms).toBeLessThanOrEqual(1_800_000);
        expect(batch % 1_800_000).toBe(0);
      }),
    );
  });

  it("applies each mode's limits at their edges", () => {
    const ok = (mode: TransferMode, paise: bigint) => amountRejection(mode, paise, DEFAULT_LIMITS);
    expect(ok('IMPS', 5_00_000_00n)).toBeUndefined();
    expect(ok('IMPS', 5_00_000_01n)).toBe('IMPS allows at most ₹5,00,000.00');
    expect(ok('UPI', 1_00_000_00n)).toBeUndefined();
    expect(ok('UPI', 1_00_000_01n)).toBe('UPI allows at most ₹1,00,000.00');
    expect(ok('RTGS', 1_99_999_99n)).toBe('RTGS needs at least ₹2,00,000.00');
    expect(ok('RTGS', 2_00_000_00n)).toBeUndefined();
    expect(ok('NEFT', 50_00_00_000_00n)).toBeUndefined();
    expect(ok('NEFT', 99n)).toBe('the amount must be at least ₹1.00');
    expect(rupees(12_34_56_789_01n)).toBe('12,34,56,789.01');
  });

  it("forms UTRs of each rail's shape from the IST date", () => {
    const at = new Date('2026-11-27T20:00:00Z'); // 28 November 2026, 01:30 IST, day 332
    expect(generateUtr('NEFT', at, 'YESB')).toMatch(/^YESBN6332\d{7}$/);
    expect(generateUtr('RTGS', at, 'YESB')).toMatch(/^YESBRC20261128\d{8}$/);
    expect(generateUtr('IMPS', at, 'YESB')).toMatch(/^633201\d{6}$/);
    expect(generateUtr('NEFT', at, 'YESB')).toHaveLength(16);
    expect(generateUtr('RTGS', at, 'YESB')).toHaveLength(22);
  });

  it('moves every NEFT outcome to a batch instant', () => {
    const now = new Date('2026-11-27T10:07:00Z');
    expect(neftPlan(transferPlan(parseScenario('succeed')), now)).toEqual({
      immediate: 'pending',
      later: [{ afterMs: 23 * 60_000, status: 'succeeded' }],
      webhookDuplicate: false,
    });
    expect(neftPlan(transferPlan(parseScenario('fail:account_closed')), now).later).toEqual([
      { afterMs: 23 * 60_000, status: 'failed', reasonCode: 'account_closed' },
    ]);
    // Credited at 10:30, reversed at the first batch at or after 10:07 + 1 day (10:30 next day).
    expect(neftPlan(transferPlan(parseScenario('reverse_after:P1D')), now).later.map((s) => [s.status, s.afterMs])).toEqual([
      ['succeeded', 23 * 60_000],
      ['reversed', 86_400_000 + 23 * 60_000],
    ]);
    // A delayed success due before the first batch still waits for it.
    expect(neftPlan(transferPlan(parseScenario('succeed_after:PT5M')), now).later).toEqual([{ afterMs: 23 * 60_000, status: 'succeeded' }]);
    expect(neftPlan(transferPlan(parseScenario('timeout')), now)).toEqual({ immediate: 'no_answer', later: [], webhookDuplicate: false });
  });
});

/**
 * The simulator as the app builds it (test/support/rails.ts, without the rest of the app), on the real sandbox clock and timers (sandbox_timers): each
 * test has its own company whose sandbox clock starts at START, and moves it with
 * `timers.advance`, the code path of POST /api/v0/sandbox/clock/advance.
 */
describe('BankTransferSimulator', () => {
  let t: TestRails;
  let company: string;
  const events: RailOutcomeEvent[] = [];
  let n = 0;
  const rail = () => t.services.rails.bankTransfer;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({
    companyId: company,
    attemptRef: `po_${++n}`,
    replyTo: 'test.payouts',
    exec: t.database.db,
    ...overrides,
  });
  const advanceBy = async (ms: number) => t.services.timers.advance(company, new Date((await t.services.clocks.now(company)).getTime() + ms));
  const timerRows = (companyId: string) =>
    queryRows<{ kind: string; due_at: string | Date; status: string }>(
      t.database,
      sql`select kind, due_at, status from sandbox_timers where company_id = ${companyId} order by due_at, seq`,
    );

  beforeAll(async () => {
    t = await createTestRails();
    rail().onOutcome('test.payouts', async (e) => {
      events.push(e);
    });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    company = (await t.services.identity.createCompany({ name: 'Bank transfer test' })).id;
    await t.services.clocks.moveForwardTo(company, START);
    events.length = 0;
  });

  it('credits IMPS at once with a 12-digit RRN', async () => {
    expect(await rail().transfer(call(), { mode: 'IMPS', amountPaise: 1_000_00n, beneficiary: ACCOUNT })).toEqual({
      status: 'succeeded',
      utr: expect.stringMatching(/^\d{12}$/),
      fundsReturned: false,
      webhookDuplicate: false,
    });
    expect(await timerRows(company)).toEqual([]);
  });

  it("rejects with EnKash's codes and sends nothing", async () => {
    const cases: Array<[TransferMode, bigint, Beneficiary, string, string]> = [
      ['IMPS', 5_00_000_01n, ACCOUNT, 'REJECT_TRF_AMT', 'IMPS allows at most ₹5,00,000.00'],
      ['RTGS', 1_00_000_00n, ACCOUNT, 'REJECT_TRF_AMT', 'RTGS needs at least ₹2,00,000.00'],
      ['UPI', 1_00_000_01n, { vpa: 'success@enkash' }, 'REJECT_TRF_AMT', 'UPI allows at most ₹1,00,000.00'],
      ['UPI', 100_00n, ACCOUNT, 'REJECT_TRF_MODE', 'a UPI transfer needs a beneficiary VPA'],
      ['NEFT', 100_00n, { vpa: 'success@enkash' }, 'REJECT_TRF_MODE', 'a NEFT transfer needs a beneficiary account number and IFSC, not a VPA'],
      ['CHEQUE' as TransferMode, 100_00n, ACCOUNT, 'REJECT_TRF_MODE', 'transferMode must be one of IMPS, NEFT, RTGS, UPI'],
      ['IMPS', 100_00n, { accountNumber: '12345', ifsc: 'HDFC0000001' }, 'REJECT_BENEF_ACC', 'the beneficiary account number must be 9 to 18 digits'],
      ['UPI', 100_00n, { vpa: 'nope' }, 'REJECT_BENEF_ACC', 'the beneficiary VPA is not handle@psp'],
      [
        'IMPS',
        100_00n,
        { accountNumber: '100000000001', ifsc: 'HDFC000001' },
        'REJECT_BENEF_IFSC',
        'the beneficiary IFSC must be 4 letters, 0, then 6 letters or digits',
      ],
      ['IMPS', 100_00n, { accountNumber: '100000000001', ifsc: 'ZZZZ0000001' }, 'REJECT_BENEF_IFSC', 'no bank branch has the IFSC ZZZZ0000001'],
      ['IMPS', 100_00n, { accountNumber: '100000000001', ifsc: 'HDFC0999999' }, 'REJECT_BENEF_IFSC', 'no bank branch has the IFSC HDFC0999999'],
    ];
    for (const [mode, amountPaise, beneficiary, rejectCode, reasonMessage] of cases) {
      expect(await rail().transfer(call({ scenario: parseScenario('succeed') }), { mode, amountPaise, beneficiary }), `${mode} ${rejectCode}`).toEqual({
        status: 'rejected',
        rejectCode,
        reasonCode: 'rejected',
        reasonMessage,
        fundsReturned: false,
        webhookDuplicate: false,
      });
    }
    expect(await t.services.timers.pending(company)).toEqual({ count: 0, nextDueAt: null });
    expect(await timerRows(company)).toEqual([]);
  });

  it('honours limits given as options', async () => {
    // A second simulator needs its own timer runner (a timer kind has one handler per runner),
    // as a second process would have; both work on the same sandbox_timers table.
    const timers = createTimers({ db: t.database.db, clock: t.clock, clocks: t.services.clocks, logger: createLogger('silent') });
    const strict = new BankTransferSimulator(
      { timers, clock: t.services.clocks, registries: t.services.rails.registries },
      { impsMaxPaise: 10_000_00n, remitterBankCode: 'ICIC' },
    );
    const strictEvents: RailOutcomeEvent[] = [];
    strict.onOutcome('test.strict', async (e) => {
      strictEvents.push(e);
    });
    const c = (): RailCall => call({ replyTo: 'test.strict' });
    expect(await strict.transfer(c(), { mode: 'IMPS', amountPaise: 10_000_01n, beneficiary: ACCOUNT })).toMatchObject({
      status: 'rejected',
      rejectCode: 'REJECT_TRF_AMT',
    });
    const neft = await strict.transfer(c(), { mode: 'NEFT', amountPaise: 10_000_01n, beneficiary: ACCOUNT });
    expect(neft.utr).toMatch(/^ICICN6331\d{7}$/);
    expect(await timers.pending(company)).toEqual({ count: 1, nextDueAt: new Date('2026-11-27T10:30:00Z') });
    expect(await timers.advance(company, new Date('2026-11-27T10:30:00Z'))).toEqual({ fired: 1 });
    expect(strictEvents).toEqual([
      expect.objectContaining({ companyId: company, status: 'succeeded', reference: neft.utr, occurredAt: new Date('2026-11-27T10:30:00Z') }),
    ]);
    expect(events).toEqual([]);
  });

  it('settles NEFT at the batch and reports it with the UTR given at acceptance', async () => {
    const c = call();
    const r = await rail().transfer(c, { mode: 'NEFT', amountPaise: 25_000_00n, beneficiary: ACCOUNT });
    expect(r).toMatchObject({ status: 'pending', batchAt: new Date('2026-11-27T10:30:00Z'), utr: expect.stringMatching(/^YESBN6331\d{7}$/) });
    expect((await timerRows(company)).map((row) => [row.kind, new Date(row.due_at), row.status])).toEqual([
      ['rails.bank_transfer.outcome', new Date('2026-11-27T10:30:00Z'), 'SCHEDULED'],
    ]);
    expect(await advanceBy(22 * 60_000)).toEqual({ fired: 0 });
    expect(events).toHaveLength(0);
    expect(await advanceBy(60_000)).toEqual({ fired: 1 });
    expect(events).toEqual([
      expect.objectContaining({
        companyId: company,
        attemptRef: c.attemptRef,
        sequence: 1,
        status: 'succeeded',
        reference: r.utr,
        occurredAt: new Date('2026-11-27T10:30:00Z'),
        details: { transferMode: 'NEFT', fundsReturned: 'false' },
      }),
    ]);
    expect((await timerRows(company)).map((row) => row.status)).toEqual(['DONE']);
  });

  it('returns money on failure and on a later reversal', async () => {
    expect(
      await rail().transfer(call(), { mode: 'IMPS', amountPaise: 100_00n, beneficiary: { accountNumber: '100000000002', ifsc: 'SBIN0000001' } }),
    ).toMatchObject({
      status: 'failed',
      reasonCode: 'invalid_account',
      fundsReturned: true,
      utr: expect.any(String),
    });
    const r = await rail().transfer(call(), { mode: 'RTGS', amountPaise: 3_00_000_00n, beneficiary: { accountNumber: '100000000003', ifsc: 'ICIC0000001' } });
    expect(r).toMatchObject({ status: 'succeeded', utr: expect.stringMatching(/^YESBRC20261127\d{8}$/) });
    expect(await advanceBy(86_400_000 - 1)).toEqual({ fired: 0 });
    await advanceBy(1);
    expect(events).toEqual([
      expect.objectContaining({
        status: 'reversed',
        reasonCode: 'returned_by_beneficiary_bank',
        reference: r.utr,
        details: { transferMode: 'RTGS', fundsReturned: 'true' },
      }),
    ]);
  });

  it('reports a UPI payout decline as a failure (banks return, they do not decline)', async () => {
    expect(
      await rail().transfer(call({ scenario: parseScenario('decline') }), { mode: 'UPI', amountPaise: 100_00n, beneficiary: { vpa: 'success@enkash' } }),
    ).toMatchObject({
      status: 'failed',
      reasonCode: 'credit_declined',
      fundsReturned: true,
    });
    expect(await timerRows(company)).toEqual([]);
  });
});
