import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, queryRows } from '../support/app.js';
import { checkoutHarness } from '../support/checkout-harness.js';
import { sandboxFund } from '../support/ledger.js';
import { seedBearer } from '../support/oauth.js';

/**
 * A utility bill paid through the Payment Gateway (reference §4 "Initiate Bill Payment via EnKash
 * PG", INFERRED path; ADR 0045): the pay call answers a gateway order and its hosted checkout; the
 * bill's paymentStatus follows the order; a capture pays the bill and sends it to the biller; a
 * biller FAILED refunds the gateway payment; the ledger verifies after each flow.
 */
describe(`bill payment through the Payment Gateway (${backend})`, () => {
  const { state, json, open, cardCharge, verifyLedger } = checkoutHarness();
  let bearer: string;
  let seq = 0;

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    state.t.app.inject({
      method,
      url,
      headers: { authorization: bearer, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
  const body = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await api(method, url, payload);
    return { status: res.statusCode, code: res.headers['x-error-code'], body: res.json() };
  };
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await body(method, url, payload);
    expect([res.status, res.body.response_code], JSON.stringify(res.body)).toEqual([200, 0]);
    return res.body.payload;
  };
  /** A bill awaiting approval (the sandbox company does not auto-debit), for a consumer number of the test data. */
  const bill = async (cn: string, amount = 640.5) =>
    (
      await ok('POST', '/api/v2/biller/addBill', {
        billerId: 1003,
        circle: 'TN',
        billParams: { cn },
        billAmount: amount,
        referenceId: `PG-${backend}-${++seq}`,
      })
    ).utilityEnkashId as string;
  const status = (id: string) => ok('GET', `/api/v2/utilityPayment/${id}`);
  const pay = (id: string) => body('POST', '/api/v0/utilityPayment/pay', { utilityEnkashId: id, returnUrl: 'https://company.example/bills/done' });
  const merchantGet = async (url: string) => (await state.t.app.inject({ method: 'GET', url, headers: state.merchant })).json().payload;
  /** An account's balance; 0 before its first posting (accounts are made on first use). */
  const account = async (code: string) => {
    const { ledger } = state.t.services;
    const found = await ledger.getAccount(state.t.database.db, SANDBOX.companyId, code).catch(() => null);
    return found ? (await ledger.balance(state.t.database.db, SANDBOX.companyId, found.id)).available : 0n;
  };
  /** The utility.billpay webhook bodies published for a bill, oldest first. */
  const webhooks = async (id: string) =>
    (
      await queryRows<{ type: string; body: string }>(
        state.t.database,
        sql`select type, body from events where company_id = ${SANDBOX.companyId} and type like 'UTILITY_BILLPAY_%' order by created_at, id`,
      )
    )
      .map((e) => ({ type: e.type, body: JSON.parse(e.body) as Record<string, unknown> }))
      .filter((e) => e.body['utilityEnkashId'] === id)
      .map((e) => ({ type: e.type, paymentStatus: e.body['paymentStatus'], billpayStatus: e.body['billpayStatus'], paymentMode: e.body['paymentMode'] }));
  const advance = (seconds: number) => ok('POST', '/api/v0/sandbox/clock/advance', { seconds });

  beforeAll(async () => {
    bearer = await seedBearer(state.t.app);
    // A balance, so that a balance-paid bill can be told apart (and approved in the refusal test).
    await sandboxFund(state.t.database.db, state.t.services.ledger, SANDBOX.companyId, 10_000_00n, 'bbps-pg-funds', 'payout_float');
  });

  it('card: the pay call answers the order and its checkout (INIT); the capture pays the bill, the biller succeeds; no balance debit, no settlement', async () => {
    const id = await bill('9000000001');
    const floatBefore = await account('payout_float');
    const pendingBefore = await account('merchant_pending_settlement');
    const res = await pay(id);
    expect(res.status).toBe(200);
    const orderId = res.body.payload.orderId as string;
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        utilityEnkashId: id,
        orderId: expect.stringMatching(/^ORD\d{13}[A-Za-z0-9]{16}$/),
        merchantOrderId: expect.stringMatching(new RegExp(`^${id}-[A-Z0-9]{8}$`)),
        amount: 640.5,
        currency: 'INR',
        orderStatus: 'CREATED',
        paymentStatus: 'INIT',
        redirectionUrl: `http://localhost:80/pay/checkout/${orderId}`,
        expiresAt: expect.any(String),
      },
    });
    expect(await status(id)).toMatchObject({
      paymentStatus: 'INIT',
      billpayStatus: 'PENDING',
      approvalStatus: 'MAKER_APPROVAL_PENDING',
      paymentMode: 'ACCOUNT_TRANSFER',
    });
    // The order is the gateway's, on the company's own merchant, and names the bill.
    expect(await merchantGet(`/api/v0/orders/${orderId}`)).toMatchObject({ orderStatus: 'CREATED', customParameters: { utilityEnkashId: id } });

    const d = await open(orderId);
    const charged = await cardCharge(d, '4111111111111111');
    expect(charged.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', orderStatus: 'PAID' });
    const paid = await status(id);
    expect(paid).toMatchObject({
      utilityEnkashId: id,
      amount: 640.5,
      approvalStatus: 'CHECKER_APPROVED',
      paymentStatus: 'SUCCESS',
      billpayStatus: 'SUCCESS',
      paymentMode: 'CREDIT_CARD',
      failureReason: null,
      billReferenceId: expect.any(String),
      paymentDate: expect.any(String),
      billpayDate: expect.any(String),
    });
    expect(await webhooks(id)).toEqual([{ type: 'UTILITY_BILLPAY_SUCCESS', paymentStatus: 'SUCCESS', billpayStatus: 'SUCCESS', paymentMode: 'CREDIT_CARD' }]);
    // The balance paid nothing, and the money went to the biller, not to a merchant settlement.
    expect(await account('payout_float')).toBe(floatBefore);
    expect(await account('merchant_pending_settlement')).toBe(pendingBefore);
    await verifyLedger();
  });

  it('UPI collect: the bill is paid with paymentMode UPI', async () => {
    const id = await bill('9000000001', 99);
    const orderId = (await pay(id)).body.payload.orderId as string;
    const d = await open(orderId);
    const res = await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'UPI', vpa: 'success@enkash' },
      surcharge: '0.00',
      surchargeGst: 18,
    });
    expect(res.status).toBe(200);
    await advance(1);
    expect(await status(id)).toMatchObject({ paymentStatus: 'SUCCESS', billpayStatus: 'SUCCESS', paymentMode: 'UPI' });
    await verifyLedger();
  });

  it('biller FAILED: the gateway payment is refunded through a gateway refund, paymentStatus REFUNDED; the ledger balances once the refund completes', async () => {
    const id = await bill('9000000004', 210);
    const orderId = (await pay(id)).body.payload.orderId as string;
    const d = await open(orderId);
    await cardCharge(d, '4111111111111111');
    const failed = await status(id);
    expect(failed).toMatchObject({
      paymentStatus: 'REFUNDED',
      billpayStatus: 'FAILED',
      paymentMode: 'CREDIT_CARD',
      failureCode: 'biller_unavailable',
      failureReason: 'Biller is not available, please try again later',
    });
    expect(await webhooks(id)).toEqual([{ type: 'UTILITY_BILLPAY_FAILED', paymentStatus: 'REFUNDED', billpayStatus: 'FAILED', paymentMode: 'CREDIT_CARD' }]);
    const txn = await merchantGet(`/api/v0/payment/${d.transactionId}`);
    expect(txn).toMatchObject({ status: 'REFUNDED', orderStatus: 'PAID' });
    const refunds = await state.t.app.inject({
      method: 'POST',
      url: '/api/v0/payment/refund/enquiry',
      headers: state.merchant,
      payload: { requestId: `BBPS-${d.transactionId}` },
    });
    expect(refunds.json().payload).toMatchObject({ amount: 210, status: 'CREATED', paymentTransactionId: d.transactionId });
    await advance(7 * 86_400);
    const done = await state.t.app.inject({
      method: 'POST',
      url: '/api/v0/payment/refund/enquiry',
      headers: state.merchant,
      payload: { requestId: `BBPS-${d.transactionId}` },
    });
    expect(done.json().payload.status).toBe('SUCCESS');
    // A bill that failed is not paid again through this call.
    expect([(await pay(id)).status, (await pay(id)).code]).toEqual([409, 'utility_payment_not_payable']);
    await verifyLedger();
  });

  it('a declined card leaves the order open (IN_PROCESS); the order expiring makes the bill EXPIRED; it can then be paid again, and a cancelled order makes it CANCELLED', async () => {
    const id = await bill('9000000001', 55);
    const orderId = (await pay(id)).body.payload.orderId as string;
    const d = await open(orderId);
    const declined = await cardCharge(d, '4000000000000002');
    expect(declined.body.payload).toMatchObject({ transactionStatus: 'FAILED' });
    expect(await status(id)).toMatchObject({ paymentStatus: 'IN_PROCESS', billpayStatus: 'PENDING' });
    expect((await ok('POST', '/api/v1/utilityPayment/search', { utilityEnkashId: id, paymentStatus: 'IN_PROCESS' })).content).toHaveLength(1);
    await advance(31 * 60);
    expect(await merchantGet(`/api/v0/orders/${orderId}`)).toMatchObject({ orderStatus: 'EXPIRED' });
    expect(await status(id)).toMatchObject({ paymentStatus: 'EXPIRED', billpayStatus: 'PENDING', approvalStatus: 'MAKER_APPROVAL_PENDING' });

    const again = await pay(id);
    expect([again.status, again.body.payload.paymentStatus]).toEqual([200, 'INIT']);
    const second = again.body.payload.orderId as string;
    expect(second).not.toBe(orderId);
    const cancelled = await state.t.app.inject({
      method: 'PATCH',
      url: `/api/v0/orders/${second}/cancel`,
      headers: state.merchant,
      payload: { reason: 'paid by cheque' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await status(id)).toMatchObject({ paymentStatus: 'CANCELLED', billpayStatus: 'PENDING' });
    await verifyLedger();
  });

  it('the last attempt failing makes the bill FAILED; the bill can then be paid again and is paid', async () => {
    const id = await bill('9000000001', 33);
    const orderId = (await pay(id)).body.payload.orderId as string;
    for (let i = 1; i <= 5; i++) {
      const d = await open(orderId);
      expect((await cardCharge(d, '4000000000000002')).body.payload).toMatchObject({ transactionStatus: 'FAILED' });
      expect((await status(id)).paymentStatus).toBe(i < 5 ? 'IN_PROCESS' : 'FAILED');
    }
    expect((await ok('POST', '/api/v1/utilityPayment/search', { utilityEnkashId: id, paymentStatus: 'FAILED' })).content).toHaveLength(1);
    const again = await pay(id);
    expect([again.status, again.body.payload.paymentStatus]).toEqual([200, 'INIT']);
    await cardCharge(await open(again.body.payload.orderId as string), '5555555555554444');
    expect(await status(id)).toMatchObject({ paymentStatus: 'SUCCESS', billpayStatus: 'SUCCESS', paymentMode: 'CREDIT_CARD' });
    await verifyLedger();
  });

  it('a bank success after the bill stopped waiting on its order (the last attempt had failed) is refunded at once; the bill stays FAILED', async () => {
    const id = await bill('9000000001', 44);
    const orderId = (await pay(id)).body.payload.orderId as string;
    for (let i = 1; i <= 4; i++) await cardCharge(await open(orderId), '4000000000000002');
    const d = await open(orderId);
    // late@enkash: pending, expired after 5 minutes (the last attempt fails: the bill is FAILED), then a success at 10.
    await json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      paymentDetail: { paymentMode: 'UPI', vpa: 'late@enkash' },
      surcharge: '0.00',
      surchargeGst: 18,
    });
    await advance(6 * 60);
    expect(await status(id)).toMatchObject({ paymentStatus: 'FAILED', billpayStatus: 'PENDING' });
    await advance(5 * 60);
    const txn = await merchantGet(`/api/v0/payment/${d.transactionId}`);
    expect(txn).toMatchObject({ status: 'REFUNDED' });
    expect(await status(id)).toMatchObject({ paymentStatus: 'FAILED', billpayStatus: 'PENDING', approvalStatus: 'MAKER_APPROVAL_PENDING' });
    await advance(7 * 86_400);
    await verifyLedger();
  });

  it('refuses paying twice, approving a bill being paid, and paying an approved bill; an unknown bill is "No utility payment found"; nothing changes', async () => {
    const id = await bill('9000000001', 12);
    const first = await pay(id);
    expect(first.status).toBe(200);
    const twice = await pay(id);
    expect([twice.status, twice.code]).toEqual([409, 'utility_payment_not_payable']);
    expect(twice.body).toEqual({
      response_code: 409,
      response_message: `Utility payment ${id} is being paid through order ${first.body.payload.orderId} (INIT)`,
      payload: null,
    });
    const approve = await body('PUT', '/api/v0/utilityPayment/status', { utilityPaymentIds: [id], approvalStatus: 'CHECKER_APPROVED' });
    expect([approve.status, approve.code]).toEqual([409, 'utility_payment_not_pending_approval']);
    expect(await status(id)).toMatchObject({ paymentStatus: 'INIT', approvalStatus: 'MAKER_APPROVAL_PENDING' });

    const approved = await bill('9000000001', 13);
    await ok('PUT', '/api/v0/utilityPayment/status', { utilityPaymentIds: [approved], approvalStatus: 'CHECKER_APPROVED' });
    const late = await pay(approved);
    expect([late.status, late.code]).toEqual([409, 'utility_payment_not_payable']);
    expect(late.body.response_message).toBe(`Utility payment ${approved} is not awaiting payment (paymentStatus SUCCESS, billpayStatus SUCCESS)`);

    const unknown = await pay('UTIL-NOSUCHBILL00');
    expect(unknown).toEqual({
      status: 400,
      code: 'utility_payment_not_found',
      body: { response_code: 400, response_message: 'No utility payment found', payload: 'No utility payment found' },
    });
    const bad = await body('POST', '/api/v0/utilityPayment/pay', { utilityEnkashId: id, returnUrl: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect(await status(id)).toMatchObject({ paymentStatus: 'INIT' });
  });

  it('the search filter takes every documented paymentStatus; an unknown one is refused', async () => {
    for (const s of ['INIT', 'PROCESS', 'SWAPPED', 'PARTIAL_PAID', 'EXPIRED', 'CANCELLED']) {
      const page = await ok('POST', '/api/v1/utilityPayment/search', { paymentStatus: s, limit: 50 });
      expect(
        (page.content as { paymentStatus: string }[]).every((p) => p.paymentStatus === s),
        s,
      ).toBe(true);
    }
    expect((await ok('POST', '/api/v1/utilityPayment/search', { paymentStatus: 'SWAPPED' })).content).toEqual([]);
    const unknown = await body('POST', '/api/v1/utilityPayment/search', { paymentStatus: 'COMPLETED' });
    expect([unknown.status, unknown.body.payload]).toEqual([400, null]);
  });
});
