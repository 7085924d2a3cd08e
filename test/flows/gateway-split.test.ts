import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { advanceTo, balanceOf, inject, paidViaApi, SANDBOX } from './gateway-settlements-fixtures.js';

// Split settlements (reference §2.7) through the HTTP API: accounts, validation of split details,
// edit or defer before settlement, and the settlement routing each share to its account's bank
// account (a failing test account keeps its share in the ledger).

let t: TestApp;
let headers: Record<string, string>;
const verify = async () => expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
let good: string;
let bad: string;

beforeAll(async () => {
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
});

describe(`split settlements on ${backend}`, () => {
  it('creates, updates, lists, deactivates and activates split accounts', async () => {
    const created = await inject(t.app, headers, 'POST', '/api/v0/split-settlement/account', {
      name: 'Vendor One',
      accountNumber: '100000000001',
      ifsc: 'HDFC0000001',
      email: 'one@vendor.in',
    });
    expect(created.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        accountId: expect.stringMatching(/^SPA\d{13}[A-Za-z0-9]{5}$/),
        name: 'Vendor One',
        accountNumber: '100000000001',
        ifsc: 'HDFC0000001',
        email: 'one@vendor.in',
        mobile: null,
        status: 'ACTIVE',
        createdOn: '2026-01-01T00:00:00.000Z',
        lastModified: '2026-01-01T00:00:00.000Z',
      },
    });
    good = created.body.payload.accountId;
    bad = (
      await inject(t.app, headers, 'POST', '/api/v0/split-settlement/account', { name: 'Vendor Closed', accountNumber: '100000000002', ifsc: 'HDFC0000001' })
    ).body.payload.accountId;

    const twin = await inject(t.app, headers, 'POST', '/api/v0/split-settlement/account', {
      name: 'Again',
      accountNumber: '100000000001',
      ifsc: 'HDFC0000001',
    });
    expect(twin.body).toEqual({
      response_code: 409,
      response_message: 'A split settlement account with this account number and IFSC already exists',
      payload: null,
    });
    const invalid = await inject(t.app, headers, 'POST', '/api/v0/split-settlement/account', { name: 'X', accountNumber: '12', ifsc: 'HDFC0000001' });
    expect(invalid.status).toBe(400);

    const updated = await inject(t.app, headers, 'PATCH', `/api/v0/split-settlement/account/${good}`, { mobile: '9876543210' });
    expect(updated.body.payload).toMatchObject({ accountId: good, mobile: '9876543210', name: 'Vendor One' });
    const off = await inject(t.app, headers, 'PATCH', `/api/v0/split-settlement/account/${good}/deactivate`);
    expect(off.body.payload.status).toBe('INACTIVE');
    const listInactive = await inject(t.app, headers, 'GET', '/api/v0/split-settlement/account?status=INACTIVE');
    expect(listInactive.body.payload).toMatchObject({ totalElements: 1, content: [{ accountId: good }] });
    const on = await inject(t.app, headers, 'PATCH', `/api/v0/split-settlement/account/${good}/activate`);
    expect(on.body.payload.status).toBe('ACTIVE');
    const all = await inject(t.app, headers, 'GET', '/api/v0/split-settlement/account?limit=10');
    expect(all.body.payload).toMatchObject({ totalElements: 2, size: 10 });
    const missing = await inject(t.app, headers, 'GET', '/api/v0/split-settlement/account/SPA0000000000000nope0');
    expect(missing.body).toEqual({ response_code: 404, response_message: 'Split settlement account not found', payload: null });
  });

  it('validates split details: sum, repeats, unknown and inactive accounts', async () => {
    const { transactionId } = await paidViaApi(t, headers, 1000, 'CREDIT_CARD');
    const edit = (splitDetails: object[]) => inject(t.app, headers, 'POST', '/api/v0/split-settlement/edit-or-defer', { transactionId, splitDetails });
    expect(
      (
        await edit([
          { accountId: good, amount: 600 },
          { accountId: bad, amount: 400.01 },
        ])
      ).body,
    ).toEqual({
      response_code: 422,
      response_message: 'The split amounts add up to more than the payment amount',
      payload: null,
    });
    expect(
      (
        await edit([
          { accountId: good, amount: 1 },
          { accountId: good, amount: 1 },
        ])
      ).body.response_message,
    ).toBe(`splitDetails[1].accountId ${good} appears more than once`);
    expect((await edit([{ accountId: 'SPA404', amount: 1 }])).body.response_message).toBe(
      'splitDetails[0].accountId SPA404 is not a split settlement account of this company',
    );
    await inject(t.app, headers, 'PATCH', `/api/v0/split-settlement/account/${bad}/deactivate`);
    expect((await edit([{ accountId: bad, amount: 1 }])).body.response_message).toBe(`splitDetails[0].accountId ${bad} is inactive`);
    await inject(t.app, headers, 'PATCH', `/api/v0/split-settlement/account/${bad}/activate`);
    expect((await edit([{ accountId: good, amount: '10.001' }])).headers['x-error-code']).toBe('invalid_amount');
    const [row] = await queryRows<{ split_details: unknown }>(t.database.db, sql`select split_details from gateway_payments where id = ${transactionId}`);
    expect(row!.split_details).toBeNull();
  });

  it('routes each share to its account at settlement; a deferred payment waits; a failing account keeps its share', async () => {
    const { transactionId } = await paidViaApi(t, headers, 1000, 'NET_BANKING');
    const edited = await inject(t.app, headers, 'POST', '/api/v0/split-settlement/edit-or-defer', {
      transactionId,
      splitDetails: [
        { accountId: good, amount: 300 },
        { accountId: bad, amount: '200.50' },
      ],
    });
    expect(edited.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId,
        amount: 1000,
        splitDetails: [
          { accountId: good, amount: 300 },
          { accountId: bad, amount: 200.5 },
        ],
        merchantAmount: 499.5,
        deferred: false,
      },
    });
    const deferred = await paidViaApi(t, headers, 400, 'CREDIT_CARD');
    expect(
      (await inject(t.app, headers, 'POST', '/api/v0/split-settlement/edit-or-defer', { transactionId: deferred.transactionId, defer: true })).body.payload
        .deferred,
    ).toBe(true);

    await advanceTo(t.services, '2026-01-02T04:30:00Z');
    const search = async (beneficiary: string) =>
      (await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?orderBy=settlementDate', { splitAccountId: beneficiary })).body.payload
        .content as Array<Record<string, unknown>>;
    const [merchant] = await search('MERCHANT');
    // Card ₹1000 (validation test, no split) + netbanking ₹1000 with ₹500.50 split out; the deferred ₹400 waits.
    expect(merchant).toMatchObject({
      totalSaleAmount: 2000,
      splitAmount: 500.5,
      totalCharges: 33,
      totalGst: 5.94,
      totalSettlementAmount: 1460.56,
      transactionCount: 2,
      payoutStatus: 'SUCCESS',
    });
    const [vendor] = await search(good);
    expect(vendor).toMatchObject({
      splitAccountId: good,
      totalSaleAmount: 300,
      totalSettlementAmount: 300,
      totalCharges: 0,
      payoutStatus: 'SUCCESS',
      utr: expect.stringMatching(/^\d{12}$/),
      bankAccountNumber: 'XXXXXXXX0001',
    });
    const [closed] = await search(bad);
    expect(closed).toMatchObject({ splitAccountId: bad, totalSettlementAmount: 200.5, payoutStatus: 'FAILED', failureReason: 'invalid_account' });
    expect(await balanceOf(t.database, SANDBOX, `split_payable:${good}`)).toBe(0n);
    expect(await balanceOf(t.database, SANDBOX, `split_payable:${bad}`)).toBe(20_050n);

    // Settled: no more edits. The deferred payment is released and settles in the next batch.
    const late = await inject(t.app, headers, 'POST', '/api/v0/split-settlement/edit-or-defer', { transactionId, splitDetails: [] });
    expect(late.body).toEqual({
      response_code: 409,
      response_message: `Payment ${transactionId} is already settled: its split can no longer be changed`,
      payload: null,
    });
    await inject(t.app, headers, 'POST', '/api/v0/split-settlement/edit-or-defer', { transactionId: deferred.transactionId, defer: false });
    await t.services.gatewayMoney.settlements.runBatch(SANDBOX, '2026-01-03');
    const [next] = (await search('MERCHANT')).filter((s) => s['settlementDate'] === '2026-01-03');
    expect(next).toMatchObject({ totalSaleAmount: 400, transactionCount: 1, totalSettlementAmount: 400 - 7.2 - 1.3 });
    await verify();
  });
});
