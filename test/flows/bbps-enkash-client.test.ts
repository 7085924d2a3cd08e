import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { sandboxFund } from '../support/ledger.js';
import { seedBearer } from '../support/oauth.js';

/**
 * Issue 15, "Bill payments (§4)": what a client written from EnKash's documents does. It sends the
 * fetch answer back into create unchanged, keys its timeout retry on the "No utility payment
 * found" payload, reads every documented billpayStatus, and uses the Consumer Number and Prepaid
 * Plan APIs.
 */
describe(`bill payments as an EnKash client uses them (${backend})`, () => {
  const COMPANY = SANDBOX.companyId;
  let t: TestApp;
  let bearer: string;

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: bearer, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => {
    const res = await api(method, url, payload);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().response_code, res.body).toBe(0);
    return res.json().payload;
  };
  const status = (id: string) => ok('GET', `/api/v2/utilityPayment/${id}`);
  const approve = (id: string) => ok('PUT', '/api/v0/utilityPayment/status', { utilityPaymentIds: [id], approvalStatus: 'CHECKER_APPROVED' });
  const advance = (seconds: number) => ok('POST', '/api/v0/sandbox/clock/advance', { seconds });
  const balance = async () =>
    (await t.services.ledger.balance(t.database.db, COMPANY, (await t.services.ledger.getAccount(t.database.db, COMPANY, 'payout_float')).id)).available;

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    bearer = await seedBearer(t.app);
    await sandboxFund(t.database.db, t.services.ledger, COMPANY, 1_000_000_00n, 'bbps-client-funds', 'payout_float');
  });
  afterAll(async () => t?.close());

  it('feeds the fetch answer into create unchanged, nulls included (latePaymentAmount, earlyPaymentDate)', async () => {
    // An overdue bill: no early payment (earlyPaymentAmount and earlyPaymentDate null), a late fee.
    const overdue = await ok('POST', '/api/v2/biller/fetchOrAddBill', { billerId: 1001, circle: 'MAH', billParams: { cn: '9000000003' } });
    expect(overdue).toMatchObject({ earlyPaymentAmount: null, earlyPaymentDate: null, latePaymentAmount: 1300, billnetamount: 1300 });
    const created = await ok('POST', '/api/v2/utilityPayment', { ...overdue, referenceId: 'REF-AS-FETCHED-1' });
    expect(created).toMatchObject({ amount: 1300, referenceId: 'REF-AS-FETCHED-1', billpayStatus: 'PENDING', billdate: overdue.billdate });

    // A bill due: latePaymentAmount null, and the whole answer as it came (no referenceId at all).
    const due = await ok('POST', '/api/v2/biller/fetchOrAddBill', { billerId: 1001, circle: 'MAH', billParams: { cn: '9000000001' } });
    expect(due).toMatchObject({ latePaymentAmount: null, statusMessage: null });
    const asIs = await ok('POST', '/api/v2/utilityPayment', due);
    expect(asIs).toMatchObject({ amount: due.billnetamount, referenceId: null, billDueDate: due.dueDate });

    // Both spellings of the amount must agree; one of them is needed.
    const again = await ok('POST', '/api/v2/biller/fetchOrAddBill', { billerId: 1001, circle: 'MAH', billParams: { cn: '9000000011' } });
    const clash = await api('POST', '/api/v2/utilityPayment', { ...again, billNetAmount: again.billnetamount + 1 });
    expect([clash.statusCode, clash.json().response_message]).toEqual([400, 'Invalid field billnetamount: differs from billNetAmount; send one of them']);
    const { billnetamount: _net, ...withoutAmount } = again;
    const none = await api('POST', '/api/v2/utilityPayment', withoutAmount);
    expect([none.statusCode, none.json().response_message]).toEqual([400, 'Missing required field billNetAmount']);
  });

  it('"No utility payment found" comes back as the payload too, HTTP 400, for the timeout-retry check', async () => {
    for (const url of ['/api/v2/utilityPayment/UTIL-NEVER00000', '/api/v0/utilityPayment/UTIL-NEVER00000', '/api/v0/utilityPayment/reference/REF-NEVER']) {
      const res = await api('GET', url);
      expect(res.statusCode).toBe(400);
      expect(res.headers['x-error-code']).toBe('utility_payment_not_found');
      expect(res.json()).toEqual({ response_code: 400, response_message: 'No utility payment found', payload: 'No utility payment found' });
    }
  });

  it('ON_HOLD, then SUCCESS; AGENCY_FAILED (not refunded), REINITIATE, then SUCCESS; search filters on each', async () => {
    const before = await balance();
    const held = await ok('POST', '/api/v2/biller/addBill', { billerId: 6001, billParams: { cn: '9000000007' }, billAmount: 500, referenceId: 'REF-HOLD' });
    const failing = await ok('POST', '/api/v2/biller/addBill', {
      billerId: 6001,
      billParams: { cn: '9000000008' },
      billAmount: 700,
      referenceId: 'REF-AGENCY',
    });
    await approve(held.utilityEnkashId);
    await approve(failing.utilityEnkashId);
    expect(await status(held.utilityEnkashId)).toMatchObject({ billpayStatus: 'ON_HOLD', paymentStatus: 'SUCCESS' });
    expect(await status(failing.utilityEnkashId)).toMatchObject({ billpayStatus: 'AGENCY_FAILED', paymentStatus: 'SUCCESS', failureReason: null });
    expect(await balance()).toBe(before - 1_200_00n);
    const search = async (billpayStatus: string) =>
      ((await ok('POST', '/api/v1/utilityPayment/search', { offset: 0, limit: 10, billpayStatus })) as { content: { utilityEnkashId: string }[] }).content.map(
        (c) => c.utilityEnkashId,
      );
    expect(await search('ON_HOLD')).toEqual([held.utilityEnkashId]);
    expect(await search('AGENCY_FAILED')).toEqual([failing.utilityEnkashId]);

    await advance(5 * 60);
    expect(await status(failing.utilityEnkashId)).toMatchObject({ billpayStatus: 'REINITIATE', paymentStatus: 'SUCCESS' });
    expect(await search('REINITIATE')).toEqual([failing.utilityEnkashId]);
    await advance(5 * 60);
    expect(await status(failing.utilityEnkashId)).toMatchObject({ billpayStatus: 'SUCCESS', billReferenceId: expect.stringMatching(/^BBPS\d{12}$/) });
    expect(await status(held.utilityEnkashId)).toMatchObject({ billpayStatus: 'ON_HOLD' });
    await advance(20 * 60);
    expect(await status(held.utilityEnkashId)).toMatchObject({ billpayStatus: 'SUCCESS' });
    // Paid once each, never refunded.
    expect(await balance()).toBe(before - 1_200_00n);
    expect((await api('POST', '/api/v1/utilityPayment/search', { offset: 0, limit: 10, billpayStatus: 'COMPLETED' })).statusCode).toBe(400);
  });

  it('Add and Update Consumer Number; a fetch of that consumer uses the same companyBillerId', async () => {
    const added = await ok('POST', '/api/v2/biller/consumer', {
      billerId: 1001,
      circle: 'MAH',
      billParams: { cn: '9000000021', ad1: '1234' },
      addBiller: true,
      remarks: 'head office meter',
    });
    expect(added).toEqual({
      companyBillerId: expect.stringMatching(/^CBL[A-Z0-9]{11}$/),
      billerId: 1001,
      circle: 'MAH',
      consumerNumber: '9000000021',
      billParams: { cn: '9000000021', ad1: '1234' },
      addBiller: true,
      remarks: 'head office meter',
      keyContactEmail: null,
      createdDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
      updatedDate: expect.any(String),
    });
    const twice = await api('POST', '/api/v2/biller/consumer', { billerId: 1001, circle: 'MAH', billParams: { cn: '9000000021' } });
    expect([twice.statusCode, twice.headers['x-error-code'], twice.json().response_message]).toEqual([
      409,
      'consumer_number_exists',
      `Consumer number already added for this biller (companyBillerId ${added.companyBillerId})`,
    ]);
    const badParam = await api('POST', '/api/v2/biller/consumer', { billerId: 1001, circle: 'MAH', billParams: { cn: '9000000022', ad1: 'x' } });
    expect([badParam.statusCode, badParam.json().response_message]).toEqual([422, 'Invalid field billParams.ad1: not a valid Billing Unit']);

    const updated = await ok('PATCH', `/api/v2/biller/consumer/${added.companyBillerId}`, {
      billParams: { cn: '9000000021', ad1: '4321' },
      addBiller: false,
      keyContactEmail: 'meters@example.com',
    });
    expect(updated).toMatchObject({
      billParams: { cn: '9000000021', ad1: '4321' },
      addBiller: false,
      remarks: 'head office meter',
      keyContactEmail: 'meters@example.com',
    });
    const moved = await api('PATCH', `/api/v2/biller/consumer/${added.companyBillerId}`, { billParams: { cn: '9000000099' } });
    expect([moved.statusCode, moved.headers['x-error-code']]).toEqual([422, 'consumer_number_change']);
    const foreignCircle = await api('PATCH', `/api/v2/biller/consumer/${added.companyBillerId}`, { circle: 'DEL' });
    expect(foreignCircle.statusCode).toBe(422);
    expect((await api('PATCH', '/api/v2/biller/consumer/CBLNOSUCHBILLER', { addBiller: true })).headers['x-error-code']).toBe('company_biller_not_found');

    const fetched = await ok('POST', '/api/v2/biller/fetchOrAddBill', { billerId: 1001, circle: 'MAH', billParams: { cn: '9000000021', ad1: '4321' } });
    expect(fetched.companyBillerId).toBe(added.companyBillerId);
  });

  it("Prepaid Plan lists a DTH biller's plans, cheapest first; a biller without plans is 422", async () => {
    const plans = (await ok('GET', '/api/v2/biller/prepaidPlan?billerId=6001')) as { planId: string; amount: number }[];
    expect(plans.map((p) => [p.planId, p.amount])).toEqual([
      ['PLN6001M1', 299],
      ['PLN6001HD', 499],
      ['PLN6001M3', 849],
    ]);
    expect(await ok('GET', '/api/v2/biller/prepaidPlan?billerId=6001&category=ADD_ON')).toEqual([
      { planId: 'PLN6001HD', billerId: 6001, amount: 499, validity: '1 month', category: 'ADD_ON', description: 'HD add-on: 60 HD channels' },
    ]);
    const electricity = await api('GET', '/api/v2/biller/prepaidPlan?billerId=1001');
    expect([electricity.statusCode, electricity.headers['x-error-code']]).toEqual([422, 'bill_fetch_mode']);
    expect((await api('GET', '/api/v2/biller/prepaidPlan?billerId=999999')).headers['x-error-code']).toBe('biller_not_found');
    // A plan is paid as a bill without fetch, for its amount.
    const paid = await ok('POST', '/api/v2/biller/addBill', { billerId: 6001, billParams: { cn: '9000000031' }, billAmount: plans[0]!.amount });
    expect(paid).toMatchObject({ amount: 299, billpayStatus: 'PENDING' });
  });

  it('leaves the ledger verifying', async () => {
    expect((await t.services.ledger.verify(t.database.db, { companyId: COMPANY })).breaks).toEqual([]);
  });
});
