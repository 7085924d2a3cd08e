import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { advanceTo, balanceOf, capturedPayment, inject, paidViaApi, SANDBOX } from './gateway-settlements-fixtures.js';

// From capture through refunds to settlement (reference §2.5, §2.6; ADR 0017), on a real database
// through the HTTP API: T+1 batches on the sandbox clock, MDR and GST deducted, a refund of a
// settled payment carried forward and recovered from the next batch, payouts with a UTR, the
// reconciliation identity to the paisa, get and search, and a batch run twice settling once.

let t: TestApp;
let headers: Record<string, string>;
const p: Record<string, string> = {};
const verify = async () => expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);

const settlementsOn = async (date: string) => {
  const res = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?orderBy=settlementDate&direction=ASC', {
    settlementDateFrom: date,
    settlementDateTo: date,
    splitAccountId: 'MERCHANT',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.payload.content as Array<Record<string, unknown>>;
};

/** captured = settled + fees + GST + refunds − carried forward + still pending settlement, to the paisa, from the ledger. */
async function reconcile() {
  const [captured] = await queryRows<{ n: string }>(
    t.database.db,
    sql`select coalesce(sum(amount_paise), 0)::text as n from gateway_payments where company_id = ${SANDBOX} and captured_at is not null`,
  );
  const [settled] = await queryRows<{ paid: string; carry: string }>(
    t.database.db,
    sql`select coalesce(sum(total_settlement_paise), 0)::text as paid,
               coalesce((select carry_forward_paise from gateway_settlements where company_id = ${SANDBOX} and beneficiary = 'MERCHANT' order by batch_date desc limit 1), 0)::text as carry
        from gateway_settlements where company_id = ${SANDBOX} and beneficiary = 'MERCHANT'`,
  );
  const [refunds] = await queryRows<{ n: string }>(
    t.database.db,
    sql`select coalesce(sum(amount_paise), 0)::text as n from gateway_refunds where company_id = ${SANDBOX} and settlement_id is not null`,
  );
  const ledger = {
    pending: await balanceOf(t.database, SANDBOX, 'merchant_pending_settlement'),
    available: await balanceOf(t.database, SANDBOX, 'merchant_available'),
    paidOut: -(await balanceOf(t.database, SANDBOX, 'clearing:bank_transfer')),
    fees: await balanceOf(t.database, SANDBOX, 'fees_revenue'),
    gst: await balanceOf(t.database, SANDBOX, 'gst_payable'),
    receivable: await balanceOf(t.database, SANDBOX, 'merchant_settlement_receivable'),
  };
  const [unsettledRefunds] = await queryRows<{ n: string }>(
    t.database.db,
    sql`select coalesce(sum(amount_paise), 0)::text as n from gateway_refunds where company_id = ${SANDBOX} and status <> 'FAILED' and settlement_id is null`,
  );
  const carried = BigInt(settled!.carry);
  // The receivable holds exactly the refunds not yet deducted and the carry-forward.
  expect(ledger.receivable).toBe(BigInt(unsettledRefunds!.n) + carried);
  // What was settled to the merchant left through the bank (or still sits in its available balance).
  expect(ledger.paidOut + ledger.available).toBe(BigInt(settled!.paid));
  expect(BigInt(captured!.n)).toBe(BigInt(settled!.paid) + ledger.fees + ledger.gst + BigInt(refunds!.n) - carried + ledger.pending);
  return {
    captured: BigInt(captured!.n),
    settled: BigInt(settled!.paid),
    fees: ledger.fees,
    gst: ledger.gst,
    refunds: BigInt(refunds!.n),
    carried,
    pending: ledger.pending,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
});

