import { describe, expect, it } from 'vitest';
import { backend } from '../../../../test/support/app.js';
import { checkoutHarness, type Detail } from '../../../../test/support/checkout-harness.js';

/**
 * The hosted checkout's JSON endpoints and pages (reference §2.4) through the app's real request
 * pipeline: whole envelopes, the keys that guard every public call, the bank pages' forms and the
 * return to returnUrl with its checksum.
 */
describe(`hosted checkout (${backend})`, () => {
  const { state, b64, json, createOrder, open, key, cardCharge, checksum, verifyLedger } = checkoutHarness();

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
        merchantOrderId: `CHK-${backend}-${state.seq}`,
        orderStatus: 'CHECKOUT_RENDERED',
        description: 'Two books',
        transactionId: expect.stringMatching(/^TXN\d{13}[A-Za-z0-9]{16}$/),
        uniqueTransactionId: expect.stringMatching(/^EK\d{13}[A-Z0-9]{8}$/),
        publicIdentifierKey: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        amount: 250.5,
        totalAmount: 250.5,
        currency: 'INR',
        surcharges: {},
        surchargeGst: 18,
        merchantInfo: { merchantName: state.merchantName, checkoutLogo: null, checkoutColorScheme: null, hideAppIntentLinks: false, upiVpaEnabled: true },
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
        paymentAttemptLeft: true,
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
    const order = await state.t.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers: state.merchant });
    expect((order.json() as { payload: { orderStatus: string } }).payload.orderStatus).toBe('CHECKOUT_RENDERED');
  });

  it('a browser gets the page at the same path; an unknown order is a 404 in either form', async () => {
    const orderId = await createOrder(123456.5);
    const page = await state.t.app.inject({ method: 'GET', url: `/pay/checkout/${orderId}`, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
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
    const missingPage = await state.t.app.inject({ method: 'GET', url: '/pay/checkout/ORD0000000000000XXXXX', headers: { accept: 'text/html' } });
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
        dauth: true,
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
        paymentAttemptLeft: true,
        orderId,
        merchantOrderId: `CHK-${backend}-${state.seq}`,
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
    expect(state.t.logs.lines.filter((l) => l.includes('4111111111111111') || l.includes(b64('4111111111111111')))).toEqual([]);
    // The browser's return: 303 to returnUrl with the minimal keys, amounts with two decimals, and the SDK's aliases.
    const back = await state.t.app.inject({ method: 'GET', url: `/pay/checkout/return/${d.transactionId}?${key(d)}` });
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
    // The id alone opens the transaction (ADR 0035): the SDK sends no key.
    const noKey = await json('GET', `/api/v0/transactions/${d.transactionId}/minimal`);
    expect([noKey.status, noKey.body.payload.transactionId]).toEqual([200, d.transactionId]);
    const mismatch = await cardCharge({ ...d, uniqueTransactionId: other.uniqueTransactionId }, '4111111111111111');
    expect(mismatch.body).toEqual({ response_code: 422, response_message: 'uniqueTransactionId is not the one of this transaction', payload: null });
    const plain = await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', cvv: b64('123'), expiry: b64('12/30') },
    });
    // An input-validation rejection: HTTP 200, resultCode 156, as the SDK reads it (reference §1.4, ADR 0037).
    expect(plain.body).toMatchObject({ resultCode: 156, resultMessage: 'Invalid field paymentDetail.cardNumber: must be base64 of digits', error: null });
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
        paymentAttemptLeft: true,
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
    const closedPage = await state.t.app.inject({ method: 'GET', url: `/pay/checkout/${orderId}`, headers: { accept: 'text/html' } });
    expect(closedPage.statusCode).toBe(409);
    expect(closedPage.body).toContain('This order has been cancelled and takes no payment.');
    expect(closedPage.body).toContain('href="https://merchant.example/return?src=tijori"');
  });
});
