import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * The app, the notify receiver on 127.0.0.1 and the helpers of the gateway payment files
 * (gateway-payments.test.ts, gateway-payments-rails.test.ts). Call inside a describe: it registers
 * the set-up and tear-down; `state` holds the app, the merchant's headers, the receiver and the
 * order counter once set up.
 */
export function gatewayPaymentsHarness() {
  const state = { seq: 0 } as { t: TestApp; headers: Record<string, string>; rx: Awaited<ReturnType<typeof startReceiver>>; seq: number };

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, extra: Record<string, string> = {}) => {
    const res = await state.t.app.inject({
      method,
      url,
      headers: { ...state.headers, ...extra, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const createOrder = async (amount = 100, extra: object = {}) => {
    const merchantOrderId = `ORDER-${backend}-${++state.seq}`;
    const res = await call('POST', '/api/v0/orders', {
      orderId: merchantOrderId,
      amount: { value: amount, currency: 'INR' },
      notifyUrl: `${state.rx.url}/notify/${merchantOrderId}`,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload as { orderId: string; merchantOrderId: string };
  };
  const runTimers = () => state.t.services.timers.runDue(SANDBOX.companyId);
  const verifyLedger = async () => {
    const report = await state.t.services.ledger.verify(state.t.database.db, { companyId: SANDBOX.companyId });
    expect(report.breaks).toEqual([]);
  };
  const checksum = (orderId: string, transactionId: string, uniqueTransactionId: string, amount: string, status: string) =>
    createHmac('sha256', SANDBOX.merchantSecretKey).update(`${orderId}|${transactionId}|${uniqueTransactionId}|${amount}|${status}`).digest('hex');
  const notifiesFor = (merchantOrderId: string) => state.rx.received.filter((r) => r.path === `/notify/${merchantOrderId}`);
  const waitNotify = async (merchantOrderId: string, count = 1) => {
    const until = Date.now() + 15_000;
    while (notifiesFor(merchantOrderId).length < count) {
      if (Date.now() > until) throw new Error(`notify for ${merchantOrderId}: ${notifiesFor(merchantOrderId).length} of ${count}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return notifiesFor(merchantOrderId).map((r) => ({ body: JSON.parse(r.body) as Record<string, unknown>, headers: r.headers }));
  };

  beforeAll(async () => {
    state.rx = await startReceiver();
    state.t = await createTestApp();
    state.headers = await gatewayHeaders(state.t.app);
  });
  afterAll(async () => {
    await state.t?.close();
    await state.rx?.close();
  });
  const submit = (orderId: string, detail: object, extra: Record<string, string> = {}) => call('POST', '/api/v0/payment/submit', { orderId, ...detail }, extra);
  const txn = async (transactionId: string) => (await call('GET', `/api/v0/payment/${transactionId}`)).body.payload;
  const orderOf = async (orderId: string) => (await call('GET', `/api/v0/orders/${orderId}`)).body.payload;
  const captureOf = (transactionId: string) =>
    state.t.services.ledger.findTransactionByReference(state.t.database.db, SANDBOX.companyId, {
      code: 'payment_capture',
      referenceType: 'gateway_payment',
      referenceId: transactionId,
    });
  const postingsOf = async (transactionId: string) => {
    const tx = await captureOf(transactionId);
    if (!tx) return null;
    const accounts = new Map<string, string>();
    for (const p of tx.postings)
      accounts.set(p.accountId, (await state.t.services.ledger.getAccount(state.t.database.db, SANDBOX.companyId, p.accountId)).code);
    return tx.postings.map((p) => `${p.direction} ${accounts.get(p.accountId)} ${p.amount}`).sort();
  };

  return { state, call, createOrder, runTimers, verifyLedger, checksum, notifiesFor, waitNotify, submit, txn, orderOf, captureOf, postingsOf };
}