describe(`gateway settlements on ${backend}`, () => {
  it('settles T+1: sales less refunds, MDR and GST on MDR, paid over IMPS with a UTR', async () => {
    // 2026-01-01 05:30 IST: three captures and a partial card refund.
    p['card'] = (await paidViaApi(t, headers, 1000, 'CREDIT_CARD')).transactionId;
    p['nb'] = (await paidViaApi(t, headers, 500, 'NET_BANKING')).transactionId;
    p['upi'] = (await paidViaApi(t, headers, 200, 'UPI')).transactionId;
    const refund = await inject(t.app, headers, 'POST', `/api/v0/payment/${p['card']}/refund`, { amount: 100, requestId: 'settle-r1' });
    expect(refund.body.payload.status).toBe('CREATED');
    await verify();

    // The card refund completes at 2026-01-02T00:00Z; the batch of 2026-01-02 runs at 10:00 IST.
    await advanceTo(t.services, '2026-01-02T04:29:59Z');
    expect(await settlementsOn('2026-01-02')).toEqual([]);
    await advanceTo(t.services, '2026-01-02T04:30:00Z');
    const [batch] = await settlementsOn('2026-01-02');
    const res = await inject(t.app, headers, 'GET', `/api/v0/settlement-payout/${batch!['settlementPayoutId'] as string}`);
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        settlementPayoutId: expect.stringMatching(/^STL\d{13}[A-Za-z0-9]{5}$/),
        merchantDetailId: SANDBOX,
        splitAccountId: null,
        settlementDate: '2026-01-02',
        cutoff: '2026-01-01T18:30:00.000Z',
        totalSaleAmount: 1700,
        splitAmount: 0,
        totalRefundAmount: 100,
        refundChargebackAmount: 0,
        totalCharges: 25.5,
        totalGst: 4.59,
        adjustmentAmount: 0,
        carryForwardAmount: 0,
        totalSettlementAmount: 1569.91,
        transactionCount: 3,
        refundCount: 1,
        payoutStatus: 'SUCCESS',
        utr: expect.stringMatching(/^\d{12}$/),
        transferMode: 'IMPS',
        bankAccountNumber: 'XXXXXXXX0001',
        ifsc: 'HDFC0000001',
        failureReason: null,
        createdOn: '2026-01-02T04:30:00.000Z',
        lastModified: '2026-01-02T04:30:00.000Z',
      },
    });
    expect(await reconcile()).toEqual({ captured: 170_000n, settled: 156_991n, fees: 2_550n, gst: 459n, refunds: 10_000n, carried: 0n, pending: 0n });
    const [event] = await queryRows<{ body: string }>(
      t.database.db,
      sql`select body from events where type = 'SETTLEMENT_SUCCESS' and body like ${`%${res.body.payload.settlementPayoutId}%`}`,
    );
    expect(JSON.parse(event!.body)).toEqual(res.body.payload);
    await verify();
  });

  it('a refund of a settled payment becomes a negative batch carried forward, recovered from the next one', async () => {
    await inject(t.app, headers, 'POST', `/api/v0/payment/${p['upi']}/refund`, { amount: '200', requestId: 'settle-r2' });
    await inject(t.app, headers, 'POST', `/api/v0/payment/${p['nb']}/refund`, { amount: 500, requestId: 'settle-r3' });
    await advanceTo(t.services, '2026-01-03T04:30:00Z');
    const [negative] = await settlementsOn('2026-01-03');
    expect(negative).toMatchObject({
      totalSaleAmount: 0,
      totalRefundAmount: 700,
      refundChargebackAmount: 700,
      totalCharges: 0,
      totalGst: 0,
      carryForwardAmount: 700,
      totalSettlementAmount: 0,
      payoutStatus: 'SUCCESS',
      utr: null,
      transferMode: null,
      refundCount: 2,
      transactionCount: 0,
    });
    // The reconciliation identity holds to the paisa with the carry-forward open.
    expect(await reconcile()).toEqual({ captured: 170_000n, settled: 156_991n, fees: 2_550n, gst: 459n, refunds: 80_000n, carried: 70_000n, pending: 0n });
    await verify();

    p['card2'] = (await paidViaApi(t, headers, 2000, 'CREDIT_CARD')).transactionId;
    await advanceTo(t.services, '2026-01-04T04:30:00Z');
    const [recovered] = await settlementsOn('2026-01-04');
    expect(recovered).toMatchObject({
      totalSaleAmount: 2000,
      totalCharges: 36,
      totalGst: 6.48,
      adjustmentAmount: 700,
      carryForwardAmount: 0,
      totalSettlementAmount: 1257.52,
      payoutStatus: 'SUCCESS',
    });
    expect(await reconcile()).toEqual({ captured: 370_000n, settled: 282_743n, fees: 6_150n, gst: 1_107n, refunds: 80_000n, carried: 0n, pending: 0n });
    await verify();
  });

  it('a batch run twice at once settles each payment once', async () => {
    const a = await capturedPayment(t.services, t.database, { amountPaise: 123_456n, mode: 'NET_BANKING' });
    const b = await capturedPayment(t.services, t.database, { amountPaise: 78_900n, mode: 'UPI' });
    const now = await t.services.clocks.now(SANDBOX);
    expect(now.toISOString()).toBe('2026-01-04T04:30:00.000Z');
    // Both runs of the batch due on 2026-01-05, before its timer: one creates it, the other finds it made.
    await Promise.all([
      t.services.gatewayMoney.settlements.runBatch(SANDBOX, '2026-01-05'),
      t.services.gatewayMoney.settlements.runBatch(SANDBOX, '2026-01-05'),
    ]);
    const rows = await queryRows<{ settlement_id: string }>(
      t.database.db,
      sql`select settlement_id from gateway_payments where id in (${a.transactionId}, ${b.transactionId})`,
    );
    expect(new Set(rows.map((r) => r.settlement_id)).size).toBe(1);
    expect(await settlementsOn('2026-01-05')).toHaveLength(1);
    const [lines] = await queryRows<{ n: string }>(
      t.database.db,
      sql`select count(*)::text as n from gateway_settlement_lines where reference_id in (${a.transactionId}, ${b.transactionId})`,
    );
    expect(lines!.n).toBe('2');
    // The timer of that batch fires later and finds it made.
    await advanceTo(t.services, '2026-01-05T04:30:00Z');
    expect(await settlementsOn('2026-01-05')).toHaveLength(1);
    await reconcile();
    await verify();
  });

  it('searches with the §2.6 filters, pages and sorts; refuses an unknown orderBy; another company sees nothing', async () => {
    const all = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?orderBy=totalSettlementAmount&direction=DESC&limit=2', {});
    expect(all.body.payload).toMatchObject({ totalElements: 4, totalPages: 2, size: 2, number: 0, offset: 0 });
    expect(all.body.payload.content.map((s: { totalSettlementAmount: number }) => s.totalSettlementAmount)).toEqual([2001.71, 1569.91]);
    const ranged = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search', {
      totalSettlementAmountFrom: 1000,
      totalSettlementAmountTo: 1600,
      totalRefundAmountFrom: 50,
    });
    expect(ranged.body.payload.content.map((s: { settlementDate: string }) => s.settlementDate)).toEqual(['2026-01-02']);
    const byId = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search', {
      settlementPayoutIds: [all.body.payload.content[0].settlementPayoutId, 'STL0'],
      merchantDetailId: SANDBOX,
    });
    expect(byId.body.payload.totalElements).toBe(1);
    const otherMerchant = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search', { merchantDetailId: 'CEKOTHER001' });
    expect(otherMerchant.body.payload.totalElements).toBe(0);

    const badOrder = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?orderBy=password', {});
    expect(badOrder.status).toBe(400);
    expect(badOrder.body).toEqual({
      response_code: 400,
      response_message:
        'Invalid orderBy password: must be one of createdOn, settlementDate, settlementPayoutId, totalSaleAmount, totalRefundAmount, totalCharges, totalGst, totalSettlementAmount, carryForwardAmount, payoutStatus',
      payload: null,
    });
    const badRange = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search', { totalGstFrom: 5, totalGstTo: 1 });
    expect(badRange.body).toEqual({ response_code: 400, response_message: 'totalGstFrom is above totalGstTo', payload: null });
    expect((await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?limit=5001', {})).status).toBe(400);
    expect((await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?limit=5000', {})).status).toBe(200);

    const other = (await t.services.identity.createCompany({ name: 'Settlement other' })).id;
    await capturedPayment(t.services, t.database, { companyId: other, amountPaise: 10_000n, mode: 'UPI' });
    await t.services.gatewayMoney.settlements.runBatch(other, '2026-01-05');
    const [theirs] = await queryRows<{ id: string }>(t.database.db, sql`select id from gateway_settlements where company_id = ${other}`);
    const foreign = await inject(t.app, headers, 'GET', `/api/v0/settlement-payout/${theirs!.id}`);
    expect(foreign.body).toEqual({ response_code: 404, response_message: `No settlement payout ${theirs!.id}`, payload: null });
    await verify();
  });

  it('pays the settlement bank account named in the gateway settings', async () => {
    const patch = await inject(t.app, headers, 'PATCH', '/api/v0/merchant/settings', {
      settlementAccount: { accountNumber: '100000000001', ifsc: 'ICIC0000001' },
    });
    expect(patch.body.payload.settlementAccount).toEqual({ accountNumber: '100000000001', ifsc: 'ICIC0000001' });
    await paidViaApi(t, headers, 300, 'UPI');
    await advanceTo(t.services, '2026-01-20T05:00:00Z');
    const latest = await inject(t.app, headers, 'POST', '/api/v0/settlement-payout/search?orderBy=createdOn&direction=DESC&limit=1', {
      splitAccountId: 'MERCHANT',
    });
    const [batch] = latest.body.payload.content as Array<Record<string, unknown>>;
    expect(batch).toMatchObject({ payoutStatus: 'SUCCESS', bankAccountNumber: 'XXXXXXXX0001', ifsc: 'ICIC0000001', totalSettlementAmount: 300 });
    await verify();
  });
});
