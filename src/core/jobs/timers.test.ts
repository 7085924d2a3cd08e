import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../db/transaction.js';
import { SANDBOX } from '../../auth/seed.js';
import { createTestApp, queryRows, type TestApp } from '../../../test/support/app.js';
import { seedBearer } from '../../../test/support/oauth.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const COMPANY = SANDBOX.companyId;

describe('sandbox timers and the sandbox clock', () => {
  let t: TestApp;
  let bearer: string;
  /** What each handler saw: its payload label and the company's sandbox time while it ran. */
  const seen: { label: string; now: Date; dueAt: Date }[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const { timers, clocks } = t.services;
    timers.register<{ label: string; followUpMs?: number }>('test.record', async (timer) => {
      seen.push({ label: timer.payload.label, now: await clocks.now(timer.companyId), dueAt: timer.dueAt });
      if (timer.payload.followUpMs) {
        await withTransaction(t.database.db, (tx) =>
          timers.schedule(tx, {
            companyId: timer.companyId,
            dueAt: new Date(timer.dueAt.getTime() + timer.payload.followUpMs!),
            kind: 'test.record',
            payload: { label: `${timer.payload.label}+follow-up` },
          }),
        );
      }
    });
    timers.register('test.flaky', async () => {
      if (failuresLeft-- > 0) throw new Error('receiver unavailable');
      seen.push({ label: 'flaky', now: await clocks.now(COMPANY), dueAt: new Date(0) });
    });
    bearer = await seedBearer(t.app);
  });
  afterAll(() => t.close());

  const schedule = async (offsetMs: number, label: string, extra: object = {}, dedupeKey?: string) => {
    const now = await t.services.clocks.now(COMPANY);
    await withTransaction(t.database.db, (tx) =>
      t.services.timers.schedule(tx, {
        companyId: COMPANY,
        dueAt: new Date(now.getTime() + offsetMs),
        kind: 'test.record',
        payload: { label, ...extra },
        ...(dedupeKey ? { dedupeKey } : {}),
      }),
    );
  };
  const advance = (body: object) => t.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: { authorization: bearer }, payload: body });

  it('fires timers at +1 h, +1 day and +30 days in order on one advance of 31 days, each seeing its own due time', async () => {
    seen.length = 0;
    const start = await t.services.clocks.now(COMPANY);
    // Scheduled out of order on purpose.
    await schedule(30 * DAY, 'day-30');
    await schedule(HOUR, 'hour-1');
    await schedule(DAY, 'day-1', { followUpMs: 2 * DAY });
    await schedule(40 * DAY, 'day-40');

    const res = await advance({ seconds: 31 * 24 * 3600 });
    expect(res.statusCode, res.body).toBe(200);
    const payload = res.json().payload;
    expect(payload.timersFired).toBe(4);
    expect(seen.map((s) => s.label)).toEqual(['hour-1', 'day-1', 'day-1+follow-up', 'day-30']);
    for (const s of seen) {
      expect(s.now.getTime()).toBeGreaterThanOrEqual(s.dueAt.getTime());
      expect(s.now.getTime() - s.dueAt.getTime()).toBeLessThan(1000);
    }
    expect(Date.parse(payload.now) - start.getTime()).toBe(31 * DAY);
    expect(payload.previousNow).toBe(start.toISOString());
    expect(payload.pendingTimers).toBe(1);
    expect(Date.parse(payload.nextTimerAt)).toBe(start.getTime() + 40 * DAY);
  });

  it('moves to an instant, and never back', async () => {
    const now = await t.services.clocks.now(COMPANY);
    const target = new Date(now.getTime() + 10 * DAY);
    const res = await advance({ to: target.toISOString() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payload.timersFired).toBe(1);
    expect(seen.at(-1)!.label).toBe('day-40');
    expect(res.json().payload.now).toBe(target.toISOString());

    const back = await advance({ to: now.toISOString() });
    expect(back.statusCode).toBe(422);
    expect(back.json()).toEqual({
      response_code: 422,
      response_message: `The sandbox clock only moves forward: it is already ${target.toISOString()}`,
      payload: null,
    });
    expect(back.headers['x-error-code']).toBe('sandbox_clock_backwards');
    expect((await t.services.clocks.now(COMPANY)).getTime()).toBe(target.getTime());
  });

  it('refuses a body with both, neither or a bad field, and changes nothing', async () => {
    const before = (await t.services.clocks.state(COMPANY)).offsetMs;
    for (const [body, message] of [
      [{}, 'Send exactly one of seconds or to'],
      [{ seconds: 5, to: '2030-01-01T00:00:00Z' }, 'Send exactly one of seconds or to'],
      [{ seconds: 0 }, 'Invalid field seconds: must be >= 1'],
      [{ seconds: 1.5 }, 'Invalid field seconds: must be integer'],
      [{ to: 'tomorrow' }, 'Invalid field to: must match format "date-time"'],
    ] as const) {
      const res = await advance(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().response_message).toBe(message);
    }
    expect((await t.services.clocks.state(COMPANY)).offsetMs).toBe(before);
  });

  it('GET /api/v0/sandbox/clock shows the offset and the next timer', async () => {
    await schedule(5 * 60_000, 'five-minutes');
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/sandbox/clock', headers: { authorization: bearer } });
    expect(res.statusCode).toBe(200);
    const p = res.json().payload;
    expect(p.companyId).toBe(COMPANY);
    expect(p.offsetSeconds).toBe(Math.round((Date.parse(p.now) - Date.parse(p.realNow)) / 1000));
    expect(p.offsetSeconds).toBeGreaterThanOrEqual(41 * 24 * 3600);
    expect(p.pendingTimers).toBe(1);
    expect(Date.parse(p.nextTimerAt)).toBe(Date.parse(p.now) + 5 * 60_000);
  });

  it('fires due timers as real time passes, without an advance', async () => {
    seen.length = 0;
    expect(await t.services.timers.runDue()).toBe(0);
    t.clock.advance(5 * 60_000);
    expect(await t.services.timers.runDue()).toBe(1);
    expect(seen.map((s) => s.label)).toEqual(['five-minutes']);
  });

  it('ignores a second timer with the same dedupe key, and leaves other companies alone', async () => {
    seen.length = 0;
    await schedule(HOUR, 'once', {}, 'k-1');
    await schedule(HOUR, 'twice', {}, 'k-1');
    const other = await t.services.identity.createCompany({ name: 'Other' });
    await withTransaction(t.database.db, (tx) =>
      t.services.timers.schedule(tx, {
        companyId: other.id,
        dueAt: new Date(t.clock.now().getTime() + HOUR),
        kind: 'test.record',
        payload: { label: 'other' },
      }),
    );
    await advance({ seconds: 2 * 3600 });
    expect(seen.map((s) => s.label)).toEqual(['once']);
    expect((await t.services.timers.pending(other.id)).count).toBe(1);
    expect((await t.services.clocks.state(other.id)).offsetMs).toBe(0n);
  });

  it('retries a failing handler after a pause and marks it FAILED after the last attempt', async () => {
    seen.length = 0;
    const now = await t.services.clocks.now(COMPANY);
    failuresLeft = 2;
    await withTransaction(t.database.db, (tx) => t.services.timers.schedule(tx, { companyId: COMPANY, dueAt: now, kind: 'test.flaky', payload: {} }));
    expect(await t.services.timers.runDue(COMPANY)).toBe(1); // attempt 1 fails
    expect(await t.services.timers.runDue(COMPANY)).toBe(0); // waiting for its retry pause
    t.clock.advance(60_000);
    await t.services.timers.runDue(COMPANY); // attempt 2 fails
    t.clock.advance(60_000);
    await t.services.timers.runDue(COMPANY); // attempt 3 succeeds
    expect(seen.map((s) => s.label)).toEqual(['flaky']);

    failuresLeft = 100;
    await withTransaction(t.database.db, (tx) =>
      t.services.timers.schedule(tx, { companyId: COMPANY, dueAt: now, kind: 'test.flaky', payload: {}, dedupeKey: 'doomed' }),
    );
    for (let i = 0; i < 6; i++) {
      await t.services.timers.runDue(COMPANY);
      t.clock.advance(60_000);
    }
    const rows = await queryRows<{ status: string; attempts: number; last_error: string }>(
      t.database,
      sql`select status, attempts, last_error from sandbox_timers where dedupe_key = 'doomed'`,
    );
    expect(rows).toEqual([{ status: 'FAILED', attempts: 5, last_error: 'receiver unavailable' }]);
  });

  it('a timer whose runner died is taken over after its lease', async () => {
    seen.length = 0;
    const now = await t.services.clocks.now(COMPANY);
    await withTransaction(t.database.db, (tx) =>
      t.services.timers.schedule(tx, { companyId: COMPANY, dueAt: now, kind: 'test.record', payload: { label: 'orphan' }, dedupeKey: 'orphan' }),
    );
    // A runner claimed it and died: RUNNING with a lease that has not yet expired.
    await t.database.db.execute(
      sql`update sandbox_timers set status = 'RUNNING', lease_until = ${new Date(t.clock.now().getTime() + 60_000).toISOString()}::timestamptz where dedupe_key = 'orphan'`,
    );
    expect(await t.services.timers.runDue(COMPANY)).toBe(0);
    t.clock.advance(61_000);
    expect(await t.services.timers.runDue(COMPANY)).toBe(1);
    expect(seen.map((s) => s.label)).toEqual(['orphan']);
  });
});

