import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { capturedPayment, inject } from './gateway-settlements-fixtures.js';

// Concurrent refunds never refund more than was captured: the refund transaction locks the payment
// row (SELECT … FOR UPDATE). PostgreSQL runs the requests really in parallel (1,000 over 100
// payments); PGlite serializes them, so its smaller run checks the same arithmetic.

let t: TestApp;
let headers: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ database: await createTestDatabase(20) });
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
  await t?.database.close();
});

/** Fires `perPayment` refunds of random sizes at each payment at once and checks what was accepted. */
async function storm(payments: number, perPayment: number) {
  const amountPaise = 10_000n; // ₹100 each
  const ids: string[] = [];
  for (let i = 0; i < payments; i++)
    ids.push((await capturedPayment(t.services, t.database, { amountPaise, mode: i % 2 ? 'UPI' : 'CREDIT_CARD' })).transactionId);
  const requests = ids.flatMap((id, i) =>
    Array.from({ length: perPayment }, (_, j) => ({ id, amount: 5 + ((i * 7 + j * 13) % 30), requestId: `storm-${payments}-${i}-${j}` })),
  );
  const answers = await Promise.all(
    requests.map((r) => inject(t.app, headers, 'POST', `/api/v0/payment/${r.id}/refund`, { amount: r.amount, requestId: r.requestId })),
  );
  const statuses = new Map<number, number>();
  for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  // Every request is either a refund or the clear over-refund error; nothing else (no 500, no deadlock).
  expect([...statuses.keys()].sort()).toEqual([200, 422]);
  // Refused: more than is left, or nothing left at all (the payment is REFUNDED).
  for (const a of answers.filter((x) => x.status === 422)) expect(['refund_exceeds_refundable', 'payment_not_refundable']).toContain(a.headers['x-error-code']);

  const rows = await queryRows<{ id: string; amount: string; refunded: string; refunds: string; status: string }>(
    t.database.db,
    sql`select p.id, p.amount_paise::text as amount, p.refunded_paise::text as refunded, p.status,
               coalesce((select sum(r.amount_paise) from gateway_refunds r where r.company_id = p.company_id and r.payment_id = p.id), 0)::text as refunds
        from gateway_payments p where p.id in ${ids}`,
  );
  expect(rows).toHaveLength(payments);
  for (const row of rows) {
    expect(BigInt(row.refunds)).toBeLessThanOrEqual(BigInt(row.amount));
    expect(row.refunded).toBe(row.refunds);
    expect(row.status).toBe(BigInt(row.refunds) === BigInt(row.amount) ? 'REFUNDED' : 'PARTIALLY_REFUNDED');
  }
  const accepted = answers.filter((a) => a.status === 200).reduce((sum, a) => sum + Math.round(a.body.payload.amount * 100), 0);
  expect(BigInt(accepted)).toBe(rows.reduce((sum, r) => sum + BigInt(r.refunds), 0n));
  expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
}

describe(`concurrent refunds on ${backend}`, () => {
  it('50 concurrent refunds over 5 payments never refund more than was captured', async () => {
    await storm(5, 10);
  });

  if (process.env.TEST_DATABASE_URL) {
    it(
      '1,000 concurrent refund requests over 100 captured payments never refund more than was captured; the ledger verifies',
      { timeout: 240_000 },
      async () => {
        await storm(100, 10);
      },
    );
  }
});
