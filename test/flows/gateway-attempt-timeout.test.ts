import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';

/**
 * Payment timeouts after ADR 0028: a timer only where it can act. An attempt answered at once has
 * no timeout timer; one the rail leaves waiting (an OTP) has one. An attempt whose process died
 * between its two transactions (the card rail's answer held back, as in the recovery test) has
 * none: past its limit it stops blocking its order, and a status read or a new submit fails it
 * with bank_timeout, its notify included.
 */
describe(`gateway attempt timeouts (${backend})`, () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let seq = 0;
  let hold = false;
  let held: (() => void) | undefined;

  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json(), code: res.headers['x-error-code'] };
  };
  const order = async () => {
    const res = await call('POST', '/api/v0/orders', { orderId: `TIMEOUT-${backend}-${++seq}`, amount: { value: 120, currency: 'INR' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload.orderId as string;
  };
  const card = (orderId: string, cardNumber = '4111111111111111', paymentMode = 'CREDIT_CARD') => ({
    orderId,
    paymentMode,
    cardNumber,
    expiry: '01/31',
    cvv: '123',
  });
  const attempts = (orderId: string) =>
    queryRows<{ id: string; status: string; step: string; result_code: string }>(
      t.database,
      sql`select id, status, step, result_code from gateway_payments where company_id = ${SANDBOX.companyId} and order_id = ${orderId} order by created_at, id`,
    );
  const timeoutTimers = async (transactionId: string) =>
    (
      await queryRows<{ n: number }>(
        t.database,
        sql`select count(*)::int as n from sandbox_timers where company_id = ${SANDBOX.companyId} and kind = 'gateway.payment.timeout' and payload::text like ${'%' + transactionId + '%'}`,
      )
    )[0]!.n;
  const failedEvents = async (transactionId: string) =>
    (
      await queryRows<{ n: number }>(
        t.database,
        sql`select count(*)::int as n from events where company_id = ${SANDBOX.companyId} and type = 'PAYMENT_FAILED' and body::text like ${'%' + transactionId + '%'}`,
      )
    )[0]!.n;
  /** A submit whose rail call never returns until released: its attempt stays PROCESSING, as when its process died. */
  const dyingSubmit = async (orderId: string) => {
    hold = true;
    const pending = call('POST', '/api/v0/payment/submit', card(orderId));
    for (let i = 0; i < 500 && held === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held).toBeDefined();
    const [attempt] = await attempts(orderId);
    expect(attempt).toMatchObject({ status: 'CREATED', step: 'PROCESSING' });
    const release = held!;
    held = undefined;
    return { pending, attemptId: attempt!.id, release };
  };

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    headers = await gatewayHeaders(t.app);
    const rail = t.services.rails.card;
    const authorize = rail.authorize.bind(rail);
    rail.authorize = async (...args) => {
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => (held = resolve));
      }
      return authorize(...args);
    };
  });
  afterAll(async () => {
    held?.();
    await t?.close();
  });

  it('an attempt answered at once has no timeout timer; one left at its OTP page has one', async () => {
    const paid = await call('POST', '/api/v0/payment/submit', card(await order()));
    expect(paid.body.payload).toMatchObject({ transactionStatus: 'SUCCESS' });
    expect(await timeoutTimers(paid.body.payload.transactionId)).toBe(0);
    const otp = await call('POST', '/api/v0/payment/submit', card(await order(), '6521 5555 5555 5556', 'DEBIT_CARD'));
    expect(otp.body.payload).toMatchObject({ transactionStatus: 'CREATED', renderOtpPage: true });
    expect(await timeoutTimers(otp.body.payload.transactionId)).toBe(1);
  });

  it('a dead attempt blocks its order until its limit; then a status read fails it with bank_timeout and its notify', async () => {
    const orderId = await order();
    const { pending, attemptId, release } = await dyingSubmit(orderId);
    expect(await call('GET', `/api/v0/payment/${attemptId}`)).toMatchObject({ status: 200, body: { payload: { transactionStatus: 'CREATED' } } });
    const blocked = await call('POST', '/api/v0/payment/submit', card(orderId));
    expect(blocked.code).toBe('payment_in_progress');
    t.clock.advance(16 * 60_000);
    const read = await call('GET', `/api/v0/payment/${attemptId}`);
    expect(read.body.payload).toMatchObject({ transactionId: attemptId, transactionStatus: 'FAILED' });
    expect(await attempts(orderId)).toEqual([{ id: attemptId, status: 'FAILED', step: 'DONE', result_code: 'bank_timeout' }]);
    expect(await failedEvents(attemptId)).toBe(1);
    release();
    await pending;
    expect((await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId })).breaks).toEqual([]);
  });

  it('past its limit, a new submit supersedes a dead attempt: it fails with bank_timeout and the new one pays', async () => {
    const orderId = await order();
    const { pending, attemptId, release } = await dyingSubmit(orderId);
    t.clock.advance(16 * 60_000);
    const next = await call('POST', '/api/v0/payment/submit', card(orderId));
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID' });
    expect(await attempts(orderId)).toEqual([
      { id: attemptId, status: 'FAILED', step: 'DONE', result_code: 'bank_timeout' },
      { id: next.body.payload.transactionId, status: 'SUCCESS', step: 'DONE', result_code: 'success' },
    ]);
    expect(await failedEvents(attemptId)).toBe(1);
    // The dead run's answer arrives after all: a late success, recorded and owed back, never captured.
    release();
    await pending;
    const [dead] = await queryRows<{ late: boolean; captured: boolean }>(
      t.database,
      sql`select late_success as late, captured_at is not null as captured from gateway_payments where id = ${attemptId}`,
    );
    expect(dead).toEqual({ late: true, captured: false });
    expect((await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId })).breaks).toEqual([]);
  });
});
