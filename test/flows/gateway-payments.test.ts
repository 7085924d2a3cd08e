import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_MERCHANT_SECRET } from '../../src/app.js';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * Payment Gateway flows (issue 4, parts 2, 3 and 5): an order paid in every payment mode, from
 * create to capture, with the ledger verified, whole envelopes asserted and the notify delivered to
 * a real receiver whose checksum the test recomputes.
 */
describe(`gateway payments (${backend})`, () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let seq = 0;

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, extra: Record<string, string> = {}) => {
    const res = await t.app.inject({ method, url, headers: { ...headers, ...extra, ...(payload ? { 'content-type': 'application/json' } : {}) }, ...(payload ? { payload: JSON.stringify(payload) } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  const createOrder = async (amount = 100, extra: object = {}) => {
    const merchantOrderId = `ORDER-${backend}-${++seq}`;
    const res = await call('POST', '/api/v0/orders', { orderId: merchantOrderId, amount: { value: amount, currency: 'INR' }, notifyUrl: `${rx.url}/notify/${merchantOrderId}`, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload as { orderId: string; merchantOrderId: string };
  };
  const runTimers = () => t.services.timers.runDue(SANDBOX.companyId);
  const verifyLedger = async () => {
    const report = await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId });
    expect(report.breaks).toEqual([]);
  };
  const checksum = (orderId: string, transactionId: string, uniqueTransactionId: string, amount: string, status: string) =>
    createHmac('sha256', SANDBOX_MERCHANT_SECRET).update(`${orderId}|${transactionId}|${uniqueTransactionId}|${amount}|${status}`).digest('hex');
  const notifiesFor = (merchantOrderId: string) => rx.received.filter((r) => r.path === `/notify/${merchantOrderId}`);
  const waitNotify = async (merchantOrderId: string, count = 1) => {
    const until = Date.now() + 15_000;
    while (notifiesFor(merchantOrderId).length < count) {
      if (Date.now() > until) throw new Error(`notify for ${merchantOrderId}: ${notifiesFor(merchantOrderId).length} of ${count}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return notifiesFor(merchantOrderId).map((r) => ({ body: JSON.parse(r.body) as Record<string, unknown>, headers: r.headers }));
  };

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    headers = await gatewayHeaders(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('pays an order by Visa credit card: SUCCESS at once, ledger capture, order PAID, notify with a checksum', async () => {
    const order = await createOrder(100);
    const res = await call('POST', '/api/v0/payment/submit', { orderId: order.orderId, paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123', cardHolderName: 'Asha Rao' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body.payload;
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: expect.stringMatching(/^TXN\d{13}[A-Za-z0-9]{5}$/),
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
});
