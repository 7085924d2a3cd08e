import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createMerchantService } from '../../src/auth/merchant/index.js';
import { systemClock } from '../../src/core/clock/clock.js';
import { SecretsKey } from '../../src/core/events/index.js';
import { createTestApp, createTestDatabase, queryRows } from '../support/app.js';

// Issue 16 item 3: a merchant key sealed under another secrets key (a `tijori` run from another
// folder made its own ./data/secrets.key) made payment submit and search answer 500 later. The
// start now refuses a database holding any secret its key cannot open, merchant secrets included.

const database = await createTestDatabase();
afterAll(async () => database.close());

describe('the start checks that its secrets key opens every sealed secret', () => {
  it('refuses a database whose merchant secrets were sealed under another key, naming the cause; starts with the right key', async () => {
    const sealedWith = randomBytes(32).toString('hex');
    const first = await createTestApp({ database, secretsKey: sealedWith, background: { workers: false, timerPollMs: null } });
    await first.services.merchant.createKey((await first.services.identity.createCompany({ name: 'Second merchant' })).id);
    await first.close();

    const other = randomBytes(32).toString('hex');
    const refused = createTestApp({ database, seed: false, secretsKey: other, background: { workers: false, timerPollMs: null } });
    await expect(refused).rejects.toMatchObject({ code: 'secrets_key_mismatch' });
    await expect(refused).rejects.toThrow(/cannot open the secrets of 2 merchant key\(s\).*SECRETS_KEY/);

    const again = await createTestApp({ database, seed: false, secretsKey: sealedWith, background: { workers: false, timerPollMs: null } });
    expect((await again.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await again.close();
  });
});

describe('a merchant secret the running server cannot open', () => {
  it('fails a payment submit with a 500 that commits nothing: no attempt row, no attempt of the order used', async () => {
    const shared = await createTestDatabase(4);
    const serverKey = randomBytes(32).toString('hex');
    const server = await createTestApp({ database: shared, secretsKey: serverKey, background: { workers: false, timerPollMs: null } });
    // Another process with its own key adds a merchant key while the server runs (the probe's stray
    // CLI, as `tijori merchant-key create` builds its service before this check existed).
    const stray = createMerchantService({ database: shared, clock: systemClock, secretsKey: SecretsKey.random(), tokenTtlSeconds: 3600 });
    try {
      const company = await server.services.identity.createCompany({ name: 'Sealed elsewhere' });
      const { key, secretKey } = await stray.createKey(company.id);
      const tokenRes = await server.app.inject({ method: 'POST', url: '/api/v0/merchant/token', payload: { accessKey: key.accessKey, secretKey } });
      const headers = { authorization: `Bearer ${tokenRes.json().token}`, merchantaccesskey: key.accessKey };
      const order = await server.app.inject({
        method: 'POST',
        url: '/api/v0/orders',
        headers,
        payload: { orderId: 'SEALED-1', amount: { value: 100, currency: 'INR' } },
      });
      expect(order.statusCode, order.body).toBe(200);
      const orderId = order.json().payload.orderId as string;
      const before = (await server.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers })).json().payload;

      const submit = await server.app.inject({
        method: 'POST',
        url: '/api/v0/payment/submit',
        headers,
        payload: { orderId, paymentMode: 'NET_BANKING', bankCode: 'HDFC' },
      });
      expect(submit.statusCode).toBe(500);
      const rows = await queryRows<{ n: number }>(shared, sql`select count(*)::int as n from gateway_payments where order_id = ${orderId}`);
      expect(rows[0]!.n).toBe(0);
      const after = (await server.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers })).json().payload;
      expect(after).toEqual(before);
    } finally {
      await server.close();
      await shared.close();
    }
  });
});
