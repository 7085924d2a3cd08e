import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { advanceTo, balanceOf, capturedPayment, inject, SANDBOX } from './gateway-settlements-fixtures.js';

// Refunds of captured gateway payments (reference §2.5) through the HTTP API on a real database:
// whole envelopes, requestId repeats, over-refunds that change nothing, completion on the rail's
// sandbox delay, failure by scenario (the money returns), the webhook event, and the ledger.

let t: TestApp;
let headers: Record<string, string>;
let other: string;

const refundsOf = async (paymentId: string) =>
  queryRows<{ id: string; status: string; amount_paise: string }>(
    t.database.db,
    sql`select id, status, amount_paise::text from gateway_refunds where payment_id = ${paymentId} order by created_at, id`,
  );
const paymentRow = async (id: string) =>
  (
    await queryRows<{ status: string; refunded_paise: string }>(t.database.db, sql`select status, refunded_paise::text from gateway_payments where id = ${id}`)
  )[0]!;
const ledgerCount = async () => Number((await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from ledger_transactions`))[0]!.n);
const verify = async () => expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);

beforeAll(async () => {
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
  other = (await t.services.identity.createCompany({ name: 'Other merchant' })).id;
});

afterAll(async () => {
  await t?.close();
});

describe(`gateway refunds on ${backend}`, () => {
  it('refunds part of a payment; the amount may be a string; a repeated requestId answers the first refund', async () => {
    const { transactionId, orderId } = await capturedPayment(t.services, t.database, { amountPaise: 100_000n, mode: 'NET_BANKING' });
    const body = { amount: '100', remarks: 'refund testing payu', requestId: 'EK576354215522333D33233005' };
    const first = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        amount: 100,
        paymentMode: 'NET_BANKING',
        bankCode: 'HDFC',
        bankName: 'HDFC Bank',
        currency: 'INR',
        status: 'CREATED',
        transactionId: expect.stringMatching(/^RFD\d{13}[A-Za-z0-9]{5}$/),
        txnMsg: 'Refund initiated',
        txnDate: '2026-01-01T00:00:00.000Z',
        uniqueTransactionId: expect.stringMatching(/^EKR\d{13}[A-Z0-9]{8}$/),
        bankTransactionId: null,
        paymentTransactionId: transactionId,
        orderId,
        requestId: 'EK576354215522333D33233005',
        remarks: 'refund testing payu',
      },
    });
    expect(await paymentRow(transactionId)).toEqual({ status: 'PARTIALLY_REFUNDED', refunded_paise: '10000' });

    const repeat = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { ...body, amount: 100.0 });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(await refundsOf(transactionId)).toHaveLength(1);

    const reused = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { ...body, amount: 200 });
    expect(reused.status).toBe(422);
    expect(reused.headers['x-error-code']).toBe('refund_request_id_reused');
    expect(reused.body).toEqual({
      response_code: 422,
      response_message: `requestId EK576354215522333D33233005 was already used for another refund (payment ${transactionId}, amount 100.00)`,
      payload: null,
    });

    const status = await inject(t.app, headers, 'GET', `/api/v0/payment/refund/${first.body.payload.transactionId}`);
    expect(status.body).toEqual(first.body);
    await verify();
  });

  it("refuses an over-refund, a third decimal, an unknown or another company's payment, and changes nothing", async () => {
    const { transactionId } = await capturedPayment(t.services, t.database, { amountPaise: 50_000n, mode: 'UPI' });
    await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { amount: 200, requestId: 'over-1' });
    const theirs = await capturedPayment(t.services, t.database, { companyId: other, amountPaise: 10_000n, mode: 'UPI' });
    const before = { refunds: await refundsOf(transactionId), payment: await paymentRow(transactionId), ledger: await ledgerCount() };

    const over = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { amount: 300.01, requestId: 'over-2' });
    expect(over.status).toBe(422);
    expect(over.headers['x-error-code']).toBe('refund_exceeds_refundable');
    expect(over.body).toEqual({
      response_code: 422,
      response_message: `Refund amount 300.01 exceeds the refundable amount 300.00 of transaction ${transactionId}`,
      payload: null,
    });

    const decimals = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { amount: '10.005', requestId: 'over-3' });
    expect(decimals.status).toBe(400);
    expect(decimals.headers['x-error-code']).toBe('invalid_amount');

    const missing = await inject(t.app, headers, 'POST', `/api/v0/payment/TXN0000000000000nope0/refund`, { amount: 1, requestId: 'over-4' });
    expect(missing.body).toEqual({ response_code: 404, response_message: 'No transaction TXN0000000000000nope0', payload: null });

    const foreign = await inject(t.app, headers, 'POST', `/api/v0/payment/${theirs.transactionId}/refund`, { amount: 1, requestId: 'over-5' });
    expect(foreign.status).toBe(404);

    const scenario = await inject(
      t.app,
      headers,
      'POST',
      `/api/v0/payment/${transactionId}/refund`,
      { amount: 1, requestId: 'over-6' },
      { 'x-tijori-scenario': 'reverse_after:PT1H' },
    );
    expect(scenario.status).toBe(400);
    expect(scenario.headers['x-error-code']).toBe('scenario_not_supported');

    expect({ refunds: await refundsOf(transactionId), payment: await paymentRow(transactionId), ledger: await ledgerCount() }).toEqual(before);
    await verify();
  });

  it("completes on the rail's sandbox delay, sends the refund webhook, and posts the money out through the rail", async () => {
    const { transactionId } = await capturedPayment(t.services, t.database, {
      amountPaise: 30_000n,
      mode: 'UPI',
      notifyUrl: 'https://merchant.example/notify',
    });
    const created = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { amount: 300, requestId: 'full-1' });
    expect(await paymentRow(transactionId)).toEqual({ status: 'REFUNDED', refunded_paise: '30000' });
    const id = created.body.payload.transactionId as string;

    const now = await t.services.clocks.now(SANDBOX);
    await advanceTo(t.services, new Date(now.getTime() + 9 * 60_000).toISOString());
    expect((await inject(t.app, headers, 'GET', `/api/v0/payment/refund/${id}`)).body.payload.status).toBe('CREATED');
    await advanceTo(t.services, new Date(now.getTime() + 10 * 60_000).toISOString());
    const done = await inject(t.app, headers, 'GET', `/api/v0/payment/refund/${id}`);
    expect(done.body.payload).toMatchObject({
      status: 'SUCCESS',
      txnMsg: 'Refund processed successfully',
      txnDate: new Date(now.getTime() + 10 * 60_000).toISOString(),
      bankTransactionId: expect.stringMatching(/^\d{12}$/),
    });
    const paid = await t.services.ledger.findTransactionByReference(t.database.db, SANDBOX, {
      code: 'refund',
      referenceType: 'gateway_refund_completion',
      referenceId: id,
    });
    expect(paid!.postings.map((p) => [p.direction, p.amount])).toEqual([
      ['debit', 30_000n],
      ['credit', 30_000n],
    ]);
    expect(paid!.effectiveAt.toISOString()).toBe(done.body.payload.txnDate);

    const [event] = await queryRows<{ type: string; body: string; notify_url: string | null }>(
      t.database.db,
      sql`select type, body, notify_url from events where company_id = ${SANDBOX} and type like 'REFUND_%' and body like ${`%${id}%`}`,
    );
    expect(event!.type).toBe('REFUND_SUCCESS');
    expect(JSON.parse(event!.body)).toEqual(done.body.payload);
    const [delivery] = await queryRows<{ url: string }>(
      t.database.db,
      sql`select d.url from webhook_deliveries d join events e on e.id = d.event_id where e.body like ${`%${id}%`}`,
    );
    expect(delivery!.url).toBe('https://merchant.example/notify');
    await verify();
  });

  it('a refund that fails on the rail gives the money back to the merchant side and can be made again', async () => {
    const { transactionId } = await capturedPayment(t.services, t.database, { amountPaise: 20_000n, mode: 'CREDIT_CARD' });
    const receivable = await balanceOf(t.database, SANDBOX, 'merchant_settlement_receivable');
    const failing = await inject(
      t.app,
      headers,
      'POST',
      `/api/v0/payment/${transactionId}/refund`,
      { amount: 200, requestId: 'fail-1' },
      { 'x-tijori-scenario': 'fail:card_closed' },
    );
    expect(failing.body.payload.status).toBe('CREATED');
    expect(await balanceOf(t.database, SANDBOX, 'merchant_settlement_receivable')).toBe(receivable + 20_000n);
    const now = await t.services.clocks.now(SANDBOX);
    await advanceTo(t.services, new Date(now.getTime() + 24 * 3_600_000).toISOString());
    const failed = await inject(t.app, headers, 'GET', `/api/v0/payment/refund/${failing.body.payload.transactionId}`);
    expect(failed.body.payload).toMatchObject({ status: 'FAILED', txnMsg: 'Refund failed', bankTransactionId: null });
    expect(await paymentRow(transactionId)).toEqual({ status: 'SUCCESS', refunded_paise: '0' });
    expect(await balanceOf(t.database, SANDBOX, 'merchant_settlement_receivable')).toBe(receivable);
    const [event] = await queryRows<{ type: string }>(t.database.db, sql`select type from events where body like ${`%${failing.body.payload.transactionId}%`}`);
    expect(event!.type).toBe('REFUND_FAILED');

    const again = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { amount: 200, requestId: 'fail-2' });
    expect(again.body.payload.status).toBe('CREATED');
    expect(await paymentRow(transactionId)).toEqual({ status: 'REFUNDED', refunded_paise: '20000' });
    await verify();
  });

  it("Refund Enquiry (POST) finds a refund by its id, its requestId or both, in the caller's company only, and changes nothing", async () => {
    const { transactionId } = await capturedPayment(t.services, t.database, { amountPaise: 30_000n, mode: 'UPI' });
    const made = await inject(t.app, headers, 'POST', `/api/v0/payment/${transactionId}/refund`, { amount: 120, requestId: 'ENQ-1' });
    const refundId = made.body.payload.transactionId as string;
    const enquire = (body: object) => inject(t.app, headers, 'POST', '/api/v0/payment/refund/enquiry', body);
    for (const body of [{ refundTransactionId: refundId }, { requestId: 'ENQ-1' }, { refundTransactionId: refundId, requestId: 'ENQ-1' }]) {
      const res = await enquire(body);
      expect([res.status, res.body], JSON.stringify(body)).toEqual([200, made.body]);
    }
    // It follows the refund to its outcome.
    const now = await t.services.clocks.now(SANDBOX);
    await advanceTo(t.services, new Date(now.getTime() + 11 * 60_000).toISOString());
    expect((await enquire({ requestId: 'ENQ-1' })).body.payload).toMatchObject({ transactionId: refundId, status: 'SUCCESS' });

    const theirs = await capturedPayment(t.services, t.database, { companyId: other, amountPaise: 10_000n, mode: 'UPI' });
    const theirRefund = await t.services.gatewayMoney.refunds.create(other, theirs.transactionId, { amountPaise: 1_000n, requestId: 'THEIRS-1' });
    const before = { refunds: await refundsOf(transactionId), ledger: await ledgerCount() };
    const refused: Array<[object, number, string, string]> = [
      [{ refundTransactionId: refundId, requestId: 'ENQ-2' }, 404, 'refund_not_found', `No refund ${refundId} with requestId ENQ-2`],
      [{ requestId: 'NOPE' }, 404, 'refund_not_found', 'No refund requestId NOPE'],
      [{ refundTransactionId: theirRefund.id }, 404, 'refund_not_found', `No refund ${theirRefund.id}`],
      [{ requestId: 'THEIRS-1' }, 404, 'refund_not_found', 'No refund requestId THEIRS-1'],
      [{}, 400, 'validation_failed', 'Missing required field refundTransactionId or requestId'],
      [{ refundTransactionId: "x' or 1=1" }, 400, 'validation_failed', 'Invalid field refundTransactionId'],
      [{ transactionId: refundId }, 400, 'validation_failed', 'Missing required field refundTransactionId or requestId'],
    ];
    for (const [body, status, code, message] of refused) {
      const res = await enquire(body);
      expect([res.status, res.headers['x-error-code']], JSON.stringify(body)).toEqual([status, code]);
      expect(res.body.response_message).toContain(message);
      expect(res.body.payload).toBeNull();
    }
    expect({ refunds: await refundsOf(transactionId), ledger: await ledgerCount() }).toEqual(before);
  });

  it("another company's refund id is a 404", async () => {
    const res = await inject(t.app, headers, 'GET', '/api/v0/payment/refund/RFD0000000000000abcde');
    expect(res.body).toEqual({ response_code: 404, response_message: 'No refund RFD0000000000000abcde', payload: null });
  });
});
