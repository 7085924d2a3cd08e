import { describe, expect, it } from 'vitest';
import { SANDBOX } from '../../../auth/seed.js';
import { backend } from '../../../../test/support/app.js';
import { checkoutHarness, type Detail } from '../../../../test/support/checkout-harness.js';
import { allowsCheckoutOrigin } from '../settings/index.js';
import { SDK_ROUTES } from './edge.js';

/**
 * The public checkout routes as EnKash's custom checkout SDK calls them (reference §2.4,
 * CONFIRMED-SDK; ADR 0035): from another origin (CORS), by the transaction id alone, reading
 * `paymentAttemptLeft` and `dauth` as booleans, the BIN lookup without a token, the order cancel,
 * `upi-detail` without a side effect, no platform fee charged, and a popup that closes itself.
 */
describe(`the custom checkout SDK's calls (${backend})`, () => {
  const { state, b64, json, form, createOrder, cardCharge } = checkoutHarness();
  const SHOP = 'http://127.0.0.1:4173';

  /** A call as the SDK makes it: from the shop's origin, JSON only when there is a body, no key. */
  const sdk = async (method: 'GET' | 'POST' | 'PATCH' | 'OPTIONS', url: string, payload?: object, origin = SHOP) => {
    const res = await state.t.app.inject({
      method,
      url,
      headers: { origin, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.body ? (res.json() as Record<string, any>) : null, headers: res.headers };
  };
  const order = async (orderId: string) => {
    const res = await state.t.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers: state.merchant });
    return res.json().payload as { orderStatus: string; paymentAttemptLeft: number };
  };
  const settings = async (patch: object) => {
    const res = await state.t.app.inject({ method: 'PATCH', url: '/api/v0/merchant/settings', headers: state.merchant, payload: patch });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload as Record<string, unknown>;
  };
  const init = async (orderId: string) => {
    const res = await sdk('GET', `/pay/checkout/${orderId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body!['payload'] as Detail & Record<string, unknown>;
  };

  it('answers the CORS preflight of every SDK route, and names the calling origin on its answers only', async () => {
    const d = await init(await createOrder(10));
    for (const route of SDK_ROUTES) {
      const url = route.replace(/:[a-zA-Z]+/g, d.transactionId);
      const res = await state.t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: SHOP, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' },
      });
      expect([route, res.statusCode]).toEqual([route, 204]);
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': SHOP,
        'access-control-allow-methods': 'GET, POST, PATCH',
        'access-control-allow-headers': 'content-type',
      });
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const minimal = await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`);
    expect([minimal.status, minimal.headers['access-control-allow-origin'], minimal.headers['vary']]).toEqual([200, SHOP, 'Origin']);
    // An error is readable too (the SDK shows its message).
    const unknown = await sdk('GET', `/api/v0/transactions/TXN1767225600000AAAAAAAAAAAAAAAA/minimal`);
    expect([unknown.status, unknown.headers['access-control-allow-origin']]).toEqual([404, SHOP]);
    // The bank pages and the hosted page's own BIN twin are not SDK routes: no CORS.
    const twin = await sdk('GET', `/pay/checkout/bin/details?bin=4111111111&transactionId=${d.transactionId}&publicIdentifierKey=${d.publicIdentifierKey}`);
    expect([twin.status, twin.headers['access-control-allow-origin']]).toEqual([200, undefined]);
  });

  it("checks the calling origin against the merchant's allow-list, before anything changes", async () => {
    const orderId = await createOrder(11);
    try {
      expect((await settings({ checkoutOrigins: ['https://Shop.Example.in'] }))['checkoutOrigins']).toEqual(['https://shop.example.in']);
      const refused = await sdk('GET', `/pay/checkout/${orderId}`);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ response_code: 403, response_message: `Origin ${SHOP} may not call this merchant's checkout`, payload: null });
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['x-error-code']).toBe('checkout_origin_not_allowed');
      // No attempt was made: the order is as created.
      expect((await order(orderId)).orderStatus).toBe('CREATED');
      // The HTML of the checkout is held to the same allow-list: a refused origin gets no page and starts no attempt.
      const html = await state.t.app.inject({ method: 'GET', url: `/pay/checkout/${orderId}`, headers: { origin: SHOP, accept: 'text/html' } });
      expect(html.statusCode).toBe(403);
      expect(html.headers['access-control-allow-origin']).toBeUndefined();
      expect(html.body).not.toContain('publicIdentifierKey');
      expect((await order(orderId)).orderStatus).toBe('CREATED');
      const allowed = await sdk('GET', `/pay/checkout/${orderId}`, undefined, 'https://shop.example.in');
      expect([allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([200, 'https://shop.example.in']);
      const d = allowed.body!['payload'] as Detail;
      const cancel = await sdk('PATCH', '/pay/charge/order/cancel', { transactionId: d.transactionId, reason: 'test' });
      expect(cancel.status).toBe(403);
      expect((await order(orderId)).orderStatus).toBe('CHECKOUT_RENDERED');
      // The hosted page (its own origin) and a server (no Origin) are not cross-origin calls.
      expect((await json('GET', `/api/v0/transactions/${d.transactionId}/minimal`)).status).toBe(200);
      const own = await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`, undefined, 'http://localhost:80');
      expect(own.status).toBe(200);
      await settings({ checkoutOrigins: [] });
      expect((await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`, undefined, 'https://shop.example.in')).status).toBe(403);
      const bad = await state.t.app.inject({
        method: 'PATCH',
        url: '/api/v0/merchant/settings',
        headers: state.merchant,
        payload: { checkoutOrigins: ['https://shop.example.in/pay'] },
      });
      expect(bad.statusCode).toBe(400);
    } finally {
      expect((await settings({ checkoutOrigins: null }))['checkoutOrigins']).toBeNull();
    }
    // Outside the sandbox, no origin is allowed until the merchant names one.
    expect(allowsCheckoutOrigin({ checkoutOrigins: null, sandbox: false }, SHOP)).toBe(false);
    expect(allowsCheckoutOrigin({ checkoutOrigins: null, sandbox: true }, SHOP)).toBe(true);
    expect(allowsCheckoutOrigin({ checkoutOrigins: [SHOP], sandbox: false }, SHOP)).toBe(true);
  });

  it('takes every call by the transaction id alone; a key, when sent, must still be the right one', async () => {
    const orderId = await createOrder(12);
    const d = await init(orderId);
    expect(d.transactionId).toMatch(/^TXN\d{13}[A-Za-z0-9]{16}$/);
    expect(orderId).toMatch(/^ORD\d{13}[A-Za-z0-9]{16}$/);
    // paymentAttemptLeft is a boolean where the SDK reads it; the orders API keeps the count.
    expect(d['paymentAttemptLeft']).toBe(true);
    expect((await order(orderId)).paymentAttemptLeft).toBe(5);
    const saved = await sdk('PATCH', `/pay/checkout/customer-info/${d.transactionId}`, {
      customerEmail: null,
      customerMobile: '9876543210',
      merchantAccessKey: d.publicIdentifierKey,
    });
    expect(saved.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { transactionId: d.transactionId, customerEmail: null, customerMobile: '9876543210' },
    });
    const wrongKey = await sdk('PATCH', `/pay/checkout/customer-info/${d.transactionId}`, { customerMobile: '9876543210', merchantAccessKey: 'not-the-key' });
    expect(wrongKey.status).toBe(422);
    const minimal = await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`);
    expect(minimal.body!['payload']).toMatchObject({ paymentAttemptLeft: true, orderStatus: 'CHECKOUT_RENDERED', transactionId: d.transactionId });
    const withKey = await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal?publicIdentifierKey=${'A'.repeat(32)}`);
    expect([withKey.status, withKey.headers['x-error-code']]).toEqual([404, 'payment_not_found']);
  });

  it('looks a BIN up without a token for a checkout transaction, and keeps the merchant-token lookup', async () => {
    const d = await init(await createOrder(13));
    const bin = await sdk('GET', `/api/v0/bin/details?bin=4111111111&transactionId=${d.transactionId}`);
    expect(bin.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { cardSchemeType: 'VISA', cardType: 'CREDIT', pgCode: expect.any(String), bankName: expect.any(String), bankEntityName: expect.any(String) },
    });
    expect(bin.headers['access-control-allow-origin']).toBe(SHOP);
    const unknown = await sdk('GET', '/api/v0/bin/details?bin=4111111111&transactionId=TXN1767225600000AAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    const none = await sdk('GET', '/api/v0/bin/details?bin=4111111111');
    expect([none.status, none.body!['response_message']]).toEqual([400, 'Missing required field transactionId (or a merchant token)']);
    const merchant = await state.t.app.inject({ method: 'GET', url: '/api/v0/bin/details?bin=4111111111', headers: state.merchant });
    expect(merchant.json().payload).toMatchObject({ cardSchemeType: 'VISA' });
    const badToken = await state.t.app.inject({
      method: 'GET',
      url: '/api/v0/bin/details?bin=4111111111',
      headers: { ...state.merchant, authorization: 'Bearer nope' },
    });
    expect(badToken.statusCode).toBe(401);
  });

  it('a frictionless card answers dauth: true; a 3-D Secure card in popupMode ends on a page that closes itself', async () => {
    // The SDK's card body (the harness's), with its popupMode.
    const charge = (d: Detail, cardNumber: string) => cardCharge(d, cardNumber, { popupMode: true });
    const quick = await init(await createOrder(14));
    const paid = await charge(quick, '4111111111111111');
    expect(paid.body!['payload']).toMatchObject({ transactionStatus: 'SUCCESS', redirectionUrl: null, dauth: true, orderStatus: 'PAID' });
    const declined = await charge(await init(await createOrder(14)), '4000000000000002');
    expect(declined.body!['payload']).toMatchObject({ transactionStatus: 'FAILED', dauth: false, error: expect.any(String) });

    const d = await init(await createOrder(15));
    const challenge = await charge(d, '4000000000003220');
    const url = new URL(challenge.body!['payload']['redirectionUrl'] as string);
    expect(challenge.body!['payload']['dauth']).toBe(false);
    expect(url.searchParams.get('popupMode')).toBe('true');
    const page = await state.t.app.inject({ method: 'GET', url: url.pathname + url.search });
    expect(page.body).toContain('name="popupMode" value="true"');
    const passed = await form(`/pay/bank/${d.transactionId}/challenge`, { publicIdentifierKey: d.publicIdentifierKey, popupMode: 'true', result: 'pass' });
    const next = passed.headers['location'] as string;
    expect(next).toContain('popupMode=true');
    const final = await state.t.app.inject({ method: 'GET', url: next });
    expect(final.statusCode).toBe(303);
    const end = await state.t.app.inject({ method: 'GET', url: final.headers['location'] as string });
    // Not the 303 to returnUrl of the hosted page: the popup's own last page, which closes itself.
    expect(end.statusCode).toBe(200);
    expect(end.body).toContain('<script src="/assets/close.js" defer></script>');
    expect(end.body).toContain('Payment successful');
    expect((await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`)).body!['payload']).toMatchObject({ orderStatus: 'PAID', status: 'SUCCESS' });
  });

  it("cancels the order by PATCH /pay/charge/order/cancel, as the SDK's cancel() does", async () => {
    const orderId = await createOrder(16);
    const d = await init(orderId);
    const res = await sdk('PATCH', '/pay/charge/order/cancel', { transactionId: d.transactionId, reason: 'customer_cancelled' });
    expect(res.body).toMatchObject({ response_code: 0, payload: { orderStatus: 'CANCELLED', paymentAttemptLeft: expect.any(Boolean) } });
    expect((await order(orderId)).orderStatus).toBe('CANCELLED');
    const minimal = await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`);
    expect(minimal.body!['payload']).toMatchObject({ orderStatus: 'CANCELLED' });
    expect((await sdk('GET', `/pay/checkout/${orderId}`)).status).toBe(422);
  });

  it('upi-detail has no side effect; intent-transaction starts the UPI payment with the same links', async () => {
    const orderId = await createOrder(17);
    const d = await init(orderId);
    const links = await sdk('GET', `/pay/checkout/upi-detail/${d.transactionId}`);
    expect(links.body!['payload']).toMatchObject({ transactionId: d.transactionId, upi: expect.stringMatching(/^upi:\/\/pay\?pa=.*&am=17\.00&cu=INR$/) });
    await state.t.services.timers.runDue(SANDBOX.companyId);
    expect((await sdk('GET', `/pay/checkout/status/upi/${d.transactionId}`)).body!['payload']['status']).toBe('PROCESS');
    expect((await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`)).body!['payload']).toMatchObject({
      status: 'CREATED',
      orderStatus: 'CHECKOUT_RENDERED',
    });
    expect((await order(orderId)).paymentAttemptLeft).toBe(5);
    expect((await sdk('GET', `/pay/checkout/upi-detail/${d.transactionId}`)).body).toEqual(links.body);
    const intent = await sdk('POST', '/pay/charge/intent-transaction', { transactionId: d.transactionId, paymentMode: 'UPI', bankCode: 'gpay' });
    expect(intent.body!['payload']).toMatchObject({ transactionId: d.transactionId, intentUrl: links.body!['payload']['gpay'], bankCode: 'gpay' });
    expect((await order(orderId)).paymentAttemptLeft).toBe(4);
    // The intent waits for its payer; in the sandbox the tester answers for the payer (issue 16, item 13).
    await state.t.services.timers.runDue(SANDBOX.companyId);
    expect((await sdk('GET', `/pay/checkout/status/upi/${d.transactionId}`)).body!['payload']['status']).toBe('PROCESS');
    expect((await sdk('POST', `/pay/checkout/sandbox/upi-payer/${d.transactionId}`, { answer: 'PAY' })).body!['payload']['status']).toBe('SUCCESS');
    expect((await sdk('GET', `/pay/checkout/status/upi/${d.transactionId}`)).body!['payload']['status']).toBe('SUCCESS');
  });

  it('never charges a platform fee (PF_): GST is on the surcharge and convenience fee only, as the SDK quotes', async () => {
    try {
      await settings({ feeRules: { SC_CC_DEFAULT: 10, CF_CC_DEFAULT: 5, PF_CC_DEFAULT: 1 } });
      const d = await init(await createOrder(100));
      expect(d['surcharges']).toEqual({ SC_CC_DEFAULT: 10, CF_CC_DEFAULT: 5, PF_CC_DEFAULT: 1 });
      const res = await sdk('POST', '/pay/charge/process', {
        transactionId: d.transactionId,
        publicIdentifierKey: d.publicIdentifierKey,
        paymentDetail: { paymentMode: 'CREDIT_CARD', cardNumber: b64('4111111111111111'), cvv: b64('123'), expiry: b64('12/30') },
        surcharge: '15.00',
        surchargeGst: 18,
      });
      // The SDK's quote: 100 + (10 + 5) + 18 % of 15 = 117.70 (with the platform fee it would be 118.88).
      expect(res.body!['payload']).toMatchObject({ transactionStatus: 'SUCCESS', amount: 100, finalAmount: 117.7 });
      expect((await sdk('GET', `/api/v0/transactions/${d.transactionId}/minimal`)).body!['payload']).toMatchObject({
        surcharge: 15,
        surchargeGst: 2.7,
        finalAmount: 117.7,
      });
    } finally {
      await settings({ feeRules: {} });
    }
  });

  it('limits the public routes per client address: too many unknown ids, then 429 for that address only', async () => {
    const d = await init(await createOrder(18));
    const from = (remoteAddress: string, id: string) => state.t.app.inject({ method: 'GET', url: `/api/v0/transactions/${id}/minimal`, remoteAddress });
    for (let i = 0; i < 60; i++) expect((await from('10.9.8.7', `TXN1767225600000${String(i).padStart(16, 'A')}`)).statusCode).toBe(404);
    const limited = await from('10.9.8.7', d.transactionId);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ response_code: 429, response_message: 'Too many requests from this address; try again in a minute', payload: null });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-error-code']).toBe('checkout_rate_limited');
    expect((await from('10.9.8.6', d.transactionId)).statusCode).toBe(200);
    // A merchant server's token-authenticated BIN lookup from that address is not the browser's budget.
    const merchantBin = await state.t.app.inject({
      method: 'GET',
      url: '/api/v0/bin/details?bin=4111111111',
      headers: state.merchant,
      remoteAddress: '10.9.8.7',
    });
    expect(merchantBin.statusCode, merchantBin.body).toBe(200);
    // Without the token, the same lookup from that address is limited.
    expect((await from('10.9.8.7', d.transactionId)).statusCode).toBe(429);
  });

  it('limits an IPv6 client by its /64, and ignores X-Forwarded-For unless TRUST_PROXY is set (ADR 0047)', async () => {
    const miss = (remoteAddress: string, i: number, headers: Record<string, string> = {}) =>
      state.t.app.inject({ method: 'GET', url: `/api/v0/transactions/TXN1767225600000${String(i).padStart(16, 'B')}/minimal`, remoteAddress, headers });
    // 60 misses, each from another address of one /64: the 61st request of that /64 is refused.
    for (let i = 0; i < 60; i++) expect((await miss(`2001:db8:7:7::${(i + 1).toString(16)}`, i)).statusCode).toBe(404);
    expect((await miss('2001:db8:7:7:ffff:ffff:ffff:ffff', 60)).statusCode).toBe(429);
    expect((await miss('2001:db8:7:8::1', 61)).statusCode).toBe(404);
    // TRUST_PROXY is off by default: a forwarded address does not give a new budget.
    for (let i = 0; i < 60; i++) expect((await miss('10.9.8.5', i, { 'x-forwarded-for': `198.51.100.${i}` })).statusCode).toBe(404);
    expect((await miss('10.9.8.5', 60, { 'x-forwarded-for': '198.51.100.200' })).statusCode).toBe(429);
  });
});
