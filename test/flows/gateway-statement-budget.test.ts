import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { countStatements } from '../support/statements.js';

/**
 * The gateway payment path's statement budget (issue 13, ADR 0028): counts of statements sent to
 * the database (BEGIN and COMMIT included), never times. The app runs with no background workers,
 * so nothing else uses the database while a request is counted.
 *
 * The flow's ceiling is the issue's budget, 12: order 1, submit 10 (its route's order read, then
 * two transactions: persist the attempt; record the outcome with the capture, the event's publish
 * and the ledger posting, one statement each), status read 1.
 */
describe(`gateway statement budget (${backend})`, () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let seq = 0;
  const json = () => ({ ...headers, 'content-type': 'application/json' });

  const createOrder = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/orders',
      headers: json(),
      payload: JSON.stringify({ orderId: `BUDGET-${backend}-${++seq}`, amount: { value: 100, currency: 'INR' } }),
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: { orderId: string } }).payload.orderId;
  };
  const submit = async (orderId: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/payment/submit',
      headers: json(),
      payload: JSON.stringify({
        orderId,
        paymentMode: 'CREDIT_CARD',
        cardNumber: '4111111111111111',
        expiry: '12/30',
        cvv: '123',
        cardHolderName: 'Budget Holder',
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const payload = (res.json() as { payload: { transactionId: string; transactionStatus: string } }).payload;
    expect(payload.transactionStatus).toBe('SUCCESS');
    return payload.transactionId;
  };
  const status = async (transactionId: string, url = `/api/v0/payment/${transactionId}`) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { payload: Record<string, unknown> };
  };
  let transactions = 0;
  /** Statements that `fn` sent, and the database transactions it opened. */
  const counted = async <T>(fn: () => Promise<T>) => {
    const before = transactions;
    const { result, statements } = await countStatements(t.database, fn);
    return { result, statements, transactions: transactions - before };
  };

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    headers = await gatewayHeaders(t.app);
    // Every service transaction goes through the database's transaction(): counted, and passed on.
    const db = t.database.db as unknown as { transaction: (...args: unknown[]) => Promise<unknown> };
    const transaction = db.transaction.bind(db);
    db.transaction = (...args) => (transactions++, transaction(...args));
    // Warm the per-process caches (merchant token, settings, merchant secret, ledger accounts, the
    // settlement batch's timer). Twice: the first capture creates the company's ledger accounts in
    // its own transaction, which the ledger remembers only once another transaction has seen them
    // committed (the second capture), and the batch timer is remembered after a commit.
    await status(await submit(await createOrder()));
    await status(await submit(await createOrder()));
  }, 180_000);
  afterAll(async () => t?.close());

  it('a status read (Get Transaction Status, the UPI status route) is one statement', async () => {
    const transactionId = await submit(await createOrder());
    const read = await counted(() => status(transactionId));
    expect(read.result.payload['transactionStatus']).toBe('SUCCESS');
    expect(read.statements).toBe(1);
    // Not a UPI payment: answered 404 from that same one read.
    const upi = await counted(() => t.app.inject({ method: 'GET', url: `/api/v0/payment/upi/${transactionId}`, headers }));
    expect(upi.result.statusCode).toBe(404);
    expect(upi.statements).toBe(1);
  });

  it('the flow (order, card submit, status read) stays within its budget, the submit in two transactions', async () => {
    const order = await counted(() => createOrder());
    const paid = await counted(() => submit(order.result));
    const read = await counted(() => status(paid.result));
    // Order 1, submit 10, status 1: the issue's budget of 12 (from 4 + 15 + 1 before issue 13's
    // part 2, and 5 + 38 + 1 before ADR 0028). The order and its expiry timer are one statement, no
    // transaction; the submit's event is published in one statement (ADR 0030).
    expect(order.statements).toBe(1);
    expect(paid.statements).toBeLessThanOrEqual(10);
    expect(read.statements).toBe(1);
    // Step 1 persists the attempt, step 3 records the rail's answer: two transactions; the order and the read none.
    expect(order.transactions).toBe(0);
    expect(paid.transactions).toBe(2);
    expect(read.transactions).toBe(0);
    expect(order.statements + paid.statements + read.statements).toBeLessThanOrEqual(12);
  });

  it('an order is one statement with its expiry timer; a repeated orderId is refused by it and leaves nothing', async () => {
    const timers = async (orderId: string) =>
      (
        await queryRows<{ n: string | number }>(
          t.database,
          sql`select count(*) as n from sandbox_timers where dedupe_key = ${`gateway.order.expire:${orderId}`}`,
        )
      ).map((r) => Number(r.n))[0];
    const made = await counted(() => createOrder());
    expect(made.statements).toBe(1);
    expect(await timers(made.result)).toBe(1);
    const orders = async () => (await queryRows<{ n: string | number }>(t.database, sql`select count(*) as n from gateway_orders`)).map((r) => Number(r.n))[0];
    const before = {
      orders: await orders(),
      timers: (await queryRows<{ n: string | number }>(t.database, sql`select count(*) as n from sandbox_timers`)).map((r) => Number(r.n))[0],
    };
    const again = await counted(() =>
      t.app.inject({
        method: 'POST',
        url: '/api/v0/orders',
        headers: json(),
        payload: JSON.stringify({ orderId: `BUDGET-${backend}-${seq}`, amount: { value: 100, currency: 'INR' } }),
      }),
    );
    expect(again.result.statusCode).toBe(409);
    expect(again.result.json()).toEqual({
      response_code: 409,
      response_message: `An order with orderId BUDGET-${backend}-${seq} already exists`,
      payload: null,
    });
    expect(again.statements).toBe(1);
    expect(await orders()).toBe(before.orders);
    expect((await queryRows<{ n: string | number }>(t.database, sql`select count(*) as n from sandbox_timers`)).map((r) => Number(r.n))[0]).toBe(before.timers);
  });

  it('a refund stays within its budget', async () => {
    const transactionId = await submit(await createOrder());
    const refund = await counted(() =>
      t.app.inject({
        method: 'POST',
        url: `/api/v0/payment/${transactionId}/refund`,
        headers: json(),
        payload: JSON.stringify({ amount: '10', remarks: 'budget', requestId: `REF-${backend}-${++seq}` }),
      }),
    );
    expect(refund.result.statusCode, refund.result.body).toBe(200);
    // On this branch: 18 statements, in one transaction (the refund path itself is unchanged by ADR 0028).
    expect(refund.statements).toBeLessThanOrEqual(18);
    expect(refund.transactions).toBe(1);
  });
});
