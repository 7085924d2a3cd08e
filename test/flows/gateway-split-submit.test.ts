import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { createTenant } from '../support/tenants.js';
import { advanceTo, balanceOf, inject, SANDBOX } from './gateway-settlements-fixtures.js';

// Payment submission with split details (reference §2.7, issue part 8): the split is checked in
// the submission's transaction and stored on the attempt; the settlement pays each share to its
// account. A refused split leaves the order, its attempts and the ledger as they were.

let t: TestApp;
let headers: Record<string, string>;
let vendorA: string;
let vendorB: string;
let inactive: string;
let foreign: string;

const CARD = { paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123', cardHolderName: 'Asha Rao' };

async function account(name: string, accountNumber: string): Promise<string> {
  const res = await inject(t.app, headers, 'POST', '/api/v0/split-settlement/account', { name, accountNumber, ifsc: 'HDFC0000001' });
  return res.body.payload.accountId as string;
}

async function order(amount: number, id: string): Promise<string> {
  const res = await inject(t.app, headers, 'POST', '/api/v0/orders', { orderId: id, amount: { value: amount, currency: 'INR' } });
  return res.body.payload.orderId as string;
}

/** What a refused submission must not have changed: the order's attempts, status and the ledger. */
async function snapshot(orderId: string) {
  const payments = await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from gateway_payments where order_id = ${orderId}`);
  const orders = await queryRows<{ status: string; attempts_used: number }>(
    t.database.db,
    sql`select status, attempts_used from gateway_orders where id = ${orderId}`,
  );
  const ledger = await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from ledger_transactions`);
  return { payments: payments[0]!.n, order: orders[0], ledger: ledger[0]!.n };
}

beforeAll(async () => {
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
  vendorA = await account('Vendor A', '200000000001');
  vendorB = await account('Vendor B', '200000000002');
  inactive = await account('Vendor Gone', '200000000003');
  await inject(t.app, headers, 'PATCH', `/api/v0/split-settlement/account/${inactive}/deactivate`);
  const other = await createTenant(t.services, 'Other Traders', 'other.split@example.in');
  foreign = (await t.services.gatewayMoney.split.createAccount(other.companyId, { name: 'Their Vendor', accountNumber: '200000000004', ifsc: 'HDFC0000001' }))
    .id;
});

afterAll(async () => {
  await t?.close();
});

describe(`payment submission with split details on ${backend}`, () => {
  it("refuses a split above the amount, to an inactive, unknown or other company's account, changing nothing", async () => {
    const orderId = await order(1000, 'SPLIT-REFUSED-1');
    const before = await snapshot(orderId);
    const submit = (splitDetails: object[]) => inject(t.app, headers, 'POST', '/api/v0/payment/submit', { orderId, ...CARD, splitDetails });

    const above = await submit([
      { accountId: vendorA, amount: 600 },
      { accountId: vendorB, amount: '400.01' },
    ]);
    expect({ status: above.status, body: above.body }).toEqual({
      status: 422,
      body: { response_code: 422, response_message: 'The split amounts add up to more than the payment amount', payload: null },
    });
    const gone = await submit([{ accountId: inactive, amount: 10 }]);
    expect({ status: gone.status, body: gone.body }).toEqual({
      status: 422,
      body: { response_code: 422, response_message: `splitDetails[0].accountId ${inactive} is inactive`, payload: null },
    });
    const unknown = await submit([
      { accountId: vendorA, amount: 1 },
      { accountId: 'SPA404', amount: 1 },
    ]);
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 422,
      body: { response_code: 422, response_message: 'splitDetails[1].accountId SPA404 is not a split settlement account of this company', payload: null },
    });
    const theirs = await submit([{ accountId: foreign, amount: 5 }]);
    expect({ status: theirs.status, body: theirs.body }).toEqual({
      status: 422,
      body: { response_code: 422, response_message: `splitDetails[0].accountId ${foreign} is not a split settlement account of this company`, payload: null },
    });
    const third = await submit([{ accountId: vendorA, amount: '1.005' }]);
    expect(third.status).toBe(400);
    expect(third.headers['x-error-code']).toBe('invalid_amount');
    const shape = await submit([{ accountId: vendorA }]);
    expect(shape.status).toBe(400);
    expect(shape.headers['x-error-code']).toBe('validation_failed');

    expect(await snapshot(orderId)).toEqual(before);
    expect(before).toMatchObject({ payments: '0', order: { status: 'CREATED', attempts_used: 0 } });
  });

  it('stores the split on the captured payment and the settlement pays each share to its account', async () => {
    const orderId = await order(1000, 'SPLIT-OK-1');
    const paid = await inject(t.app, headers, 'POST', '/api/v0/payment/submit', {
      orderId,
      ...CARD,
      splitDetails: [
        { accountId: vendorA, amount: 250 },
        { accountId: vendorB, amount: '100.25' },
      ],
    });
    expect(paid.body.payload).toMatchObject({ orderId, transactionStatus: 'SUCCESS', orderStatus: 'PAID' });
    const transactionId = paid.body.payload.transactionId as string;
    const [row] = await queryRows<{ split_details: unknown }>(t.database.db, sql`select split_details from gateway_payments where id = ${transactionId}`);
    expect(row!.split_details).toEqual([
      { accountId: vendorA, amountPaise: '25000' },
      { accountId: vendorB, amountPaise: '10025' },
    ]);

    await advanceTo(t.services, '2026-01-02T04:30:00Z');
    const search = async (beneficiary: string) =>
      (await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?orderBy=settlementDate', { splitAccountId: beneficiary })).body.payload
        .content as Array<Record<string, unknown>>;
    // Card ₹1000, default MDR 1.8% + 18% GST: ₹18 + ₹3.24 charged to the merchant's part.
    expect(await search('MERCHANT')).toMatchObject([
      {
        totalSaleAmount: 1000,
        splitAmount: 350.25,
        totalCharges: 18,
        totalGst: 3.24,
        totalSettlementAmount: 628.51,
        transactionCount: 1,
        payoutStatus: 'SUCCESS',
      },
    ]);
    expect(await search(vendorA)).toMatchObject([
      {
        splitAccountId: vendorA,
        totalSaleAmount: 250,
        totalCharges: 0,
        totalSettlementAmount: 250,
        payoutStatus: 'SUCCESS',
        bankAccountNumber: 'XXXXXXXX0001',
      },
    ]);
    expect(await search(vendorB)).toMatchObject([
      { splitAccountId: vendorB, totalSaleAmount: 100.25, totalSettlementAmount: 100.25, payoutStatus: 'SUCCESS', bankAccountNumber: 'XXXXXXXX0002' },
    ]);
    expect(await balanceOf(t.database, SANDBOX, `split_payable:${vendorA}`)).toBe(0n);
    expect(await balanceOf(t.database, SANDBOX, 'merchant_pending_settlement')).toBe(0n);
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  });
});
