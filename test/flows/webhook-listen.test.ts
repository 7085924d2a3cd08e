import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { startReceiver } from '../support/webhook-receiver.js';

/** Waits (bounded) until `fn` holds. */
async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * One LISTEN connection per process (issue 13, part 2): the webhook dispatcher and the sandbox
 * clock listen through core/db/notifications.ts on one PostgreSQL connection, which comes back
 * after a loss with both channels; on PGlite the dispatcher hears commits in-process.
 */
describe(`one LISTEN connection for the dispatcher and the sandbox clock (${backend})`, () => {
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  const publish = (message: string) =>
    withTransaction(t.database.db, (tx) =>
      t.services.events.publish(tx, SANDBOX.companyId, {
        type: 'WEBHOOK_TEST',
        payload: { event: 'WEBHOOK_TEST', webhookId: 'whe_listen', message, createdOn: new Date().toISOString() },
      }),
    );
  /** Backends of this database whose last statement was a LISTEN: the listening connections. */
  const listeners = () =>
    queryRows<{ pid: number }>(t.database, sql`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %' order by pid`);

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    await t.services.events.saveConfig(SANDBOX.companyId, { companyId: SANDBOX.companyId, webhookUrl: `${rx.url}/listen`, events: ['WEBHOOK_TEST'] });
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it('wakes the dispatcher on commit, over the one listening connection of the process', async () => {
    await publish('first');
    const received = await rx.waitFor(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ message: 'first' });
    if (backend === 'postgres') {
      // The clock's channel and the dispatcher's on one connection (two before).
      expect(await listeners()).toHaveLength(1);
    } else {
      expect(t.database.listen).toBeUndefined();
    }
  });

  it('after the connection is lost, listens again on both channels: a delivery published meanwhile and a clock advance arrive', async () => {
    if (backend === 'postgres') {
      const [before] = await listeners();
      await queryRows(t.database, sql`select pg_terminate_backend(${before!.pid})`);
      await eventually(listeners, (rows) => rows.every((r) => r.pid !== before!.pid));
      // Published while the listener may be down: the dispatcher claims it once it listens again.
      await publish('while reconnecting');
      await rx.waitFor(2);
      const after = await eventually(listeners, (rows) => rows.length === 1);
      expect(after[0]!.pid).not.toBe(before!.pid);
      // A NOTIFY of an advance (as another process sends with its update) reaches the clock's cache
      // here. Only the NOTIFY: the row stays behind, so a read from the database would answer 0.
      const wanted = 86_400_000;
      await queryRows(t.database, sql`select pg_notify('tijori_sandbox_clock', ${`${SANDBOX.companyId}:${wanted}`})`);
      const offset = async () => (await t.services.clocks.now(SANDBOX.companyId)).getTime() - t.clock.now().getTime();
      await eventually(offset, (ms) => ms === wanted);
    } else {
      await publish('while reconnecting');
      await rx.waitFor(2);
    }
    expect(JSON.parse(rx.received[1]!.body)).toMatchObject({ message: 'while reconnecting' });
  });
});
