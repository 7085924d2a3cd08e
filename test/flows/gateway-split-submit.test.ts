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

  it('Get IntentLink/QrCode with Split details: the split is checked, stored on the intent and answered; a waiting intent keeps its split', async () => {
    const orderId = await order(500, 'SPLIT-INTENT-1');
    const before = await snapshot(orderId);
    const pending = { 'x-tijori-scenario': 'pending' };
    const post = (path: string, splitDetails: object[]) => inject(t.app, headers, 'POST', `/api/v0/orders/${orderId}/${path}`, { splitDetails }, pending);

    const above = await post('upi-intent', [{ accountId: vendorA, amount: 500.01 }]);
    expect([above.status, above.body.response_message]).toEqual([422, 'The split amounts add up to more than the payment amount']);
    const gone = await post('qrcode', [{ accountId: inactive, amount: 1 }]);
    expect(gone.status).toBe(422);
    expect(await snapshot(orderId)).toEqual(before);

    const split = [
      { accountId: vendorA, amount: 100 },
      { accountId: vendorB, amount: '20.50' },
    ];
    const links = await post('upi-intent', split);
    expect(links.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: expect.stringMatching(/^TXN/),
        gpay: expect.stringMatching(/^tez:/),
        phonepe: expect.stringMatching(/^phonepe:/),
        paytm: expect.stringMatching(/^paytmmp:/),
        upi: expect.stringMatching(/^upi:\/\/pay\?.*&am=500\.00&/),
        splitDetails: [
          { accountId: vendorA, amount: 100 },
          { accountId: vendorB, amount: 20.5 },
        ],
      },
    });
    const transactionId = links.body.payload.transactionId as string;
    const [row] = await queryRows<{ split_details: unknown }>(t.database.db, sql`select split_details from gateway_payments where id = ${transactionId}`);
    expect(row!.split_details).toEqual([
      { accountId: vendorA, amountPaise: '10000' },
      { accountId: vendorB, amountPaise: '2050' },
    ]);

    // The QR of the same split is the waiting intent's; the GETs answer it as it is.
    const qr = await post('qrcode', [
      { accountId: vendorA, amount: '100.00' },
      { accountId: vendorB, amount: 20.5 },
    ]);
    expect(qr.body.payload).toMatchObject({
      transactionId,
      ekPayId: transactionId,
      qrUrl: links.body.payload.upi,
      splitDetails: links.body.payload.splitDetails,
    });
    expect((await inject(t.app, headers, 'GET', `/api/v0/orders/${orderId}/qrcode`)).body.payload.transactionId).toBe(transactionId);
    expect((await inject(t.app, headers, 'POST', `/api/v0/orders/${orderId}/upi-intent`, {})).body.payload.transactionId).toBe(transactionId);

    // Another split while that intent waits for the payer: refused, nothing changes.
    const during = await snapshot(orderId);
    const other = await post('qrcode', [{ accountId: vendorB, amount: 50 }]);
    expect([other.status, other.headers['x-error-code'], other.body.response_message]).toEqual([
      409,
      'payment_in_progress',
      `A UPI intent of order ${orderId} is waiting for the payer with other split details`,
    ]);
    expect(await snapshot(orderId)).toEqual(during);
  });

  it('an intent with a split, paid by the payer, is captured with its split', async () => {
    const orderId = await order(300, 'SPLIT-INTENT-2');
    const qr = await inject(t.app, headers, 'POST', `/api/v0/orders/${orderId}/qrcode`, { splitDetails: [{ accountId: vendorA, amount: 75 }] });
    expect(qr.body.payload.splitDetails).toEqual([{ accountId: vendorA, amount: 75 }]);
    await t.services.timers.advance(SANDBOX, await t.services.clocks.now(SANDBOX));
    const txn = await inject(t.app, headers, 'GET', `/api/v0/payment/${qr.body.payload.transactionId}`);
    expect(txn.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID', paymentMode: 'UPI' });
    const [row] = await queryRows<{ split_details: unknown }>(
      t.database.db,
      sql`select split_details from gateway_payments where id = ${qr.body.payload.transactionId}`,
    );
    expect(row!.split_details).toEqual([{ accountId: vendorA, amountPaise: '7500' }]);
  });
});
