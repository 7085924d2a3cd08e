import { describe, expect, it } from 'vitest';
import { SANDBOX } from '../../../auth/seed.js';
import { backend } from '../../../../test/support/app.js';
import { checkoutHarness, type Detail } from '../../../../test/support/checkout-harness.js';

/**
 * The hosted checkout's sandbox payer control (issue 16, item 13): a UPI QR code or app link
 * waits for its payer, who in the sandbox is the tester answering on the page
 * (`POST /pay/checkout/sandbox/upi-payer/{transactionId}`), never a timer of its own.
 */
describe(`hosted checkout: the sandbox UPI payer control (${backend})`, () => {
  const { state, json, createOrder, open, key, cardCharge, verifyLedger } = checkoutHarness();

  const showQr = async (d: Detail, headers: Record<string, string> = {}) => {
    const res = await state.t.app.inject({
      method: 'GET',
      url: `/pay/checkout/qrcode/${d.transactionId}?${key(d)}`,
      headers: { accept: 'application/json', ...headers },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const answer = (d: Detail, body: object, query = key(d)) => json('POST', `/pay/checkout/sandbox/upi-payer/${d.transactionId}?${query}`, body);
  const poll = async (d: Detail) => (await json('GET', `/pay/checkout/status/upi/${d.transactionId}?${key(d)}`)).body.payload.status as string;
  const transaction = async (d: Detail) => {
    const res = await state.t.app.inject({ method: 'GET', url: `/api/v0/payment/${d.transactionId}`, headers: state.merchant });
    return (res.json() as { payload: Record<string, unknown> }).payload;
  };

  it('DECLINE fails the QR payment (debit_failed); the order takes a new attempt; a second answer is refused and changes nothing', async () => {
    const orderId = await createOrder(64);
    const d = await open(orderId);
    await showQr(d);
    await state.t.services.timers.runDue(SANDBOX.companyId);
    expect(await poll(d)).toBe('PROCESS');
    const declined = await answer(d, { answer: 'DECLINE' });
    expect(declined.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { transactionId: d.transactionId, ekPayId: d.transactionId, status: 'FAILED' },
    });
    expect(await transaction(d)).toMatchObject({ status: 'FAILED', paymentMode: 'UPI' });
    const again = await answer(d, { answer: 'PAY' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ response_code: 409, payload: null });
    expect(again.headers['x-error-code']).toBe('payment_state_conflict');
    await state.t.services.timers.runDue(SANDBOX.companyId);
    expect(await transaction(d)).toMatchObject({ status: 'FAILED' });
    // The order is still payable: a reload opens a new attempt.
    const next = await open(orderId);
    expect(next.transactionId).not.toBe(d.transactionId);
    await verifyLedger();
  });

  it('refuses what is not a QR or app payment waiting for its payer, a wrong key, a bad answer and a live company, and the payment keeps waiting', async () => {
    const d = await open(await createOrder(81));
    // Before the QR is shown the transaction has no intent: nothing to answer.
    const early = await answer(d, { answer: 'PAY' });
    expect([early.status, early.headers['x-error-code']]).toEqual([409, 'payment_state_conflict']);
    await showQr(d);
    const wrongKey = await answer(d, { answer: 'PAY' }, 'publicIdentifierKey=not-the-key');
    expect(wrongKey.status).toBe(404);
    const bad = await answer(d, { answer: 'MAYBE' });
    expect(bad.status).toBe(400);
    await state.t.services.identity.setSandboxMode(SANDBOX.companyId, false);
    try {
      const live = await answer(d, { answer: 'PAY' });
      expect([live.status, live.headers['x-error-code']]).toEqual([403, 'sandbox_only']);
    } finally {
      await state.t.services.identity.setSandboxMode(SANDBOX.companyId, true);
    }
    await state.t.services.timers.runDue(SANDBOX.companyId);
    expect(await poll(d)).toBe('PROCESS');
    // A card payment is not the payer's to answer either.
    const card = await open(await createOrder(12));
    expect((await cardCharge(card, '4111111111111111')).status).toBe(200);
    const onCard = await answer(card, { answer: 'DECLINE' });
    expect(onCard.status).toBe(409);
    expect(await transaction(card)).toMatchObject({ status: 'SUCCESS' });
    // The waiting QR payment is still payable by its payer.
    expect((await answer(d, { answer: 'PAY' })).body.payload.status).toBe('SUCCESS');
    expect(await transaction(d)).toMatchObject({ status: 'SUCCESS', paymentMode: 'UPI' });
    await verifyLedger();
  });

  it("a request's own scenario still decides the QR's payer (X-Tijori-Scenario: succeed pays at once)", async () => {
    const d = await open(await createOrder(33));
    await showQr(d, { 'x-tijori-scenario': 'succeed' });
    await state.t.services.timers.runDue(SANDBOX.companyId);
    expect(await poll(d)).toBe('SUCCESS');
  });
});
