import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from './app.js';
import { gatewayHeaders } from './gateway.js';

export type Detail = { transactionId: string; publicIdentifierKey: string; uniqueTransactionId: string; orderId: string };

/**
 * The app and the helpers of the hosted checkout files (src/products/gateway/checkout/checkout.test.ts,
 * checkout-bank-pages.test.ts). Call inside a describe: it registers the set-up and tear-down;
 * `state` holds the app, the merchant's headers, its name and the order counter once set up.
 */
export function checkoutHarness() {
  const state = { seq: 0 } as { t: TestApp; merchant: Record<string, string>; merchantName: string; seq: number };
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await state.t.app.inject({
      method,
      url,
      headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };
  const form = (url: string, fields: Record<string, string>) =>
    state.t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
  const createOrder = async (amount = 100, extra: object = {}) => {
    const merchantOrderId = `CHK-${backend}-${++state.seq}`;
    const res = await state.t.app.inject({
      method: 'POST',
      url: '/api/v0/orders',
      headers: state.merchant,
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
  const verifyLedger = async () => expect((await state.t.services.ledger.verify(state.t.database.db, { companyId: SANDBOX.companyId })).breaks).toEqual([]);

  beforeAll(async () => {
    state.t = await createTestApp();
    state.merchant = await gatewayHeaders(state.t.app);
    state.merchantName = (await state.t.services.gatewaySettings.get(state.t.database.db, SANDBOX.companyId)).merchantName;
  });
  afterAll(async () => state.t?.close());
  return { state, b64, json, form, createOrder, open, key, cardCharge, checksum, verifyLedger };
}
