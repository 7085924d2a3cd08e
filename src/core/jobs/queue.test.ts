import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../db/transaction.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the job queue (pg-boss through our database)', () => {
  let t: TestApp;
  const ran: string[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    await t.services.jobs.work<{ label: string }>('test.record', async (data) => {
      ran.push(data.label);
    });
    await t.services.jobs.work<{ label: string }>('test.flaky', async (data) => {
      if (failuresLeft-- > 0) throw new Error('not yet');
      ran.push(data.label);
    });
  });
  afterAll(() => t.close());

  it('runs a job enqueued in a committed transaction, and never one whose transaction rolled back', async () => {
    await expect(
      withTransaction(t.database.db, async (tx) => {
        await t.services.jobs.enqueue(tx, 'test.record', { label: 'rolled-back' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await withTransaction(t.database.db, (tx) => t.services.jobs.enqueue(tx, 'test.record', { label: 'committed' }));
    t.services.jobs.wake('test.record');
    await until(() => ran.includes('committed'));
    // Give a rolled-back job every chance to appear: two more polls.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(ran).toEqual(['committed']);
  });

  it('retries a job whose handler throws', async () => {
    failuresLeft = 1;
    await withTransaction(t.database.db, (tx) => t.services.jobs.enqueue(tx, 'test.flaky', { label: 'eventually' }));
    await until(() => ran.includes('eventually'));
    expect(failuresLeft).toBe(-1);
  });

  it('refuses a queue nobody handles, at enqueue time', async () => {
    await expect(withTransaction(t.database.db, (tx) => t.services.jobs.enqueue(tx, 'test.nobody', {}))).rejects.toThrow(
      'job queue test.nobody has no registered handler',
    );
  });
});
