import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, queryRows } from '../support/app.js';
import { checkoutHarness, type Detail } from '../support/checkout-harness.js';

// The checkout SDK's UPI countdown ends with `PATCH /pay/charge/expire` on a transaction still
// waiting at the bank (docs/reference-notes.md §2.4; ADR 0045): Tijori withdraws the request on
// the rail and fails the transaction, so the SDK's "failed" is what Tijori records; a payment the
// bank reports after is never captured but owed back to the payer, and the order takes another
// attempt.

describe(`checkout: the SDK's expire on a UPI request waiting at the bank (${backend})`, () => {
  const { state, json, createOrder, open, cardCharge, verifyLedger } = checkoutHarness();

  const collect = (d: Detail, vpa: string) =>
    json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'UPI', vpa },
      surcharge: '0.00',
      surchargeGst: 18,
    });
  const transaction = async (d: Detail) =>
    (await state.t.app.inject({ method: 'GET', url: `/api/v0/payment/${d.transactionId}`, headers: state.merchant })).json().payload as Record<string, unknown>;
  const expire = (d: Detail) => json('PATCH', '/pay/charge/expire', { transactionId: d.transactionId, remark: 'timeout' });
  const advance = async (ms: number) =>
    state.t.services.timers.advance(SANDBOX.companyId, new Date((await state.t.services.clocks.now(SANDBOX.companyId)).getTime() + ms));

  it('fails a pending collect (FAILED, upi_request_withdrawn); its late success is not captured but owed back; the order is then paid by card', async () => {
    const orderId = await createOrder(150);
    const d = await open(orderId);
    // late@enkash: pending, expires after 5 minutes, then the bank reports a success at 10.
    const started = await collect(d, 'late@enkash');
    expect(started.body.payload).toMatchObject({ transactionStatus: 'PENDING_WITH_BANK' });
    expect(await transaction(d)).toMatchObject({ status: 'PENDING_WITH_BANK', orderStatus: 'PAYMENT_CONFIRMATION_PENDING' });

    const expired = await expire(d);
    expect(expired.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: d.transactionId,
        transactionStatus: 'FAILED',
        orderStatus: 'ATTEMPTED',
        paymentAttemptLeft: true,
        resultMessage: 'Checkout timed out (timeout): UPI request withdrawn',
      },
    });
    const minimal = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal`);
    expect(minimal.body.payload).toMatchObject({ status: 'FAILED', orderStatus: 'ATTEMPTED', paymentAttemptLeft: true });
    // A second expire is refused as for any final transaction, and changes nothing.
    const again = await expire(d);
    expect([again.status, again.headers['x-error-code']]).toEqual([409, 'checkout_state_conflict']);

    await advance(11 * 60_000);
    expect(await transaction(d)).toMatchObject({ status: 'FAILED', orderStatus: 'ATTEMPTED' });
    // The bank's success came after the withdrawal: recorded as a late success, owed back (ledger late_payment), never captured.
    expect(await queryRows(state.t.database, sql`select late_success, captured_at from gateway_payments where id = ${d.transactionId}`)).toEqual([
      { late_success: true, captured_at: null },
    ]);

    const next = await open(orderId);
    expect((await cardCharge(next, '4111111111111111')).body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID' });
    await verifyLedger();
  });

  it('an intent waiting for its payer: expire withdraws it and the sandbox payer can no longer pay it', async () => {
    const d = await open(await createOrder(42));
    const qr = await json('GET', `/pay/checkout/qrcode/${d.transactionId}`);
    expect(qr.status).toBe(200);
    const expired = await expire(d);
    expect(expired.body.payload).toMatchObject({ transactionStatus: 'FAILED', orderStatus: 'ATTEMPTED' });
    const pay = await json('POST', `/pay/checkout/sandbox/upi-payer/${d.transactionId}`, { answer: 'PAY' });
    expect([pay.status, pay.headers['x-error-code']]).toEqual([409, 'payment_state_conflict']);
    await advance(60_000);
    expect(await transaction(d)).toMatchObject({ status: 'FAILED' });
    await verifyLedger();
  });

  it('a card attempt with the bank is still refused (409): only a UPI request is withdrawn', async () => {
    const d = await open(await createOrder(43));
    // 4000000000000127: the bank never answers (the attempt stays with the bank).
    await cardCharge(d, '4000000000000127');
    const expired = await expire(d);
    expect([expired.status, expired.headers['x-error-code']]).toEqual([409, 'checkout_state_conflict']);
  });
});
