import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/app-error.js';
import { InMemorySandbox, NO_DATABASE } from '../../../test/support/rails.js';
import { parseScenario } from '../scenario.js';
import type { RailCall, RailOutcomeEvent } from '../types.js';
import { buildUpiUri, formatRupees, isVpa, normalizeVpa } from './rules.js';
import { UpiSimulator, upiRrn } from './simulator.js';

const COMPANY = 'CEK1GZBO6A';

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
    const uri = buildUpiUri({ pa: 'merchant@enkash', pn: 'Acme Stores & Co', amountPaise: 12_345n, tr: 'ORD1784195236818VZuxB', tn: 'Order 42 / June', mc: '5411' });
    expect(uri).toBe('upi://pay?pa=merchant%40enkash&pn=Acme%20Stores%20%26%20Co&mc=5411&tr=ORD1784195236818VZuxB&tn=Order%2042%20%2F%20June&am=123.45&cu=INR');
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('upi:');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ pa: 'merchant@enkash', pn: 'Acme Stores & Co', mc: '5411', tr: 'ORD1784195236818VZuxB', tn: 'Order 42 / June', am: '123.45', cu: 'INR' });
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

describe('UpiSimulator', () => {
  let sandbox: InMemorySandbox;
  let upi: UpiSimulator;
  let events: RailOutcomeEvent[];
  let n = 0;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({ companyId: COMPANY, attemptRef: `att_${++n}`, replyTo: 'test.upi', exec: NO_DATABASE, ...overrides });

  beforeEach(() => {
    sandbox = new InMemorySandbox();
    upi = new UpiSimulator({ timers: sandbox, clock: sandbox });
    events = [];
    upi.onOutcome('test.upi', async (e) => {
      events.push(e);
    });
  });

  it('verifies test VPAs, unknown ones and the default', async () => {
    expect(await upi.verifyVpa('success@enkash')).toEqual({ vpa: 'success@enkash', exists: true, name: 'Tijori Success Payer' });
    expect(await upi.verifyVpa('UNKNOWN@enkash')).toEqual({ vpa: 'unknown@enkash', exists: false });
    expect(await upi.verifyVpa('someone@okaxis')).toEqual({ vpa: 'someone@okaxis', exists: true, name: 'Sandbox Payer' });
  });

  it('answers a collect pending and reports the payer\'s approval at once with an RRN', async () => {
    const c = call();
    const r = await upi.collect(c, { payerVpa: 'success@enkash', amountPaise: 100n });
    expect(r).toEqual({ status: 'pending', expiresAt: new Date(sandbox.at().getTime() + 300_000), webhookDuplicate: false });
    await sandbox.advance(0);
    expect(events).toEqual([expect.objectContaining({ attemptRef: c.attemptRef, sequence: 1, status: 'succeeded', reference: expect.stringMatching(/^\d{12}$/), details: { payerVpa: 'success@enkash' } })]);
  });

  it('expires a collect the payer never answers, at the expiry the product chose', async () => {
    await upi.collect(call(), { payerVpa: 'pending@enkash', amountPaise: 100n, expiresInMs: 60_000 });
    await sandbox.advance(59_999);
    expect(events).toHaveLength(0);
    await sandbox.advance(1);
    expect(events.map((e) => e.status)).toEqual(['expired']);
  });

  it('does not expire a collect whose outcome came first', async () => {
    await upi.collect(call(), { payerVpa: 'slow@enkash', amountPaise: 100n });
    await sandbox.advance(3600_000);
    expect(events.map((e) => [e.status, e.occurredAt.getTime() - new Date('2026-11-27T10:07:00Z').getTime()])).toEqual([['succeeded', 120_000]]);
  });

  it('fails at once for a VPA that does not exist; a scenario wins over the test VPA', async () => {
    expect(await upi.collect(call(), { payerVpa: 'unknown@enkash', amountPaise: 100n })).toMatchObject({ status: 'failed', reasonCode: 'invalid_vpa' });
    expect(await upi.collect(call({ scenario: parseScenario('timeout') }), { payerVpa: 'success@enkash', amountPaise: 100n })).toMatchObject({ status: 'no_answer' });
    expect(sandbox.pending()).toHaveLength(0);
  });

  it('builds the intent link and reports the payment', async () => {
    const r = await upi.intent(call(), { payee: { vpa: 'merchant@enkash', name: 'Acme', mcc: '5411' }, amountPaise: 25_000n, transactionRef: 'ORD1', payerVpa: 'insufficient@enkash' });
    expect(r.uri).toBe('upi://pay?pa=merchant%40enkash&pn=Acme&mc=5411&tr=ORD1&am=250.00&cu=INR');
    expect(r.status).toBe('pending');
    await sandbox.advance(0);
    expect(events).toEqual([expect.objectContaining({ status: 'declined', reasonCode: 'insufficient_funds' })]);
  });

  it('answers mandate requests: approve, reject, approve later, never', async () => {
    for (const payerVpa of ['autopay.approve@enkash', 'autopay.reject@enkash', 'autopay.slow@enkash', 'autopay.silent@enkash', 'anyone@okicici']) {
      expect(await upi.requestMandateApproval(call(), { payerVpa, amountPaise: 2540_00n })).toEqual({ status: 'pending' });
    }
    await sandbox.advance(24 * 3600_000);
    expect(events.map((e) => [e.details['payerVpa'], e.status, e.reasonCode])).toEqual([
      ['autopay.approve@enkash', 'approved', undefined],
      ['autopay.reject@enkash', 'rejected', 'rejected_by_payer'],
      ['anyone@okicici', 'approved', undefined],
      ['autopay.slow@enkash', 'approved', undefined],
    ]);
    await expect(upi.requestMandateApproval(call({ scenario: parseScenario('webhook_duplicate') }), { payerVpa: 'a@b1', amountPaise: 1n })).rejects.toThrow(
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