describe('the sandbox clock of a live company', () => {
  it('cannot be advanced (403 sandbox_only), and stays at real time', async () => {
    const t = await createTestApp();
    try {
      const bearer = await seedBearer(t.app);
      await t.services.identity.setSandboxMode(COMPANY, false);
      const res = await t.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: { authorization: bearer }, payload: { seconds: 60 } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        response_code: 403,
        response_message: 'The sandbox clock can only be advanced for a company in sandbox mode',
        payload: null,
      });
      expect(res.headers['x-error-code']).toBe('sandbox_only');
      expect((await t.services.clocks.state(COMPANY)).offsetMs).toBe(0n);
    } finally {
      await t.close();
    }
  });
});

describe('an advance while the real-time poller runs', () => {
  it('fires every timer once and in order, and returns after all of them', async () => {
    const t = await createTestApp({ background: { workers: false, timerPollMs: 1 } });
    try {
      const fired: string[] = [];
      t.services.timers.register<{ label: string; realMs?: number }>('test.race', async (timer) => {
        fired.push(timer.payload.label);
        if (timer.payload.realMs) {
          // Real time jumps while this handler runs, so timers B..E fall due by real time alone, and
          // the poller (every 1 ms) gets a chance to reach for them before the advance does.
          t.clock.advance(timer.payload.realMs);
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      });
      const company = (await t.services.identity.createCompany({ name: 'Race' })).id;
      const start = await t.services.clocks.now(company);
      const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
      await withTransaction(t.database.db, async (tx) => {
        await t.services.timers.schedule(tx, { companyId: company, dueAt: at(1), kind: 'test.race', payload: { label: 'A', realMs: 10 * 60_000 } });
        for (const [label, minute] of [
          ['B', 2],
          ['C', 3],
          ['D', 4],
          ['E', 5],
          ['F', 20],
        ] as const) {
          await t.services.timers.schedule(tx, { companyId: company, dueAt: at(minute), kind: 'test.race', payload: { label } });
        }
      });
      const { fired: count } = await t.services.timers.advance(company, at(30));
      expect(fired).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
      expect(count).toBe(6);
    } finally {
      await t.close();
    }
  });
});
