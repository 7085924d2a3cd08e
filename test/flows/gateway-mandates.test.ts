import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders, merchantToken } from '../support/gateway.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { call, mandateBody } from './gateway-mandates-support.js';

// UPI Autopay mandates (reference §2.9) through the HTTP API on a real database: the payer's
// approval by test VPA (approve, reject, never answer), the §2.9 callback at a real receiver,
// validation that changes nothing, EXACT and MAX, the no-AFA limit, update, pause, resume and
// revoke, and a debit that fails at the payer's bank then succeeds, with the ledger verified.

const COMPANY = SANDBOX.companyId;
const HOUR = 3600_000;
let t: TestApp;
let headers: Record<string, string>;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let seq = 0;

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, extra: Record<string, string> = {}) =>
  call(t.app, headers, method, url, payload, extra);
const now = () => t.services.clocks.now(COMPANY);
const later = async (ms: number) => new Date((await now()).getTime() + ms);
const advanceBy = async (ms: number) => t.services.timers.advance(COMPANY, await later(ms));
const rows = async (table: string) =>
  Number((await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from ${sql.identifier(table)}`))[0]!.n);
const callbacksAt = (path: string) => rx.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, any>);
const waitCallbacks = async (path: string, n: number) => {
  const until = Date.now() + 15_000;
  while (callbacksAt(path).length < n) {
    if (Date.now() > until) throw new Error(`${path}: ${callbacksAt(path).length} of ${n} callbacks`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return callbacksAt(path);
};
/** A mandate created with `overrides`, its callbacks at /cb/<n>. */
const createMandate = async (overrides: Record<string, unknown> = {}, extra: Record<string, string> = {}) => {
  const path = `/cb/${++seq}`;
  const res = await api('POST', '/api/v0/upi-mandate', mandateBody({ notifyUrl: `${rx.url}${path}`, ...overrides }), extra);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { id: res.body.payload.mandateId as string, path, body: res.body };
};
/** A mandate approved at once, DAILY from now, valid 30 days. */
const activeMandate = async (overrides: Record<string, unknown> = {}) => {
  const start = await now();
  const m = await createMandate({
    recurrence: { period: 'DAILY' },
    validity: { startAt: start.toISOString(), endAt: new Date(start.getTime() + 30 * 24 * HOUR).toISOString() },
    expiry: new Date(start.getTime() + HOUR).toISOString(),
    ...overrides,
  });
  await advanceBy(0);
  expect((await api('GET', `/api/v0/upi-mandate/${m.id}`)).body.payload.status).toBe('ACTIVE');
  return m;
};

beforeAll(async () => {
  rx = await startReceiver();
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe(`UPI mandates (${backend})`, () => {
  it('creates a mandate CREATED; the payer approves it; the §2.9 callback reaches the notify URL', async () => {
    const m = await createMandate({ referenceId: 'TXN9876543', amount: 2540 });
    const created = m.body.payload;
    expect(m.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        umn: null,
        referenceId: 'TXN9876543',
        mandateId: expect.stringMatching(/^MND\d{13}[A-Za-z0-9]{5}$/),
        amount: 2540,
        amountRule: 'MAX',
        currency: 'INR',
        payee: { vpa: 'cek1gzbo6a@enkash', name: expect.any(String), mcc: '5411' },
        payer: { name: 'Asha Rao', vpa: 'autopay.approve@enkash', account: '123456789012', accountValidation: false },
        name: 'Streaming plan',
        expireAt: Date.parse('2026-01-01T18:30:00Z'),
        blockFund: false,
        revokeableByPayer: true,
        recurrence: { period: 'MONTHLY', rule: 'AFTER', value: 5 },
        validity: { startAt: Date.parse('2025-12-31T18:30:00Z'), endAt: Date.parse('2027-01-31T18:30:00Z') },
        pausePeriod: null,
        status: 'CREATED',
        reasonCode: null,
      },
    });
    await advanceBy(0);
    const active = await api('GET', `/api/v0/upi-mandate/${m.id}`);
    expect(active.body.payload).toEqual({ ...created, status: 'ACTIVE', umn: `${m.id.toLowerCase()}@enkash` });
    const [callback] = await waitCallbacks(m.path, 1);
    expect(callback).toEqual(active.body.payload);
    // The older alias creates the same way.
    const alias = await api('POST', '/api/v0/upi-autopay/mandates', mandateBody());
    expect(alias.body.payload.status).toBe('CREATED');
  });

  it('records a rejection and an expiry with their callbacks', async () => {
    const rejected = await createMandate({ payer: { vpa: 'autopay.reject@enkash' } });
    const silent = await createMandate({ payer: { vpa: 'autopay.silent@enkash' }, expiry: (await later(2 * HOUR)).toISOString() });
    await advanceBy(0);
    expect((await api('GET', `/api/v0/upi-mandate/${rejected.id}`)).body.payload).toMatchObject({
      status: 'REJECTED',
      reasonCode: 'rejected_by_payer',
      umn: null,
    });
    expect((await waitCallbacks(rejected.path, 1))[0]).toMatchObject({ mandateId: rejected.id, status: 'REJECTED' });
    await advanceBy(2 * HOUR - 1);
    expect((await api('GET', `/api/v0/upi-mandate/${silent.id}`)).body.payload.status).toBe('CREATED');
    await advanceBy(1);
    expect((await api('GET', `/api/v0/upi-mandate/${silent.id}`)).body.payload).toMatchObject({ status: 'EXPIRED', reasonCode: 'approval_expired' });
    expect((await waitCallbacks(silent.path, 1))[0]).toMatchObject({ mandateId: silent.id, status: 'EXPIRED' });
    // An expired or rejected mandate takes no notification.
    const notify = await api('POST', '/api/v0/upi-mandate/notify', {
      mandateId: silent.id,
      amount: 100,
      executionDate: (await later(48 * HOUR)).toISOString(),
    });
    expect([notify.status, notify.code, notify.body.response_message]).toEqual([
      422,
      'mandate_not_active',
      'The mandate is EXPIRED; no pre-debit notification',
    ]);
  });

  it('refuses invalid mandates with a message naming the field, and changes nothing', async () => {
    await createMandate({ referenceId: 'DUP-1' });
    const before = { mandates: await rows('gateway_mandates'), timers: await rows('sandbox_timers') };
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ payer: { name: 'x' } }, 400, 'validation_failed', 'payer'],
      [{ amount: 2540.5 }, 400, 'validation_failed', 'amount'],
      [{ amount: 100_001 }, 400, 'validation_failed', 'amount'],
      [{ amountRule: 'ABOUT' }, 400, 'validation_failed', 'amountRule'],
      [{ payer: { vpa: 'not-a-vpa' } }, 400, 'validation_failed', 'Invalid field payer.vpa: not a VPA (expected handle@psp)'],
      [
        { recurrence: { period: 'DAILY', rule: 'ON', value: 3 } },
        400,
        'validation_failed',
        'Invalid field recurrence.rule: a DAILY mandate takes no rule or value',
      ],
      [
        { recurrence: { period: 'WEEKLY', rule: 'ON', value: 9 } },
        400,
        'validation_failed',
        'Invalid field recurrence.value: must be 1 to 7 for WEEKLY (day of week, 1 = Monday)',
      ],
      [
        { validity: { startAt: '2026-03-01T00:00:00Z', endAt: '2026-02-01T00:00:00Z' } },
        400,
        'validation_failed',
        'Invalid field validity.endAt: must be after validity.startAt',
      ],
      [{ expiry: '2028-01-01T00:00:00Z' }, 400, 'validation_failed', 'Invalid field expiry: must not be after validity.endAt'],
      [{ expiry: 'tomorrow' }, 400, 'validation_failed', 'expiry'],
      [
        { validity: { startAt: '0001-01-01T00:00:00Z', endAt: '2027-01-01T00:00:00Z' } },
        400,
        'validation_failed',
        'Invalid field validity.startAt: not a date-time between 1970 and 9999',
      ],
      [{ referenceId: 'DUP-1' }, 409, 'mandate_reference_id_reused', 'referenceId DUP-1 was already used for a mandate'],
    ];
    for (const [overrides, status, code, message] of cases) {
      const res = await api('POST', '/api/v0/upi-mandate', mandateBody(overrides));
      expect([res.status, res.code], JSON.stringify(overrides)).toEqual([status, code]);
      expect(res.body.response_message).toContain(message);
      expect(res.body.payload).toBeNull();
    }
    const scenario = await api('POST', '/api/v0/upi-mandate', mandateBody(), { 'x-tijori-scenario': 'webhook_duplicate' });
    expect([scenario.status, scenario.code]).toEqual([400, 'scenario_not_supported']);
    expect({ mandates: await rows('gateway_mandates'), timers: await rows('sandbox_timers') }).toEqual(before);
  });

  it('applies EXACT and MAX, the mandate limit and the ₹15,000 no-AFA limit to notifications and debits', async () => {
    const exact = await activeMandate({ amountRule: 'EXACT', amount: 300 });
    const max = await activeMandate({ amount: 500 });
    const big = await activeMandate({ amount: 20_000 });
    const execAt = (await later(25 * HOUR)).toISOString();
    const notify = (mandateId: string, amount: number) => api('POST', '/api/v0/upi-mandate/notify', { mandateId, amount, executionDate: execAt });
    expect(await notify(exact.id, 250).then((r) => [r.status, r.code, r.body.response_message])).toEqual([
      422,
      'mandate_amount_mismatch',
      'Amount 250.00 refused: an EXACT mandate is debited its amount only (300.00)',
    ]);
    expect(await notify(max.id, 500.01).then((r) => [r.status, r.code, r.body.response_message])).toEqual([
      422,
      'additional_authentication_required',
      'Additional authentication required: the amount is above the mandate limit (500.01)',
    ]);
    expect(await notify(big.id, 15_000.01).then((r) => [r.status, r.code])).toEqual([422, 'additional_authentication_required']);
    const tooSoon = await api('POST', '/api/v0/upi-mandate/notify', { mandateId: max.id, amount: 100, executionDate: (await later(23 * HOUR)).toISOString() });
    expect([tooSoon.status, tooSoon.code]).toEqual([422, 'mandate_notification_required']);
    expect(await rows('gateway_mandate_notifications')).toBe(0);

    expect((await notify(exact.id, 300)).status).toBe(200);
    expect((await notify(max.id, 120.5)).status).toBe(200);
    expect((await notify(big.id, 15_000)).status).toBe(200);
    const again = await notify(max.id, 100);
    expect([again.status, again.code]).toEqual([409, 'mandate_cycle_already_notified']);
    await advanceBy(25 * HOUR);
    const orders = await rows('gateway_orders');
    const wrong = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: max.id, amount: 100, referenceId: 'MAX-WRONG' });
    expect([wrong.status, wrong.code, wrong.body.response_message]).toEqual([
      422,
      'mandate_amount_mismatch',
      'Amount 100.00 refused: the payer was notified of 120.50',
    ]);
    expect(await rows('gateway_orders')).toBe(orders);
    for (const [mandateId, amount] of [
      [exact.id, 300],
      [max.id, 120.5],
      [big.id, 15_000],
    ] as const) {
      const res = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount, referenceId: `OK-${mandateId}` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await advanceBy(0);
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  });

  it("reports a debit refused by the payer's bank, lets the cycle be debited again, and repeats a referenceId", async () => {
    const m = await activeMandate({ amount: 800 });
    await api('POST', '/api/v0/upi-mandate/notify', { mandateId: m.id, amount: 750, executionDate: (await later(25 * HOUR)).toISOString() });
    await advanceBy(25 * HOUR);
    const failing = await api(
      'POST',
      '/api/v0/upi-mandate/execute',
      { mandateId: m.id, amount: 750, referenceId: 'D-FAIL' },
      { 'x-tijori-scenario': 'decline:insufficient_funds' },
    );
    expect(failing.body.payload).toMatchObject({ status: 'PENDING', referenceId: 'D-FAIL', umn: `${m.id.toLowerCase()}@enkash` });
    await advanceBy(0);
    const failed = await api('GET', `/api/v0/upi-mandate/debit/${failing.body.payload.debitId}`);
    expect(failed.body.payload).toMatchObject({
      status: 'FAILED',
      reasonCode: 'insufficient_funds',
      bankTransactionId: null,
      transactionId: expect.stringMatching(/^TXN/),
    });
    const ok = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 750, referenceId: 'D-OK' });
    expect(ok.status).toBe(200);
    const repeat = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 750, referenceId: 'D-OK' });
    expect(repeat.body.payload.debitId).toBe(ok.body.payload.debitId);
    const reused = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 700, referenceId: 'D-OK' });
    expect([reused.status, reused.code]).toEqual([409, 'mandate_debit_reference_id_reused']);
    await advanceBy(0);
    const done = await api('GET', `/api/v0/upi-mandate/debit/${ok.body.payload.debitId}`);
    expect(done.body.payload).toMatchObject({ status: 'SUCCESS', amount: 750, bankTransactionId: expect.stringMatching(/^\d{12}$/) });
    // Mandate Debit Callbacks: the failure, then the success.
    const debits = (await waitCallbacks(m.path, 3)).filter((b) => 'debitId' in b);
    expect(debits.map((b) => [b['referenceId'], b['status']]).sort()).toEqual([
      ['D-FAIL', 'FAILED'],
      ['D-OK', 'SUCCESS'],
    ]);
    expect(debits.find((b) => b['status'] === 'SUCCESS')).toEqual(done.body.payload);
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  });

  it('updates, pauses, resumes and revokes, with callbacks; another company sees none of it', async () => {
    const m = await activeMandate({ amount: 500 });
    const updated = await api('PATCH', `/api/v0/upi-mandate/${m.id}`, { amount: 650, validity: { endAt: (await later(60 * 24 * HOUR)).toISOString() } });
    expect(updated.body.payload).toMatchObject({ amount: 650, status: 'ACTIVE' });
    const empty = await api('PATCH', `/api/v0/upi-mandate/${m.id}`, {});
    expect([empty.status, empty.code]).toEqual([400, 'validation_failed']);
    const start = await now();
    const paused = await api('PATCH', `/api/v0/upi-mandate/${m.id}/pause`, {
      pausePeriod: { startAt: start.toISOString(), endAt: new Date(start.getTime() + 72 * HOUR).toISOString() },
    });
    expect(paused.body.payload).toMatchObject({ status: 'PAUSED', pausePeriod: { start_at: start.getTime(), end_at: start.getTime() + 72 * HOUR } });
    const notify = await api('POST', '/api/v0/upi-mandate/notify', { mandateId: m.id, amount: 100, executionDate: (await later(25 * HOUR)).toISOString() });
    expect([notify.status, notify.code]).toEqual([422, 'mandate_paused']);
    const pauseAgain = await api('PATCH', `/api/v0/upi-mandate/${m.id}/pause`, {
      pausePeriod: { startAt: start.toISOString(), endAt: new Date(start.getTime() + HOUR).toISOString() },
    });
    expect([pauseAgain.status, pauseAgain.code]).toEqual([422, 'mandate_not_active']);
    expect((await api('PATCH', `/api/v0/upi-mandate/${m.id}/unpause`)).body.payload).toMatchObject({ status: 'ACTIVE', pausePeriod: null });
    // The resumed mandate is not paused again by the cancelled pause's end.
    await advanceBy(72 * HOUR);
    expect((await api('GET', `/api/v0/upi-mandate/${m.id}`)).body.payload.status).toBe('ACTIVE');

    // Another company's merchant token: 404 on every route, nothing changed.
    const other = await t.services.identity.createCompany({ name: 'Other merchant' });
    const { key, secretKey } = await t.services.merchant.createKey(other.id);
    const otherHeaders = { authorization: `Bearer ${await merchantToken(t.app, key.accessKey, secretKey)}`, merchantaccesskey: key.accessKey };
    for (const [method, url] of [
      ['GET', `/api/v0/upi-mandate/${m.id}`],
      ['PATCH', `/api/v0/upi-mandate/${m.id}/revoke`],
      ['PATCH', `/api/v0/upi-mandate/${m.id}/resume`],
    ] as const) {
      const res = await call(t.app, otherHeaders, method, url);
      expect([res.status, res.code], url).toEqual([404, 'mandate_not_found']);
    }

    expect((await api('PATCH', `/api/v0/upi-mandate/${m.id}/revoke`)).body.payload.status).toBe('REVOKED');
    const twice = await api('PATCH', `/api/v0/upi-mandate/${m.id}/revoke`);
    expect([twice.status, twice.code, twice.body.response_message]).toEqual([422, 'mandate_not_active', 'The mandate is REVOKED and cannot be revoked']);
    const update = await api('PATCH', `/api/v0/upi-mandate/${m.id}`, { amount: 100 });
    expect([update.status, update.code]).toEqual([422, 'mandate_not_active']);
    const statuses = (await waitCallbacks(m.path, 5)).map((b) => b['status']);
    expect(statuses.sort()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'PAUSED', 'REVOKED']);
    const missing = await api('GET', '/api/v0/upi-mandate/MND0000000000000nope0');
    expect(missing.body).toEqual({ response_code: 404, response_message: 'No mandate MND0000000000000nope0', payload: null });
  });

  it('refuses a debit before the IST day the payer was notified of, and changes nothing', async () => {
    const m = await activeMandate({ recurrence: { period: 'WEEKLY' }, amount: 400 });
    const executionAt = await later(72 * HOUR);
    const notified = await api('POST', '/api/v0/upi-mandate/notify', { mandateId: m.id, amount: 400, executionDate: executionAt.toISOString() });
    expect(notified.status, JSON.stringify(notified.body)).toBe(200);
    // 25 hours on: the notification is old enough, but the payer was told a later day.
    await advanceBy(25 * HOUR);
    const [orders, debits] = [await rows('gateway_orders'), await rows('gateway_mandate_debits')];
    const early = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 400, referenceId: 'EARLY-1' });
    const day = new Date(executionAt.getTime() - ((executionAt.getTime() + 330 * 60_000) % (24 * HOUR)));
    expect([early.status, early.code, early.body.response_message]).toEqual([
      422,
      'mandate_notification_required',
      `The pre-debit notification ${notified.body.payload.notificationId} announced the debit for ${day.toISOString()} (IST day); it may not run earlier`,
    ]);
    expect([await rows('gateway_orders'), await rows('gateway_mandate_debits')]).toEqual([orders, debits]);
    await t.services.timers.advance(COMPANY, day);
    const onTheDay = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 400, referenceId: 'EARLY-1' });
    expect(onTheDay.status, JSON.stringify(onTheDay.body)).toBe(200);
    expect(onTheDay.body.payload).toMatchObject({ status: 'PENDING', notificationId: notified.body.payload.notificationId });
  });

  it('fails a debit whose run died before its payment (no order, or an order not paid) after 15 minutes, so the cycle can be debited again; an order merely named after a debit does not settle it', async () => {
    const m = await activeMandate({ amount: 300 });
    await api('POST', '/api/v0/upi-mandate/notify', { mandateId: m.id, amount: 300, executionDate: (await later(25 * HOUR)).toISOString() });
    await advanceBy(25 * HOUR);
    const debitRows = () =>
      queryRows<{ id: string; status: string; order_id: string | null }>(
        t.database.db,
        sql`select id, status, order_id from gateway_mandate_debits where mandate_id = ${m.id} order by created_at, id`,
      );
    const ordersOf = async (id: string) =>
      (await queryRows<{ status: string }>(t.database.db, sql`select status from gateway_orders where merchant_order_id = ${id}`)).map((o) => o.status);
    /** Holds `target[name]` back on its next call, as a process killed there never goes on; `release` lets it go. */
    const hold = <K extends string>(target: Record<K, (...args: any[]) => Promise<unknown>>, name: K) => {
      const original = target[name];
      let release!: () => void;
      let reached = false;
      target[name] = (...args: any[]) => {
        target[name] = original;
        reached = true;
        return new Promise<void>((resolve) => (release = resolve)).then(() => original.apply(target, args));
      };
      return { reached: () => reached, release: () => release() };
    };
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(ok()).toBe(true);
    };

    // 1. The run dies after recording the debit, before its order.
    const beforeOrder = hold(t.services.gateway.orders as any, 'create');
    const dying = api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 300, referenceId: 'DIES-1' });
    await until(beforeOrder.reached);
    const [stuck] = await debitRows();
    expect(stuck).toMatchObject({ status: 'PENDING', order_id: null });
    const repeat = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 300, referenceId: 'DIES-1' });
    expect(repeat.body.payload).toMatchObject({ debitId: stuck!.id, status: 'PENDING' });
    const blocked = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 300, referenceId: 'DIES-2' });
    expect([blocked.status, blocked.code]).toEqual([422, 'mandate_cycle_already_debited']);
    await advanceBy(15 * 60_000);
    expect((await api('GET', `/api/v0/upi-mandate/debit/${stuck!.id}`)).body.payload).toMatchObject({
      status: 'FAILED',
      reasonCode: 'debit_not_started',
      orderId: null,
    });
    // The dead run, let go, creates no order for the failed debit.
    beforeOrder.release();
    expect((await dying).body.payload).toMatchObject({ debitId: stuck!.id, status: 'FAILED' });
    expect(await ordersOf(stuck!.id)).toEqual([]);

    // 2. The run dies after the debit's order, before its payment: the order is cancelled with the debit.
    const beforePayment = hold(t.services.gateway.payments as any, 'submit');
    const dying2 = api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 300, referenceId: 'DIES-3' });
    await until(beforePayment.reached);
    const second = (await debitRows())[1]!;
    expect(second).toMatchObject({ status: 'PENDING', order_id: expect.stringMatching(/./) });
    await advanceBy(15 * 60_000);
    expect((await api('GET', `/api/v0/upi-mandate/debit/${second.id}`)).body.payload).toMatchObject({ status: 'FAILED', reasonCode: 'debit_not_started' });
    expect(await ordersOf(second.id)).toEqual(['CANCELLED']);
    beforePayment.release();
    expect((await dying2).code).toBe('order_not_payable');
    expect((await api('GET', `/api/v0/upi-mandate/debit/${second.id}`)).body.payload.status).toBe('FAILED');

    // The cycle is open again: a new debit goes through, once.
    const ok = await api('POST', '/api/v0/upi-mandate/execute', { mandateId: m.id, amount: 300, referenceId: 'DIES-OK' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    await advanceBy(0);
    expect((await api('GET', `/api/v0/upi-mandate/debit/${ok.body.payload.debitId}`)).body.payload.status).toBe('SUCCESS');
    // A debit that ran to its payment is left to it: its start timer changes nothing.
    await advanceBy(15 * 60_000);
    expect((await debitRows()).map((d) => d.status)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
    const failedCallbacks = (await waitCallbacks(m.path, 4)).filter((b) => 'debitId' in b && b['status'] === 'FAILED');
    expect(failedCallbacks.map((b) => b['reasonCode'])).toEqual(['debit_not_started', 'debit_not_started']);
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);

    // 3. A merchant order given a PENDING debit's id as orderId does not settle that debit when paid.
    const m2 = await activeMandate({ amount: 200 });
    await api('POST', '/api/v0/upi-mandate/notify', { mandateId: m2.id, amount: 200, executionDate: (await later(25 * HOUR)).toISOString() });
    await advanceBy(25 * HOUR);
    const held = hold(t.services.gateway.orders as any, 'create');
    const dying3 = api('POST', '/api/v0/upi-mandate/execute', { mandateId: m2.id, amount: 200, referenceId: 'DIES-4' });
    await until(held.reached);
    const third = (await queryRows<{ id: string }>(t.database.db, sql`select id from gateway_mandate_debits where mandate_id = ${m2.id}`))[0]!;
    const impostor = await api(
      'POST',
      '/api/v0/orders',
      { orderId: third.id, amount: { value: 200, currency: 'INR' } },
      { 'idempotency-key': `impostor-${third.id}` },
    );
    expect(impostor.status, JSON.stringify(impostor.body)).toBe(200);
    const paid = await api(
      'POST',
      '/api/v0/payment/submit',
      { orderId: impostor.body.payload.orderId, paymentMode: 'UPI', vpa: 'success@enkash' },
      { 'idempotency-key': `impostor-pay-${third.id}` },
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    await advanceBy(5 * 60_000);
    expect((await api('GET', `/api/v0/orders/${impostor.body.payload.orderId}`)).body.payload.orderStatus).toBe('PAID');
    expect((await api('GET', `/api/v0/upi-mandate/debit/${third.id}`)).body.payload).toMatchObject({ status: 'PENDING', orderId: null });
    held.release();
    expect((await dying3).code).toBe('duplicate_order_id');
    expect((await api('GET', `/api/v0/upi-mandate/debit/${third.id}`)).body.payload).toMatchObject({
      status: 'FAILED',
      reasonCode: 'duplicate_order_id',
      orderId: null,
    });
  });

  it('completes at its validity end, also when an update moved the end', async () => {
    const start = await now();
    const m = await activeMandate({ validity: { startAt: start.toISOString(), endAt: new Date(start.getTime() + 48 * HOUR).toISOString() } });
    await api('PATCH', `/api/v0/upi-mandate/${m.id}`, { validity: { endAt: new Date(start.getTime() + 72 * HOUR).toISOString() } });
    await advanceBy(48 * HOUR);
    expect((await api('GET', `/api/v0/upi-mandate/${m.id}`)).body.payload.status).toBe('ACTIVE');
    await advanceBy(24 * HOUR);
    expect((await api('GET', `/api/v0/upi-mandate/${m.id}`)).body.payload).toMatchObject({
      status: 'COMPLETED',
      validity: { endAt: start.getTime() + 72 * HOUR },
    });
    expect((await waitCallbacks(m.path, 3)).map((b) => b['status']).sort()).toEqual(['ACTIVE', 'ACTIVE', 'COMPLETED']);
  });

  it('takes validity.startAt/endAt as epoch milliseconds, the form its callback sends them in, as well as date-time', async () => {
    const startMs = (await now()).getTime();
    const endMs = startMs + 400 * 24 * HOUR;
    const expiry = new Date(startMs + HOUR).toISOString();
    const epoch = await createMandate({ expiry, validity: { startAt: startMs, endAt: endMs } });
    const dated = await createMandate({ expiry, validity: { startAt: new Date(startMs).toISOString(), endAt: new Date(endMs).toISOString() } });
    expect(epoch.body.payload.validity).toEqual({ startAt: startMs, endAt: endMs });
    expect(dated.body.payload.validity).toEqual(epoch.body.payload.validity);
    // A mandate's own callback body, sent back as the create's validity, names the same window.
    const echoed = await createMandate({ expiry, validity: epoch.body.payload.validity });
    expect(echoed.body.payload.validity).toEqual({ startAt: startMs, endAt: endMs });
    // Update's validity.endAt takes the same two forms.
    await advanceBy(0);
    const moved = await api('PATCH', `/api/v0/upi-mandate/${epoch.id}`, { validity: { endAt: endMs + 24 * HOUR } });
    expect([moved.status, moved.body.payload?.validity]).toEqual([200, { startAt: startMs, endAt: endMs + 24 * HOUR }]);

    const before = await rows('gateway_mandates');
    for (const validity of [
      { startAt: -1, endAt: endMs },
      { startAt: startMs + 0.5, endAt: endMs },
      { startAt: Math.floor(startMs / 1000), endAt: Math.floor(endMs / 1000) },
      { startAt: startMs, endAt: 10_000_000_000_000 },
      { startAt: true, endAt: endMs },
      { startAt: endMs, endAt: startMs },
    ]) {
      const res = await api('POST', '/api/v0/upi-mandate', mandateBody({ expiry, validity }));
      expect([res.status, res.code], JSON.stringify(validity)).toEqual([400, 'validation_failed']);
      expect(res.body.response_message).toContain('validity');
    }
    expect(await rows('gateway_mandates')).toBe(before);
  });
});
