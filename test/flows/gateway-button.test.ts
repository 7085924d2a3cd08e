import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { SANDBOX } from '../../src/auth/seed.js';
import { gatewayHeaders, merchantToken } from '../support/gateway.js';
import { inject } from './gateway-settlements-fixtures.js';

// Payment buttons (ADR 0022, docs/api/gateway-button.md): definitions through the merchant API,
// the public routes the embed script calls (CORS, preflight, validation of a click against its
// button, deactivation), orders paid by UPI and card, the totals read from the captured payments,
// and the ledger left balanced.

let t: TestApp;
let headers: Record<string, string>;
const verify = async () => expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
const orderCount = async () => Number((await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from gateway_orders`))[0]!.n);

/** A public call, as the embed script makes it from a merchant page on another origin. */
async function pub(method: 'GET' | 'POST' | 'OPTIONS', url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: { origin: 'http://shop.example' }, ...(payload ? { payload } : {}) });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.body ? (res.json() as { response_code: number; response_message: string; payload: any }) : null,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
});

describe(`payment buttons on ${backend}`, () => {
  let fixed: string;
  let open: string;

  it('creates a FIXED button with the fields to collect, and answers its embed code and zero totals', async () => {
    const created = await inject(t.app, headers, 'POST', '/api/v0/payment-button', {
      title: 'Annual membership',
      description: 'Club membership for 2026',
      amountType: 'FIXED',
      amount: 1500,
      fields: [
        { name: 'customerName', label: 'Your name', required: true },
        { name: 'customerEmail', label: 'Email', required: true },
        { name: 'membershipNo', label: 'Membership number' },
      ],
      notifyUrl: 'http://127.0.0.1:9/notify',
      returnUrl: 'https://club.example/thanks',
      buttonLabel: 'Pay membership',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    fixed = created.body.payload.buttonId;
    expect(created.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        buttonId: expect.stringMatching(/^BTN\d{13}[A-Za-z0-9]{5}$/),
        title: 'Annual membership',
        description: 'Club membership for 2026',
        amountType: 'FIXED',
        amount: 1500,
        minAmount: null,
        maxAmount: null,
        fields: [
          { name: 'customerName', label: 'Your name', required: true },
          { name: 'customerEmail', label: 'Email', required: true },
          { name: 'membershipNo', label: 'Membership number', required: false },
        ],
        buttonLabel: 'Pay membership',
        buttonColor: '#1f4fd1',
        status: 'ACTIVE',
        notifyUrl: 'http://127.0.0.1:9/notify',
        returnUrl: 'https://club.example/thanks',
        paymentsCount: 0,
        amountCollected: 0,
        embedCode: `<script src="http://localhost:80/pay/button.js" data-button-id="${fixed}" async></script>`,
        createdOn: '2026-01-01T00:00:00.000Z',
        lastModified: '2026-01-01T00:00:00.000Z',
      },
    });
    // A second later, so that the list (oldest first) has one order to check.
    expect((await inject(t.app, headers, 'POST', '/api/v0/sandbox/clock/advance', { seconds: 1 })).status).toBe(200);
    const payerEntered = await inject(t.app, headers, 'POST', '/api/v0/payment-button', {
      title: 'Donate 100% to the library',
      amountType: 'PAYER_ENTERED',
      minAmount: 10,
      maxAmount: 5000,
      buttonColor: '#0A7A3B',
    });
    expect(payerEntered.status, JSON.stringify(payerEntered.body)).toBe(200);
    open = payerEntered.body.payload.buttonId;
    expect(payerEntered.body.payload).toMatchObject({ amount: null, minAmount: 10, maxAmount: 5000, fields: [], buttonLabel: 'Pay now', notifyUrl: null });
  });

  it('refuses definitions that do not hold together, naming the field, and creates nothing', async () => {
    const cases: Array<[object, number, RegExp]> = [
      [{ title: 'x', amountType: 'FIXED' }, 400, /amount/],
      [{ title: 'x', amountType: 'FIXED', amount: 10, minAmount: 5 }, 400, /minAmount/],
      [{ title: 'x', amountType: 'PAYER_ENTERED', amount: 10 }, 400, /amount/],
      [{ title: 'x', amountType: 'PAYER_ENTERED', minAmount: 50, maxAmount: 10 }, 400, /minAmount/],
      [{ title: 'x', amountType: 'FIXED', amount: 10.005 }, 400, /amount/],
      [
        {
          title: 'x',
          amountType: 'FIXED',
          amount: 10,
          fields: [
            { name: 'a', label: 'A' },
            { name: 'a', label: 'Again' },
          ],
        },
        400,
        /fields\[1\]\.name/,
      ],
      [{ title: 'x', amountType: 'FIXED', amount: 10, fields: [{ name: 'paymentButtonId', label: 'A' }] }, 400, /reserved/],
      [{ title: 'x', amountType: 'FIXED', amount: 10, fields: [{ name: '1bad', label: 'A' }] }, 400, /name/],
      [{ title: 'x', amountType: 'FIXED', amount: 10, buttonColor: 'red' }, 400, /buttonColor/],
      [{ title: 'x', amountType: 'SOMETIMES', amount: 10 }, 400, /amountType/],
      [{ title: 'Pay 4111111111111111', amountType: 'FIXED', amount: 10 }, 400, /title: it holds a card number/],
      [{ title: 'x', description: 'card 4111 1111 1111 1111', amountType: 'FIXED', amount: 10 }, 400, /description: looks like a card number/],
      [{ title: 'x'.repeat(101), amountType: 'FIXED', amount: 10 }, 400, /title/],
      [{ title: 'x', amountType: 'FIXED', amount: 10, fields: Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, label: 'F' })) }, 400, /fields/],
    ];
    for (const [body, status, message] of cases) {
      const res = await inject(t.app, headers, 'POST', '/api/v0/payment-button', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.response_message, JSON.stringify(body)).toMatch(message);
      expect(res.body.payload).toBeNull();
    }
    const list = await inject(t.app, headers, 'GET', '/api/v0/payment-button');
    expect(list.body.payload.totalElements).toBe(2);
  });

  it('reads, lists, searches, edits, and answers 404 for an unknown id', async () => {
    const got = await inject(t.app, headers, 'GET', `/api/v0/payment-button/${fixed}`);
    expect(got.body.payload).toMatchObject({ buttonId: fixed, title: 'Annual membership' });
    const list = await inject(t.app, headers, 'GET', '/api/v0/payment-button?limit=1&offset=1');
    expect(list.body.payload).toMatchObject({ totalElements: 2, totalPages: 2, size: 1, number: 1, content: [{ buttonId: open }] });
    // The search text's % is a character, not a LIKE wildcard.
    const search = await inject(t.app, headers, 'GET', `/api/v0/payment-button?title=${encodeURIComponent('100%')}`);
    expect(search.body.payload.content.map((b: { buttonId: string }) => b.buttonId)).toEqual([open]);
    expect((await inject(t.app, headers, 'GET', `/api/v0/payment-button?title=${encodeURIComponent('%')}`)).body.payload.totalElements).toBe(1);

    const edited = await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}`, {
      description: 'Every rupee buys books',
      maxAmount: null,
      buttonLabel: 'Donate',
    });
    expect(edited.body.payload).toMatchObject({ description: 'Every rupee buys books', minAmount: 10, maxAmount: null, buttonLabel: 'Donate' });
    // A new amount type drops the old one's amounts; a FIXED button then needs its amount.
    const noAmount = await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}`, { amountType: 'FIXED' });
    expect(noAmount.status).toBe(400);
    const toFixed = await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}`, { amountType: 'FIXED', amount: 99.5 });
    expect(toFixed.body.payload).toMatchObject({ amountType: 'FIXED', amount: 99.5, minAmount: null });
    const back = await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}`, { amountType: 'PAYER_ENTERED', minAmount: 10, maxAmount: 5000 });
    expect(back.body.payload).toMatchObject({ amountType: 'PAYER_ENTERED', amount: null, minAmount: 10, maxAmount: 5000 });
    expect((await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}`, {})).status).toBe(400);

    for (const [method, url] of [
      ['GET', '/api/v0/payment-button/BTN1767225600000zzzzz'],
      ['PATCH', '/api/v0/payment-button/BTN1767225600000zzzzz/deactivate'],
    ] as const) {
      const missing = await inject(t.app, headers, method, url);
      expect(missing.status).toBe(404);
      expect(missing.headers['x-error-code']).toBe('payment_button_not_found');
    }
  });

  it('serves the embed script and the public view of a button to any origin, with a CORS preflight', async () => {
    const script = await t.app.inject({ method: 'GET', url: '/pay/button.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(script.body).toContain('/pay/button/');
    expect((await t.app.inject({ method: 'GET', url: '/pay/button.js', headers: { 'if-none-match': String(script.headers['etag']) } })).statusCode).toBe(304);

    const view = await pub('GET', `/pay/button/${fixed}`);
    expect(view.status).toBe(200);
    expect(view.headers['access-control-allow-origin']).toBe('*');
    expect(view.headers['cache-control']).toBe('public, max-age=60');
    // What a stranger holding the id sees: the definition, never the merchant's URLs or totals.
    expect(Object.keys(view.body!.payload).sort()).toEqual([
      'amount',
      'amountType',
      'buttonColor',
      'buttonId',
      'buttonLabel',
      'description',
      'fields',
      'maxAmount',
      'minAmount',
      'status',
      'title',
    ]);

    for (const url of [`/pay/button/${fixed}/orders`, `/pay/button/${fixed}`]) {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
      });
    }
    const unknown = await pub('GET', '/pay/button/BTN1767225600000zzzzz');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
    // A 404 is not cached: a button created a moment later must not stay "unavailable" in a shared cache.
    expect(unknown.headers['cache-control']).toBeUndefined();
    // CORS stays on the public button routes: the merchant API does not answer other origins.
    const api = await t.app.inject({ method: 'GET', url: `/api/v0/payment-button/${fixed}`, headers: { ...headers, origin: 'http://shop.example' } });
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a click that does not fit its button, with a message the script can show, and creates no order', async () => {
    const before = await orderCount();
    const cases: Array<[string, object, number, RegExp]> = [
      [open, { amount: 5 }, 400, /minimum is ₹10.00/],
      [open, { amount: '5001' }, 400, /maximum is ₹5000.00/],
      [open, {}, 400, /enter the amount/],
      [open, { amount: '12.345' }, 400, /amount/],
      [fixed, { fields: { customerEmail: 'a@b.in' } }, 400, /Your name/],
      [fixed, { fields: { customerName: 'Asha', customerEmail: 'not-an-email' } }, 400, /Email/],
      [fixed, { fields: { customerName: 'Asha', customerEmail: 'a@b.in', coupon: 'FREE' } }, 400, /coupon/],
      [fixed, { amount: 1, fields: { customerName: 'Asha', customerEmail: 'a@b.in' } }, 400, /₹1500.00/],
      [fixed, { fields: { customerName: 'x'.repeat(201), customerEmail: 'a@b.in' } }, 400, /customerName/],
      [
        fixed,
        { fields: { customerName: 'Asha', customerEmail: 'a@b.in', membershipNo: '4111 1111 1111 1111' } },
        400,
        /Membership number: card numbers are accepted only/,
      ],
      ['BTN1767225600000zzzzz', { amount: 10 }, 404, /not found/],
    ];
    for (const [id, body, status, message] of cases) {
      const res = await pub('POST', `/pay/button/${id}/orders`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body!.response_message, JSON.stringify(body)).toMatch(message);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    const huge = await t.app.inject({
      method: 'POST',
      url: `/pay/button/${open}/orders`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ amount: 10, pad: 'x'.repeat(10_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(await orderCount()).toBe(before);
  });

  it('a click creates an order of the button, one per click, carrying what the payer entered', async () => {
    const first = await pub('POST', `/pay/button/${fixed}/orders`, {
      fields: { customerName: 'Asha Rao', customerEmail: 'asha@example.in', membershipNo: 'M-042' },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body!.payload).toEqual({
      orderId: expect.stringMatching(/^ORD\d{13}[A-Za-z0-9]{16}$/),
      merchantOrderId: expect.stringMatching(new RegExp(`^${fixed}-[A-Za-z0-9]{10}$`)),
      amount: 1500,
      checkoutUrl: `http://localhost:80/pay/checkout/${first.body!.payload.orderId}`,
    });
    const order = await inject(t.app, headers, 'GET', `/api/v0/orders/${first.body!.payload.orderId}`);
    expect(order.body.payload).toMatchObject({
      orderStatus: 'CREATED',
      amount: { value: 1500, currency: 'INR' },
      description: 'Annual membership',
      returnUrl: 'https://club.example/thanks',
      notifyUrl: 'http://127.0.0.1:9/notify',
      customerInfo: { firstName: 'Asha Rao', email: 'asha@example.in' },
      customParameters: { paymentButtonId: fixed, membershipNo: 'M-042' },
    });
    const second = await pub('POST', `/pay/button/${fixed}/orders`, { fields: { customerName: 'Ravi', customerEmail: 'ravi@example.in' } });
    expect(second.body!.payload.merchantOrderId).not.toBe(first.body!.payload.merchantOrderId);
    const checkout = await t.app.inject({ method: 'GET', url: `/pay/checkout/${first.body!.payload.orderId}`, headers: { accept: 'application/json' } });
    expect(checkout.statusCode).toBe(200);
  });

  it('a deactivated button refuses clicks (422) until it is activated again', async () => {
    const before = await orderCount();
    const off = await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}/deactivate`);
    expect(off.body.payload.status).toBe('INACTIVE');
    expect((await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}/deactivate`)).body.payload.status).toBe('INACTIVE');
    expect(
      (await inject(t.app, headers, 'GET', '/api/v0/payment-button?status=INACTIVE')).body.payload.content.map((b: { buttonId: string }) => b.buttonId),
    ).toEqual([open]);
    expect((await pub('GET', `/pay/button/${open}`)).body!.payload.status).toBe('INACTIVE');
    const refused = await pub('POST', `/pay/button/${open}/orders`, { amount: 100 });
    expect(refused.status).toBe(422);
    expect(refused.headers['x-error-code']).toBe('payment_button_inactive');
    expect(refused.body).toEqual({ response_code: 422, response_message: 'This payment button is not accepting payments', payload: null });
    expect(await orderCount()).toBe(before);
    expect((await inject(t.app, headers, 'PATCH', `/api/v0/payment-button/${open}/activate`)).body.payload.status).toBe('ACTIVE');
    expect((await pub('POST', `/pay/button/${open}/orders`, { amount: '100' })).status).toBe(200);
  });

  it('counts the captured payments of its orders in its totals, and the ledger stays balanced', async () => {
    const upi = await pub('POST', `/pay/button/${open}/orders`, { amount: 250.75 });
    const card = await pub('POST', `/pay/button/${open}/orders`, { amount: '1000' });
    const unpaid = await pub('POST', `/pay/button/${open}/orders`, { amount: 42 });
    expect([upi.status, card.status, unpaid.status]).toEqual([200, 200, 200]);
    const submitted = await inject(t.app, headers, 'POST', '/api/v0/payment/submit', {
      orderId: upi.body!.payload.orderId,
      paymentMode: 'UPI',
      vpa: 'success@enkash',
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const declined = await pub('POST', `/pay/button/${open}/orders`, { amount: 77 });
    await inject(t.app, headers, 'POST', '/api/v0/payment/submit', { orderId: declined.body!.payload.orderId, paymentMode: 'UPI', vpa: 'failure@enkash' });
    const byCard = await inject(t.app, headers, 'POST', '/api/v0/payment/submit', {
      orderId: card.body!.payload.orderId,
      paymentMode: 'CREDIT_CARD',
      cardNumber: '4111111111111111',
      expiry: '12/30',
      cvv: '123',
      cardHolderName: 'Asha Rao',
    });
    expect(byCard.body.payload.transactionStatus, JSON.stringify(byCard.body)).toBe('SUCCESS');
    // The UPI payer answers the collect when the sandbox clock next moves.
    expect((await inject(t.app, headers, 'POST', '/api/v0/sandbox/clock/advance', { seconds: 1 })).status).toBe(200);
    expect((await inject(t.app, headers, 'GET', `/api/v0/orders/${upi.body!.payload.orderId}`)).body.payload.orderStatus).toBe('PAID');

    const got = await inject(t.app, headers, 'GET', `/api/v0/payment-button/${open}`);
    expect(got.body.payload).toMatchObject({ paymentsCount: 2, amountCollected: 1250.75 });
    const list = await inject(t.app, headers, 'GET', '/api/v0/payment-button');
    expect(
      list.body.payload.content.map((b: { buttonId: string; paymentsCount: number; amountCollected: number }) => [
        b.buttonId,
        b.paymentsCount,
        b.amountCollected,
      ]),
    ).toEqual([
      [fixed, 0, 0],
      [open, 2, 1250.75],
    ]);
    await verify();
  });

  it('a button whose field is named like an Object.prototype member takes clicks (no 500)', async () => {
    const created = await inject(t.app, headers, 'POST', '/api/v0/payment-button', {
      title: 'Workshop seat',
      amountType: 'FIXED',
      amount: 300,
      fields: [
        { name: 'constructor', label: 'Builder' },
        { name: 'toString', label: 'Seat', required: true },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.payload.buttonId as string;
    const before = await orderCount();
    const missing = await pub('POST', `/pay/button/${id}/orders`, {});
    expect([missing.status, missing.body!.response_message]).toEqual([400, 'Missing required field Seat']);
    expect(await orderCount()).toBe(before);
    const clicked = await pub('POST', `/pay/button/${id}/orders`, { fields: { toString: 'S-9' } });
    expect(clicked.status, JSON.stringify(clicked.body)).toBe(200);
    const order = await inject(t.app, headers, 'GET', `/api/v0/orders/${clicked.body!.payload.orderId}`);
    expect(order.body.payload.customParameters).toEqual({ paymentButtonId: id, toString: 'S-9' });
  });

  it('a button made with an access key the merchant revoked since no longer signs its new orders with that key', async () => {
    const { key, secretKey } = await t.services.merchant.createKey(SANDBOX.companyId);
    const keyHeaders = { authorization: `Bearer ${await merchantToken(t.app, key.accessKey, secretKey)}`, merchantaccesskey: key.accessKey };
    const created = await inject(t.app, keyHeaders, 'POST', '/api/v0/payment-button', { title: 'Key test', amountType: 'FIXED', amount: 20 });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.payload.buttonId as string;
    const signedBy = async (orderId: string) =>
      (await queryRows<{ k: string | null }>(t.database.db, sql`select access_key as k from gateway_orders where id = ${orderId}`))[0]!.k;
    const before = await pub('POST', `/pay/button/${id}/orders`, {});
    expect(await signedBy(before.body!.payload.orderId)).toBe(key.accessKey);
    await t.services.merchant.revokeKey(key.accessKey);
    const after = await pub('POST', `/pay/button/${id}/orders`, {});
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(await signedBy(after.body!.payload.orderId)).toBeNull();
    // The order made before the revocation keeps its key.
    expect(await signedBy(before.body!.payload.orderId)).toBe(key.accessKey);
  });
});
