import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../../auth/seed.js';
import { backend, createTestApp, type TestApp } from '../../../../test/support/app.js';
import { gatewayHeaders } from '../../../../test/support/gateway.js';

/**
 * The hosted checkout's JSON endpoints and pages (reference §2.4) through the app's real request
 * pipeline: whole envelopes, the keys that guard every public call, the bank pages' forms and the
 * return to returnUrl with its checksum.
 */
describe(`hosted checkout (${backend})`, () => {
  let t: TestApp;
  let merchant: Record<string, string>;
  let merchantName: string;
  let seq = 0;
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };
  const form = (url: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const createOrder = async (amount = 100, extra: object = {}) => {
    const merchantOrderId = `CHK-${backend}-${++seq}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/orders',
      headers: merchant,
      payload: {
        orderId: merchantOrderId,
        amount: { value: amount, currency: 'INR' },
        returnUrl: 'https://merchant.example/return?src=tijori',
        customParameters: { cart: 'c-1' },
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: { orderId: string } }).payload.orderId;
  };
  type Detail = { transactionId: string; publicIdentifierKey: string; uniqueTransactionId: string; orderId: string };
  const open = async (orderId: string): Promise<Detail> => {
    const res = await json('GET', `/pay/checkout/${orderId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload as Detail;
  };
  const key = (d: Detail) => `publicIdentifierKey=${d.publicIdentifierKey}`;
  const cardCharge = (d: Detail, cardNumber: string, extra: object = {}) =>
    json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      uniqueTransactionId: d.uniqueTransactionId,
      paymentDetail: {
        paymentMode: 'CREDIT_CARD',
        cardNumber: b64(cardNumber),
        cvv: b64('123'),
        expiry: b64('12/30'),
        cardHolderName: 'Asha Rao',
        saveCard: false,
        paymentToken: null,
        paymentType: 'NEW_CARD',
      },
      surcharge: '0.00',
      surchargeGst: 18,
      popupMode: false,
      ...extra,
    });
  const checksum = (p: URLSearchParams | Record<string, unknown>) => {
    const get = (k: string) => String(p instanceof URLSearchParams ? p.get(k) : p[k]);
    const amount = p instanceof URLSearchParams ? get('amount') : Number(p['amount']).toFixed(2);
    return createHmac('sha256', SANDBOX.merchantSecretKey)
      .update([get('orderId'), get('transactionId'), get('uniqueTransactionId'), amount, get('status')].join('|'))
      .digest('hex');
  };
  const verifyLedger = async () => expect((await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId })).breaks).toEqual([]);

  beforeAll(async () => {
    t = await createTestApp();
    merchant = await gatewayHeaders(t.app);
    merchantName = (await t.services.gatewaySettings.get(t.database.db, SANDBOX.companyId)).merchantName;
  });
  afterAll(async () => t?.close());

  it('GET /pay/checkout/{orderId} opens the transaction once (CHECKOUT_RENDERED) and answers the §2.4 order detail', async () => {
    const orderId = await createOrder(250.5, {
      customerInfo: { firstName: 'Asha', lastName: 'Rao', email: 'asha@example.in', phoneNumber: '9876543210' },
      description: 'Two books',
    });
    const first = await json('GET', `/pay/checkout/${orderId}`);
    expect(first.status).toBe(200);
    const d = first.body.payload as Detail;
    expect(first.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        orderId,
        merchantOrderId: `CHK-${backend}-${seq}`,
        orderStatus: 'CHECKOUT_RENDERED',
        description: 'Two books',
        transactionId: expect.stringMatching(/^TXN\d{13}[A-Za-z0-9]{5}$/),
        uniqueTransactionId: expect.stringMatching(/^EK\d{13}[A-Z0-9]{8}$/),
        publicIdentifierKey: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        amount: 250.5,
        totalAmount: 250.5,
        currency: 'INR',
        surcharges: {},
        surchargeGst: 18,
        merchantInfo: { merchantName, checkoutLogo: null, checkoutColorScheme: null, hideAppIntentLinks: false, upiVpaEnabled: true },
        upi: true,
        upiQrCodeEnabled: true,
        creditCard: true,
        debitCard: true,
        prepaidCard: true,
        corporateCard: true,
        creditCardSchemes: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'],
        debitCardSchemes: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'],
        prepaidCardSchemes: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'],
        corporateCardSchemes: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'],
        cardSchemesSupported: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'],
        netBanking: true,
        netBankingList: expect.arrayContaining([
          { code: 'HDFC', name: 'HDFC Bank', image: null, netBankingAccountType: 'RETAIL' },
          { code: 'TEST_FAILURE', name: 'Tijori Test Bank (failure)', image: null, netBankingAccountType: 'RETAIL' },
        ]),
        topNetBankingList: ['HDFC', 'ICIC', 'SBIN', 'UTIB', 'KKBK', 'YESB'].map((code) => expect.objectContaining({ code })),
        wallet: true,
        walletList: expect.arrayContaining([{ code: 'PAYTM', name: 'Paytm Wallet' }]),
        payLater: true,
        payLaterList: expect.arrayContaining([{ code: 'SIMPL', name: 'Simpl' }]),
        name: 'Asha Rao',
        phone: '9876543210',
        email: 'asha@example.in',
        skipContactInfo: false,
        paymentAttemptLeft: 5,
        checkoutProcessURL: '/pay/charge/process',
        checkoutCancelURL: '/pay/charge/cancel',
        returnURL: 'https://merchant.example/return?src=tijori',
        upiCollectTimeout: 5,
        savedCards: [],
        points: false,
        connectedBanking: false,
        multiplePaymentOption: false,
        anyPaymentModeActive: true,
        error: null,
        expiresAt: '2026-01-01T00:30:00.000Z',
        expiresInSeconds: 1800,
        pollIntervalMs: 5000,
      },
    });
    // A reload keeps the same transaction and key.
    const again = await open(orderId);
    expect([again.transactionId, again.publicIdentifierKey]).toEqual([d.transactionId, d.publicIdentifierKey]);
    const order = await t.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers: merchant });
    expect((order.json() as { payload: { orderStatus: string } }).payload.orderStatus).toBe('CHECKOUT_RENDERED');
  });

  it('a browser gets the page at the same path; an unknown order is a 404 in either form', async () => {
    const orderId = await createOrder(123456.5);
    const page = await t.app.inject({ method: 'GET', url: `/pay/checkout/${orderId}`, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.body).toContain('<p class="total" id="order-amount">₹1,23,456.50</p>');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<script type="application/json" id="checkout-data">');
    expect(page.body).toContain('<button type="button" role="tab" id="tab-card"');
    expect(page.body).toContain('<script src="/assets/checkout.js" defer></script>');
    const missing = await json('GET', '/pay/checkout/ORD0000000000000XXXXX');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ response_code: 404, response_message: 'No order ORD0000000000000XXXXX', payload: null });
    expect(missing.headers['x-error-code']).toBe('checkout_order_not_found');
    const missingPage = await t.app.inject({ method: 'GET', url: '/pay/checkout/ORD0000000000000XXXXX', headers: { accept: 'text/html' } });
    expect(missingPage.statusCode).toBe(404);
    expect(missingPage.body).toContain('<h1>Payment page not found</h1>');
  });

  it('pays by card through /pay/charge/process with base64 fields, never logging the card; minimal answers the return checksum', async () => {
    const orderId = await createOrder(100);
    const d = await open(orderId);
    const res = await cardCharge(d, '4111111111111111');
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: d.transactionId,
        uniqueTransactionId: d.uniqueTransactionId,
        orderId,
        transactionStatus: 'SUCCESS',
        orderStatus: 'PAID',
        paymentMode: 'CREDIT_CARD',
        amount: 100,
        finalAmount: 100,
        currency: 'INR',
        redirectionUrl: null,
        renderOtpPage: false,
        rupay: false,
        ekPayId: null,
        intentUrl: null,
        resultCode: 0,
        resultMessage: 'Transaction successful',
        error: null,
      },
    });
    const minimal = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?${key(d)}`);
    expect(minimal.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        paymentAttemptLeft: 4,
        orderId,
        merchantOrderId: `CHK-${backend}-${seq}`,
        orderStatus: 'PAID',
        status: 'SUCCESS',
        transactionStatus: 'SUCCESS',
        checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        uniqueTransactionId: d.uniqueTransactionId,
        transactionId: d.transactionId,
        amount: 100,
        surcharge: 0,
        surchargeGst: 0,
        finalAmount: 100,
        currency: 'INR',
        paymentMode: 'CREDIT_CARD',
        bankCode: 'HDFC',
        bankName: 'HDFC Bank',
        cardScheme: 'VISA',
        maskedCardNumber: '411111XXXXXX1111',
        bankTransactionId: expect.any(String),
        txnMsg: 'Transaction successful',
        txnDate: '2026-01-01T00:00:00.000Z',
        customParameters: { cart: 'c-1' },
      },
    });
    expect(minimal.body.payload.checksum).toBe(checksum(minimal.body.payload));
    expect(t.logs.lines.filter((l) => l.includes('4111111111111111') || l.includes(b64('4111111111111111')))).toEqual([]);
    // The browser's return: 303 to returnUrl with the minimal keys, amounts with two decimals, and the SDK's aliases.
    const back = await t.app.inject({ method: 'GET', url: `/pay/checkout/return/${d.transactionId}?${key(d)}` });
    expect(back.statusCode).toBe(303);
    const location = new URL(back.headers['location'] as string);
    expect(`${location.origin}${location.pathname}`).toBe('https://merchant.example/return');
    const q = location.searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      src: 'tijori',
      amount: '100.00',
      finalAmount: '100.00',
      status: 'SUCCESS',
      orderStatus: 'PAID',
      customParameters: '{"cart":"c-1"}',
      payment_status: 'success',
    });
    expect([q.get('order_id'), q.get('payment_id'), q.get('signature')]).toEqual([d.uniqueTransactionId, d.transactionId, q.get('checksum')]);
    expect(q.get('checksum')).toBe(checksum(q));
    await verifyLedger();
  });

  it("refuses a wrong key, another transaction's uniqueTransactionId and card fields that are not base64", async () => {
    const d = await open(await createOrder(20));
    const other = await open(await createOrder(20));
    const wrongKey = await cardCharge({ ...d, publicIdentifierKey: other.publicIdentifierKey }, '4111111111111111');
    expect([wrongKey.status, wrongKey.headers['x-error-code']]).toEqual([404, 'payment_not_found']);
    const noKey = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal`);
    expect([noKey.status, noKey.headers['x-error-code']]).toEqual([404, 'payment_not_found']);
    const mismatch = await cardCharge({ ...d, uniqueTransactionId: other.uniqueTransactionId }, '4111111111111111');
    expect(mismatch.body).toEqual({ response_code: 422, response_message: 'uniqueTransactionId is not the one of this transaction', payload: null });
    const plain = await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', cvv: b64('123'), expiry: b64('12/30') },
    });
    expect(plain.body).toEqual({ response_code: 400, response_message: 'Invalid field paymentDetail.cardNumber: must be base64 of digits', payload: null });
    expect(plain.headers['x-error-code']).toBe('checkout_card_encoding');
    // Nothing was spent: the transaction still takes a payment.
    expect((await cardCharge(d, '5555555555554444')).body.payload.transactionStatus).toBe('SUCCESS');
  });

  it('keeps the contact details typed on the page and prefills them on a reload', async () => {
    const orderId = await createOrder(30);
    const d = await open(orderId);
    const saved = await json('PATCH', `/pay/checkout/customer-info/${d.transactionId}?${key(d)}`, {
      customerEmail: 'ravi@example.in',
      customerMobile: '9123456780',
    });
    expect(saved.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { transactionId: d.transactionId, customerEmail: 'ravi@example.in', customerMobile: '9123456780' },
    });
    const reloaded = (await json('GET', `/pay/checkout/${orderId}`)).body.payload as { email: string; phone: string };
    expect([reloaded.email, reloaded.phone]).toEqual(['ravi@example.in', '9123456780']);
    const bad = await json('PATCH', `/pay/checkout/customer-info/${d.transactionId}?${key(d)}`, { customerMobile: '5123456780' });
    expect(bad.status).toBe(400);
    expect(bad.body.response_message).toMatch(/^Invalid field customerMobile/);
  });

  it('UPI: the QR code is a PNG of the intent link, the app links share it, and the poll turns SUCCESS once the payer pays', async () => {
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
    // The sandbox payer of an intent pays at once: its answer is a timer due now.
    await t.services.timers.runDue(SANDBOX.companyId);
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
    const login = await t.app.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('Tijori sandbox — simulated bank');
    expect(login.body).toContain('<h1>HDFC Bank netbanking</h1>');
    const fields = { publicIdentifierKey: d.publicIdentifierKey, paymentMode: 'NET_BANKING', bankCode: 'HDFC' };
    const confirmPage = await form(`/pay/bank/${d.transactionId}/netbanking/login`, { ...fields, userId: 'ravi', password: 'x' });
    expect(confirmPage.body).toContain(`Debit ₹500.00 from your HDFC Bank account to pay ${merchantName}?`);
    const confirmed = await form(`/pay/bank/${d.transactionId}/confirm`, { ...fields, decision: 'confirm' });
    expect(confirmed.statusCode).toBe(303);
    const after = await t.app.inject({ method: 'GET', url: confirmed.headers['location'] as string });
    expect(after.statusCode).toBe(303);
    expect(after.headers['location']).toBe(`/pay/checkout/return/${d.transactionId}?${key(d)}`);
    const back = await t.app.inject({ method: 'GET', url: after.headers['location'] as string });
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
    const page = await t.app.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    expect(page.body).toContain(`Pay ₹90.00 from your MobiKwik balance to ${merchantName}?`);
    const fields = { publicIdentifierKey: d.publicIdentifierKey, paymentMode: 'WALLET', bankCode: 'MOBIKWIK' };
    await form(`/pay/bank/${d.transactionId}/confirm`, { ...fields, decision: 'confirm' });
    const back = await t.app.inject({ method: 'GET', url: `/pay/checkout/return/${d.transactionId}?${key(d)}` });
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
    expect(minimal.body.payload).toMatchObject({ status: 'CANCELLED', txnMsg: 'Cancelled by the customer at the bank', paymentAttemptLeft: 4 });
  });

  it('a bank page with a wrong key is a 404 page; an OTP page shows the attempts left after a wrong OTP', async () => {
    const d = await open(await createOrder(35));
    const wrong = await t.app.inject({ method: 'GET', url: `/pay/bank/${d.transactionId}?publicIdentifierKey=nope` });
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
      const res = await t.app.inject({
        method: 'POST',
        url: `/pay/bank/${d.transactionId}/otp`,
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBeLessThan(500);
    }
    const login = await t.app.inject({
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
    const page = await t.app.inject({
      method: 'GET',
      url: new URL(res.body.payload.redirectionUrl as string).pathname + new URL(res.body.payload.redirectionUrl as string).search,
    });
    expect(page.body).toContain('<h1>3-D Secure challenge</h1>');
    const failed = await form(`/pay/bank/${d.transactionId}/challenge`, { publicIdentifierKey: d.publicIdentifierKey, result: 'fail' });
    expect(failed.statusCode).toBe(303);
    const minimal = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?${key(d)}`);
    expect(minimal.body.payload).toMatchObject({ status: 'FAILED', orderStatus: 'ATTEMPTED', paymentAttemptLeft: 4 });
    const next = await open(orderId);
    expect(next.transactionId).not.toBe(d.transactionId);
  });

  it('cancel, expire and order cancel: the transaction is CANCELLED; a cancelled order shows its page and takes no payment', async () => {
    const orderId = await createOrder(80);
    const d = await open(orderId);
    const cancelled = await json('PATCH', `/pay/charge/cancel?${key(d)}`, { transactionId: d.transactionId, remark: 'changed my mind' });
    expect(cancelled.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: d.transactionId,
        transactionStatus: 'CANCELLED',
        orderStatus: 'CHECKOUT_RENDERED',
        paymentAttemptLeft: 5,
        resultMessage: 'changed my mind',
      },
    });
    const again = await json('PATCH', `/pay/charge/cancel?${key(d)}`, { transactionId: d.transactionId });
    expect([again.status, again.headers['x-error-code']]).toEqual([409, 'checkout_state_conflict']);
    const e = await open(orderId);
    const expired = await json('PATCH', `/pay/charge/expire?${key(e)}`, { transactionId: e.transactionId, remark: 'timeout' });
    expect(expired.body.payload).toMatchObject({ transactionStatus: 'CANCELLED', resultMessage: 'Checkout timed out (timeout)' });
    const o = await open(orderId);
    const orderCancelled = await json('PATCH', `/pay/charge/order/cancel?${key(o)}`, { transactionId: o.transactionId, reason: 'Ordered by mistake' });
    expect(orderCancelled.body.payload).toMatchObject({ transactionStatus: 'CANCELLED', orderStatus: 'CANCELLED' });
    const closed = await json('GET', `/pay/checkout/${orderId}`);
    expect([closed.status, closed.headers['x-error-code']]).toEqual([422, 'order_not_payable']);
    const closedPage = await t.app.inject({ method: 'GET', url: `/pay/checkout/${orderId}`, headers: { accept: 'text/html' } });
    expect(closedPage.statusCode).toBe(409);
    expect(closedPage.body).toContain('This order has been cancelled and takes no payment.');
    expect(closedPage.body).toContain('href="https://merchant.example/return?src=tijori"');
  });
});
