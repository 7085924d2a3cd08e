import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { createStatementFaults } from '../../src/core/db/faults.js';
import { backend, createTestApp, createTestDatabase, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';

/**
 * ADR 0046, one test per fix that test/proof/faults.test.ts found: a database statement fails
 * (test-only fault injection, core/db/faults.ts) where the fix matters, and the answer and the rows
 * are checked. Each failed before its fix.
 */
describe(`a 5xx commits nothing; a failure after the commit answers what committed (${backend})`, () => {
  const faults = createStatementFaults();
  let t: TestApp;
  let headers: Record<string, string>;
  let seq = 0;
  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase(10, { faults }), background: { workers: false, timerPollMs: null } });
    headers = await gatewayHeaders(t.app);
  });
  afterAll(async () => {
    await t.close();
    await t.database.close();
  });

  const post = async (url: string, payload: object, key: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
      payload: JSON.stringify(payload),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const order = async () => {
    const res = await post('/api/v0/orders', { orderId: `FAULT-${backend}-${++seq}`, amount: { value: 99.5, currency: 'INR' } }, `fault-order-${seq}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload.orderId as string;
  };
  const card = (orderId: string) => ({
    orderId,
    paymentMode: 'CREDIT_CARD',
    cardNumber: '4111111111111111',
    expiry: '12/30',
    cvv: '123',
    cardHolderName: 'Asha Rao',
  });
  /** The number of the first statement after the first business COMMIT (after the claim's) of a run that met no fault. */
  const firstAfterCommit = (trail: readonly string[]) =>
    trail.findIndex((text, i) => /^commit\b/i.test(text) && i > trail.findIndex((s) => /^commit\b/i.test(s))) + 2;

  it('a submit whose outcome cannot be recorded answers 500, and the retry with its Idempotency-Key resumes the same attempt (no 409)', async () => {
    // A dry run counts the statements: the outcome's transaction starts right after the attempt's COMMIT.
    faults.arm(null);
    expect((await post('/api/v0/payment/submit', card(await order()), `fault-dry-${backend}`)).status).toBe(200);
    const k = firstAfterCommit(faults.trail);
    const orderId = await order();
    faults.arm(k);
    const failed = await post('/api/v0/payment/submit', card(orderId), `fault-submit-${backend}`);
    faults.disarm();
    expect(faults.fired).toBe(true);
    expect(failed.status).toBe(500);
    const retry = await post('/api/v0/payment/submit', card(orderId), `fault-submit-${backend}`);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    const rows = await queryRows<{ id: string; status: string }>(
      t.database,
      sql`select id, status from gateway_payments where company_id = ${SANDBOX.companyId} and order_id = ${orderId}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('SUCCESS');
  });

  it('a QR cancel whose last statement fails answers 500 and leaves the QR ACTIVE', async () => {
    const qr = await post('/api/v0/qr-code', { qrType: 'STATIC' }, `fault-qr-${backend}`);
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    const id = qr.body.payload.qrCodeId as string;
    const cancel = () => t.app.inject({ method: 'PATCH', url: `/api/v0/qr-code/${id}/cancel`, headers });
    const status = async () => (await queryRows<{ status: string }>(t.database, sql`select status from gateway_qr_codes where id = ${id}`))[0]!.status;
    faults.arm(null);
    expect((await cancel()).statusCode).toBe(200);
    const n = faults.counted;
    // A second QR is cancelled with its last statement failing: the COMMIT, now that the answer is read before it.
    const other = await post('/api/v0/qr-code', { qrType: 'STATIC' }, `fault-qr2-${backend}`);
    const otherId = other.body.payload.qrCodeId as string;
    faults.arm(n);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v0/qr-code/${otherId}/cancel`, headers });
    faults.disarm();
    expect(res.statusCode).toBe(500);
    expect((await queryRows<{ status: string }>(t.database, sql`select status from gateway_qr_codes where id = ${otherId}`))[0]!.status).toBe('ACTIVE');
    expect(await status()).toBe('CLOSED');
  });

  it('a UPI mandate whose approval request fails after the commit answers the committed CREATED mandate and logs the failure', async () => {
    const body = (ref: string) => ({
      referenceId: ref,
      amount: 900,
      amountRule: 'MAX',
      currency: 'INR',
      payer: { name: 'Fault Probe', vpa: 'autopay.approve@enkash' },
      mandateName: 'Fault probe',
      expiry: '2098-01-01T00:00:00Z',
      recurrence: { period: 'ASPRESENTED' },
      validity: { startAt: '2020-01-01T00:00:00Z', endAt: '2099-01-01T00:00:00Z' },
    });
    faults.arm(null);
    const dry = await post('/api/v0/upi-mandate', body(`fault-m1-${backend}`), `fault-m1-${backend}`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const k = firstAfterCommit(faults.trail);
    const logged = t.logs.lines.length;
    faults.arm(k);
    const res = await post('/api/v0/upi-mandate', body(`fault-m2-${backend}`), `fault-m2-${backend}`);
    faults.disarm();
    expect(faults.fired).toBe(true);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.payload.status).toBe('CREATED');
    expect(t.logs.lines.slice(logged).some((line) => line.includes('after-commit action failed'))).toBe(true);
  });
});
