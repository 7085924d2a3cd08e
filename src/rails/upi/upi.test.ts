import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/app-error.js';
import { queryRows } from '../../../test/support/app.js';
import { createTestRails, type TestRails } from '../../../test/support/rails.js';
import { parseScenario } from '../scenario.js';
import type { RailCall, RailOutcomeEvent } from '../types.js';
import { buildUpiUri, formatRupees, isVpa, normalizeVpa } from './rules.js';
import { upiRrn } from './simulator.js';

/** The sandbox instant every test's company starts at (15:37 IST). */
const START = new Date('2026-11-27T10:07:00.000Z');

describe('VPA syntax', () => {
  it.each(['success@enkash', 'a.b-c_d@okhdfcbank', '9876543210@ybl', 'AB@paytm'])('accepts %s', (vpa) => expect(isVpa(vpa)).toBe(true));
  it.each(['a@enkash', 'no-at-sign', 'x@', '@psp', 'name@1psp', 'na me@psp', 'name@psp@psp', 'name@p'])('refuses %s', (vpa) => expect(isVpa(vpa)).toBe(false));
  it('lower-cases and names the field on error', () => {
    expect(normalizeVpa('Success@EnKash')).toBe('success@enkash');
    expect(() => normalizeVpa('bad', 'payerVpa')).toThrow('Invalid field payerVpa: not a VPA (expected handle@psp)');
  });
});

describe('upi://pay links (NPCI UPI Linking Specification)', () => {
  it('carries pa, pn, mc, tr, tn, am and cu in order, percent-encoded', () => {
    const uri = buildUpiUri({
      pa: 'merchant@enkash',
      pn: 'Acme Stores & Co',
      amountPaise: 12_345n,
      tr: 'ORD1784195236818VZuxB',
      tn: 'Order 42 / June',
      mc: '5411',
    });
    expect(uri).toBe('upi://pay?pa=merchant%40enkash&pn=Acme%20Stores%20%26%20Co&mc=5411&tr=ORD1784195236818VZuxB&tn=Order%2042%20%2F%20June&am=123.45&cu=INR');
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('upi:');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      pa: 'merchant@enkash',
      pn: 'Acme Stores & Co',
      mc: '5411',
      tr: 'ORD1784195236818VZuxB',
      tn: 'Order 42 / June',
      am: '123.45',
      cu: 'INR',
    });
  });

  it('omits the amount of a static QR and formats paise exactly', () => {
    expect(buildUpiUri({ pa: 'shop@enkash', pn: 'Shop' })).toBe('upi://pay?pa=shop%40enkash&pn=Shop&cu=INR');
    expect(formatRupees(1n)).toBe('0.01');
    expect(formatRupees(100n)).toBe('1.00');
    expect(formatRupees(10_000_000_07n)).toBe('10000000.07');
  });

  it.each([
    ['pa', { pa: 'bad', pn: 'x' }],
    ['pn', { pa: 'ab@enkash', pn: '' }],
    ['mc', { pa: 'ab@enkash', pn: 'x', mc: '541' }],
    ['tr', { pa: 'ab@enkash', pn: 'x', tr: 'x'.repeat(36) }],
    ['tn', { pa: 'ab@enkash', pn: 'x', tn: 'x'.repeat(51) }],
    ['am', { pa: 'ab@enkash', pn: 'x', amountPaise: 0n }],
  ])('refuses a bad %s', (param, params) => {
    try {
      buildUpiUri(params);
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as AppError).code).toBe('invalid_rail_input');
      expect((err as AppError).param).toBe(param);
    }
  });
});

/**
 * The simulator as the app builds it (test/support/rails.ts, without the rest of the app), on the real sandbox clock and timers (sandbox_timers): each
 * test has its own company whose sandbox clock starts at START, and moves it with
 * `timers.advance`, the code path of POST /api/v0/sandbox/clock/advance.
 */
