import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqlState } from '../../core/db/transaction.js';
import { AppError } from '../../core/errors/app-error.js';
import { queryRows } from '../../../test/support/app.js';
import { createTestRails, type TestRails } from '../../../test/support/rails.js';
import { parseScenario } from '../scenario.js';
import type { RailCall, RailOutcomeEvent } from '../types.js';
import { binDetails, isExpired, luhnValid, networkOf, normalizeCardNumber, parseExpiry } from './rules.js';
import { TEST_CARDS } from './test-data.js';

/** The sandbox instant every test's company starts at; real time (the app's clock) is 2026-01-01. */
const START = new Date('2026-11-27T10:07:00.000Z');

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('card rules', () => {
  it('Luhn accepts every test card and refuses any single-digit change', () => {
    for (const c of TEST_CARDS) expect(luhnValid(c.number), c.number).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...TEST_CARDS.map((c) => c.number)), fc.nat(), fc.integer({ min: 1, max: 9 }), (number, at, delta) => {
        const i = at % number.length;
        const changed = number.slice(0, i) + ((Number(number[i]) + delta) % 10).toString() + number.slice(i + 1);
        expect(luhnValid(changed)).toBe(false);
      }),
    );
  });

  it('recognises networks by IIN range and the BIN table by prefix', () => {
    expect(networkOf('4111111111111111')).toBe('VISA');
    expect(networkOf('2221000000000009')).toBe('MASTERCARD');
    expect(networkOf('5105105105105100')).toBe('MASTERCARD');
    expect(networkOf('6521555555555556')).toBe('RUPAY');
    expect(networkOf('8172000000000005')).toBe('RUPAY');
    expect(networkOf('5085000000000007')).toBe('RUPAY');
    expect(networkOf('378282246310005')).toBe('AMEX');
    expect(networkOf('36227206271667')).toBe('DINERS');
    expect(networkOf('9999999999999995')).toBeUndefined();
    expect(binDetails('4557010000')).toEqual({ bin: '455701', network: 'VISA', cardType: 'CORPORATE', issuer: 'Yes Bank', bankCode: 'YESB' });
    expect(binDetails('607100')).toMatchObject({ network: 'RUPAY', cardType: 'PREPAID', issuer: 'Bank of Baroda' });
    expect(binDetails('2221000000000009')).toEqual({ bin: '222100', network: 'MASTERCARD', cardType: 'CREDIT', issuer: 'Unknown issuer', bankCode: 'UNKN' });
    expect(binDetails('41111')).toBeUndefined();
  });

  it('checks the number without ever repeating it in the error', () => {
    expect(normalizeCardNumber('4111 1111 1111 1111')).toBe('4111111111111111');
    const luhn = (() => {
      try {
        normalizeCardNumber('4111111111111112');
      } catch (e) {
        return e as AppError;
      }
    })()!;
    expect(luhn.code).toBe('invalid_rail_input');
    expect(luhn.message).toBe('Invalid field cardNumber: fails the Luhn check');
    expect(luhn.message + (luhn.detail ?? '')).not.toContain('4111111111111112');
    expect(() => normalizeCardNumber('41111')).toThrow('must be 12 to 19 digits');
  });

  it('parses MM/YY and expires a card after the last day of its month in IST', () => {
    expect(parseExpiry('12/29')).toEqual({ month: 12, year: 2029 });
    expect(() => parseExpiry('13/29')).toThrow('Invalid field expiry: must be MM/YY');
    expect(() => parseExpiry('1/29')).toThrow('must be MM/YY');
    // 30 Nov 2026 23:59 IST is 18:29 UTC: an 11/26 card is still valid; at 18:30 UTC it is 1 Dec in India.
    expect(isExpired({ month: 11, year: 2026 }, new Date('2026-11-30T18:29:59Z'))).toBe(false);
    expect(isExpired({ month: 11, year: 2026 }, new Date('2026-11-30T18:30:00Z'))).toBe(true);
    expect(isExpired({ month: 1, year: 2027 }, new Date('2026-12-31T20:00:00Z'))).toBe(false);
    expect(isExpired({ month: 12, year: 2025 }, new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });
});

