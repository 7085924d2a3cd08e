import { SANDBOX } from '../../src/auth/seed.js';
import type { Database } from '../../src/core/db/engine.js';
import { sandboxApi } from '../support/api-client.js';
import type { ReceivedWebhook } from '../support/webhook-receiver.js';
import type { Ack, ClientLog } from './load.js';
import { sleep } from './server.js';

/** What the database holds compared with the client log (PAY-6 and PAY-8's checks). */
export interface Audit {
  payments: { acknowledged: number; foundOnce: number; lost: string[]; duplicates: number; doubleCaptured: number; ledgerCaptures: number };
  refunds: { acknowledged: number; foundOnce: number; lost: string[]; duplicates: number; overRefunded: number };
  events: { total: number; undelivered: string[]; paymentsWithoutOneEvent: string[] };
}

const COMPANY = SANDBOX.companyId;

async function rows<T>(database: Database, text: string): Promise<T[]> {
  return (await database.raw(text, [COMPANY])).rows as T[];
}

/** Counts, per key, how many rows name it. */
function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Extra rows beyond one per key. */
const extra = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

/**
 * Checks the stopped server's database against the client log: each acknowledged payment and refund
 * is there once with the acknowledged amount and a final status; no order was paid twice, no
 * payment refunded twice or beyond its amount; each captured payment has one capture in the ledger
 * and one PAYMENT_SUCCESS event; each event has a SUCCEEDED delivery that the receiver saw.
 */
export async function audit(database: Database, log: ClientLog, received: ReceivedWebhook[]): Promise<Audit> {
  type PaymentRow = { id: string; order_id: string; amount_paise: string; status: string; captured: boolean; refunded_paise: string };
  const payments = await rows<PaymentRow>(
    database,
    'select id, order_id, amount_paise::text, status, captured_at is not null as captured, refunded_paise::text from gateway_payments where company_id = $1',
  );
  const paymentById = new Map(payments.map((p) => [p.id, p]));
  const captures = await rows<{ reference_id: string }>(
    database,
    "select reference_id from ledger_transactions where company_id = $1 and code = 'payment_capture' and reference_type = 'gateway_payment'",
  );
  const capturesPerPayment = countBy(captures, (c) => c.reference_id);
  const paymentOk = (ack: Ack) => {
    const row = paymentById.get(ack.id);
    return (
      row !== undefined &&
      row.order_id === ack.parentId &&
      BigInt(row.amount_paise) === ack.amountPaise &&
      row.captured &&
      ['SUCCESS', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(row.status) &&
      capturesPerPayment.get(ack.id) === 1
    );
  };

  type RefundRow = { id: string; payment_id: string; amount_paise: string; status: string };
  const refunds = await rows<RefundRow>(database, 'select id, payment_id, amount_paise::text, status from gateway_refunds where company_id = $1');
  const refundById = new Map(refunds.map((r) => [r.id, r]));
  const refundOk = (ack: Ack) => {
    const row = refundById.get(ack.id);
    return row !== undefined && row.payment_id === ack.parentId && BigInt(row.amount_paise) === ack.amountPaise && row.status === 'SUCCESS';
  };
  const refundedPerPayment = new Map<string, bigint>();
  for (const r of refunds)
    if (r.status !== 'FAILED') refundedPerPayment.set(r.payment_id, (refundedPerPayment.get(r.payment_id) ?? 0n) + BigInt(r.amount_paise));
  const overRefunded = [...refundedPerPayment].filter(([id, sum]) => {
    const p = paymentById.get(id);
    return !p || sum > BigInt(p.amount_paise) || sum !== BigInt(p.refunded_paise);
  }).length;

  type EventRow = { id: string; type: string; body: string; delivered: boolean };
  const events = await rows<EventRow>(
    database,
    `select e.id, e.type, e.body, coalesce(bool_or(d.status = 'SUCCEEDED'), false) as delivered
       from events e left join webhook_deliveries d on d.event_id = e.id
      where e.company_id = $1 group by e.id, e.type, e.body`,
  );
  const seen = new Set(received.map((r) => String(r.headers['webhook-id'])));
  const paymentEvents = countBy(
    events.filter((e) => e.type === 'PAYMENT_SUCCESS'),
    (e) => String((JSON.parse(e.body) as { transactionId?: unknown }).transactionId),
  );

  return {
    payments: {
      acknowledged: log.payments.length,
      foundOnce: log.payments.filter(paymentOk).length,
      lost: log.payments.filter((a) => !paymentOk(a)).map((a) => `${a.id} (${a.key}): ${JSON.stringify(paymentById.get(a.id) ?? null)}`),
      // The clients submit once per order: a second attempt row on an order, or a second capture, is a duplicate.
      duplicates: extra(countBy(payments, (p) => p.order_id)) + extra(capturesPerPayment),
      doubleCaptured: extra(
        countBy(
          payments.filter((p) => p.captured),
          (p) => p.order_id,
        ),
      ),
      ledgerCaptures: captures.length,
    },
    refunds: {
      acknowledged: log.refunds.length,
      foundOnce: log.refunds.filter(refundOk).length,
      lost: log.refunds.filter((a) => !refundOk(a)).map((a) => `${a.id} (${a.key}): ${JSON.stringify(refundById.get(a.id) ?? null)}`),
      // The clients refund a payment at most once.
      duplicates: extra(countBy(refunds, (r) => r.payment_id)),
      overRefunded,
    },
    events: {
      total: events.length,
      undelivered: events.filter((e) => !e.delivered || !seen.has(e.id)).map((e) => `${e.id} ${e.type}${e.delivered ? ' (not received)' : ''}`),
      paymentsWithoutOneEvent: payments
        .filter((p) => p.captured && paymentEvents.get(p.id) !== 1)
        .map((p) => `${p.id}: ${paymentEvents.get(p.id) ?? 0} events`),
    },
  };
}

/**
 * Waits (at most `timeoutMs`) until the running server has finished what the load started: every
 * acknowledged refund completed (REFUND_SUCCESS published), and every event of the company has a
 * SUCCEEDED delivery that the receiver saw. Reads through the API, so it works on either store.
 */
export async function drain(baseUrl: string, log: ClientLog, received: ReceivedWebhook[], timeoutMs: number): Promise<boolean> {
  const api = await sandboxApi(() => baseUrl);
  const confirmed = new Set<string>();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seen = new Set(received.map((r) => String(r.headers['webhook-id'])));
    const listed: Array<{ eventId: string; type: string }> = [];
    for (let offset = 0; ; offset += 100) {
      const page = await api.call('GET', `/api/v0/events?offset=${offset}&limit=100`);
      const content = (page.json.payload as { content: Array<{ eventId: string; type: string }> }).content;
      listed.push(...content);
      if (content.length < 100) break;
    }
    const pending = listed.filter((e) => !confirmed.has(e.eventId) && seen.has(e.eventId));
    for (let i = 0; i < pending.length; i += 20) {
      const views = await Promise.all(pending.slice(i, i + 20).map((e) => api.call('GET', `/api/v0/events/${e.eventId}`)));
      views.forEach((view, j) => {
        const deliveries = (view.json.payload['deliveries'] ?? []) as Array<{ status: string }>;
        if (deliveries.some((d) => d.status === 'SUCCEEDED')) confirmed.add(pending[i + j]!.eventId);
      });
    }
    const refundsDone = listed.filter((e) => e.type === 'REFUND_SUCCESS').length >= log.refunds.length;
    if (refundsDone && listed.every((e) => confirmed.has(e.eventId))) return true;
    if (Date.now() > until) return false;
    await sleep(1000);
  }
}
