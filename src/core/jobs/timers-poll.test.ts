import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../auth/seed.js';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { countStatements } from '../../../test/support/statements.js';
import { createLogger } from '../log/logger.js';
import { withTransaction } from '../db/transaction.js';
import { createTimers, type TimerRunner } from './timers.js';

const COMPANY = SANDBOX.companyId;
const HOUR = 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ADR 0031: the poller reads only what fell due, and an idle poll costs one statement (PostgreSQL,
// where other processes may schedule) or none (PGlite, a single process) until the next due time.
describe(`the sandbox timer poller (${backend})`, () => {
  let t: TestApp;
  let timers: TimerRunner;
  const fired: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    timers = createTimers({ db: t.database.db, clock: t.clock, clocks: t.services.clocks, logger: createLogger('silent'), shared: backend === 'postgres' });
    timers.register<{ label: string }>('test.poll', async (timer) => {
      fired.push(timer.payload.label);
    });
  });
  afterAll(async () => {
    await timers.stop();
    await t.close();
  });

  const schedule = async (inMs: number, label: string) => {
    const now = await t.services.clocks.now(COMPANY);
    await withTransaction(t.database.db, (tx) =>
      timers.schedule(tx, { companyId: COMPANY, dueAt: new Date(now.getTime() + inMs), kind: 'test.poll', payload: { label } }),
    );
  };
  /** Polls every 5 ms for `ms` and returns the statements sent meanwhile. */
  const pollFor = async (ms: number) =>
    (
      await countStatements(t.database, async () => {
        timers.startPolling(5);
        await sleep(ms);
        await timers.stop();
      })
    ).statements;

  it('fires a timer once it falls due in real time, and sends at most one statement per idle poll', async () => {
    await schedule(HOUR, 'in-an-hour');
    const idle = await pollFor(300);
    expect(fired).toEqual([]);
    if (backend === 'pglite') {
      // The first poll learns when the next timer is due; the ones after it send nothing.
      expect(idle).toBe(1);
    } else {
      // About 60 polls at most in 300 ms: each one statement, none of them a claim.
      expect(idle).toBeGreaterThan(0);
      expect(idle).toBeLessThanOrEqual(61);
    }
    t.clock.advance(HOUR);
    await pollFor(100);
    expect(fired).toEqual(['in-an-hour']);
  });

  it('a timer scheduled in this process, or a clock moved, is seen by the next poll', async () => {
    fired.length = 0;
    await pollFor(50);
    await schedule(0, 'now');
    await pollFor(100);
    expect(fired).toEqual(['now']);

    await schedule(2 * HOUR, 'sandbox-two-hours');
    await pollFor(50);
    expect(fired).toEqual(['now']);
    // The company's clock moves (not through an advance of this runner): its timer is due at once.
    await t.services.clocks.moveForwardTo(COMPANY, new Date((await t.services.clocks.now(COMPANY)).getTime() + 3 * HOUR));
    await pollFor(100);
    expect(fired).toEqual(['now', 'sandbox-two-hours']);
  });
});
