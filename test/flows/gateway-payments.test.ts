import { describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { verify } from '../../src/core/events/signing.js';
import { backend } from '../support/app.js';
import { gatewayPaymentsHarness } from './gateway-payments-harness.js';

/**
 * Payment Gateway flows (issue 4, parts 2, 3 and 5): an order paid in every payment mode, from
 * create to capture, with the ledger verified, whole envelopes asserted and the notify delivered to
 * a real receiver whose checksum the test recomputes.
 */
describe(`gateway payments (${backend})`, () => {
  const { state, call, createOrder, verifyLedger, checksum, notifiesFor, waitNotify, submit, txn, orderOf, captureOf, postingsOf } = gatewayPaymentsHarness();

  it('pays an order by Visa credit card: SUCCESS at once, ledger capture, order PAID, notify with a checksum', async () => {
    const order = await createOrder(100);
    const res = await call('POST', '/api/v0/payment/submit', {
      orderId: order.orderId,
      paymentMode: 'CREDIT_CARD',
      cardNumber: '4111111111111111',
      expiry: '12/30',
      cvv: '123',
      cardHolderName: 'Asha Rao',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body.payload;
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: expect.stringMatching(/^TXN\d{13}[A-Za-z0-9]{16}$/),
        uniqueTransactionId: expect.stringMatching(/^EK\d{13}[A-Z0-9]{8}$/),
        orderId: order.orderId,
        transactionStatus: 'SUCCESS',
        orderStatus: 'PAID',
        paymentMode: 'CREDIT_CARD',
        amount: 100,
        surcharge: 0,
        surchargeGst: 0,
        finalAmount: 100,
        currency: 'INR',
        redirectionUrl: null,
        renderOtpPage: false,
        rupay: false,
        otpAttemptsLeft: null,
        otpResendsLeft: null,
        intentUrl: null,
        resultCode: 0,
        resultMessage: 'Transaction successful',
        error: null,
      },
    });
    const [notify] = await waitNotify(order.merchantOrderId);
    expect(notify!.body).toEqual({
      surcharge: 0,
      surchargeGst: 0,
      amount: 100,
      finalAmount: 100,
      paymentMode: 'CREDIT_CARD',
      bankCode: 'HDFC',
      bankName: 'HDFC Bank',
      cardScheme: 'VISA',
      currency: 'INR',
      checksum: checksum(order.orderId, p.transactionId, p.uniqueTransactionId, '100.00', 'SUCCESS'),
      status: 'SUCCESS',
      transactionId: p.transactionId,
      txnMsg: 'Transaction successful',
      txnDate: '2026-01-01T00:00:00.000Z',
      uniqueTransactionId: p.uniqueTransactionId,
      maskedCardNumber: '411111XXXXXX1111',
      cardHolderName: 'Asha Rao',
      paymentToken: expect.stringMatching(/^ctok_/),
      bankTransactionId: expect.stringMatching(/^\d{6}$/),
      mdr: 1.8,
      mdrGst: 0.32,
      transactionAmount: 100,
      orderId: order.orderId,
      orderStatus: 'PAID',
      transactionStatus: 'SUCCESS',
    });
    expect(notify!.headers['webhook-signature']).toMatch(/^v1,/);
    await verifyLedger();
  });

  it('RuPay debit card with OTP: a wrong OTP keeps the attempt waiting, the right one captures; resend counts down', async () => {
    const order = await createOrder(250.5);
    const res = await submit(order.orderId, { paymentMode: 'DEBIT_CARD', cardNumber: '6521 5555 5555 5556', expiry: '01/31', cvv: '123' });
    const p = res.body.payload;
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: p.transactionId,
        uniqueTransactionId: p.uniqueTransactionId,
        orderId: order.orderId,
        transactionStatus: 'CREATED',
        orderStatus: 'ATTEMPTED',
        paymentMode: 'DEBIT_CARD',
        amount: 250.5,
        surcharge: 0,
        surchargeGst: 0,
        finalAmount: 250.5,
        currency: 'INR',
        redirectionUrl: expect.stringMatching(new RegExp(`^http://localhost(:80)?/pay/bank/${p.transactionId}\\?publicIdentifierKey=[A-Za-z0-9]{32}$`)),
        renderOtpPage: true,
        rupay: true,
        otpAttemptsLeft: 3,
        otpResendsLeft: 3,
        intentUrl: null,
        resultCode: 0,
        resultMessage: 'Enter the OTP sent to the registered mobile number',
        error: null,
      },
    });
    expect((await call('GET', `/api/v0/payment/${p.transactionId}/otp/resend`)).body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { transactionId: p.transactionId, sent: true, resendsLeft: 2 },
    });
    const wrong = await call('POST', `/api/v0/payment/${p.transactionId}/otp/validate`, { otp: '000000' });
    expect(wrong.body.payload).toMatchObject({
      transactionStatus: 'CREATED',
      renderOtpPage: true,
      otpAttemptsLeft: 2,
      resultCode: 0,
      resultMessage: 'Incorrect OTP; try again',
    });
    const right = await call('POST', `/api/v0/payment/${p.transactionId}/otp/validate`, { otp: '123456' });
    expect(right.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID', renderOtpPage: false, redirectionUrl: null, resultCode: 0 });
    const again = await call('POST', `/api/v0/payment/${p.transactionId}/otp/validate`, { otp: '123456' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ response_code: 409, response_message: `Transaction ${p.transactionId} is not awaiting an OTP`, payload: null });
    expect(await postingsOf(p.transactionId)).toEqual(['credit merchant_pending_settlement 25050', 'debit clearing:card 25050']);
    const [notify] = await waitNotify(order.merchantOrderId);
    expect(notify!.body).toMatchObject({
      status: 'SUCCESS',
      cardScheme: 'RUPAY',
      bankCode: 'SBIN',
      mdr: 1,
      mdrGst: 0.18,
      checksum: checksum(order.orderId, p.transactionId, p.uniqueTransactionId, '250.50', 'SUCCESS'),
    });
    await verifyLedger();
  });

  it('3-D Secure challenge: the bank page answers through completeChallenge, then the payment is captured', async () => {
    const order = await createOrder(75);
    const res = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4000000000003220', expiry: '12/30', cvv: '123' });
    expect(res.body.payload).toMatchObject({ transactionStatus: 'CREATED', renderOtpPage: false, redirectionUrl: expect.stringContaining('/pay/bank/') });
    const { payment } = await state.t.services.gateway.payments.get(SANDBOX.companyId, res.body.payload.transactionId);
    const pub = await state.t.services.gateway.payments.getPublic(payment.id, payment.publicIdentifierKey);
    expect(pub.payment.step).toBe('CHALLENGE');
    await expect(state.t.services.gateway.payments.getPublic(payment.id, 'x'.repeat(32))).rejects.toThrow(/No transaction/);
    const done = await state.t.services.gateway.payments.completeChallenge(SANDBOX.companyId, payment.id, true);
    expect(done.payment.status).toBe('SUCCESS');
    expect(done.order.status).toBe('PAID');
    expect(await postingsOf(payment.id)).toEqual(['credit merchant_pending_settlement 7500', 'debit clearing:card 7500']);
    await verifyLedger();
  });

  it('a declined card fails the attempt (HTTP 200, resultCode 1) with a FAILED notify; the order stays payable', async () => {
    const order = await createOrder(40);
    const res = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4000000000000002', expiry: '12/30', cvv: '123' });
    const p = res.body.payload;
    expect(res.status).toBe(200);
    expect(p).toMatchObject({
      transactionStatus: 'FAILED',
      orderStatus: 'ATTEMPTED',
      resultCode: 1,
      resultMessage: 'Transaction failed: card declined',
      error: 'card_declined',
    });
    const [notify] = await waitNotify(order.merchantOrderId);
    expect(notify!.body).toMatchObject({
      status: 'FAILED',
      transactionStatus: 'FAILED',
      orderStatus: 'ATTEMPTED',
      bankTransactionId: null,
      mdr: 0,
      checksum: checksum(order.orderId, p.transactionId, p.uniqueTransactionId, '40.00', 'FAILED'),
    });
    expect(await captureOf(p.transactionId)).toBeNull();
    expect((await orderOf(order.orderId)).paymentAttemptLeft).toBe(4);
    const retry = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '5555555555554444', expiry: '12/30', cvv: '123' });
    expect(retry.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID' });
    const paid = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123' });
    expect(paid.status).toBe(422);
    expect(paid.body).toEqual({ response_code: 422, response_message: 'The order is PAID and takes no payment', payload: null });
    await verifyLedger();
  });

  it('fee rules from the settings: the scheme rule beats the default, GST on the fees, fees and GST captured into fees_revenue and gst_payable', async () => {
    const patch = await call('PATCH', '/api/v0/merchant/settings', { feeRules: { SC_CC_DEFAULT: 5, SC_CC_VISA: 10, CF_CC_DEFAULT: 2.5 } });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    try {
      const order = await createOrder(100);
      const res = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123' });
      const p = res.body.payload;
      expect(p).toMatchObject({ transactionStatus: 'SUCCESS', amount: 100, surcharge: 12.5, surchargeGst: 2.25, finalAmount: 114.75 });
      expect(await postingsOf(p.transactionId)).toEqual([
        'credit fees_revenue 1250',
        'credit gst_payable 225',
        'credit merchant_pending_settlement 10000',
        'debit clearing:card 11475',
      ]);
      const [notify] = await waitNotify(order.merchantOrderId);
      expect(notify!.body).toMatchObject({
        amount: 100,
        surcharge: 12.5,
        surchargeGst: 2.25,
        finalAmount: 114.75,
        transactionAmount: 114.75,
        mdr: 1.8,
        mdrGst: 0.32,
      });
      // Mastercard has no scheme rule: the default applies.
      const mc = await submit((await createOrder(100)).orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '5555555555554444', expiry: '12/30', cvv: '123' });
      expect(mc.body.payload).toMatchObject({ surcharge: 7.5, surchargeGst: 1.35, finalAmount: 108.85 });
      await verifyLedger();
    } finally {
      await call('PATCH', '/api/v0/merchant/settings', { feeRules: {} });
    }
  });

  it('validation: missing card fields, a Luhn failure, a debit card as CREDIT_CARD, a third decimal, duplicate orderId', async () => {
    const order = await createOrder(10);
    const missing = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ response_code: 400, response_message: 'Missing required field expiry for paymentMode CREDIT_CARD', payload: null });
    const luhn = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111112', expiry: '12/30', cvv: '123' });
    expect(luhn.body).toEqual({ response_code: 400, response_message: 'Invalid field cardNumber: fails the Luhn check', payload: null });
    const mismatch = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '6521555555555556', expiry: '12/30', cvv: '123' });
    expect(mismatch.body).toEqual({
      response_code: 422,
      response_message: 'The card is a DEBIT card; paymentMode CREDIT_CARD needs a CREDIT card',
      payload: null,
    });
    expect((await orderOf(order.orderId)).paymentAttemptLeft).toBe(5);
    const third = await call('POST', '/api/v0/orders', { orderId: 'THIRD-DECIMAL', amount: { value: 10.005, currency: 'INR' } });
    expect(third.body).toEqual({ response_code: 400, response_message: 'Invalid field amount.value: must be rupees with at most two decimals', payload: null });
    const dup = await call('POST', '/api/v0/orders', { orderId: order.merchantOrderId, amount: { value: 10, currency: 'INR' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ response_code: 409, response_message: `An order with orderId ${order.merchantOrderId} already exists`, payload: null });
  });

  it('an Idempotency-Key replays the submit: one attempt, one capture, the same answer', async () => {
    const order = await createOrder(33);
    const detail = { paymentMode: 'NET_BANKING', bankCode: 'ICIC' };
    const first = await submit(order.orderId, detail, { 'idempotency-key': `pay-${order.orderId}` });
    const second = await submit(order.orderId, detail, { 'idempotency-key': `pay-${order.orderId}` });
    expect(first.body.payload).toMatchObject({ transactionStatus: 'SUCCESS' });
    expect(second.body).toEqual(first.body);
    const txns = await call('POST', '/api/v0/payment/search', { orderId: order.orderId });
    expect(txns.body.payload.totalElements).toBe(1);
  });

  it('the notify carries the Standard Webhooks signature and is retried on the sandbox clock until the merchant answers 2xx', async () => {
    const order = await createOrder(15);
    const path = `/notify/${order.merchantOrderId}`;
    state.rx.behave((r) => (r.path === path && notifiesFor(order.merchantOrderId).length === 1 ? { status: 503 } : { status: 200, body: 'ok' }));
    try {
      const res = await submit(order.orderId, { paymentMode: 'NET_BANKING', bankCode: 'TEST_SUCCESS' });
      expect(res.body.payload.transactionStatus).toBe('SUCCESS');
      await waitNotify(order.merchantOrderId, 1);
      await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 10 });
      const [first, second] = await waitNotify(order.merchantOrderId, 2);
      expect(second!.body).toEqual(first!.body);
      expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      const secret = (await call('GET', '/api/v0/webhook-data/notify-secret')).body.payload.secret as string;
      const raw = notifiesFor(order.merchantOrderId)[1]!;
      // The timestamp is the platform's (manual) clock, so the tolerance is checked against it.
      const signed = {
        id: String(raw.headers['webhook-id']),
        timestamp: String(raw.headers['webhook-timestamp']),
        signature: String(raw.headers['webhook-signature']),
      };
      const now = state.t.clock.now().getTime() / 1000;
      expect(verify(secret, signed, raw.body, now)).toBe(true);
      expect(verify(secret, signed, raw.body.replace('"SUCCESS"', '"FAILED"'), now)).toBe(false);
    } finally {
      state.rx.behave({ status: 200, body: 'ok' });
    }
  });

  it('three wrong OTPs decline the card; a failed 3-D Secure challenge fails the attempt', async () => {
    const order = await createOrder(12);
    const p = (await submit(order.orderId, { paymentMode: 'DEBIT_CARD', cardNumber: '6521555555555556', expiry: '01/31', cvv: '123' })).body.payload;
    for (const left of [2, 1])
      expect((await call('POST', `/api/v0/payment/${p.transactionId}/otp/validate`, { otp: '111111' })).body.payload).toMatchObject({
        transactionStatus: 'CREATED',
        otpAttemptsLeft: left,
      });
    const third = await call('POST', `/api/v0/payment/${p.transactionId}/otp/validate`, { otp: '111111' });
    expect(third.body.payload).toMatchObject({
      transactionStatus: 'FAILED',
      resultCode: 1,
      error: 'otp_attempts_exceeded',
      renderOtpPage: false,
      otpAttemptsLeft: null,
    });
    const challenge = (await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4000000000003220', expiry: '12/30', cvv: '123' })).body.payload;
    const failed = await state.t.services.gateway.payments.completeChallenge(SANDBOX.companyId, challenge.transactionId, false);
    expect(failed.payment).toMatchObject({ status: 'FAILED', resultCode: 'authentication_failed' });
    expect(failed.order.status).toBe('ATTEMPTED');
    expect((await orderOf(order.orderId)).paymentAttemptLeft).toBe(3);
  });

  it('a new attempt supersedes one left at its OTP page (after 15 s; before, it is in progress); a disabled mode is refused', async () => {
    const order = await createOrder(13);
    const otp = (await submit(order.orderId, { paymentMode: 'DEBIT_CARD', cardNumber: '6521555555555556', expiry: '01/31', cvv: '123' })).body.payload;
    const early = await submit(order.orderId, { paymentMode: 'NET_BANKING', bankCode: 'HDFC' });
    expect(early.status).toBe(409);
    expect(early.body.response_message).toBe('Another payment of this order is in progress; wait for its outcome');
    expect((await txn(otp.transactionId)).status).not.toBe('CANCELLED');
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 15 });
    const nb = await submit(order.orderId, { paymentMode: 'NET_BANKING', bankCode: 'HDFC' });
    expect(nb.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID' });
    expect(await txn(otp.transactionId)).toMatchObject({ status: 'CANCELLED', txnMsg: 'Superseded by a newer attempt' });
    expect((await call('POST', `/api/v0/payment/${otp.transactionId}/otp/validate`, { otp: '123456' })).status).toBe(409);
    await call('PATCH', '/api/v0/merchant/settings', { enabledModes: ['UPI'] });
    try {
      const off = await submit((await createOrder(13)).orderId, { paymentMode: 'NET_BANKING', bankCode: 'HDFC' });
      expect(off.body).toEqual({ response_code: 422, response_message: 'Payment mode NET_BANKING is not enabled for this merchant', payload: null });
    } finally {
      await call('PATCH', '/api/v0/merchant/settings', {
        enabledModes: ['CREDIT_CARD', 'DEBIT_CARD', 'PREPAID_CARD', 'CORPORATE_CARD', 'NET_BANKING', 'UPI', 'WALLET', 'PAY_LATER'],
      });
    }
    await verifyLedger();
  });

  it('BIN details and VPA verification', async () => {
    expect((await call('GET', '/api/v0/bin/details?bin=6521555555')).body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { cardSchemeType: 'RUPAY', cardType: 'DEBIT', pgCode: 'SBIN', bankName: 'State Bank of India', bankEntityName: 'State Bank of India' },
    });
    expect((await call('GET', '/api/v0/bin/details?bin=9999999999')).status).toBe(400);
    expect((await call('POST', '/api/v0/payment/vpa/verify', { vpa: 'Success@EnKash' })).body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { vpa: 'success@enkash', valid: true, customerName: 'Tijori Success Payer' },
    });
    expect((await call('POST', '/api/v0/payment/vpa/verify', { vpa: 'unknown@enkash' })).body.payload).toEqual({
      vpa: 'unknown@enkash',
      valid: false,
      customerName: null,
    });
  });
});
