import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statements.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * The statement budget of webhook delivery (issue 13, part 5): the outbox costs a publishing
 * transaction no queue work (no job per delivery, no wake-up call), and a dispatched batch costs a
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
    const { statements: unheard } = await countStatements(t.database, () => publish(1));
    // BEGIN, the sandbox clock, the subscribed configurations, the event, COMMIT.
    expect(unheard).toBe(5);
    await t.services.events.saveConfig(SANDBOX.companyId, { companyId: SANDBOX.companyId, webhookUrl: `${rx.url}/budget`, events: ['WEBHOOK_TEST'] });
    const { statements: heard } = await countStatements(t.database, () => publish(1));
    // The event's statement also inserts its deliveries and notifies the dispatchers on commit.
    expect(heard).toBe(5);
    // A transaction reads the clock and the subscriptions once, however many events it publishes.
    const { statements: hundred } = await countStatements(t.database, () => publish(100));
    expect(hundred).toBe(104);
    expect(await jobs()).toBe(jobsBefore);
    expect(await t.services.events.dispatchBatch(200)).toBe(101);
    await rx.waitFor(101);
  });

  it('delivers a batch of 50 events in a few statements: well under 0.2 per event', async () => {
    await publish(50);
    const { result: claimed, statements } = await countStatements(t.database, () => t.services.events.dispatchBatch(50));
    expect(claimed).toBe(50);
    const received = await rx.waitFor(151);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(151);
    const perEvent = statements / claimed;
    process.stdout.write(`webhook delivery: ${statements} statements for a batch of ${claimed} events, ${perEvent.toFixed(3)} per delivered event\n`);
    // The claim, the company's mode, its configurations, the recording of every success.
    expect(statements).toBeLessThanOrEqual(4);
    const rows = await queryRows<{ status: string; n: number }>(t.database, sql`select status, count(*)::int as n from webhook_deliveries group by status`);
    expect(rows).toEqual([{ status: 'SUCCEEDED', n: 151 }]);
    const attempts = await queryRows<{ n: number }>(t.database, sql`select count(*)::int as n from webhook_attempts where outcome = 'SUCCEEDED'`);
    expect(attempts[0]!.n).toBe(151);
    // Nothing left to claim.
    expect(await t.services.events.dispatchBatch()).toBe(0);
  });
});
