import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/engine.js';
import { queryRows } from '../../src/core/db/transaction.js';
import { derivePayloadKey, encryptPayload } from '../../src/core/crypto/payload-cipher.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { runInProcess } from '../support/cli.js';
import { idem, newCompany, type Api } from '../support/payouts.js';
import { cleanup, tempDir } from '../support/process.js';

/**
 * Issue 15, "Payouts (§3)": EnKash's 403 "APIs not enabled" (reference §1.4). A client whose payout
 * APIs the operator turned off gets that answer on every payout route and nothing changes; turned
 * on again, the same calls work.
 */
const NOT_ENABLED = { response_code: 403, response_message: 'APIs not enabled', payload: null };

describe(`payout APIs switched off per client (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let companyId = '';
  let otherApi: Api;
  const beneficiary = { beneficiaryId: 'OFF1', beneficiaryName: 'Switched Off', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC0000001' };
  const transfer = { transactionId: 'OFF-T1', beneficiaryId: 'OFF1', transferAmount: 10, transferMode: 'IMPS' };
  // Every payout route, each as a client would call it.
  const calls: Array<[method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown]> = [
    ['GET', '/v0/payout-account'],
    ['POST', '/v0/payout-account', { accountNumber: '50100000000001', ifsc: 'HDFC0000001', accountHolderName: 'Switched Off' }],
    ['GET', '/v0/payout-account/balance'],
    ['POST', '/v0/payout-account/add-funds', { amount: 500 }],
    ['POST', '/v0/payout-account/statement', { fromDate: '2026-11-01', toDate: '2026-11-30' }],
    ['POST', '/v0/beneficiary-detail', { ...beneficiary, beneficiaryId: 'OFF2' }],
    ['POST', '/v0/beneficiary-detail/search', {}],
    ['DELETE', '/v0/beneficiary-detail/OFF1'],
    ['POST', '/v0/payout-transaction', transfer],
    ['POST', '/v0/payout-transaction/batch', { batchTransactionId: 'OFF-B1', transfers: [{ ...transfer, transactionId: 'OFF-B1-1' }] }],
    ['POST', '/v0/payout-transaction/search', {}],
  ];
  const balance = async (client: Api) => (await client('GET', '/v0/payout-account/balance')).json().payload.balance as number;
  const count = async (table: string) =>
    (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from ${sql.identifier(table)} where company_id = ${companyId}`))[0]!.n;
  const tables = ['payout_transfers', 'payout_batches', 'payout_beneficiaries', 'payout_source_accounts', 'payout_fund_loads'];
  const counts = async () => Promise.all(tables.map(count));

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    ({ api, companyId } = await newCompany(t, 'Switched Off Payouts'));
    ({ api: otherApi } = await newCompany(t, 'Still On Payouts'));
    expect((await t.services.identity.findClient(companyId))?.payoutsEnabled, 'a new client is enabled').toBe(true);
    expect((await api('POST', '/v0/payout-account/add-funds', { amount: 1000 }, idem())).statusCode).toBe(200);
    expect((await api('POST', '/v0/beneficiary-detail', beneficiary)).statusCode).toBe(200);
    expect((await otherApi('POST', '/v0/payout-account/add-funds', { amount: 70 }, idem())).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('a disabled client gets 403 "APIs not enabled" on every payout route, and nothing changes', async () => {
    const before = await counts();
    expect(before).toEqual([0, 0, 1, 0, 1]);
    await t.services.identity.setPayoutsEnabled(companyId, false);
    for (const [method, url, body] of calls) {
      const res = await api(method, url, body, method === 'POST' ? idem() : {});
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      expect(res.json(), `${method} ${url}`).toEqual(NOT_ENABLED);
    }
    // A body that would fail validation is refused the same way: the switch comes first.
    const invalid = await api('POST', '/v0/payout-transaction', { transferAmount: 'lots' }, idem());
    expect([invalid.statusCode, invalid.json()]).toEqual([403, NOT_ENABLED]);
    expect(await counts()).toEqual(before);
    // Other clients are untouched.
    expect(await balance(otherApi)).toBe(70);
  });

  it('on a `required` client the refusal is plain JSON, like the bearer check before it', async () => {
    const { api: enc, companyId: encId, secret } = await newCompany(t, 'Encrypting Off', { payloadEncryption: 'required' });
    await t.services.identity.setPayoutsEnabled(encId, false);
    const wrapped = { request: encryptPayload(derivePayloadKey(secret), JSON.stringify(beneficiary)) };
    for (const res of [await enc('GET', '/v0/payout-account/balance'), await enc('POST', '/v0/beneficiary-detail', wrapped)]) {
      expect([res.statusCode, res.json()]).toEqual([403, NOT_ENABLED]);
    }
  });

  it('enabled again, the same calls work, the same Idempotency-Key included', async () => {
    const key = idem();
    expect((await api('POST', '/v0/payout-account/add-funds', { amount: 500 }, key)).statusCode).toBe(403);
    await t.services.identity.setPayoutsEnabled(companyId, true);
    const funded = await api('POST', '/v0/payout-account/add-funds', { amount: 500 }, key);
    expect(funded.statusCode, funded.body).toBe(200);
    expect(funded.json()).toMatchObject({ response_code: 0, payload: { status: 'CREDITED' } });
    const paid = await api('POST', '/v0/payout-transaction', transfer, idem());
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ response_code: 0, payload: { transactionId: 'OFF-T1' } });
    expect(await balance(api)).toBe(1000 + 500 - 10);
    await expect(t.services.identity.setPayoutsEnabled('CEK0000000', false)).rejects.toMatchObject({ code: 'company_not_found' });
  });
});

// The operator's side, on the embedded database's pass (the command is the same on PostgreSQL).
if (backend === 'pglite') {
  describe('tijori client set-payouts', () => {
    afterAll(cleanup);

    it('a new client is on; set-payouts turns it off and on; bad values and unknown companies are refused', async () => {
      const dataDir = tempDir();
      const cli = (args: string[]) => runInProcess([...args, '--data-dir', dataDir]);
      const created = await cli(['company', 'create', '--name', 'Cli Switch']);
      const id = /Created company (CEK[A-Z0-9]{7})/.exec(created.stdout)?.[1];
      expect(id, created.stdout + created.stderr).toBeDefined();
      const client = await cli(['client', 'create', '--company', id!]);
      expect(client.code, client.stderr).toBe(0);
      expect(client.stdout).toMatch(/^ {2}payouts +on /m);

      const bad = await cli(['client', 'set-payouts', '--company', id!, '--payouts', 'maybe']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--payouts must be on or off (got "maybe")');
      const unknown = await cli(['client', 'set-payouts', '--company', 'CEK0000000', '--payouts', 'off']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('company CEK0000000 has no OAuth client');

      const enabled = async () => {
        const database = await openDatabase({ kind: 'pglite', dataDir });
        try {
          return (await queryRows<{ on: boolean }>(database.db, sql`select payouts_enabled as on from oauth_clients where client_id = ${id}`))[0]?.on;
        } finally {
          await database.close();
        }
      };
      const off = await cli(['client', 'set-payouts', '--company', id!, '--payouts', 'off']);
      expect(off.code, off.stderr).toBe(0);
      expect(off.stdout).toContain(`Client ${id} payout APIs: off`);
      expect(await enabled()).toBe(false);
      const on = await cli(['client', 'set-payouts', '--company', id!, '--payouts', 'on']);
      expect(on.code, on.stderr).toBe(0);
      expect(on.stdout).toContain(`Client ${id} payout APIs: on`);
      expect(await enabled()).toBe(true);
    });
  });
}
