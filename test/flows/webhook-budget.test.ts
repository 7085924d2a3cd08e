import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statements.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * The statement budget of webhook delivery (issue 13, parts 2 and 5): the outbox costs a publishing
 * transaction no queue work (no job per delivery, no wake-up call) and one statement per event
 * (the event, its deliveries and the wake-up, with or without configurations), and a dispatched batch costs a
 * handful of statements in all (claim, reads per company, one recording of every success), so
 * that the statements per delivered event shrink with the batch.
 */
describe(`webhook statement budget (${backend})`, () => {
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  const payload = (i: number) => ({ event: 'WEBHOOK_TEST', webhookId: 'whe_budget', message: `budget ${i}`, createdOn: new Date().toISOString() });
  const publish = (n: number) =>
    withTransaction(t.database.db, async (tx) => {
      for (let i = 0; i < n; i++) await t.services.events.publish(tx, SANDBOX.companyId, { type: 'WEBHOOK_TEST', payload: payload(i) });
    });
  const deliveries = async () => (await queryRows<{ n: number }>(t.database, sql`select count(*)::int as n from webhook_deliveries`))[0]!.n;
  const jobs = async () => (await queryRows<{ n: number }>(t.database, sql`select count(*)::int as n from pgboss.job where name = 'webhook.deliver'`))[0]!.n;

  beforeAll(async () => {
    rx = await startReceiver();
    // Nothing else may use the database while statements are counted.
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it('publishes without queue work, with no receiver configured without any delivery, and in one statement per event', async () => {
    const jobsBefore = await jobs();
    // The company's sandbox-clock offset is cached per process (ADR 0031): the first publish may read it.
    const { statements: cold } = await countStatements(t.database, () => publish(1));
    expect(cold).toBeLessThanOrEqual(4);
    const { statements: unheard } = await countStatements(t.database, () => publish(1));
    // BEGIN, the event (the subscriptions are selected in it, and there are none), COMMIT.
    expect(unheard).toBe(3);
    expect(await deliveries()).toBe(0);
    await t.services.events.saveConfig(SANDBOX.companyId, { companyId: SANDBOX.companyId, webhookUrl: `${rx.url}/budget`, events: ['WEBHOOK_TEST'] });
    await t.services.events.saveConfig(SANDBOX.companyId, {
      companyId: SANDBOX.companyId,
      webhookUrl: `${rx.url}/other`,
      events: ['WEBHOOK_ENDPOINT_DISABLED'],
    });
    const { statements: heard } = await countStatements(t.database, () => publish(1));
    // The event's statement also inserts its deliveries and notifies the dispatchers on commit.
    expect(heard).toBe(3);
    expect(await deliveries()).toBe(1);
    // A per-request notifyUrl is one more delivery of the same statement.
    const { statements: notified } = await countStatements(t.database, () =>
      withTransaction(t.database.db, (tx) =>
        t.services.events.publish(tx, SANDBOX.companyId, { type: 'WEBHOOK_TEST', payload: payload(0), notifyUrl: `${rx.url}/notify` }),
      ),
    );
    expect(notified).toBe(3);
    expect(await deliveries()).toBe(3);
    // Delivery ids drawn in the statement have newId's form, dated with the event.
    const ids = await queryRows<{ id: string; event_id: string }>(t.database, sql`select id, event_id from webhook_deliveries`);
    for (const { id, event_id } of ids) {
      expect(id).toMatch(/^whd_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(id.slice(4, 14)).toBe(event_id.slice(4, 14));
    }
    expect(new Set(ids.map((r) => r.id)).size).toBe(3);
    // One statement per event, however many a transaction publishes.
    const { statements: hundred } = await countStatements(t.database, () => publish(100));
    expect(hundred).toBe(102);
    expect(await jobs()).toBe(jobsBefore);
    expect(await t.services.events.dispatchBatch(200)).toBe(103);
    const received = await rx.waitFor(103);
    expect(received.filter((r) => r.path === '/notify')).toHaveLength(1);
    expect(received.filter((r) => r.path === '/other')).toHaveLength(0);
  });

  it('delivers a batch of 50 events in a few statements: well under 0.2 per event', async () => {
    await publish(50);
    const { result: claimed, statements } = await countStatements(t.database, () => t.services.events.dispatchBatch(50));
    expect(claimed).toBe(50);
    const received = await rx.waitFor(153);
    // The event with a notifyUrl has two deliveries, with one webhook-id.
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(152);
    const perEvent = statements / claimed;
    process.stdout.write(`webhook delivery: ${statements} statements for a batch of ${claimed} events, ${perEvent.toFixed(3)} per delivered event\n`);
    // The claim, the company's mode, its configurations, the recording of every success.
    expect(statements).toBeLessThanOrEqual(4);
    const rows = await queryRows<{ status: string; n: number }>(t.database, sql`select status, count(*)::int as n from webhook_deliveries group by status`);
    expect(rows).toEqual([{ status: 'SUCCEEDED', n: 153 }]);
    const attempts = await queryRows<{ n: number }>(t.database, sql`select count(*)::int as n from webhook_attempts where outcome = 'SUCCEEDED'`);
    expect(attempts[0]!.n).toBe(153);
    // Nothing left to claim.
    expect(await t.services.events.dispatchBatch()).toBe(0);
  });
});