/**
 * The card rail as the app builds it (test/support/rails.ts, without the rest of the app), on the real sandbox clock and timers (sandbox_timers) and
 * its session table: each test has its own company whose sandbox clock starts at START, and moves
 * it with `timers.advance`, the code path of POST /api/v0/sandbox/clock/advance.
 */
describe('CardSimulator', () => {
  let t: TestRails;
  let company: string;
  const events: RailOutcomeEvent[] = [];
  let n = 0;

  const card = () => t.services.rails.card;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({
    companyId: company,
    attemptRef: `att_${++n}`,
    replyTo: 'test.payments',
    exec: t.database.db,
    ...overrides,
  });
  const details = (cardNumber: string, cvv = '123') => ({ card: { cardNumber, expiry: '12/30', cvv }, amountPaise: 10_000n });
  const advanceBy = async (ms: number) => t.services.timers.advance(company, new Date((await t.services.clocks.now(company)).getTime() + ms));
  const newCompany = async (name: string) => {
    const { id } = await t.services.identity.createCompany({ name });
    await t.services.clocks.moveForwardTo(id, START);
    return id;
  };
  const timerRows = () =>
    queryRows<{ kind: string; due_at: string | Date; dedupe_key: string; status: string }>(
      t.database,
      sql`select kind, due_at, dedupe_key, status from sandbox_timers where company_id = ${company} order by due_at, seq`,
    );

  beforeAll(async () => {
    t = await createTestRails();
    card().onOutcome('test.payments', async (e) => {
      events.push(e);
    });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    company = await newCompany('Card test');
    events.length = 0;
  });

  it('authorizes a frictionless card and answers token, BIN, last four and network only', async () => {
    const result = await card().authorize(call(), details('4111 1111 1111 1111'));
    expect(result).toEqual({
      status: 'succeeded',
      card: { token: expect.stringMatching(/^ctok_[0-9A-Z]{26}$/), bin: '411111', last4: '1111', network: 'VISA', cardType: 'CREDIT', issuer: 'HDFC Bank' },
      authCode: expect.stringMatching(/^\d{6}$/),
      webhookDuplicate: false,
    });
    expect(JSON.stringify(result)).not.toContain('4111111111111111');
    expect(await t.services.timers.pending(company)).toEqual({ count: 0, nextDueAt: null });
  });

  it('declines with the test card reason, and a request scenario wins over the card', async () => {
    expect(await card().authorize(call(), details('4000000000009995'))).toMatchObject({ status: 'declined', reasonCode: 'insufficient_funds' });
    expect(await card().authorize(call({ scenario: parseScenario('succeed') }), details('4000000000009995'))).toMatchObject({ status: 'succeeded' });
    expect(await card().authorize(call({ scenario: parseScenario('decline:do_not_honour') }), details('4111111111111111'))).toMatchObject({
      status: 'declined',
      reasonCode: 'do_not_honour',
    });
  });

  it('declines an expired card whatever the scenario', async () => {
    // 10/26 is still valid in real time (2026-01-01) but expired on the company's sandbox clock.
    const result = await card().authorize(call({ scenario: parseScenario('succeed') }), {
      card: { cardNumber: '4111111111111111', expiry: '10/26', cvv: '123' },
      amountPaise: 100n,
    });
    expect(result).toMatchObject({ status: 'declined', reasonCode: 'expired_card' });
  });

  it('refuses a CVV of the wrong length (4 digits on Amex) and an unsupported scenario', async () => {
    expect((await rejection(card().authorize(call(), details('378282246310005', '123')))).message).toBe('Invalid field cvv: must be 4 digits for AMEX');
    expect(await card().authorize(call(), details('378282246310005', '1234'))).toMatchObject({ status: 'succeeded', card: { network: 'AMEX', last4: '0005' } });
    expect((await rejection(card().authorize(call(), details('4111111111111111', '12')))).param).toBe('cvv');
    const unsupported = await rejection(card().authorize(call({ scenario: parseScenario('reverse_after:P1D') }), details('4111111111111111')));
    expect(unsupported.code).toBe('scenario_not_supported');
  });

  it('reports a later success through the listener on the sandbox clock (timeout_then_succeed)', async () => {
    const c = call();
    const result = await card().authorize(c, details('5105105105105100'));
    expect(result.status).toBe('no_answer');
    expect(await t.services.timers.pending(company)).toEqual({ count: 1, nextDueAt: new Date(START.getTime() + 120_000) });
    expect(await advanceBy(119_000)).toEqual({ fired: 0 });
    expect(events).toHaveLength(0);
    expect(await advanceBy(1_000)).toEqual({ fired: 1 });
    expect(events).toEqual([
      {
        rail: 'card',
        companyId: company,
        attemptRef: c.attemptRef,
        replyTo: 'test.payments',
        sequence: 1,
        status: 'succeeded',
        reference: expect.stringMatching(/^\d{6}$/),
        occurredAt: new Date(START.getTime() + 120_000),
        webhookDuplicate: false,
        details: { cardToken: result.card.token, network: 'MASTERCARD', last4: '5100' },
      },
    ]);
    expect((await timerRows()).map((row) => row.status)).toEqual(['DONE']);
  });

  it("schedules an attempt's outcome once even when the call is repeated", async () => {
    const c = call({ scenario: parseScenario('succeed_after:PT10M') });
    await card().authorize(c, details('4111111111111111'));
    await card().authorize(c, details('4111111111111111'));
    expect(await t.services.timers.pending(company)).toEqual({ count: 1, nextDueAt: new Date(START.getTime() + 600_000) });
    expect((await timerRows()).map((row) => [row.kind, new Date(row.due_at), row.dedupe_key, row.status])).toEqual([
      ['rails.card.outcome', new Date(START.getTime() + 600_000), `card:test.payments:${c.attemptRef}:1`, 'SCHEDULED'],
    ]);
    expect(await advanceBy(3_600_000)).toEqual({ fired: 1 });
    expect(events.map((e) => [e.attemptRef, e.sequence, e.status])).toEqual([[c.attemptRef, 1, 'succeeded']]);
  });

  describe('OTP', () => {
    it('needs the OTP, fails a wrong one with attempts left, and succeeds with 123456', async () => {
      const c = call();
      const first = await card().authorize(c, details('6521555555555556'));
      expect(first).toMatchObject({ status: 'otp_required', otpAttemptsLeft: 3, otpResendsLeft: 3, card: { network: 'RUPAY', cardType: 'DEBIT' } });
      const id = first.authenticationId!;
      expect(await card().submitOtp(c, { authenticationId: id, otp: '000000' })).toMatchObject({
        status: 'otp_required',
        reasonCode: 'incorrect_otp',
        otpAttemptsLeft: 2,
      });
      const ok = await card().submitOtp(c, { authenticationId: id, otp: '123456' });
      expect(ok).toMatchObject({ status: 'succeeded', authCode: expect.stringMatching(/^\d{6}$/), card: first.card });
      expect((await rejection(card().submitOtp(c, { authenticationId: id, otp: '123456' }))).code).toBe('card_authentication_completed');
    });

    it('lets exactly one of two simultaneous correct OTPs through (the session row is locked)', async () => {
      const c = call();
      const { authenticationId } = await card().authorize(c, details('6521555555555556'));
      const results = await Promise.allSettled([0, 1].map(() => card().submitOtp(c, { authenticationId: authenticationId!, otp: '123456' })));
      expect(results.filter((r) => r.status === 'fulfilled' && r.value.status === 'succeeded')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && (r.reason as AppError).code === 'card_authentication_completed')).toHaveLength(1);
    });

    it('counts simultaneous wrong OTPs exactly', async () => {
      const c = call();
      const { authenticationId } = await card().authorize(c, details('6521555555555556'));
      const results = await Promise.all([0, 1, 2].map((i) => card().submitOtp(c, { authenticationId: authenticationId!, otp: `00000${i}` })));
      expect(results.map((r) => r.otpAttemptsLeft ?? r.reasonCode).sort()).toEqual([1, 2, 'otp_attempts_exceeded']);
    });

    it('declines after three wrong OTPs', async () => {
      const c = call();
      const { authenticationId } = await card().authorize(c, details('6521555555555556'));
      await card().submitOtp(c, { authenticationId: authenticationId!, otp: '111111' });
      await card().submitOtp(c, { authenticationId: authenticationId!, otp: '222222' });
      expect(await card().submitOtp(c, { authenticationId: authenticationId!, otp: '333333' })).toMatchObject({
        status: 'declined',
        reasonCode: 'otp_attempts_exceeded',
      });
      expect((await rejection(card().submitOtp(c, { authenticationId: authenticationId!, otp: '123456' }))).code).toBe('card_authentication_completed');
    });

    it('allows three resends, then answers sent: false', async () => {
      const c = call();
      const { authenticationId } = await card().authorize(c, details('6521555555555556'));
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await card().resendOtp(c, { authenticationId: authenticationId! }));
      expect(answers).toEqual([
        { sent: true, resendsLeft: 2 },
        { sent: true, resendsLeft: 1 },
        { sent: true, resendsLeft: 0 },
        { sent: false, resendsLeft: 0 },
      ]);
    });

    it('expires the session after five minutes of sandbox time', async () => {
      const c = call();
      const { authenticationId } = await card().authorize(c, details('6521555555555556'));
      await advanceBy(5 * 60_000 - 1);
      expect(await card().resendOtp(c, { authenticationId: authenticationId! })).toEqual({ sent: true, resendsLeft: 2 });
      await advanceBy(1);
      expect(await card().submitOtp(c, { authenticationId: authenticationId!, otp: '123456' })).toMatchObject({
        status: 'declined',
        reasonCode: 'authentication_expired',
      });
    });

    it('runs the outcome decided at authorize, or the scenario of the OTP request', async () => {
      const c = call();
      const a = await card().authorize(c, details('6522000000000014'));
      expect(await card().submitOtp(c, { authenticationId: a.authenticationId!, otp: '123456' })).toMatchObject({
        status: 'declined',
        reasonCode: 'do_not_honour',
      });
      const b = await card().authorize(c, details('6522000000000014'));
      expect(await card().submitOtp({ ...c, scenario: parseScenario('succeed') }, { authenticationId: b.authenticationId!, otp: '123456' })).toMatchObject({
        status: 'succeeded',
      });
    });

    it('answers 404 to another company and keeps no card number or CVV in the table', async () => {
      const c = call();
      const { authenticationId } = await card().authorize(c, details('6521555555555556', '987'));
      const other = await newCompany('Other');
      const err = await rejection(card().submitOtp({ ...c, companyId: other }, { authenticationId: authenticationId!, otp: '123456' }));
      expect(err.code).toBe('card_authentication_not_found');
      expect(err.status).toBe(404);
      const rows = await queryRows<Record<string, unknown>>(t.database, sql`select * from rail_card_authentications`);
      expect(rows.length).toBeGreaterThan(0);
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain('6521555555555556');
      expect(dump).not.toMatch(/"987"|:987\b/);
      expect(rows.find((r) => r['id'] === authenticationId)).toMatchObject({
        company_id: company,
        bin: '652155',
        last4: '5556',
        network: 'RUPAY',
        status: 'awaiting',
      });
    });
  });

  it('cannot store a session for a company that does not exist (fk_rail_card_authentications_company)', async () => {
    const err = await card()
      .authorize(call({ companyId: 'CEKNOSUCH1' }), details('6521555555555556'))
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe('23503');
  });

  describe('3-D Secure challenge', () => {
    it('needs the challenge; a pass runs the outcome, a fail declines', async () => {
      const c = call();
      const a = await card().authorize(c, details('4000000000003220'));
      expect(a.status).toBe('challenge_required');
      expect(await card().completeChallenge(c, { authenticationId: a.authenticationId!, passed: true })).toMatchObject({ status: 'succeeded' });
      const b = await card().authorize(c, details('4000000000003220'));
      expect(await card().completeChallenge(c, { authenticationId: b.authenticationId!, passed: false })).toMatchObject({
        status: 'declined',
        reasonCode: 'authentication_failed',
      });
      const otpSession = await card().authorize(c, details('6521555555555556'));
      expect((await rejection(card().completeChallenge(c, { authenticationId: otpSession.authenticationId!, passed: true }))).code).toBe(
        'card_authentication_not_found',
      );
    });
  });
});
