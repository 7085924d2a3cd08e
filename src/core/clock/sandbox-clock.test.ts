import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../auth/seed.js';
import { backend, createTestApp, createTestDatabase, type TestApp } from '../../../test/support/app.js';
import { seedBearer } from '../../../test/support/oauth.js';
import { countStatements } from '../../../test/support/statements.js';
import type { Database } from '../db/engine.js';

const COMPANY = SANDBOX.companyId;
const HOUR = 3600_000;
const quiet = { workers: false, timerPollMs: null };

/** Waits (bounded) until `fn` holds; a NOTIFY reaches another process's listener asynchronously. */
async function eventually(fn: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ADR 0031: the offset is read once per company and then cached; every advance reaches the cache
// of every app instance on the database, in this process at once and in others by NOTIFY.
describe(`the sandbox clock's cached offset (${backend})`, () => {
  let database: Database;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await createTestApp({ database, background: quiet });
    b = await createTestApp({ database, background: quiet, seed: false });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.close();
  });

  it('reads the offset once, then answers without a statement (the sandbox company has no row)', async () => {
    const first = await countStatements(database, () => b.services.clocks.now(COMPANY));
    expect(first.statements).toBe(1);
    expect(first.result.getTime()).toBe(b.clock.now().getTime());
    for (let i = 0; i < 3; i++) {
      const again = await countStatements(database, () => b.services.clocks.now(COMPANY));
      expect(again.statements).toBe(0);
      expect(again.result.getTime()).toBe(b.clock.now().getTime());
    }
  });

  it('an advance through one instance reaches the other one, whose next reads see it without a statement', async () => {
    // B has the company's offset cached (previous test, or now).
    const before = await b.services.clocks.now(COMPANY);
    const bearer = await seedBearer(a.app);
    const res = await a.app.inject({
      method: 'POST',
      url: '/api/v0/sandbox/clock/advance',
      headers: { authorization: bearer },
      payload: { seconds: 2 * 3600 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const expected = before.getTime() + 2 * HOUR;
    expect(Date.parse(res.json().payload.now)).toBe(expected);
    // On PGlite the instances share this process and B knows at once; on PostgreSQL, once its listener has the NOTIFY.
    if (backend === 'pglite') expect((await b.services.clocks.now(COMPANY)).getTime()).toBe(expected);
    await eventually(async () => (await b.services.clocks.now(COMPANY)).getTime() === expected);
    const next = await countStatements(database, () => b.services.clocks.now(COMPANY));
    expect(next).toEqual({ result: new Date(expected), statements: 0 });
    // B's next request dates its answer by the advanced clock.
    const bBearer = await seedBearer(b.app);
    const seen = await b.app.inject({ method: 'GET', url: '/api/v0/sandbox/clock', headers: { authorization: bBearer } });
    expect(Date.parse(seen.json().payload.now)).toBe(expected);
  });

  it('never goes back: an older offset observed later is ignored, and an advance by seconds counts from the latest time', async () => {
    const now = (await a.services.clocks.now(COMPANY)).getTime();
    a.services.clocks.observe(COMPANY, 0n);
    expect((await a.services.clocks.now(COMPANY)).getTime()).toBe(now);
    // B moves the clock (on PostgreSQL, A may not have its NOTIFY yet when it answers the advance below):
    await b.services.clocks.moveForwardTo(COMPANY, new Date(now + HOUR));
    const bearer = await seedBearer(a.app);
    const res = await a.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: { authorization: bearer }, payload: { seconds: 60 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(Date.parse(res.json().payload.now)).toBe(now + HOUR + 60_000);
    expect(Date.parse(res.json().payload.previousNow)).toBe(now + HOUR);
  });
});
