import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, createTestDatabase, type TestApp } from '../../../test/support/app.js';
import { SANDBOX } from '../../auth/seed.js';
import { fundSandboxPayouts } from './sandbox-funds.js';

describe("the sandbox company's opening payout balance (documented test data)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('is ₹10,00,000 after the first funding, one sandbox_funding transaction, and is never added twice', async () => {
    expect((await t.services.payouts.balance(SANDBOX.companyId)).ledger).toBe(0n);
    expect(await fundSandboxPayouts(t.services.payouts, SANDBOX.companyId)).toBe(true);
    const balance = await t.services.payouts.balance(SANDBOX.companyId);
    expect([balance.available, balance.ledger, balance.held]).toEqual([100_000_000n, 100_000_000n, 0n]);
    // A second start (or a restart after the balance was spent) leaves the balance as it is.
    expect(await fundSandboxPayouts(t.services.payouts, SANDBOX.companyId)).toBe(false);
    expect((await t.services.payouts.balance(SANDBOX.companyId)).ledger).toBe(100_000_000n);
    const { rows } = await t.services.ledger.listTransactions(t.database.db, SANDBOX.companyId, { code: 'sandbox_funding' }, { offset: 0, limit: 10 });
    expect(rows).toHaveLength(1);
  });

  it(`two starts seeding one database at once fund it once (${backend}: each on its own connections)`, async () => {
    const database = await createTestDatabase();
    const first = await createTestApp({ database });
    const second = await createTestApp({ database });
    try {
      const funded = await Promise.all([first, second, first, second].map((app) => fundSandboxPayouts(app.services.payouts, SANDBOX.companyId)));
      expect(funded.filter(Boolean)).toHaveLength(1);
      expect((await first.services.payouts.balance(SANDBOX.companyId)).ledger).toBe(100_000_000n);
      const { rows } = await first.services.ledger.listTransactions(database.db, SANDBOX.companyId, { code: 'sandbox_funding' }, { offset: 0, limit: 10 });
      expect(rows).toHaveLength(1);
    } finally {
      await first.close();
      await second.close();
      await database.close();
    }
  });
});
