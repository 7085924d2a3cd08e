import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { InMemorySandbox, NO_DATABASE } from '../../../test/support/rails.js';
import { RegistriesSimulator } from '../registries/simulator.js';
import { parseScenario } from '../scenario.js';
import type { RailCall, RailOutcomeEvent } from '../types.js';
import type { Beneficiary } from './rail.js';
import { amountRejection, DEFAULT_LIMITS, generateUtr, nextNeftBatch, rupees, type TransferMode } from './rules.js';
import { BankTransferSimulator, neftPlan, transferPlan } from './simulator.js';

const COMPANY = 'CEK1GZBO6A';
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

  it('applies each mode\'s limits at their edges', () => {
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

  it('forms UTRs of each rail\'s shape from the IST date', () => {
    const at = new Date('2026-11-27T20:00:00Z'); // 28 November 2026, 01:30 IST, day 332
    expect(generateUtr('NEFT', at, 'YESB')).toMatch(/^YESBN6332\d{7}$/);
    expect(generateUtr('RTGS', at, 'YESB')).toMatch(/^YESBRC20261128\d{8}$/);
    expect(generateUtr('IMPS', at, 'YESB')).toMatch(/^633201\d{6}$/);
    expect(generateUtr('NEFT', at, 'YESB')).toHaveLength(16);
    expect(generateUtr('RTGS', at, 'YESB')).toHaveLength(22);
  });

  it('moves every NEFT outcome to a batch instant', () => {
    const now = new Date('2026-11-27T10:07:00Z');
    expect(neftPlan(transferPlan(parseScenario('succeed')), now)).toEqual({ immediate: 'pending', later: [{ afterMs: 23 * 60_000, status: 'succeeded' }], webhookDuplicate: false });
    expect(neftPlan(transferPlan(parseScenario('fail:account_closed')), now).later).toEqual([{ afterMs: 23 * 60_000, status: 'failed', reasonCode: 'account_closed' }]);
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

describe('BankTransferSimulator', () => {
  let sandbox: InMemorySandbox;
  let rail: BankTransferSimulator;
  let events: RailOutcomeEvent[];
  let n = 0;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({ companyId: COMPANY, attemptRef: `po_${++n}`, replyTo: 'test.payouts', exec: NO_DATABASE, ...overrides });

  beforeEach(() => {
    sandbox = new InMemorySandbox();
    rail = new BankTransferSimulator({ timers: sandbox, clock: sandbox, registries: new RegistriesSimulator() });
    events = [];
    rail.onOutcome('test.payouts', async (e) => {
      events.push(e);
    });
  });

  it('credits IMPS at once with a 12-digit RRN', async () => {
    expect(await rail.transfer(call(), { mode: 'IMPS', amountPaise: 1_000_00n, beneficiary: ACCOUNT })).toEqual({
      status: 'succeeded',
      utr: expect.stringMatching(/^\d{12}$/),
      fundsReturned: false,
      webhookDuplicate: false,
    });
  });

  it('rejects with EnKash\'s codes and sends nothing', async () => {
    const cases: Array<[TransferMode, bigint, Beneficiary, string, string]> = [
      ['IMPS', 5_00_000_01n, ACCOUNT, 'REJECT_TRF_AMT', 'IMPS allows at most ₹5,00,000.00'],
      ['RTGS', 1_00_000_00n, ACCOUNT, 'REJECT_TRF_AMT', 'RTGS needs at least ₹2,00,000.00'],
      ['UPI', 1_00_000_01n, { vpa: 'success@enkash' }, 'REJECT_TRF_AMT', 'UPI allows at most ₹1,00,000.00'],
      ['UPI', 100_00n, ACCOUNT, 'REJECT_TRF_MODE', 'a UPI transfer needs a beneficiary VPA'],
      ['NEFT', 100_00n, { vpa: 'success@enkash' }, 'REJECT_TRF_MODE', 'a NEFT transfer needs a beneficiary account number and IFSC, not a VPA'],
      ['CHEQUE' as TransferMode, 100_00n, ACCOUNT, 'REJECT_TRF_MODE', 'transferMode must be one of IMPS, NEFT, RTGS, UPI'],
      ['IMPS', 100_00n, { accountNumber: '12345', ifsc: 'HDFC0000001' }, 'REJECT_BENEF_ACC', 'the beneficiary account number must be 9 to 18 digits'],
      ['UPI', 100_00n, { vpa: 'nope' }, 'REJECT_BENEF_ACC', 'the beneficiary VPA is not handle@psp'],
      ['IMPS', 100_00n, { accountNumber: '100000000001', ifsc: 'HDFC000001' }, 'REJECT_BENEF_IFSC', 'the beneficiary IFSC must be 4 letters, 0, then 6 letters or digits'],
      ['IMPS', 100_00n, { accountNumber: '100000000001', ifsc: 'ZZZZ0000001' }, 'REJECT_BENEF_IFSC', 'no bank branch has the IFSC ZZZZ0000001'],
      ['IMPS', 100_00n, { accountNumber: '100000000001', ifsc: 'HDFC0999999' }, 'REJECT_BENEF_IFSC', 'no bank branch has the IFSC HDFC0999999'],
    ];
    for (const [mode, amountPaise, beneficiary, rejectCode, reasonMessage] of cases) {
      expect(await rail.transfer(call({ scenario: parseScenario('succeed') }), { mode, amountPaise, beneficiary }), `${mode} ${rejectCode}`).toEqual({
        status: 'rejected',
        rejectCode,
        reasonCode: 'rejected',
        reasonMessage,
        fundsReturned: false,
        webhookDuplicate: false,
      });
    }
    expect(sandbox.pending()).toHaveLength(0);
  });

  it('honours limits given as options', async () => {
    const strict = new BankTransferSimulator({ timers: new InMemorySandbox(), clock: sandbox, registries: new RegistriesSimulator() }, { impsMaxPaise: 10_000_00n, remitterBankCode: 'ICIC' });
    expect(await strict.transfer(call(), { mode: 'IMPS', amountPaise: 10_000_01n, beneficiary: ACCOUNT })).toMatchObject({ status: 'rejected', rejectCode: 'REJECT_TRF_AMT' });
    expect((await strict.transfer(call(), { mode: 'NEFT', amountPaise: 10_000_01n, beneficiary: ACCOUNT })).utr).toMatch(/^ICICN6331\d{7}$/);
  });

  it('settles NEFT at the batch and reports it with the UTR given at acceptance', async () => {
    const c = call();
    const r = await rail.transfer(c, { mode: 'NEFT', amountPaise: 25_000_00n, beneficiary: ACCOUNT });
    expect(r).toMatchObject({ status: 'pending', batchAt: new Date('2026-11-27T10:30:00Z'), utr: expect.stringMatching(/^YESBN6331\d{7}$/) });
    await sandbox.advance(22 * 60_000);
    expect(events).toHaveLength(0);
    await sandbox.advance(60_000);
    expect(events).toEqual([
      expect.objectContaining({ attemptRef: c.attemptRef, sequence: 1, status: 'succeeded', reference: r.utr, occurredAt: new Date('2026-11-27T10:30:00Z'), details: { transferMode: 'NEFT', fundsReturned: 'false' } }),
    ]);
  });

  it('returns money on failure and on a later reversal', async () => {
    expect(await rail.transfer(call(), { mode: 'IMPS', amountPaise: 100_00n, beneficiary: { accountNumber: '100000000002', ifsc: 'SBIN0000001' } })).toMatchObject({
      status: 'failed',
      reasonCode: 'invalid_account',
      fundsReturned: true,
      utr: expect.any(String),
    });
    const r = await rail.transfer(call(), { mode: 'RTGS', amountPaise: 3_00_000_00n, beneficiary: { accountNumber: '100000000003', ifsc: 'ICIC0000001' } });
    expect(r).toMatchObject({ status: 'succeeded', utr: expect.stringMatching(/^YESBRC20261127\d{8}$/) });
    await sandbox.advance(86_400_000);
    expect(events).toEqual([expect.objectContaining({ status: 'reversed', reasonCode: 'returned_by_beneficiary_bank', reference: r.utr, details: { transferMode: 'RTGS', fundsReturned: 'true' } })]);
  });

  it('reports a UPI payout decline as a failure (banks return, they do not decline)', async () => {
    expect(await rail.transfer(call({ scenario: parseScenario('decline') }), { mode: 'UPI', amountPaise: 100_00n, beneficiary: { vpa: 'success@enkash' } })).toMatchObject({
      status: 'failed',
      reasonCode: 'credit_declined',
      fundsReturned: true,
    });
  });
});
