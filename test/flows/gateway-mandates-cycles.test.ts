import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { call, ist, mandateBody } from './gateway-mandates-support.js';

// The test: a monthly mandate run through 12 cycles on the sandbox clock: 12 pre-debit
// notifications, 12 debits, a debit refused without its notification, a paused cycle skipped,
// and a revoked mandate refusing further debits; the ledger verifies at the end.

const COMPANY = SANDBOX.companyId;
let t: TestApp;
let headers: Record<string, string>;
let rx: Awaited<ReturnType<typeof startReceiver>>;

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => call(t.app, headers, method, url, payload);
const advanceTo = (at: Date) => t.services.timers.advance(COMPANY, at);
const count = async (table: string, where = sql`true`) =>
  Number((await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from ${sql.identifier(table)} where ${where}`))[0]!.n);

beforeAll(async () => {
  rx = await startReceiver();
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe(`UPI mandate through 12 monthly cycles (${backend})`, () => {
  it('notifies and debits 12 cycles, refuses a debit without notification, skips a paused cycle, and refuses after revocation', async () => {
    const created = await api('POST', '/api/v0/upi-mandate', mandateBody({ referenceId: 'CYCLES-1', notifyUrl: `${rx.url}/mandate` }));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const mandateId = created.body.payload.mandateId as string;
    await advanceTo(await t.services.clocks.now(COMPANY));
    expect((await api('GET', `/api/v0/upi-mandate/${mandateId}`)).body.payload).toMatchObject({ status: 'ACTIVE', umn: `${mandateId.toLowerCase()}@enkash` });

    const debitIds: string[] = [];
    // Cycles 0 … 12 are January 2026 … January 2027; June (cycle 5) is paused.
    for (let k = 0; k <= 12; k++) {
      const year = 2026 + Math.floor(k / 12);
      const month = (k % 12) + 1;
      if (k === 5) {
        // Paused from 1 June to 1 July (asked on 20 May): no notification, no debit.
        await advanceTo(ist(2026, 5, 20, 10));
        const paused = await api('PATCH', `/api/v0/upi-mandate/${mandateId}/pause`, {
          pausePeriod: { startAt: ist(2026, 6, 1).toISOString(), endAt: ist(2026, 7, 1).toISOString() },
        });
        expect(paused.body.payload).toMatchObject({
          status: 'ACTIVE',
          pausePeriod: { start_at: ist(2026, 6, 1).getTime(), end_at: ist(2026, 7, 1).getTime() },
        });
        await advanceTo(ist(year, month, 5, 10));
        expect((await api('GET', `/api/v0/upi-mandate/${mandateId}`)).body.payload.status).toBe('PAUSED');
        const notify = await api('POST', '/api/v0/upi-mandate/notify', { mandateId, amount: 499.5, executionDate: ist(year, month, 7, 10).toISOString() });
        expect([notify.status, notify.code]).toEqual([422, 'mandate_paused']);
        const execute = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount: 499.5, referenceId: `DEBIT-${k}` });
        expect([execute.status, execute.code]).toEqual([422, 'mandate_paused']);
        continue;
      }
      await advanceTo(ist(year, month, 5, 10));
      if (k === 2) {
        // No notification yet: refused, nothing debited, no order made.
        const orders = await count('gateway_orders');
        const refused = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount: 499.5, referenceId: `DEBIT-${k}` });
        expect(refused.status).toBe(422);
        expect(refused.code).toBe('mandate_notification_required');
        expect(refused.body.response_message).toBe(
          `No pre-debit notification for this cycle of mandate ${mandateId}: notify the payer at least 24 hours before a debit`,
        );
        expect(await count('gateway_orders')).toBe(orders);
        expect(await count('gateway_mandate_debits')).toBe(debitIds.length);
      }
      const notified = await api('POST', '/api/v0/upi-mandate/notify', { mandateId, amount: 499.5, executionDate: ist(year, month, 7, 10).toISOString() });
      expect(notified.status, JSON.stringify(notified.body)).toBe(200);
      expect(notified.body.payload).toMatchObject({ mandateId, cycle: k, amount: 499.5 });
      if (k === 2) {
        // 23 hours after the notification: still too early.
        await advanceTo(ist(year, month, 6, 9));
        const early = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount: 499.5, referenceId: `DEBIT-${k}` });
        expect([early.status, early.code]).toEqual([422, 'mandate_notification_required']);
      }
      await advanceTo(ist(year, month, 7, 10));
      const executed = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount: 499.5, referenceId: `DEBIT-${k}` });
      expect(executed.status, JSON.stringify(executed.body)).toBe(200);
      expect(executed.body.payload).toMatchObject({ mandateId, cycle: k, status: 'PENDING', amount: 499.5 });
      // The payer's bank answers on the sandbox clock.
      await advanceTo(ist(year, month, 7, 10, 1));
      const debit = await api('GET', `/api/v0/upi-mandate/debit/${executed.body.payload.debitId}`);
      expect(debit.body.payload).toMatchObject({
        status: 'SUCCESS',
        transactionId: expect.stringMatching(/^TXN/),
        bankTransactionId: expect.stringMatching(/^\d{12}$/),
      });
      debitIds.push(debit.body.payload.debitId);
      if (k === 3) {
        const second = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount: 499.5, referenceId: `DEBIT-${k}-again` });
        expect([second.status, second.code]).toEqual([422, 'mandate_cycle_already_debited']);
      }
    }
    expect((await api('GET', `/api/v0/upi-mandate/${mandateId}`)).body.payload).toMatchObject({ status: 'ACTIVE', pausePeriod: null });

    // Revoked: no further notification or debit.
    await advanceTo(ist(2027, 1, 20, 10));
    expect((await api('PATCH', `/api/v0/upi-mandate/${mandateId}/revoke`)).body.payload.status).toBe('REVOKED');
    const afterRevoke = await api('POST', '/api/v0/upi-mandate/notify', { mandateId, amount: 499.5, executionDate: ist(2027, 1, 25, 10).toISOString() });
    expect([afterRevoke.status, afterRevoke.code]).toEqual([422, 'mandate_not_active']);
    const debitAfterRevoke = await api('POST', '/api/v0/upi-mandate/execute', { mandateId, amount: 499.5, referenceId: 'DEBIT-revoked' });
    expect([debitAfterRevoke.status, debitAfterRevoke.code]).toEqual([422, 'mandate_not_active']);
    expect(debitAfterRevoke.body.response_message).toBe('The mandate is REVOKED; no debit');

    expect(debitIds).toHaveLength(12);
    expect(await count('gateway_mandate_notifications', sql`mandate_id = ${mandateId}`)).toBe(12);
    expect(await count('gateway_mandate_debits', sql`mandate_id = ${mandateId} and status = 'SUCCESS'`)).toBe(12);
    expect(await count('gateway_mandate_debits', sql`mandate_id = ${mandateId}`)).toBe(12);
    // Each debit is a captured gateway payment, posted to the ledger.
    const captures = await queryRows<{ n: string; total: string }>(
      t.database.db,
      sql`select count(*)::text as n, coalesce(sum(p.amount_paise), 0)::text as total from gateway_payments p join gateway_orders o on o.id = p.order_id
          where o.merchant_order_id like 'MDB%' and p.status = 'SUCCESS' and p.captured_at is not null`,
    );
    expect(captures[0]).toEqual({ n: '12', total: String(12 * 49_950) });
    expect(await count('ledger_transactions', sql`code = 'payment_capture'`)).toBe(12);

    // Callbacks: approval, pause asked, paused, resumed, 12 debits, revocation.
    const received = await rx.waitFor(17);
    const bodies = received.filter((r) => r.path === '/mandate').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.filter((b) => 'debitId' in b).map((b) => b['status'])).toEqual(Array(12).fill('SUCCESS'));
    // Deliveries run concurrently: compare the statuses as a multiset.
    expect(
      bodies
        .filter((b) => !('debitId' in b))
        .map((b) => b['status'])
        .sort(),
    ).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'PAUSED', 'REVOKED']);

    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  }, 120_000);
});