describe('UpiSimulator', () => {
  let t: TestRails;
  let company: string;
  const events: RailOutcomeEvent[] = [];
  let n = 0;
  const upi = () => t.services.rails.upi;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({
    companyId: company,
    attemptRef: `att_${++n}`,
    replyTo: 'test.upi',
    exec: t.database.db,
    ...overrides,
  });
  const advanceBy = async (ms: number) => t.services.timers.advance(company, new Date((await t.services.clocks.now(company)).getTime() + ms));

  beforeAll(async () => {
    t = await createTestRails();
    upi().onOutcome('test.upi', async (e) => {
      events.push(e);
    });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    company = (await t.services.identity.createCompany({ name: 'UPI test' })).id;
    await t.services.clocks.moveForwardTo(company, START);
    events.length = 0;
  });

  it('verifies test VPAs, unknown ones and the default', async () => {
    expect(await upi().verifyVpa('success@enkash')).toEqual({ vpa: 'success@enkash', exists: true, name: 'Tijori Success Payer' });
    expect(await upi().verifyVpa('UNKNOWN@enkash')).toEqual({ vpa: 'unknown@enkash', exists: false });
    expect(await upi().verifyVpa('someone@okaxis')).toEqual({ vpa: 'someone@okaxis', exists: true, name: 'Sandbox Payer' });
  });

  it("answers a collect pending and reports the payer's approval at once with an RRN", async () => {
    const c = call();
    const r = await upi().collect(c, { payerVpa: 'success@enkash', amountPaise: 100n });
    expect(r).toEqual({ status: 'pending', expiresAt: new Date(START.getTime() + 300_000), webhookDuplicate: false });
    // The approval is a timer due now; it fires on the next look at the clock, not inside the call.
    expect(events).toHaveLength(0);
    expect(await t.services.timers.pending(company)).toEqual({ count: 1, nextDueAt: START });
    expect(await advanceBy(0)).toEqual({ fired: 1 });
    expect(events).toEqual([
      expect.objectContaining({
        companyId: company,
        attemptRef: c.attemptRef,
        sequence: 1,
        status: 'succeeded',
        reference: expect.stringMatching(/^633115\d{6}$/),
        occurredAt: START,
        details: { payerVpa: 'success@enkash' },
      }),
    ]);
    expect(await t.services.timers.pending(company)).toEqual({ count: 0, nextDueAt: null });
  });

  it('expires a collect the payer never answers, at the expiry the product chose', async () => {
    await upi().collect(call(), { payerVpa: 'pending@enkash', amountPaise: 100n, expiresInMs: 60_000 });
    await advanceBy(59_999);
    expect(events).toHaveLength(0);
    await advanceBy(1);
    expect(events.map((e) => [e.status, e.occurredAt])).toEqual([['expired', new Date(START.getTime() + 60_000)]]);
  });

  it('does not expire a collect whose outcome came first', async () => {
    const c = call();
    await upi().collect(c, { payerVpa: 'slow@enkash', amountPaise: 100n });
    // Only the success is scheduled: no expiry timer is left to fire after it.
    const rows = await queryRows<{ kind: string; due_at: string | Date; dedupe_key: string }>(
      t.database,
      sql`select kind, due_at, dedupe_key from sandbox_timers where company_id = ${company} order by due_at, seq`,
    );
    expect(rows.map((row) => [row.kind, new Date(row.due_at).getTime() - START.getTime(), row.dedupe_key])).toEqual([
      ['rails.upi.outcome', 120_000, `upi:test.upi:${c.attemptRef}:1`],
    ]);
    await advanceBy(3600_000);
    expect(events.map((e) => [e.status, e.occurredAt.getTime() - START.getTime()])).toEqual([['succeeded', 120_000]]);
  });

  it('fails at once for a VPA that does not exist; a scenario wins over the test VPA', async () => {
    expect(await upi().collect(call(), { payerVpa: 'unknown@enkash', amountPaise: 100n })).toMatchObject({ status: 'failed', reasonCode: 'invalid_vpa' });
    expect(await upi().collect(call({ scenario: parseScenario('timeout') }), { payerVpa: 'success@enkash', amountPaise: 100n })).toMatchObject({
      status: 'no_answer',
    });
    expect(await t.services.timers.pending(company)).toEqual({ count: 0, nextDueAt: null });
  });

  it('builds the intent link and reports the payment', async () => {
    const r = await upi().intent(call(), {
      payee: { vpa: 'merchant@enkash', name: 'Acme', mcc: '5411' },
      amountPaise: 25_000n,
      transactionRef: 'ORD1',
      payerVpa: 'insufficient@enkash',
    });
    expect(r.uri).toBe('upi://pay?pa=merchant%40enkash&pn=Acme&mc=5411&tr=ORD1&am=250.00&cu=INR');
    expect(r.status).toBe('pending');
    await advanceBy(0);
    expect(events).toEqual([expect.objectContaining({ status: 'declined', reasonCode: 'insufficient_funds' })]);
  });

  it('an intent that waits for its payer (pending) is answered by payerAnswers, once: pay with an RRN, or decline', async () => {
    const payee = { vpa: 'merchant@enkash', name: 'Acme' };
    const waiting = call({ scenario: parseScenario('pending') });
    expect(await upi().intent(waiting, { payee, amountPaise: 4200n, transactionRef: 'EK1' })).toMatchObject({ status: 'pending' });
    await advanceBy(60_000);
    expect(events).toEqual([]);
    await upi().payerAnswers(waiting, 'pay');
    // A second answer for the same attempt schedules nothing.
    await upi().payerAnswers(waiting, 'decline');
    await advanceBy(0);
    expect(events).toEqual([
      expect.objectContaining({ attemptRef: waiting.attemptRef, sequence: 0, status: 'succeeded', reference: expect.stringMatching(/^\d{12}$/) }),
    ]);
    events.length = 0;
    const declined = call({ scenario: parseScenario('pending') });
    await upi().intent(declined, { payee, amountPaise: 4200n, transactionRef: 'EK2' });
    await upi().payerAnswers(declined, 'decline');
    await advanceBy(0);
    expect(events).toEqual([expect.objectContaining({ attemptRef: declined.attemptRef, status: 'declined', reasonCode: 'debit_failed' })]);
  });

  it('withdraw: a waiting request is reported expired now and its payer can no longer answer; a payer who answered first keeps the answer', async () => {
    const payee = { vpa: 'merchant@enkash', name: 'Acme' };
    const waiting = call({ scenario: parseScenario('pending') });
    await upi().intent(waiting, { payee, amountPaise: 4200n, transactionRef: 'EK3' });
    await upi().withdraw(waiting);
    await upi().payerAnswers(waiting, 'pay');
    await advanceBy(0);
    expect(events).toEqual([expect.objectContaining({ attemptRef: waiting.attemptRef, sequence: 0, status: 'expired' })]);
    events.length = 0;
    const answered = call({ scenario: parseScenario('pending') });
    await upi().intent(answered, { payee, amountPaise: 4200n, transactionRef: 'EK4' });
    await upi().payerAnswers(answered, 'pay');
    await upi().withdraw(answered);
    await advanceBy(0);
    expect(events).toEqual([expect.objectContaining({ attemptRef: answered.attemptRef, sequence: 0, status: 'succeeded' })]);
  });

  it('answers mandate requests: approve, reject, approve later, never', async () => {
    for (const payerVpa of ['autopay.approve@enkash', 'autopay.reject@enkash', 'autopay.slow@enkash', 'autopay.silent@enkash', 'anyone@okicici']) {
      expect(await upi().requestMandateApproval(call(), { payerVpa, amountPaise: 2540_00n })).toEqual({ status: 'pending' });
    }
    // Answers due at the same instant fire in the order they were requested.
    await advanceBy(24 * 3600_000);
    expect(events.map((e) => [e.details['payerVpa'], e.status, e.reasonCode])).toEqual([
      ['autopay.approve@enkash', 'approved', undefined],
      ['autopay.reject@enkash', 'rejected', 'rejected_by_payer'],
      ['anyone@okicici', 'approved', undefined],
      ['autopay.slow@enkash', 'approved', undefined],
    ]);
    await expect(upi().requestMandateApproval(call({ scenario: parseScenario('webhook_duplicate') }), { payerVpa: 'a@b1', amountPaise: 1n })).rejects.toThrow(
      'is not supported by UPI mandate approval',
    );
  });

  it('forms RRNs from the IST date and hour', () => {
    // 2026-11-27 10:07 UTC is 15:37 IST on day 331.
    expect(upiRrn(new Date('2026-11-27T10:07:00Z'))).toMatch(/^633115\d{6}$/);
    // 2026-12-31 19:00 UTC is already 1 January 2027, 00:30 IST.
    expect(upiRrn(new Date('2026-12-31T19:00:00Z'))).toMatch(/^700100\d{6}$/);
  });
});
