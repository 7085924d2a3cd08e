import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { idem, newCompany, type Api } from '../support/payouts.js';

/**
 * PAY-11 through the API: concurrent payouts against a balance that covers exactly 100 of them
 * pay exactly 100 and refuse the rest with no ledger change. The race needs PostgreSQL (PGlite has
 * one connection and queues every request); on PGlite the same assertions run on a smaller set.
 */
describe(`concurrent payouts (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let companyId: string;
  const total = backend === 'postgres' ? 200 : 20;
  const covered = total / 2;

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    ({ api, companyId } = await newCompany(t, 'Concurrent payouts'));
    await api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B1',
      beneficiaryName: 'Race',
      beneficiaryAccountNumber: '100000000001',
      beneficiaryIfsc: 'HDFC0000001',
    });
    expect((await api('POST', '/v0/payout-account/add-funds', { amount: covered * 10 }, idem())).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it(`${total} concurrent payouts against a balance that covers ${covered}: exactly ${covered} paid, none overdraws`, async () => {
    const answers = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        api('POST', '/v0/payout-transaction', { transactionId: `RACE-${i}`, beneficiaryId: 'B1', transferAmount: 10, transferMode: 'IMPS' }, idem()),
      ),
    );
    const outcome = (r: (typeof answers)[number]) => {
      const body = r.json() as { response_code: number; payload: { transferStatus?: string } | string };
      return r.statusCode === 200 && body.response_code === 0 && typeof body.payload === 'object'
        ? body.payload.transferStatus
        : body.response_code === 1
          ? 'insufficient'
          : `${r.statusCode}`;
    };
    const tally: Record<string, number> = {};
    for (const r of answers) tally[outcome(r)!] = (tally[outcome(r)!] ?? 0) + 1;
    expect(tally).toEqual({ SUCCESS: covered, insufficient: total - covered });
    expect((await api('GET', '/v0/payout-account/balance')).json().payload).toMatchObject({ balance: 0, ledgerBalance: 0, heldAmount: 0 });
    const paid = (await api('POST', '/v0/payout-transaction/search', { transferStatus: 'SUCCESS' })).json().payload.totalElements;
    expect(paid).toBe(covered);
    expect((await api('POST', '/v0/payout-transaction/search', {})).json().payload.totalElements).toBe(covered);
    const holds = await t.services.ledger.listTransactions(t.database.db, companyId, { code: 'payout' }, { offset: 0, limit: 100 });
    expect(holds.total).toBe(covered);
    expect((await t.services.ledger.verify(t.database.db, { companyId })).breaks).toEqual([]);
  });
});
