import { describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend } from '../support/app.js';
import { gatewayPaymentsHarness } from './gateway-payments-harness.js';

/**
 * Payment Gateway flows past the card rails (issue 4, parts 2, 3 and 5): UPI collect and intent,
 * netbanking, wallets and pay later captured into their clearing accounts, slow and silent banks on
 * the sandbox clock, and a late UPI success recorded but never captured.
 */
describe(`gateway payments: UPI and bank rails (${backend})`, () => {
  const { state, call, createOrder, runTimers, verifyLedger, waitNotify, submit, txn, orderOf, captureOf, postingsOf } = gatewayPaymentsHarness();

  it('UPI collect: PENDING_WITH_BANK until the payer approves two minutes later, then captured into clearing:upi with no MDR', async () => {
    const order = await createOrder(500);
    const res = await submit(order.orderId, { paymentMode: 'UPI', vpa: 'slow@enkash' });
    const p = res.body.payload;
    expect(p).toMatchObject({
      transactionStatus: 'PENDING_WITH_BANK',
      orderStatus: 'PAYMENT_CONFIRMATION_PENDING',
      resultCode: 0,
      intentUrl: null,
      redirectionUrl: null,
    });
    const upi = await call('GET', `/api/v0/payment/upi/${p.transactionId}`);
    expect(upi.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: p.transactionId,
        ekPayId: p.transactionId,
        status: 'PENDING_WITH_BANK',
        upiFlow: 'COLLECT',
        vpa: 'slow@enkash',
        rrn: null,
        amount: 500,
        finalAmount: 500,
      },
    });
    const blocked = await submit(order.orderId, { paymentMode: 'UPI', vpa: 'success@enkash' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.response_message).toBe('Another payment of this order is in progress; wait for its outcome');
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 120 });
    const done = await txn(p.transactionId);
    expect(done).toMatchObject({
      status: 'SUCCESS',
      orderStatus: 'PAID',
      bankTransactionId: expect.stringMatching(/^\d{12}$/),
      mdr: 0,
      mdrGst: 0,
      vpa: 'slow@enkash',
      upiFlow: 'COLLECT',
    });
    expect(await postingsOf(p.transactionId)).toEqual(['credit merchant_pending_settlement 50000', 'debit clearing:upi 50000']);
    await verifyLedger();
  });

  it('UPI intent: the links of the order, paid when the payer completes it', async () => {
    const order = await createOrder(99.99);
    const res = await call('GET', `/api/v0/orders/${order.orderId}/upi-intent`);
    const links = res.body.payload;
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: expect.stringMatching(/^TXN/),
        gpay: expect.stringMatching(/^tez:\/\/upi\/pay\?pa=cek1gzbo6a%40enkash&/),
        phonepe: expect.stringMatching(/^phonepe:\/\/pay\?/),
        paytm: expect.stringMatching(/^paytmmp:\/\/pay\?/),
        upi: expect.stringMatching(
          /^upi:\/\/pay\?pa=cek1gzbo6a%40enkash&pn=Tijori%20Sandbox%20Company&tr=EK\d{13}[A-Z0-9]{8}&tn=Order%20ORDER-[a-z]+-\d+&am=99\.99&cu=INR$/,
        ),
      },
    });
    const same = await call('GET', `/api/v0/orders/${order.orderId}/upi-intent`);
    expect(same.body.payload.transactionId).toBe(links.transactionId);
    const qr = await call('GET', `/api/v0/orders/${order.orderId}/qrcode`);
    expect(qr.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { transactionId: links.transactionId, qrCode: expect.any(String), qrUrl: links.upi, ekPayId: links.transactionId },
    });
    // qrCode is a PNG: its 8-byte signature, then the IHDR chunk with the 240 × 240 size.
    const png = Buffer.from(qr.body.payload.qrCode, 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([240, 240]);
    await runTimers();
    expect(await txn(links.transactionId)).toMatchObject({ status: 'SUCCESS', paymentMode: 'UPI', upiFlow: 'INTENT', orderStatus: 'PAID' });
    await verifyLedger();
  });

  it("netbanking, wallet and pay later each capture into their rail's clearing account", async () => {
    const cases = [
      { detail: { paymentMode: 'NET_BANKING', bankCode: 'HDFC' }, rail: 'netbanking', bankName: 'HDFC Bank', mdr: 1.5 },
      { detail: { paymentMode: 'WALLET', bankCode: 'PAYTM' }, rail: 'wallet', bankName: 'Paytm Wallet', mdr: 1.9 },
      { detail: { paymentMode: 'PAY_LATER', bnplPaymentOptionId: 'SIMPL' }, rail: 'wallet', bankName: 'Simpl', mdr: 2 },
    ];
    for (const c of cases) {
      const order = await createOrder(100);
      const res = await submit(order.orderId, c.detail);
      expect(res.body.payload, JSON.stringify(res.body)).toMatchObject({
        transactionStatus: 'SUCCESS',
        orderStatus: 'PAID',
        paymentMode: c.detail.paymentMode,
      });
      expect(await txn(res.body.payload.transactionId)).toMatchObject({ bankName: c.bankName, mdr: c.mdr, bankTransactionId: expect.any(String) });
      expect(await postingsOf(res.body.payload.transactionId)).toEqual(['credit merchant_pending_settlement 10000', `debit clearing:${c.rail} 10000`]);
    }
    const bnpl = await call('GET', `/api/v0/orders/${(await createOrder(10)).orderId}/bnpl`);
    expect(bnpl.body.payload).toEqual([
      { bnplPaymentOptionId: 'SIMPL', name: 'Simpl' },
      { bnplPaymentOptionId: 'ICICIPAYLATER', name: 'ICICI Bank PayLater' },
      { bnplPaymentOptionId: 'LAZYPAY', name: 'LazyPay' },
    ]);
    await verifyLedger();
  });

  it('a slow bank: pending, then captured when the bank reports success on the sandbox clock', async () => {
    const order = await createOrder(300);
    const res = await submit(order.orderId, { paymentMode: 'NET_BANKING', bankCode: 'BARB' });
    expect(res.body.payload).toMatchObject({ transactionStatus: 'PENDING_WITH_BANK', orderStatus: 'PAYMENT_CONFIRMATION_PENDING' });
    expect((await call('PATCH', `/api/v0/orders/${order.orderId}/cancel`, {})).status).toBe(409);
    const waiting = await call('POST', '/api/v0/orders/search', { merchantOrderId: order.merchantOrderId, orderStatuses: ['PAYMENT_CONFIRMATION_PENDING'] });
    expect(waiting.body.payload.content.map((o: { orderId: string }) => o.orderId)).toEqual([order.orderId]);
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 180 });
    expect(await txn(res.body.payload.transactionId)).toMatchObject({ status: 'SUCCESS', orderStatus: 'PAID' });
    await verifyLedger();
  });

  it('a bank that never answers: the attempt fails by timeout after 15 minutes of sandbox time', async () => {
    const order = await createOrder(60);
    const res = await submit(order.orderId, { paymentMode: 'WALLET', bankCode: 'FREECHARGE' });
    expect(res.body.payload).toMatchObject({ transactionStatus: 'PENDING_WITH_BANK', orderStatus: 'PAYMENT_CONFIRMATION_PENDING' });
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 15 * 60 });
    expect(await txn(res.body.payload.transactionId)).toMatchObject({ status: 'FAILED', txnMsg: 'Transaction failed: bank timeout', orderStatus: 'ATTEMPTED' });
    const notifies = await waitNotify(order.merchantOrderId);
    expect(notifies[0]!.body).toMatchObject({ status: 'FAILED', orderStatus: 'ATTEMPTED' });
    // Back to ATTEMPTED, the order takes another payment.
    expect((await submit(order.orderId, { paymentMode: 'NET_BANKING', bankCode: 'HDFC' })).body.payload).toMatchObject({ orderStatus: 'PAID' });
  });

  it('PAYMENT_CONFIRMATION_PENDING holds the expiry: a failure after expiresAt expires the order at once', async () => {
    await call('PATCH', '/api/v0/merchant/settings', { orderExpiryMinutes: 10 });
    const order = await createOrder(61);
    await call('PATCH', '/api/v0/merchant/settings', { orderExpiryMinutes: 30 });
    const res = await submit(order.orderId, { paymentMode: 'WALLET', bankCode: 'FREECHARGE' });
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 11 * 60 });
    expect(await orderOf(order.orderId)).toMatchObject({ orderStatus: 'PAYMENT_CONFIRMATION_PENDING' });
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 4 * 60 });
    expect(await txn(res.body.payload.transactionId)).toMatchObject({ status: 'FAILED', orderStatus: 'EXPIRED' });
    expect((await waitNotify(order.merchantOrderId))[0]!.body).toMatchObject({ status: 'FAILED', orderStatus: 'EXPIRED' });
  });

  it('a UPI success after the collect expired and another payment paid the order is recorded, never captured', async () => {
    const order = await createOrder(20);
    const late = (await submit(order.orderId, { paymentMode: 'UPI', vpa: 'late@enkash' })).body.payload;
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 5 * 60 });
    expect(await txn(late.transactionId)).toMatchObject({ status: 'FAILED', txnMsg: 'Transaction failed: upi request expired', lateSuccess: false });
    const card = await submit(order.orderId, { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123' });
    expect(card.body.payload).toMatchObject({ transactionStatus: 'SUCCESS' });
    await call('POST', '/api/v0/sandbox/clock/advance', { seconds: 5 * 60 });
    expect(await txn(late.transactionId)).toMatchObject({ status: 'FAILED', lateSuccess: true });
    expect(await captureOf(late.transactionId)).toBeNull();
    const owed = await state.t.services.ledger.findTransactionByReference(state.t.database.db, SANDBOX.companyId, {
      code: 'late_payment',
      referenceType: 'gateway_payment',
      referenceId: late.transactionId,
    });
    expect(owed?.postings.map((p) => `${p.direction} ${p.amount}`).sort()).toEqual(['credit 2000', 'debit 2000']);
    expect((await orderOf(order.orderId)).transactionId).toBe(card.body.payload.transactionId);
    await verifyLedger();
  });
});
