import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/core/db/transaction.js';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { apiClient, newCompany, type Api } from '../support/payouts.js';
import { createTenant, tenantHeaders } from '../support/tenants.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * The reverse penny drop end to end (docs/api/verification.md, ADR 0042): a ₹1.00 UPI collect on
 * the gateway's rail, PENDING; paid, the check ends VALID with the payer's name, masked account
 * and IFSC, the rupee is refunded through the gateway's refund owner, a signed webhook follows,
 * and the ledger verifies; unpaid, the collect expires on the sandbox clock (FAILED, webhook).
 */
describe(`reverse penny drop (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let other: Api;
  let companyId: string;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  const START = new Date(Math.floor(Date.now() / 1000) * 1000);
  let n = 0;
  const consent = () => ({ referenceId: `RPD-${++n}`, consent: 'Y', purpose: 'Account ownership' });
  const post = (body: object, headers: Record<string, string> = {}) => api('POST', '/v0/verification/bank-account/reverse', body, headers);
  const webhookOf = async (verificationId: string) => {
    const until = Date.now() + 15_000;
    const find = () => rx.received.find((x) => x.body.includes(verificationId));
    while (!find() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
    const r = find()!;
    return new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    });
  };

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    t.clock.set(START);
    const a = await createTenant(t.services, 'Reverse', 'reverse@example.com');
    companyId = a.companyId;
    await t.services.clocks.moveForwardTo(companyId, START);
    api = apiClient(t, (await tenantHeaders(t.app, a)).bearer.authorization!);
    const b = await createTenant(t.services, 'ReverseOther', 'reverse.other@example.com');
    other = apiClient(t, (await tenantHeaders(t.app, b)).bearer.authorization!);
    const config = await api('POST', '/v0/webhook-data', { webhookUrl: `${rx.url}/reverse`, events: ['VERIFICATION_COMPLETED'], companyId });
    expect(config.statusCode, config.body).toBe(200);
    secret = config.json().payload.secret;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('paid: PENDING, then VALID with the payer, the rupee refunded, a signed webhook; the ledger verifies', async () => {
    const body = { ...consent(), payerVpa: 'success@enkash', name: 'Tijori Success Payer' };
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(200);
    const pending = res.json().payload;
    expect(pending).toEqual({
      verificationId: expect.stringMatching(/^VRF/),
      referenceId: body.referenceId,
      checkType: 'BANK_ACCOUNT_REVERSE',
      status: 'PENDING',
      message: 'A ₹1.00 UPI collect was sent to the payer; the check ends when they pay or the collect expires',
      input: 'success@enkash',
      result: { payerVpa: 'success@enkash', amount: '1.00', orderId: expect.stringMatching(/^ORD/) },
      nameMatch: null,
      purpose: 'Account ownership',
      dataVersion: 'tijori-sandbox-registries-2026.12',
      createdOn: START.toISOString(),
      completedOn: null,
      purgedOn: null,
    });
    // The payer's answer (at once for success@enkash) and the refund run on the sandbox timers.
    await t.services.timers.advance(companyId, new Date(START.getTime() + 1000));
    await t.services.timers.advance(companyId, new Date(START.getTime() + 2000));
    const got = (await api('GET', `/v0/verification/${pending.verificationId}`)).json().payload;
    expect(got).toEqual({
      ...pending,
      status: 'VALID',
      message: 'The payer paid ₹1.00 from the account; the rupee is refunded',
      result: {
        payerVpa: 'success@enkash',
        amount: '1.00',
        orderId: pending.result.orderId,
        transactionId: expect.stringMatching(/^TXN/),
        rrn: expect.stringMatching(/^[0-9]{12}$/),
        payerName: 'Tijori Success Payer',
        maskedAccountNumber: 'XXXXXXXX0001',
        ifsc: 'HDFC0000001',
        refundTransactionId: expect.stringMatching(/^RFD/),
        refundStatus: 'CREATED',
      },
      nameMatch: expect.objectContaining({ nameGiven: 'Tijori Success Payer', nameOnRecord: 'Tijori Success Payer', score: 100, band: 'MATCH' }),
      completedOn: expect.any(String),
    });
    expect(await webhookOf(pending.verificationId)).toEqual({ event: 'VERIFICATION_COMPLETED', ...got });
    // The gateway's own records: the payment refunded by its refund owner.
    const refund = await t.services.gatewayMoney.refunds.get(companyId, got.result.refundTransactionId);
    expect({ paymentId: refund.paymentId, amountPaise: refund.amountPaise, requestId: refund.requestId }).toEqual({
      paymentId: got.result.transactionId,
      amountPaise: 100n,
      requestId: `RPD-${pending.verificationId}`,
    });
    await t.services.timers.advance(companyId, new Date(START.getTime() + 10 * 60_000));
    expect((await t.services.gatewayMoney.refunds.get(companyId, refund.id)).status).toBe('SUCCESS');
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
    // The same referenceId replays the ended check.
    expect((await post(body)).json().payload).toEqual(got);
  });

  it('unpaid: the collect expires on the sandbox clock, FAILED and the webhook', async () => {
    const now = await t.services.clocks.now(companyId);
    const body = { ...consent(), payerVpa: 'pending@enkash' };
    const pending = (await post(body)).json().payload;
    expect(pending).toMatchObject({ status: 'PENDING', checkType: 'BANK_ACCOUNT_REVERSE' });
    await t.services.timers.advance(companyId, new Date(now.getTime() + 4 * 60_000));
    expect((await api('GET', `/v0/verification/${pending.verificationId}`)).json().payload.status).toBe('PENDING');
    await t.services.timers.advance(companyId, new Date(now.getTime() + 6 * 60_000));
    const got = (await api('GET', `/v0/verification/${pending.verificationId}`)).json().payload;
    expect(got).toMatchObject({
      status: 'FAILED',
      message: 'The payer did not pay the ₹1.00 collect before it expired',
      result: { payerVpa: 'pending@enkash', amount: '1.00', reasonCode: 'collect_expired', paymentStatus: 'FAILED' },
    });
    expect(await webhookOf(pending.verificationId)).toEqual({ event: 'VERIFICATION_COMPLETED', ...got });
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  });

  it('declined by the payer: FAILED (collect_declined), nothing refunded', async () => {
    const now = await t.services.clocks.now(companyId);
    const pending = (await post({ ...consent(), payerVpa: 'failure@enkash' })).json().payload;
    await t.services.timers.advance(companyId, new Date(now.getTime() + 1000));
    const got = (await api('GET', `/v0/verification/${pending.verificationId}`)).json().payload;
    expect(got).toMatchObject({
      status: 'FAILED',
      message: 'The payer declined the ₹1.00 collect',
      result: { reasonCode: 'collect_declined', paymentStatus: 'FAILED' },
    });
    expect(got.result.refundTransactionId).toBeUndefined();
  });

  it('bad input is refused and records nothing; another company gets 404', async () => {
    const count = async () => (await api('POST', '/v0/verification/search', { checkType: 'BANK_ACCOUNT_REVERSE' })).json().payload.totalElements as number;
    const before = await count();
    const bad = await post({ ...consent(), payerVpa: 'asha@nosuchpsp' });
    expect([bad.statusCode, bad.json().response_message]).toEqual([400, 'Invalid field payerVpa: unknown UPI handle @nosuchpsp']);
    const noConsent = await post({ referenceId: 'RPD-NC', payerVpa: 'success@enkash', purpose: 'x' });
    expect(noConsent.statusCode).toBe(422);
    expect(await count()).toBe(before);
    // A company that is no gateway merchant is refused before any order or record.
    const plain = await newCompany(t, 'NoMerchant');
    const refused = await plain.api('POST', '/v0/verification/bank-account/reverse', { ...consent(), payerVpa: 'success@enkash' });
    expect([refused.statusCode, refused.headers['x-error-code'], refused.json().payload]).toEqual([422, 'verification_gateway_merchant_required', null]);
    expect((await plain.api('POST', '/v0/verification/search', {})).json().payload.totalElements).toBe(0);
    const orders = await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from gateway_orders where company_id = ${plain.companyId}`);
    expect(orders).toEqual([{ n: '0' }]);
    const id = (await api('POST', '/v0/verification/search', { checkType: 'BANK_ACCOUNT_REVERSE' })).json().payload.content[0].verificationId;
    const res = await other('GET', `/v0/verification/${id}`);
    expect([res.statusCode, res.headers['x-error-code']]).toEqual([404, 'verification_not_found']);
  });
});
