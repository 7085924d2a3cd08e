import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX as SEED } from '../../src/auth/seed.js';
import { backend, createTestApp, createTestDatabase, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { inject } from '../flows/gateway-settlements-fixtures.js';
import { report } from './report.js';

// Issue 16 item 6 (the outside probe's "concurrent submits" class): twelve submits on one order at
// once, with different instruments, on two app instances sharing the database. One submit wins;
// every other caller is told that a payment of the order is in progress (409
// payment_in_progress), or, once the winner's payment has completed, that the order takes no
// more payments (422 order_not_payable), and leaves nothing: no attempt row, no attempt used.

const SANDBOX = SEED.companyId;
let a: TestApp;
let b: TestApp;
let headers: Record<string, string>;
let seq = 0;

beforeAll(async () => {
  const database = await createTestDatabase(20);
  const secretsKey = randomBytes(32).toString('hex');
  a = await createTestApp({ database, secretsKey });
  b = await createTestApp({ database, seed: false, secretsKey });
  headers = await gatewayHeaders(a.app);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await a?.database.close();
});

const INSTRUMENTS = [
  { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123', cardHolderName: 'Asha Rao' },
  { paymentMode: 'NET_BANKING', bankCode: 'HDFC' },
  { paymentMode: 'UPI', vpa: 'success@enkash' },
  // 3-D Secure challenge: the attempt waits at the holder's ACS page, where a later submit may supersede it.
  { paymentMode: 'CREDIT_CARD', cardNumber: '4000000000003220', expiry: '12/30', cvv: '123', cardHolderName: 'Asha Rao' },
];

describe(`concurrent submits on one order (${backend})`, () => {
  for (const round of [1, 2, 3]) {
    it(`storm ${round}: twelve submits, one wins, eleven are told about it and leave nothing`, async () => {
      const created = await inject(a.app, headers, 'POST', '/api/v0/orders', {
        orderId: `STORM-${backend}-${++seq}-${Date.now()}`,
        amount: { value: 250, currency: 'INR' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const orderId = created.body.payload.orderId as string;
      // Round 1 sends them all at once; the others spread them over a few submits' time, so that
      // later ones arrive while the first waits at its 3-D Secure page (the probe's storms over HTTP).
      const spreadMs = round === 1 ? 0 : 25;
      const answers = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          await sleep(i * spreadMs);
          const instrument = i === 0 ? INSTRUMENTS[3] : INSTRUMENTS[(i + round) % INSTRUMENTS.length];
          return inject([a.app, b.app][i % 2]!, headers, 'POST', '/api/v0/payment/submit', { orderId, ...instrument });
        }),
      );
      const won = answers.filter((r) => r.status === 200);
      const lost = answers.filter((r) => r.status !== 200);
      report(`submit storm ${round}`, `${won.length} won, ${lost.length} refused (${[...new Set(lost.map((r) => r.headers['x-error-code']))].join(', ')})`);
      expect(won, JSON.stringify(answers.map((r) => [r.status, r.body.response_message]))).toHaveLength(1);
      for (const r of lost) {
        const code = r.headers['x-error-code'];
        expect([409, 422], JSON.stringify(r.body)).toContain(r.status);
        expect(code === 'payment_in_progress' || code === 'order_not_payable', JSON.stringify(r.body)).toBe(true);
        if (code === 'payment_in_progress') expect(r.body.response_message).toMatch(/in progress/);
      }
      const rows = await queryRows<{ id: string; status: string }>(
        a.database,
        sql`select id, status from gateway_payments where company_id = ${SANDBOX} and order_id = ${orderId}`,
      );
      expect(rows.map((r) => r.id)).toEqual([won[0]!.body.payload.transactionId]);
      const order = (await inject(a.app, headers, 'GET', `/api/v0/orders/${orderId}`)).body.payload;
      expect(order.attemptsUsed ?? 1, JSON.stringify(order)).toBe(1);
    });
  }
});
