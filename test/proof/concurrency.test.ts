import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX as SEED } from '../../src/auth/seed.js';
import { batchDateForCapture, batchRunAt } from '../../src/products/gateway/settlements/index.js';
import { backend, createTestApp, createTestDatabase, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { runCli } from '../support/process.js';
import { capturedPayment, inject } from '../flows/gateway-settlements-fixtures.js';
import { report } from './report.js';

/**
 * The concurrency suite of issue "Proof" (reliability-test-plan PAY-2, PAY-4, PAY-11): races on
 * one aggregate, each ending with the invariant it protects. Two app instances share one database,
 * as two API processes would; the settlement race also runs in two real `tijori` processes.
 *
 * On PostgreSQL (CI's TEST_DATABASE_URL run, 20 connections) the requests really run in parallel.
 * PGlite has one connection and runs statements one at a time, so there the same assertions check
 * the in-process interleavings on smaller numbers. The other races of the suite live beside their
 * products: `test/flows/gateway-refunds-concurrency.test.ts` (1,000 refunds over 100 payments),
 * `test/flows/payouts-concurrency.test.ts` (payouts racing on one balance),
 * `test/flows/idempotency-concurrency.test.ts` (one key from 50 clients, two companies) and
 * `test/flows/ledger-concurrency.test.ts`; docs/testing.md lists them all.
 */

const postgres = backend === 'postgres';
const SANDBOX = SEED.companyId;
let a: TestApp;
let b: TestApp;
let headers: Record<string, string>;
/** The settlement races use a company of their own: a batch takes every payment of its company that is due. */
let settling: string;
let seq = 0;
let secretsKey: string;

beforeAll(async () => {
  const database = await createTestDatabase(20);
  // One key for both instances (and the `tijori` processes below): merchant secrets sealed by one are opened by the others.
  secretsKey = randomBytes(32).toString('hex');
  a = await createTestApp({ database, secretsKey });
  b = await createTestApp({ database, seed: false, secretsKey });
  headers = await gatewayHeaders(a.app);
  settling = (await a.services.identity.createCompany({ name: 'Settlement races' })).id;
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await a?.database.close();
});

const db = () => a.database.db;
const apps = () => [a.app, b.app];

async function createOrder(amount: number): Promise<string> {
  const res = await inject(a.app, headers, 'POST', '/api/v0/orders', {
    orderId: `RACE-${backend}-${++seq}-${Date.now()}`,
    amount: { value: amount, currency: 'INR' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.payload.orderId as string;
}

const cardSubmit = (orderId: string) => ({ orderId, paymentMode: 'CREDIT_CARD', cardNumber: '4111111111111111', expiry: '12/30', cvv: '123' });

async function ledgerBreaks(): Promise<unknown[]> {
  return (await a.services.ledger.verify(db())).breaks;
}

/** Ledger transactions of one kind posted for one business reference. */
async function postings(code: string, referenceId: string, companyId: string = SANDBOX): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    a.database,
    sql`select count(*)::int as n from ledger_transactions where company_id = ${companyId} and code = ${code} and reference_id = ${referenceId}`,
  );
  return row!.n;
}

describe(`concurrency suite (${backend})`, () => {
  it('capture racing cancel: every order ends either paid once or cancelled with nothing captured', async () => {
    const orders = postgres ? 60 : 10;
    const ids: string[] = [];
    for (let i = 0; i < orders; i++) ids.push(await createOrder(100 + i));
    // How long a burst of submits takes on this machine now: the cancels are spread over that time,
    // so that they land before, during and after the submits of their orders whatever its speed.
    const started = performance.now();
    await Promise.all(
      (await Promise.all(ids.slice(0, 4).map(() => createOrder(50)))).map((orderId, i) =>
        inject(apps()[i % 2]!, headers, 'POST', '/api/v0/payment/submit', cardSubmit(orderId)),
      ),
    );
    const burstMs = (performance.now() - started) * (orders / 8);
    // Each order's submit and cancel start together, on the two instances, in alternating order;
    // the orders are spread over the burst so that the pools are not just queues of submits. (The
    // submit reaches its attempt's lock in one round trip since ADR 0028: a cancel sent after all
    // the submits were queued no longer finds a window before it.)
    const answers = await Promise.all(
      ids.map(async (orderId, i) => {
        await sleep(Math.round((burstMs * i) / orders));
        const send = () => inject(apps()[i % 2]!, headers, 'POST', '/api/v0/payment/submit', cardSubmit(orderId));
        const stop = () => inject(apps()[(i + 1) % 2]!, headers, 'PATCH', `/api/v0/orders/${orderId}/cancel`, { reason: 'race' });
        let submit: ReturnType<typeof send>;
        let cancel: ReturnType<typeof stop>;
        if (i % 2 === 0) {
          submit = send();
          cancel = stop();
        } else {
          cancel = stop();
          submit = send();
        }
        return { orderId, submit: await submit, cancel: await cancel };
      }),
    );
    const outcomes = { paid: 0, cancelled: 0 };
    for (const { orderId, submit, cancel } of answers) {
      const order = (await inject(a.app, headers, 'GET', `/api/v0/orders/${orderId}`)).body.payload;
      const payments = await queryRows<{ id: string; status: string }>(
        a.database,
        sql`select id, status from gateway_payments where company_id = ${SANDBOX} and order_id = ${orderId}`,
      );
      const captured = payments.filter((p) => p.status === 'SUCCESS');
      if (order.orderStatus === 'PAID') {
        outcomes.paid++;
        // The cancel lost: refused with the clear error; exactly one payment captured, posted once.
        expect(cancel.status, JSON.stringify(cancel.body)).toBe(409);
        expect(cancel.headers['x-error-code']).toBe('order_not_cancellable');
        expect(captured).toHaveLength(1);
        expect(await postings('payment_capture', captured[0]!.id)).toBe(1);
      } else {
        outcomes.cancelled++;
        // The cancel won: nothing was captured, nothing reached the ledger; the submit was refused or its attempt closed.
        expect(order.orderStatus, `${orderId} ${JSON.stringify({ submit: submit.body, cancel: cancel.body, payments })}`).toBe('CANCELLED');
        expect(cancel.status).toBe(200);
        expect(captured).toEqual([]);
        if (submit.status !== 200) expect(submit.headers['x-error-code']).toBe('order_not_payable');
        for (const p of payments) expect(await postings('payment_capture', p.id)).toBe(0);
      }
    }
    expect(outcomes.paid + outcomes.cancelled).toBe(orders);
    // With requests truly in parallel the race must have been run, not just one side of it: both outcomes occur.
    if (postgres) expect(Math.min(outcomes.paid, outcomes.cancelled), JSON.stringify(outcomes)).toBeGreaterThan(0);
    report('capture racing cancel', `${orders} orders: ${outcomes.paid} paid once, ${outcomes.cancelled} cancelled with nothing captured`);
    expect(await ledgerBreaks()).toEqual([]);
  });

  it('refunds racing on one payment: two full refunds at once refund once; many partial refunds never exceed the capture', async () => {
    const full = await capturedPayment(a.services, a.database, { amountPaise: 10_000n, mode: 'CREDIT_CARD' });
    const both = await Promise.all(
      apps().map((app, i) => inject(app, headers, 'POST', `/api/v0/payment/${full.transactionId}/refund`, { amount: 100, requestId: `full-${seq}-${i}` })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 422]);

    const partial = await capturedPayment(a.services, a.database, { amountPaise: 10_000n, mode: 'UPI' });
    const attempts = postgres ? 60 : 12;
    const answers = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        inject(apps()[i % 2]!, headers, 'POST', `/api/v0/payment/${partial.transactionId}/refund`, {
          amount: 3 + ((i * 7) % 11),
          requestId: `partial-${seq}-${i}`,
        }),
      ),
    );
    for (const r of answers) expect([200, 422], JSON.stringify(r.body)).toContain(r.status);
    const accepted = answers.filter((r) => r.status === 200).reduce((sum, r) => sum + BigInt(Math.round(r.body.payload.amount * 100)), 0n);
    for (const [payment, expected, count] of [
      [full.transactionId, 10_000n, 1],
      [partial.transactionId, accepted, answers.filter((r) => r.status === 200).length],
    ] as const) {
      // The payment's refunded amount, its refund rows and their ledger postings all agree with the accepted answers.
      const [row] = await queryRows<{ refunded: string; refunds: string; n: number; posted: number }>(
        a.database,
        sql`select p.refunded_paise::text as refunded,
                   coalesce((select sum(r.amount_paise) from gateway_refunds r where r.company_id = p.company_id and r.payment_id = p.id), 0)::text as refunds,
                   (select count(*)::int from gateway_refunds r where r.company_id = p.company_id and r.payment_id = p.id) as n,
                   (select count(*)::int from ledger_transactions t join gateway_refunds r on r.company_id = t.company_id and r.id = t.reference_id
                     where t.company_id = p.company_id and t.reference_type = 'gateway_refund' and r.payment_id = p.id) as posted
            from gateway_payments p where p.company_id = ${SANDBOX} and p.id = ${payment}`,
      );
      expect(row).toEqual({ refunded: String(expected), refunds: String(expected), n: count, posted: count });
      expect(expected).toBeLessThanOrEqual(10_000n);
    }
    report('refunds racing on one payment', `2 full refunds → 1 accepted; ${attempts} partial refunds → ₹${Number(accepted) / 100} accepted of ₹100 captured`);
    expect(await ledgerBreaks()).toEqual([]);
  });

  it('one Idempotency-Key from many clients on a payment submit: one payment, one capture, identical answers', async () => {
    const clients = postgres ? 40 : 10;
    for (const app of apps()) await app.listen({ host: '127.0.0.1', port: 0 });
    const bases = apps().map((app) => {
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      return `http://127.0.0.1:${address.port}`;
    });
    const orderId = await createOrder(250);
    const key = `submit-${orderId}`;
    const answers = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const res = await fetch(`${bases[i % 2]}/api/v0/payment/submit`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(cardSubmit(orderId)),
        });
        return { status: res.status, replayed: res.headers.get('idempotent-replayed'), code: res.headers.get('x-error-code'), body: await res.text() };
      }),
    );
    const originals = answers.filter((r) => r.status === 200 && r.replayed === null);
    expect(originals).toHaveLength(1);
    for (const r of answers) {
      if (r === originals[0]) continue;
      if (r.status === 200) expect(r.body).toBe(originals[0]!.body);
      else expect([r.status, r.code]).toEqual([409, 'idempotency_request_in_progress']);
    }
    // Clients that all overlapped the original get 409s only; one retrying after it finished (on the other instance) gets its answer replayed byte for byte.
    const retry = await fetch(`${bases[1]}/api/v0/payment/submit`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(cardSubmit(orderId)),
    });
    expect([retry.status, retry.headers.get('idempotent-replayed'), await retry.text()]).toEqual([200, 'true', originals[0]!.body]);
    const payments = await queryRows<{ id: string; status: string }>(
      a.database,
      sql`select id, status from gateway_payments where company_id = ${SANDBOX} and order_id = ${orderId}`,
    );
    expect(payments).toEqual([{ id: JSON.parse(originals[0]!.body).payload.transactionId, status: 'SUCCESS' }]);
    expect(await postings('payment_capture', payments[0]!.id)).toBe(1);
    report(
      'one Idempotency-Key, many clients',
      `${clients} concurrent submits: 1 payment, 1 capture, ${answers.filter((r) => r.replayed === 'true').length} replays, ${answers.filter((r) => r.status === 409).length} in-flight 409s`,
    );
    expect(await ledgerBreaks()).toEqual([]);
  });

  /** Captures `count` payments now and moves the sandbox clock (without firing its timers) to the batch that settles them. */
  async function paymentsDueForBatch(count: number): Promise<{ batchDate: string; ids: string[]; duePaise: bigint }> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(
        (await capturedPayment(a.services, a.database, { companyId: settling, amountPaise: 5_000n + BigInt(i), mode: i % 2 ? 'UPI' : 'NET_BANKING' }))
          .transactionId,
      );
    const capturedAt = await a.services.clocks.now(settling);
    const batchDate = batchDateForCapture(capturedAt, 1);
    await a.services.clocks.moveForwardTo(settling, new Date(batchRunAt(batchDate).getTime() + 60_000));
    const [due] = await queryRows<{ due: string }>(
      a.database,
      sql`select coalesce(sum(amount_paise - mdr_paise - mdr_gst_paise), 0)::text as due from gateway_payments where company_id = ${settling} and id in ${ids}`,
    );
    return { batchDate, ids, duePaise: BigInt(due!.due) };
  }

  /** The invariant of a settlement run: one batch for the date, each payment settled once, money moved once. */
  async function expectSettledOnce(batchDate: string, ids: string[], duePaise: bigint): Promise<void> {
    const batches = await queryRows<{ id: string; total: string; count: number }>(
      a.database,
      sql`select id, total_settlement_paise::text as total, transaction_count as count from gateway_settlements where company_id = ${settling} and batch_date = ${batchDate} and beneficiary = 'MERCHANT'`,
    );
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    const settled = await queryRows<{ settlement_id: string | null }>(
      a.database,
      sql`select settlement_id from gateway_payments where company_id = ${settling} and id in ${ids}`,
    );
    expect(settled.map((r) => r.settlement_id)).toEqual(ids.map(() => batch.id));
    const [lines] = await queryRows<{ n: number }>(
      a.database,
      sql`select count(*)::int as n from gateway_settlement_lines where company_id = ${settling} and reference_id in ${ids}`,
    );
    expect(lines!.n).toBe(ids.length);
    expect(batch.count).toBe(ids.length);
    expect(BigInt(batch.total)).toBe(duePaise);
    expect(await postings('settlement', batch.id, settling)).toBe(1);
    expect(await postings('payout', batch.id, settling)).toBe(1);
  }

  it('a settlement run started in several instances at once settles each payment once', async () => {
    const runs = postgres ? 8 : 4;
    const { batchDate, ids, duePaise } = await paymentsDueForBatch(postgres ? 40 : 8);
    const results = await Promise.all(Array.from({ length: runs }, (_, i) => [a, b][i % 2]!.services.gatewayMoney.settlements.runBatch(settling, batchDate)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await expectSettledOnce(batchDate, ids, duePaise);
    report('settlement run, several instances', `${runs} concurrent runs of ${batchDate}: 1 batch of ${ids.length} payments, settled and paid out once`);
    expect(await ledgerBreaks()).toEqual([]);
  });

  // Two real processes need a server database: PGlite's data folder admits one process at a time.
  if (postgres) {
    it('a settlement run started in two `tijori` processes at once settles each payment once (3 rounds)', { timeout: 180_000 }, async () => {
      // The CLI runs on the system clock; the app's manual clock is put on it so both see the same sandbox time.
      a.clock.set(new Date());
      b.clock.set(a.clock.now());
      // The server's key, as every process of a deployment has it: the CLI refuses a database it cannot open (ADR 0038).
      const env = { DATABASE_URL: (a.database as { url?: string }).url!, LOG_LEVEL: 'silent', SECRETS_KEY: secretsKey };
      for (let round = 0; round < 3; round++) {
        const { batchDate, ids, duePaise } = await paymentsDueForBatch(20);
        const both = await Promise.all([0, 1].map(() => runCli(['settlement', 'run', '--company', settling, '--date', batchDate], { env, timeoutMs: 60_000 })));
        for (const r of both) expect(r.code, r.stderr).toBe(0);
        const verdicts = both.map((r) => /: (created by this run|already existed)/.exec(r.stdout)?.[1]).sort();
        expect(verdicts).toEqual(['already existed', 'created by this run']);
        await expectSettledOnce(batchDate, ids, duePaise);
      }
      report('settlement run, two processes', '3 rounds of 2 concurrent `tijori settlement run`: 1 batch each, each payment settled once');
      const verify = await runCli(['ledger', 'verify'], { env });
      expect(verify.code, verify.stdout).toBe(0);
    });
  }
});
