import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { sandboxFund } from '../support/ledger.js';
import { basic, postForm, seedBearer } from '../support/oauth.js';
import { startReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';

/**
 * Bill payments (reference §4) end to end: one flow per outcome class of the documented consumer
 * numbers (due, overdue, paid, biller down, timeout then success), maker-checker approval and
 * auto-debit, webhooks at a real receiver with the static headers and a valid signature, the
 * business failures (1, 36, 37, 38), and a ledger that verifies with the balance equal to the
 * funds minus the bills paid.
 */
describe(`bill payments (${backend})`, () => {
  const COMPANY = SANDBOX.companyId;
  const FUNDS = 10_000_00n;
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let bearer: string;
  let otherBearer: string;
  let secret: string;
  const paid: bigint[] = [];

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}, authorization = bearer) =>
    t.app.inject({
      method,
      url,
      headers: { authorization, ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) => {
    const res = await api(method, url, payload, headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().response_code, res.body).toBe(0);
    return res.json().payload;
  };
  const status = (id: string) => ok('GET', `/api/v2/utilityPayment/${id}`);
  const approve = (ids: string[], headers: Record<string, string> = {}) =>
    api('PUT', '/api/v0/utilityPayment/status', { utilityPaymentIds: ids, approvalStatus: 'CHECKER_APPROVED', remarks: 'ok by checker' }, headers);
  const balance = async () =>
    (await t.services.ledger.balance(t.database.db, COMPANY, (await t.services.ledger.getAccount(t.database.db, COMPANY, 'payout_float')).id)).available;
  const webhooksOf = (id: string) => rx.received.filter((r) => JSON.parse(r.body).utilityEnkashId === id);
  const waitWebhooks = async (id: string, n: number): Promise<ReceivedWebhook[]> => {
    const until = Date.now() + 15_000;
    while (webhooksOf(id).length < n) {
      if (Date.now() > until) throw new Error(`${id}: ${webhooksOf(id).length} webhooks, expected ${n}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return webhooksOf(id);
  };
  const verified = (r: ReceivedWebhook) => {
    expect(r.headers['x-partner-key']).toBe('bbps-static-123');
    return new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    }) as Record<string, unknown>;
  };
  const fetchBill = (cn: string, billerId = 1001, circle = 'MAH') =>
    api('POST', '/api/v2/biller/fetchOrAddBill', { billerId, circle, billParams: { cn }, addBiller: true });
  const addBill = (cn: string, billAmount: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api('POST', '/api/v2/biller/addBill', { billerId: 1003, circle: 'TN', billParams: { cn }, billAmount, name: 'Asha Rao', ...extra }, headers);

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    t.clock.set(new Date());
    bearer = await seedBearer(t.app);
    const other = await t.services.identity.createCompany({ name: 'Other Co' });
    const client = await t.services.identity.createClient({ companyId: other.id, grantTypes: ['client_credentials'] });
    otherBearer = `Bearer ${(await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }, basic(other.id, client.secret))).json().access_token as string}`;
    const config = await ok('POST', '/api/v0/webhook-data', {
      webhookUrl: `${rx.url}/bbps`,
      headers: { 'x-partner-key': 'bbps-static-123' },
      events: ['UTILITY_BILLPAY_SUCCESS', 'UTILITY_BILLPAY_FAILED', 'UTILITY_BILLPAY_PENDING'],
      companyId: COMPANY,
    });
    secret = config.secret;
    await sandboxFund(t.database.db, t.services.ledger, COMPANY, FUNDS, 'bbps-funds', 'payout_float');
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it('lists the biller categories and billers of the catalogue, by type and circle', async () => {
    const types = (await ok('GET', '/api/v0/biller/types')) as { billerType: string; billerCount: number }[];
    expect(types.map((x) => x.billerType)).toEqual([
      'ELECTRICITY',
      'WATER',
      'GAS',
      'BROADBAND',
      'MOBILE_POSTPAID',
      'DTH',
      'FASTAG',
      'LPG',
      'INSURANCE',
      'LOAN_EMI',
    ]);
    expect(types.every((x) => x.billerCount > 0)).toBe(true);
    const delhi = (await ok('GET', '/api/v0/biller?billerType=ELECTRICITY&circle=DEL')) as { billerId: number }[];
    expect(delhi.map((b) => b.billerId)).toEqual([1002]);
    const [msedcl] = (await ok('GET', '/api/v0/biller?billerType=ELECTRICITY&circle=MAH')) as object[];
    expect(msedcl).toEqual({
      billerId: 1001,
      billerName: 'Maharashtra State Electricity Distribution (MSEDCL)',
      billerType: 'ELECTRICITY',
      circles: ['MAH', 'MUM'],
      billInputParams: [
        { paramName: 'cn', displayName: 'Consumer Number', regex: '^[A-Za-z0-9]{6,20}$', optional: false },
        { paramName: 'ad1', displayName: 'Billing Unit', regex: '^[0-9]{4}$', optional: true },
      ],
      fetchRequirement: 'MANDATORY',
      paymentAmountExactness: 'EXACT_AND_ABOVE',
      status: 'ACTIVE',
    });
    expect((await api('GET', '/api/v0/biller?billerType=NOPE')).statusCode).toBe(400);
  });

  it('due bill: fetch, create after fetch, maker-checker approval, SUCCESS webhook with static headers and signature', async () => {
    const fetched = await fetchBill('9000000001');
    expect(fetched.statusCode, fetched.body).toBe(200);
    const bill = fetched.json();
    expect(bill).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        companyBillerId: expect.stringMatching(/^CBL[A-Z0-9]{11}$/),
        billNumber: expect.stringMatching(/^BN1001\d+$/),
        userName: 'Consumer 0001',
        billAmount: 1250,
        billdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        billPeriod: 'MONTHLY',
        billnetamount: 1237.5,
        earlyPaymentAmount: 1237.5,
        earlyPaymentDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        latePaymentAmount: null,
        actualDueDate: bill.payload.dueDate,
        statusMessage: null,
        billId: expect.stringMatching(/^BILL1001/),
        validationId: expect.stringMatching(/^VAL\d{12}$/),
        billStartDate: expect.any(String),
        billEnddate: expect.any(String),
      },
    });
    const p = bill.payload;
    const created = await api('POST', '/api/v2/utilityPayment', {
      referenceId: 'REF-DUE-1',
      companyBillerId: p.companyBillerId,
      billNetAmount: p.billnetamount,
      billAmount: p.billAmount,
      validationId: p.validationId,
    });
    expect(created.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        amount: 1237.5,
        consumerNumber: '9000000001',
        billdate: p.billdate,
        billDueDate: p.dueDate,
        createdDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
        utilityEnkashId: expect.stringMatching(/^UTIL-[A-Z0-9]{12}$/),
        referenceId: 'REF-DUE-1',
        approvalStatus: 'MAKER_APPROVAL_PENDING',
        paymentStatus: 'PENDING',
        billpayStatus: 'PENDING',
      },
    });
    const id = created.json().payload.utilityEnkashId as string;
    expect(await balance()).toBe(FUNDS);

    const approved = await approve([id]);
    expect(approved.json()).toEqual({ response_code: 0, response_message: 'Success', payload: null });
    paid.push(123_750n);
    expect(await balance()).toBe(FUNDS - 123_750n);
    const s = await status(id);
    expect(s).toMatchObject({
      utilityEnkashId: id,
      referenceId: 'REF-DUE-1',
      companyName: 'Tijori Sandbox Company',
      amount: 1237.5,
      approvalStatus: 'CHECKER_APPROVED',
      approvalRemarks: 'ok by checker',
      paymentStatus: 'SUCCESS',
      billpayStatus: 'SUCCESS',
      paymentMode: 'ACCOUNT_TRANSFER',
      failureReason: null,
    });
    expect(s.billReferenceId).toMatch(/^BBPS\d{12}$/);
    expect(await ok('GET', '/api/v0/utilityPayment/reference/REF-DUE-1')).toEqual(s);
    expect(await ok('GET', `/api/v0/utilityPayment/${id}`)).toEqual(s);

    const [hook] = await waitWebhooks(id, 1);
    expect(hook!.headers['x-tijori-event-type']).toBe('UTILITY_BILLPAY_SUCCESS');
    const body = verified(hook!);
    expect(body).toMatchObject({ ...s, validationId: p.validationId, billAmount: 1250, billCopyStatus: 'FAILED', refundDate: null });
    expect(body['companyBiller']).toMatchObject({
      companyBillerId: p.companyBillerId,
      biller: { billerId: 1001, circleEnum: 'MAH', billerParams: [{ paramName: 'cn', value: '9000000001' }] },
    });

    // Approving again, or creating the same fetched bill twice, is refused.
    expect((await approve([id])).headers['x-error-code']).toBe('utility_payment_not_pending_approval');
    const again = await api('POST', '/api/v2/utilityPayment', { companyBillerId: p.companyBillerId, billNetAmount: p.billnetamount, billAmount: p.billAmount });
    expect([again.statusCode, again.headers['x-error-code']]).toEqual([409, 'bill_already_created']);
  });

  it('overdue bill: the late fee is payable; an amount below it is refused', async () => {
    const p = (await fetchBill('9000000003')).json().payload;
    expect([p.billAmount, p.latePaymentAmount, p.billnetamount, p.earlyPaymentAmount]).toEqual([1250, 1300, 1300, null]);
    expect(p.dueDate < new Date().toISOString().slice(0, 10)).toBe(true);
    const low = await api('POST', '/api/v2/utilityPayment', { companyBillerId: p.companyBillerId, billNetAmount: 1250, billAmount: 1250 });
    expect(low.json()).toEqual({
      response_code: 422,
      response_message: 'Invalid field billNetAmount: biller 1001 takes at least the fetched amount (1300)',
      payload: null,
    });
    const created = await ok('POST', '/api/v2/utilityPayment', { companyBillerId: p.companyBillerId, billNetAmount: 1300, billAmount: 1250 });
    expect((await approve([created.utilityEnkashId])).json().response_code).toBe(0);
    paid.push(130_000n);
    expect(await status(created.utilityEnkashId)).toMatchObject({ billpayStatus: 'SUCCESS', paymentStatus: 'SUCCESS', amount: 1300 });
  });

  it('paid bill: the fetch answers response_code 1 with statusMessage; unknown consumer 422; bad input named', async () => {
    const res = await fetchBill('9000000002');
    expect(res.json()).toEqual({
      response_code: 1,
      response_message: 'No bill due',
      payload: expect.objectContaining({
        companyBillerId: expect.stringMatching(/^CBL/),
        statusMessage: 'No bill due for this consumer number',
        billAmount: null,
        validationId: null,
      }),
    });
    const companyBillerId = res.json().payload.companyBillerId;
    expect((await api('POST', '/api/v2/utilityPayment', { companyBillerId, billNetAmount: 10, billAmount: 10 })).headers['x-error-code']).toBe(
      'company_biller_not_found',
    );
    expect((await fetchBill('9000000009')).json()).toEqual({ response_code: 422, response_message: 'Invalid consumer number for this biller', payload: null });
    expect((await fetchBill('12')).json()).toEqual({
      response_code: 422,
      response_message: 'Invalid field billParams.cn: not a valid Consumer Number',
      payload: null,
    });
    expect((await fetchBill('9000000001', 1001, 'DEL')).headers['x-error-code']).toBe('invalid_biller_input');
    expect((await fetchBill('9000000001', 1004, 'GUJ')).json()).toEqual({ response_code: 422, response_message: 'biller not active', payload: null });
    expect((await fetchBill('9000000001', 4242, 'ALL')).headers['x-error-code']).toBe('biller_not_found');
    expect((await api('POST', '/api/v2/biller/addBill', { billerId: 1001, billParams: { cn: '9000000001' }, billAmount: 10 })).headers['x-error-code']).toBe(
      'bill_fetch_mode',
    );
    expect((await addBill('9000000001', 100.005)).json()).toEqual({
      response_code: 400,
      response_message: 'Invalid field billAmount: must be rupees with at most two decimals',
      payload: null,
    });
  });

  it('biller down: the fetch answers 503; a bill paid without fetch fails and is refunded with a FAILED webhook', async () => {
    const down = await fetchBill('9000000004', 1003, 'TN');
    expect(down.json()).toEqual({ response_code: 503, response_message: 'Biller is not available, please try again later', payload: null });
    const created = await ok('POST', '/api/v0/biller/addBill', {
      billerId: 1003,
      circle: 'TN',
      billParams: { cn: '9000000004' },
      billAmount: 500,
      referenceId: 'REF-DOWN-1',
    });
    const before = await balance();
    expect((await approve([created.utilityEnkashId])).json().response_code).toBe(0);
    expect(await balance()).toBe(before);
    const s = await status(created.utilityEnkashId);
    expect(s).toMatchObject({
      billpayStatus: 'FAILED',
      paymentStatus: 'REFUNDED',
      failureCode: 'biller_unavailable',
      failureReason: 'Biller is not available, please try again later',
      billReferenceId: null,
    });
    const [hook] = await waitWebhooks(created.utilityEnkashId, 1);
    expect(hook!.headers['x-tijori-event-type']).toBe('UTILITY_BILLPAY_FAILED');
    expect(verified(hook!)).toMatchObject({ billpayStatus: 'FAILED', paymentStatus: 'REFUNDED', refundDate: expect.any(String) });
    const txs = await t.services.ledger.listTransactions(t.database.db, COMPANY, { referenceId: created.utilityEnkashId }, { offset: 0, limit: 10 });
    expect(txs.rows.map((x) => x.code)).toEqual(['bill_payment']);
    // The refund is the debit's reversal, in the same transaction as the FAILED status.
    expect(txs.rows[0]!.reversedByTransactionId).toMatch(/^ltx_/);
  });

  it('timeout then success: IN_PROGRESS with a PENDING webhook, SUCCESS once the sandbox clock passes two minutes', async () => {
    const created = await ok('POST', '/api/v2/biller/addBill', {
      billerId: 1003,
      circle: 'TN',
      billParams: { cn: '9000000005' },
      billAmount: 700,
      referenceId: 'REF-SLOW-1',
    });
    await approve([created.utilityEnkashId]);
    paid.push(70_000n);
    expect(await status(created.utilityEnkashId)).toMatchObject({ paymentStatus: 'SUCCESS', billpayStatus: 'IN_PROGRESS', billpayDate: null });
    const [pending] = await waitWebhooks(created.utilityEnkashId, 1);
    expect(pending!.headers['x-tijori-event-type']).toBe('UTILITY_BILLPAY_PENDING');
    expect(verified(pending!)).toMatchObject({ billpayStatus: 'IN_PROGRESS', billCopyStatus: 'PENDING' });

    await ok('POST', '/api/v0/sandbox/clock/advance', { seconds: 60 });
    expect((await status(created.utilityEnkashId)).billpayStatus).toBe('IN_PROGRESS');
    await ok('POST', '/api/v0/sandbox/clock/advance', { seconds: 61 });
    expect(await status(created.utilityEnkashId)).toMatchObject({ billpayStatus: 'SUCCESS', billReferenceId: expect.stringMatching(/^BBPS/) });
    const hooks = await waitWebhooks(created.utilityEnkashId, 2);
    expect(hooks[1]!.headers['x-tijori-event-type']).toBe('UTILITY_BILLPAY_SUCCESS');
  });

  it('rejected after a minute: refunded when the later outcome arrives; a scenario on the approval decides too', async () => {
    const late = await ok('POST', '/api/v2/biller/addBill', { billerId: 1003, circle: 'TN', billParams: { cn: '9000000006' }, billAmount: 300 });
    const viaScenario = await ok('POST', '/api/v2/biller/addBill', { billerId: 1003, circle: 'TN', billParams: { cn: '9000000001' }, billAmount: 200 });
    const before = await balance();
    await approve([late.utilityEnkashId]);
    await approve([viaScenario.utilityEnkashId], { 'x-tijori-scenario': 'fail:biller_unavailable' });
    expect(await balance()).toBe(before - 30_000n);
    await ok('POST', '/api/v0/sandbox/clock/advance', { seconds: 61 });
    expect(await status(late.utilityEnkashId)).toMatchObject({ billpayStatus: 'FAILED', paymentStatus: 'REFUNDED', failureCode: 'payment_rejected_by_biller' });
    expect(await status(viaScenario.utilityEnkashId)).toMatchObject({ billpayStatus: 'FAILED', paymentStatus: 'REFUNDED', failureCode: 'biller_unavailable' });
    expect(await balance()).toBe(before);
    const bad = await approve([late.utilityEnkashId], { 'x-tijori-scenario': 'reverse_after:PT1M' });
    expect(bad.statusCode).toBe(409);
  });

  it('insufficient balance: response_code 1 and nothing debited or approved', async () => {
    const big = await ok('POST', '/api/v2/biller/addBill', { billerId: 1003, circle: 'TN', billParams: { cn: '9000000001' }, billAmount: 20_000 });
    const small = await ok('POST', '/api/v2/biller/addBill', { billerId: 4001, circle: 'ALL', billParams: { cn: 'ACT123456' }, billAmount: 10 });
    const before = await balance();
    const res = await approve([small.utilityEnkashId, big.utilityEnkashId]);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-error-code']).toBe('insufficient_balance');
    expect(res.json()).toEqual({ response_code: 1, response_message: 'Insufficient balance', payload: 'Insufficient balance' });
    expect(await balance()).toBe(before);
    expect(await status(small.utilityEnkashId)).toMatchObject({ approvalStatus: 'MAKER_APPROVAL_PENDING', paymentStatus: 'PENDING', billpayStatus: 'PENDING' });
    expect((await approve([small.utilityEnkashId, 'UTIL-NOPE'])).json()).toEqual({
      response_code: 400,
      response_message: 'No utility payment found',
      payload: 'No utility payment found',
    });
  });

  it('duplicate referenceId is response_code 38; an Idempotency-Key retry replays the first answer', async () => {
    const first = await addBill('9000000001', 111, { referenceId: 'REF-DUP' }, { 'idempotency-key': 'bbps-k1' });
    const replay = await addBill('9000000001', 111, { referenceId: 'REF-DUP' }, { 'idempotency-key': 'bbps-k1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const dup = await addBill('9000000001', 111, { referenceId: 'REF-DUP' });
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toEqual({ response_code: 38, response_message: 'Duplicate referenceId provided', payload: 'Duplicate referenceId provided' });
  });

  it('velocity limits per consumer per day: count → 36, amount → 37', async () => {
    await t.services.bbps.updateSettings(COMPANY, { maxBillsPerConsumerPerDay: 2, maxAmountPerConsumerPerDayPaise: 1_000_00n });
    expect(await ok('GET', '/api/v0/utilityPayment/settings')).toEqual({ autoDebit: false, maxBillsPerConsumerPerDay: 2, maxAmountPerConsumerPerDay: 1000 });
    await ok('POST', '/api/v2/biller/addBill', { billerId: 6001, billParams: { cn: '9000000777' }, billAmount: 600 });
    expect((await addBill('9000000777', 500, { billerId: 6001, circle: 'ALL' })).json()).toEqual({
      response_code: 37,
      response_message: 'Velocity limit breached',
      payload: 'Velocity limit breached',
    });
    await ok('POST', '/api/v2/biller/addBill', { billerId: 6001, billParams: { cn: '9000000777' }, billAmount: 400 });
    expect((await addBill('9000000777', 1, { billerId: 6001, circle: 'ALL' })).json().response_code).toBe(36);
    // Another consumer, and the next IST day, are not affected.
    expect((await addBill('9000000778', 1, { billerId: 6001, circle: 'ALL' })).json().response_code).toBe(0);
    await ok('POST', '/api/v0/sandbox/clock/advance', { seconds: 86_400 });
    expect((await addBill('9000000777', 1, { billerId: 6001, circle: 'ALL' })).json().response_code).toBe(0);
    await t.services.bbps.updateSettings(COMPANY, { maxBillsPerConsumerPerDay: 10, maxAmountPerConsumerPerDayPaise: 2_00_000_00n });
  });

  it('auto-debit: the bill is debited and paid when created; short of balance nothing is created', async () => {
    await t.services.bbps.updateSettings(COMPANY, { autoDebit: true });
    const created = await ok('POST', '/api/v2/biller/addBill', {
      billerId: 7001,
      billParams: { cn: 'MH12AB1234' },
      billAmount: 250.25,
      referenceId: 'REF-AUTO-1',
    });
    paid.push(25_025n);
    expect(created).toMatchObject({ approvalStatus: 'AUTO_APPROVED', paymentStatus: 'SUCCESS', billpayStatus: 'SUCCESS', amount: 250.25 });
    expect(verified((await waitWebhooks(created.utilityEnkashId, 1))[0]!)).toMatchObject({ approvalStatus: 'AUTO_APPROVED', billpayStatus: 'SUCCESS' });
    const short = await addBill('9000000001', 50_000, { referenceId: 'REF-AUTO-2' });
    expect(short.json().response_code).toBe(1);
    expect((await api('GET', '/api/v0/utilityPayment/reference/REF-AUTO-2')).statusCode).toBe(400);
    await t.services.bbps.updateSettings(COMPANY, { autoDebit: false });
  });

  it('another company sees none of it; search filters, pages and caps limit below 100', async () => {
    const mine = (await ok('POST', '/api/v1/utilityPayment/search', { offset: 0, limit: 99, billpayStatus: 'SUCCESS' })) as {
      content: { billpayStatus: string }[];
      totalElements: number;
    };
    expect(mine.totalElements).toBe(paid.length);
    expect(mine.content.every((c) => c.billpayStatus === 'SUCCESS')).toBe(true);
    const page = await ok('POST', '/api/v1/utilityPayment/search', { offset: 1, limit: 2, consumerNumber: '9000000001' });
    expect(page).toMatchObject({ size: 2, number: 0, offset: 1 });
    expect((await api('POST', '/api/v1/utilityPayment/search', { offset: 0, limit: 100 })).statusCode).toBe(400);
    const id = (mine.content[0] as unknown as { utilityEnkashId: string }).utilityEnkashId;
    const foreign = await api('GET', `/api/v2/utilityPayment/${id}`, undefined, {}, otherBearer);
    expect(foreign.json()).toEqual({ response_code: 400, response_message: 'No utility payment found', payload: 'No utility payment found' });
    expect((await api('GET', '/api/v0/utilityPayment/reference/REF-DUE-1', undefined, {}, otherBearer)).statusCode).toBe(400);
    expect(
      (await api('PUT', '/api/v0/utilityPayment/status', { utilityPaymentIds: [id], approvalStatus: 'CHECKER_APPROVED' }, {}, otherBearer)).json()
        .response_message,
    ).toBe('No utility payment found');
    expect((await api('POST', '/api/v1/utilityPayment/search', { offset: 0, limit: 10 }, {}, otherBearer)).json().payload.totalElements).toBe(0);
  });

  it('ends with the ledger verifying and the balance equal to the funds minus the bills paid', async () => {
    const report = await t.services.ledger.verify(t.database.db, { companyId: COMPANY });
    expect(report.breaks).toEqual([]);
    expect(await balance()).toBe(FUNDS - paid.reduce((a, b) => a + b, 0n));
  });
});
