import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders, merchantToken } from '../support/gateway.js';

/**
 * Orders (reference §2.1): either id, search, cancel, expiry on the sandbox clock, the attempt
 * limit, company scoping (another company's token gets 404), and one success per order under
 * concurrent submits (PostgreSQL).
 */
describe(`gateway orders (${backend})`, () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let otherHeaders: Record<string, string>;
  let seq = 0;

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, as = headers) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...as, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const createOrder = async (amount = 100, extra: object = {}) => {
    const res = await call('POST', '/api/v0/orders', { orderId: `O-${backend}-${++seq}`, amount: { value: amount, currency: 'INR' }, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload;
  };
  const card = (orderId: string, number = '4111111111111111') =>
    call('POST', '/api/v0/payment/submit', { orderId, paymentMode: 'CREDIT_CARD', cardNumber: number, expiry: '12/30', cvv: '123' });
  const advance = (seconds: number) => call('POST', '/api/v0/sandbox/clock/advance', { seconds });

  beforeAll(async () => {
    t = await createTestApp();
    headers = await gatewayHeaders(t.app);
    const other = await t.services.identity.createCompany({ name: 'Other Merchant' });
    await t.services.identity.createClient({ companyId: other.id });
    const { key, secretKey } = await t.services.merchant.createKey(other.id);
    otherHeaders = { authorization: `Bearer ${await merchantToken(t.app, key.accessKey, secretKey)}`, merchantaccesskey: key.accessKey };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates an order and answers the whole envelope; reads it by either id', async () => {
    const res = await call('POST', '/api/v0/orders', {
      orderId: 'RANDOMID123',
      amount: { value: 100.0, currency: 'INR' },
      returnUrl: 'https://merchant.example/return',
      notifyUrl: 'https://merchant.example/notify',
      customerInfo: { firstName: 'Asha', lastName: 'Rao', email: 'asha@example.com', phoneNumber: '9876543210' },
      customParameters: { cart: '42' },
      description: 'Two books',
      paymentDetail: { accountNumber: '123456789012', ifsc: 'HDFC0001234' },
    });
    const order = {
      orderId: expect.stringMatching(/^ORD1767225600000[A-Za-z0-9]{16}$/),
      merchantOrderId: 'RANDOMID123',
      amount: { value: 100, currency: 'INR' },
      orderStatus: 'CREATED',
      description: 'Two books',
      returnUrl: 'https://merchant.example/return',
      notifyUrl: 'https://merchant.example/notify',
      customerInfo: { firstName: 'Asha', lastName: 'Rao', email: 'asha@example.com', phoneNumber: '9876543210' },
      customParameters: { cart: '42' },
      paymentDetail: { accountNumber: '123456789012', ifsc: 'HDFC0001234' },
      paymentAttemptLeft: 5,
      transactionId: null,
      cancelReason: null,
      expiresAt: '2026-01-01T00:30:00.000Z',
      created: '2026-01-01T00:00:00.000Z',
      lastModified: '2026-01-01T00:00:00.000Z',
      // The hosted checkout of the order, on the request's own origin (no TIJORI_PUBLIC_URL here).
      paymentUrl: expect.stringMatching(/^http:\/\/localhost(:80)?\/pay\/checkout\/ORD1767225600000[A-Za-z0-9]{16}$/),
    };
    expect(res.body).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: order });
    const id = res.body.payload.orderId;
    expect(res.body.payload.paymentUrl.endsWith(`/pay/checkout/${id}`)).toBe(true);
    expect((await call('GET', `/api/v0/orders/${id}`)).body).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { ...order, orderId: id } });
    // The page it names is the order's checkout.
    const page = await t.app.inject({ method: 'GET', url: new URL(res.body.payload.paymentUrl).pathname, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect((await call('GET', '/api/v0/orders/RANDOMID123')).body.payload.orderId).toBe(id);
    expect((await call('GET', '/api/v0/orders/merchant/RANDOMID123')).body.payload.orderId).toBe(id);
    expect((await call('GET', '/api/v0/orders/merchant/NOPE')).body).toEqual({
      response_code: 404,
      response_message: 'No order with merchant orderId NOPE',
      payload: null,
    });
    const tpv = await call('POST', '/api/v0/payment/submit', { orderId: id, paymentMode: 'UPI', vpa: 'success@enkash', accountNumber: '999999999999' });
    expect(tpv.body).toEqual({ response_code: 422, response_message: 'The account is not the one this order allows (third-party validation)', payload: null });
  });

  it("another company's token gets 404 on every order and payment route", async () => {
    const order = await createOrder(10);
    const paid = (await card(order.orderId)).body.payload.transactionId as string;
    const routes: Array<['GET' | 'POST' | 'PATCH', string, object?]> = [
      ['GET', `/api/v0/orders/${order.orderId}`],
      ['GET', `/api/v0/orders/merchant/${order.merchantOrderId}`],
      ['PATCH', `/api/v0/orders/${order.orderId}/cancel`, {}],
      ['GET', `/api/v0/orders/${order.orderId}/bnpl`],
      ['GET', `/api/v0/orders/${order.orderId}/upi-intent`],
      ['POST', '/api/v0/payment/submit', { orderId: order.orderId, paymentMode: 'NET_BANKING', bankCode: 'HDFC' }],
      ['GET', `/api/v0/payment/${paid}`],
      ['GET', `/api/v0/payment/upi/${paid}`],
      ['POST', `/api/v0/payment/${paid}/otp/validate`, { otp: '123456' }],
      ['GET', `/api/v0/payment/${paid}/otp/resend`],
    ];
    for (const [method, url, body] of routes) {
      const res = await call(method, url, body, otherHeaders);
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(404);
    }
    const search = await call('POST', '/api/v0/payment/search', { transactionId: paid }, otherHeaders);
    expect(search.body.payload.totalElements).toBe(0);
    const orders = await call('POST', '/api/v0/orders/search', { merchantOrderId: order.merchantOrderId }, otherHeaders);
    expect(orders.body.payload.totalElements).toBe(0);
  });

  it('searches orders and transactions with filters and pagination', async () => {
    const a = await createOrder(11.11);
    const b = await createOrder(22.22);
    await card(b.orderId);
    const page = await call('POST', '/api/v0/orders/search?limit=1&offset=0&orderBy=amount&direction=ASC', { amountFrom: 11.11, amountTo: 22.22 });
    expect(page.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { content: [expect.objectContaining({ orderId: a.orderId })], totalElements: 2, totalPages: 2, size: 1, number: 0, offset: 0 },
    });
    const paid = await call('POST', '/api/v0/orders/search', { orderStatuses: ['PAID'], amountFrom: 22.22, amountTo: 22.22 });
    expect(paid.body.payload.content.map((o: { orderId: string }) => o.orderId)).toEqual([b.orderId]);
    const txns = await call('POST', '/api/v0/payment/search', { orderId: b.merchantOrderId, transactionStatuses: ['SUCCESS'] });
    expect(txns.body.payload).toMatchObject({
      totalElements: 1,
      content: [{ orderId: b.orderId, merchantOrderId: b.merchantOrderId, status: 'SUCCESS', amount: 22.22 }],
    });
    const all = await t.app.inject({ method: 'POST', url: '/api/v0/payment/search?limit=100', headers });
    expect(all.json().payload.totalElements).toBeGreaterThanOrEqual(1);
    const bad = await call('POST', '/api/v0/orders/search?limit=101', {});
    expect(bad.status).toBe(400);
  });

  it('cancels an unpaid order (its open checkout attempt too); a cancelled or paid order refuses payment and cancel', async () => {
    const order = await createOrder(50);
    const { payment } = await t.services.gateway.payments.createAttempt(SANDBOX.companyId, order.orderId);
    expect((await call('GET', `/api/v0/orders/${order.orderId}`)).body.payload.orderStatus).toBe('CHECKOUT_RENDERED');
    const res = await call('PATCH', `/api/v0/orders/${order.orderId}/cancel`, { reason: 'Customer changed their mind' });
    expect(res.body.payload).toMatchObject({ orderStatus: 'CANCELLED', cancelReason: 'Customer changed their mind' });
    expect((await t.services.gateway.payments.get(SANDBOX.companyId, payment.id)).payment).toMatchObject({ status: 'CANCELLED', step: 'DONE' });
    expect((await card(order.orderId)).body).toEqual({ response_code: 422, response_message: 'The order is CANCELLED and takes no payment', payload: null });
    expect((await call('PATCH', `/api/v0/orders/${order.orderId}/cancel`, {})).body).toEqual({
      response_code: 409,
      response_message: 'The order is CANCELLED and cannot be cancelled',
      payload: null,
    });
  });

  it('expires an unpaid order on the sandbox clock; an attempt with the bank holds the expiry until it ends', async () => {
    const idle = await createOrder(5);
    const busy = await createOrder(6);
    const pending = (await call('POST', '/api/v0/payment/submit', { orderId: busy.orderId, paymentMode: 'NET_BANKING', bankCode: 'BARB' }, headers)).body
      .payload;
    expect(pending.transactionStatus).toBe('PENDING_WITH_BANK');
    await advance(29 * 60);
    expect((await call('GET', `/api/v0/orders/${idle.orderId}`)).body.payload.orderStatus).toBe('CREATED');
    // BARB succeeds after 3 minutes, before the expiry: the order is paid.
    expect((await call('GET', `/api/v0/orders/${busy.orderId}`)).body.payload.orderStatus).toBe('PAID');
    await advance(60);
    expect((await call('GET', `/api/v0/orders/${idle.orderId}`)).body.payload.orderStatus).toBe('EXPIRED');
    expect((await card(idle.orderId)).body).toEqual({ response_code: 422, response_message: 'The order is EXPIRED and takes no payment', payload: null });

    const slow = await createOrder(7);
    const freecharge = (await call('POST', '/api/v0/payment/submit', { orderId: slow.orderId, paymentMode: 'WALLET', bankCode: 'FREECHARGE' })).body.payload;
    await advance(25 * 60);
    // Timed out after 15 minutes; the order expires at 30.
    expect((await call('GET', `/api/v0/payment/${freecharge.transactionId}`)).body.payload).toMatchObject({ status: 'FAILED', orderStatus: 'ATTEMPTED' });
    await advance(5 * 60);
    expect((await call('GET', `/api/v0/orders/${slow.orderId}`)).body.payload.orderStatus).toBe('EXPIRED');
  });

  it('allows five attempts per order, then refuses a sixth', async () => {
    const order = await createOrder(9);
    for (let i = 0; i < 5; i++) expect((await card(order.orderId, '4000000000000002')).body.payload.transactionStatus).toBe('FAILED');
    expect((await call('GET', `/api/v0/orders/${order.orderId}`)).body.payload).toMatchObject({ orderStatus: 'ATTEMPTED', paymentAttemptLeft: 0 });
    expect((await card(order.orderId)).body).toEqual({ response_code: 422, response_message: 'The order has no payment attempts left', payload: null });
  });

  it('captures exactly once when the same order is submitted many times at once', async () => {
    const order = await createOrder(100);
    const results = await Promise.all(Array.from({ length: 6 }, () => card(order.orderId)));
    const ok = results.filter((r) => r.status === 200 && r.body.payload.transactionStatus === 'SUCCESS');
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => !ok.includes(x))) expect([409, 422]).toContain(r.status);
    const txns = await call('POST', '/api/v0/payment/search', { orderId: order.orderId, transactionStatuses: ['SUCCESS'] });
    expect(txns.body.payload.totalElements).toBe(1);
    const capture = await t.services.ledger.findTransactionByReference(t.database.db, SANDBOX.companyId, {
      code: 'payment_capture',
      referenceType: 'gateway_payment',
      referenceId: ok[0]!.body.payload.transactionId,
    });
    expect(capture).not.toBeNull();
    const report = await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId });
    expect(report.breaks).toEqual([]);
  });
});
