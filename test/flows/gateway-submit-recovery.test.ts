import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';

/**
 * A submit whose process dies between its transactions (found by the crash test, ADR 0026): the
 * attempt is persisted as PROCESSING, then the process is gone before the rail's answer is
 * recorded. The client retries with the same Idempotency-Key once the lease ran out. Before the
 * fix the retry made a second attempt and was answered 409 payment_in_progress, stored for good
 * under the key, and the first attempt hung until its bank timeout. Now the retry carries on with
 * the first attempt: one attempt, one capture, the answer the first run would have given.
 *
 * The "death" is the card rail's answer held back for the first call: that request never
 * finishes while the retry runs, as a killed process never does.
 */
describe(`payment submit resumed after a crash (${backend})`, () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let seq = 0;
  let release: (() => void) | undefined;
  let held = 0;

  const post = async (url: string, payload: object, key: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
      payload: JSON.stringify(payload),
    });
    return { status: res.statusCode, body: res.json(), code: res.headers['x-error-code'], replayed: res.headers['idempotent-replayed'] };
  };
  const order = async () => {
    const res = await post('/api/v0/orders', { orderId: `RECOVER-${backend}-${++seq}`, amount: { value: 250.5, currency: 'INR' } }, `order-${seq}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload.orderId as string;
  };
  const card = (orderId: string) => ({
    orderId,
    paymentMode: 'CREDIT_CARD',
    cardNumber: '4111111111111111',
    expiry: '12/30',
    cvv: '123',
    cardHolderName: 'Asha Rao',
  });
  const attempts = (orderId: string) =>
    queryRows<{ id: string; status: string; step: string; captured: boolean }>(
      t.database,
      sql`select id, status, step, captured_at is not null as captured from gateway_payments where company_id = ${SANDBOX.companyId} and order_id = ${orderId} order by created_at, id`,
    );
  /** Submits with `key` and waits until its attempt is with the (held) rail: persisted, answer not recorded. */
  const submitThatDies = async (orderId: string, key: string) => {
    const before = held;
    const first = post('/api/v0/payment/submit', card(orderId), key);
    for (let i = 0; i < 500 && held === before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held).toBe(before + 1);
    const [attempt] = await attempts(orderId);
    expect(attempt).toMatchObject({ status: 'CREATED', step: 'PROCESSING', captured: false });
    return { first, attemptId: attempt!.id };
  };
  const leaseOut = () => t.clock.advance(t.config.idempotency.leaseSeconds * 1000 + 1);

  beforeAll(async () => {
    t = await createTestApp();
    headers = await gatewayHeaders(t.app);
    // Hold back the card rail's first answer of each test until `release()`.
    const card = t.services.rails.card;
    const authorize = card.authorize.bind(card);
    card.authorize = async (...args) => {
      if (release === undefined) {
        held++;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return authorize(...args);
    };
  });
  afterAll(async () => {
    release?.();
    await t?.close();
  });

  it('the retry after the lease carries on with the attempt the dead run persisted: one attempt, one capture, then replays', async () => {
    const orderId = await order();
    const { first, attemptId } = await submitThatDies(orderId, 'pay-resume');

    // While the first run's lease lasts, the key is busy.
    expect((await post('/api/v0/payment/submit', card(orderId), 'pay-resume')).code).toBe('idempotency_request_in_progress');
    leaseOut();
    const retry = await post('/api/v0/payment/submit', card(orderId), 'pay-resume');
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.payload).toMatchObject({ transactionId: attemptId, transactionStatus: 'SUCCESS', orderStatus: 'PAID', amount: 250.5 });
    expect(await attempts(orderId)).toEqual([{ id: attemptId, status: 'SUCCESS', step: 'DONE', captured: true }]);

    // The first run wakes up: it no longer holds the key, so its recording rolls back.
    release!();
    expect((await first).code).toBe('idempotency_request_in_progress');
    const replay = await post('/api/v0/payment/submit', card(orderId), 'pay-resume');
    expect(replay).toMatchObject({ status: 200, replayed: 'true' });
    expect(replay.body).toEqual(retry.body);
    const captures = await queryRows<{ n: number }>(
      t.database,
      sql`select count(*)::int as n from ledger_transactions where company_id = ${SANDBOX.companyId} and code = 'payment_capture' and reference_id = ${attemptId}`,
    );
    expect(captures).toEqual([{ n: 1 }]);
    expect((await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId })).breaks).toEqual([]);
  });

  it('an attempt recorded since the crash (its bank timeout) is answered as it stands, not doubled', async () => {
    release = undefined;
    const orderId = await order();
    const { first, attemptId } = await submitThatDies(orderId, 'pay-timed-out');
    // 16 minutes later the attempt's bank timeout has failed it.
    t.clock.advance(16 * 60_000);
    await t.services.timers.runDue(SANDBOX.companyId);
    const retry = await post('/api/v0/payment/submit', card(orderId), 'pay-timed-out');
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.payload).toMatchObject({ transactionId: attemptId, transactionStatus: 'FAILED', error: 'bank_timeout' });
    expect((await attempts(orderId)).map((a) => a.id)).toEqual([attemptId]);
    release!();
    await first;
    expect(await attempts(orderId)).toMatchObject([{ id: attemptId, status: 'FAILED', captured: false }]);
  });

  it('without a crash, a new key for the same order is a new attempt, as before', async () => {
    const orderId = await order();
    release = () => undefined;
    const res = await post('/api/v0/payment/submit', card(orderId), 'pay-plain');
    expect(res.body.payload).toMatchObject({ transactionStatus: 'SUCCESS' });
    const other = await post('/api/v0/payment/submit', card(orderId), 'pay-plain-2');
    expect(other.status).toBe(422);
    expect(await attempts(orderId)).toHaveLength(1);
  });
});
