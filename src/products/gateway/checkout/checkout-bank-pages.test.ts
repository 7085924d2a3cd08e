import { describe, expect, it } from 'vitest';
import { SANDBOX } from '../../../auth/seed.js';
import { backend } from '../../../../test/support/app.js';
import { checkoutHarness } from '../../../../test/support/checkout-harness.js';

/**
 * The hosted checkout's payment methods past the order page (reference §2.4): UPI QR code, intent
 * and collect, and the simulated bank pages of netbanking, wallets, pay later, OTP and 3-D Secure.
 */
describe(`hosted checkout: methods and bank pages (${backend})`, () => {
  const { state, json, form, createOrder, open, key, cardCharge, checksum, verifyLedger } = checkoutHarness();

  it('UPI: the QR code is a PNG of the intent link, the app links share it, and the poll turns SUCCESS once the sandbox payer pays', async () => {
    const d = await open(await createOrder(45));
    const qr = await json('GET', `/pay/checkout/qrcode/${d.transactionId}?${key(d)}`);
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    const { qrCode, qrUrl, ekPayId } = qr.body.payload as { qrCode: string; qrUrl: string; ekPayId: string };
    expect(Buffer.from(qrCode, 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(qrUrl).toMatch(/^upi:\/\/pay\?pa=/);
    expect(qrUrl).toContain(`tr=${d.uniqueTransactionId}`);
    expect(ekPayId).toBe(d.transactionId);
    const links = await json('GET', `/pay/checkout/upi-detail/${d.transactionId}?${key(d)}`);
    const query = qrUrl.slice(qrUrl.indexOf('?'));
    expect(links.body.payload).toEqual({
      transactionId: d.transactionId,
      gpay: `tez://upi/pay${query}`,
      phonepe: `phonepe://pay${query}`,
      paytm: `paytmmp://pay${query}`,
      upi: qrUrl,
    });
    const intent = await json('POST', `/pay/charge/intent-transaction?${key(d)}`, { transactionId: d.transactionId, paymentMode: 'UPI', bankCode: 'phonepe' });
    expect(intent.body.payload).toMatchObject({
      transactionId: d.transactionId,
      ekPayId: d.transactionId,
      bankCode: 'phonepe',
      intentUrl: `phonepe://pay${query}`,
      paymentMode: 'UPI',
    });
    // Nobody scans a sandbox QR code: the payer does not answer by itself, whatever timers are due.
    await state.t.services.timers.runDue(SANDBOX.companyId);
    const waiting = await json('GET', `/pay/checkout/status/upi/${ekPayId}?${key(d)}`);
    expect(waiting.body.payload).toEqual({ transactionId: d.transactionId, ekPayId, status: 'PROCESS' });
    // The page's sandbox control answers for the payer's app.
    const paid = await json('POST', `/pay/checkout/sandbox/upi-payer/${d.transactionId}?${key(d)}`, { answer: 'PAY' });
    expect(paid.body).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { transactionId: d.transactionId, ekPayId, status: 'SUCCESS' } });
    const status = await json('GET', `/pay/checkout/status/upi/${ekPayId}?${key(d)}`);
    expect(status.body).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { transactionId: d.transactionId, ekPayId, status: 'SUCCESS' } });
    await verifyLedger();
  });

  it('UPI collect: PROCESS while the payer has not answered, whatever the stored status', async () => {
    const d = await open(await createOrder(60));
    const res = await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'UPI', vpa: 'slow@enkash' },
    });
    expect(res.body.payload).toMatchObject({ transactionStatus: 'PENDING_WITH_BANK', ekPayId: d.transactionId, redirectionUrl: null });
    const polled = await json('GET', `/pay/checkout/status/upi/${d.transactionId}?${key(d)}`);
    expect(polled.body.payload.status).toBe('PROCESS');
    const cancel = await json('PATCH', `/pay/charge/cancel?${key(d)}`, { transactionId: d.transactionId, remark: 'changed my mind' });
    expect(cancel.body).toEqual({
      response_code: 409,
      response_message: 'The payment is with the bank and can no longer be cancelled; wait for its outcome',
      payload: null,
    });
  });

  it("netbanking goes through the bank's login and confirmation pages, then back to the merchant", async () => {
    const d = await open(await createOrder(500));
    const res = await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'NET_BANKING', bankCode: 'HDFC' },
    });
    expect(res.body.payload).toMatchObject({ transactionStatus: 'CREATED', paymentMode: null, resultCode: 0 });
    const redirect = new URL(res.body.payload.redirectionUrl as string);
    expect(redirect.pathname).toBe(`/pay/bank/${d.transactionId}`);
    expect(Object.fromEntries(redirect.searchParams)).toEqual({ publicIdentifierKey: d.publicIdentifierKey, paymentMode: 'NET_BANKING', bankCode: 'HDFC' });
    const login = await state.t.app.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('Tijori sandbox — simulated bank');
    expect(login.body).toContain('<h1>HDFC Bank netbanking</h1>');
    const fields = { publicIdentifierKey: d.publicIdentifierKey, paymentMode: 'NET_BANKING', bankCode: 'HDFC' };
    const confirmPage = await form(`/pay/bank/${d.transactionId}/netbanking/login`, { ...fields, userId: 'ravi', password: 'x' });
    expect(confirmPage.body).toContain(`Debit ₹500.00 from your HDFC Bank account to pay ${state.merchantName}?`);
    const confirmed = await form(`/pay/bank/${d.transactionId}/confirm`, { ...fields, decision: 'confirm' });
    expect(confirmed.statusCode).toBe(303);
    const after = await state.t.app.inject({ method: 'GET', url: confirmed.headers['location'] as string });
    expect(after.statusCode).toBe(303);
    expect(after.headers['location']).toBe(`/pay/checkout/return/${d.transactionId}?${key(d)}`);
    const back = await state.t.app.inject({ method: 'GET', url: after.headers['location'] as string });
    const q = new URL(back.headers['location'] as string).searchParams;
    expect([q.get('status'), q.get('paymentMode'), q.get('bankCode'), q.get('payment_status')]).toEqual(['SUCCESS', 'NET_BANKING', 'HDFC', 'success']);
    // A second confirmation changes nothing.
    const twice = await form(`/pay/bank/${d.transactionId}/confirm`, { ...fields, decision: 'confirm' });
    expect(twice.statusCode).toBe(303);
    await verifyLedger();
  });

  it("wallets confirm on the provider's page (a declining wallet fails the payment); cancel there cancels it", async () => {
    const orderId = await createOrder(90);
    const d = await open(orderId);
    const res = await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'WALLET', bankCode: 'MOBIKWIK' },
    });
    const redirect = new URL(res.body.payload.redirectionUrl as string);
    const page = await state.t.app.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    expect(page.body).toContain(`Pay ₹90.00 from your MobiKwik balance to ${state.merchantName}?`);
    const fields = { publicIdentifierKey: d.publicIdentifierKey, paymentMode: 'WALLET', bankCode: 'MOBIKWIK' };
    await form(`/pay/bank/${d.transactionId}/confirm`, { ...fields, decision: 'confirm' });
    const back = await state.t.app.inject({ method: 'GET', url: `/pay/checkout/return/${d.transactionId}?${key(d)}` });
    const q = new URL(back.headers['location'] as string).searchParams;
    expect([q.get('status'), q.get('payment_status'), q.get('bankCode'), q.get('txnMsg')]).toEqual([
      'FAILED',
      'failed',
      'MOBIKWIK',
      'Transaction failed: insufficient balance',
    ]);
    expect(q.get('checksum')).toBe(checksum(q));
    // Pay later, abandoned at the provider: CANCELLED, and the order still takes a payment.
    const next = await open(orderId);
    await json('POST', '/pay/charge/process', {
      transactionId: next.transactionId,
      publicIdentifierKey: next.publicIdentifierKey,
      paymentDetail: { paymentMode: 'PAY_LATER', bankCode: 'SIMPL' },
    });
    const cancelled = await form(`/pay/bank/${next.transactionId}/confirm`, {
      publicIdentifierKey: next.publicIdentifierKey,
      paymentMode: 'PAY_LATER',
      bankCode: 'SIMPL',
      decision: 'cancel',
    });
    expect(cancelled.headers['location']).toBe(`/pay/checkout/return/${next.transactionId}?${key(next)}`);
    const minimal = await json('GET', `/api/v0/transactions/${next.transactionId}/minimal?${key(next)}`);
    expect(minimal.body.payload).toMatchObject({ status: 'CANCELLED', txnMsg: 'Cancelled by the customer at the bank', paymentAttemptLeft: true });
  });

  it('a bank page with a wrong key is a 404 page; an OTP page shows the attempts left after a wrong OTP', async () => {
    const d = await open(await createOrder(35));
    const wrong = await state.t.app.inject({ method: 'GET', url: `/pay/bank/${d.transactionId}?publicIdentifierKey=nope` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('<h1>Payment not found</h1>');
    const res = await cardCharge(d, '6521555555555556');
    expect(res.body.payload).toMatchObject({ renderOtpPage: true, rupay: true, paymentMode: 'DEBIT_CARD' });
    const otp = await form(`/pay/bank/${d.transactionId}/otp`, { publicIdentifierKey: d.publicIdentifierKey, otp: '999999' });
    expect(otp.statusCode).toBe(200);
    expect(otp.body).toContain('Incorrect OTP. 2 attempts left.');
    const right = await form(`/pay/bank/${d.transactionId}/otp`, { publicIdentifierKey: d.publicIdentifierKey, otp: '123456' });
    expect(right.statusCode).toBe(303);
    const minimal = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?${key(d)}`);
    expect(minimal.body.payload).toMatchObject({ status: 'SUCCESS', paymentMode: 'DEBIT_CARD', cardScheme: 'RUPAY' });
    await verifyLedger();
  });

  it('a bank page posted as JSON with values that are not strings answers a page, never a 500', async () => {
    const d = await open(await createOrder(36));
    await cardCharge(d, '6521555555555556');
    for (const body of [
      { publicIdentifierKey: 123, otp: '123456' },
      { publicIdentifierKey: [d.publicIdentifierKey], otp: 123456 },
      { publicIdentifierKey: d.publicIdentifierKey, otp: { $ne: 1 } },
    ]) {
      const res = await state.t.app.inject({
        method: 'POST',
        url: `/pay/bank/${d.transactionId}/otp`,
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBeLessThan(500);
    }
    const login = await state.t.app.inject({
      method: 'POST',
      url: `/pay/bank/${d.transactionId}/netbanking/login`,
      headers: { 'content-type': 'application/json' },
      payload: { publicIdentifierKey: d.publicIdentifierKey, userId: 5 },
    });
    expect(login.statusCode).toBeLessThan(500);
    const minimal = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?${key(d)}`);
    expect(minimal.body.payload.status).not.toBe('SUCCESS');
  });

  it("3-D Secure: the challenge page's fail button fails the payment; the order takes a new attempt", async () => {
    const orderId = await createOrder(70);
    const d = await open(orderId);
    const res = await cardCharge(d, '4000000000003220');
    expect(res.body.payload).toMatchObject({ transactionStatus: 'CREATED', renderOtpPage: false });
    const page = await state.t.app.inject({
      method: 'GET',
      url: new URL(res.body.payload.redirectionUrl as string).pathname + new URL(res.body.payload.redirectionUrl as string).search,
    });
    expect(page.body).toContain('<h1>3-D Secure challenge</h1>');
    const failed = await form(`/pay/bank/${d.transactionId}/challenge`, { publicIdentifierKey: d.publicIdentifierKey, result: 'fail' });
    expect(failed.statusCode).toBe(303);
    const minimal = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?${key(d)}`);
    expect(minimal.body.payload).toMatchObject({ status: 'FAILED', orderStatus: 'ATTEMPTED', paymentAttemptLeft: true });
    const next = await open(orderId);
    expect(next.transactionId).not.toBe(d.transactionId);
  });
});
