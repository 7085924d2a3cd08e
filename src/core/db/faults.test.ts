import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, queryRows } from '../../../test/support/app.js';
import type { Database } from './engine.js';
import { createStatementFaults, InjectedFault } from './faults.js';

/** The injected fault under Drizzle's wrapping (`Failed query: …`, the driver error as its cause). */
const injected = (err: unknown): boolean =>
  err instanceof InjectedFault || ((err as { cause?: unknown })?.cause instanceof InjectedFault && sqlState(err) === 'XX000');
import { sqlState, withTransaction } from './transaction.js';

// ADR 0046: the test-only fault injection of the database wrapper, on the engine under test.
describe('statement faults', () => {
  const faults = createStatementFaults();
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(2, { faults });
    await database.db.execute(sql`create table fault_probe (n int not null)`);
  });
  afterAll(() => database.close());

  const rows = async () => (await queryRows<{ n: number }>(database, sql`select n from fault_probe order by n`)).map((r) => Number(r.n));
  const write = (n: number) =>
    withTransaction(database.db, async (tx) => {
      await tx.execute(sql`insert into fault_probe values (${n})`);
      await tx.execute(sql`insert into fault_probe values (${n + 1})`);
    });

  it('counts BEGIN, each statement and COMMIT, and fails none while only counting', async () => {
    faults.arm(null);
    await write(10);
    expect(faults.counted).toBe(4);
    expect(faults.fired).toBe(false);
    expect(await rows()).toEqual([10, 11]);
  });

  it('fails the chosen statement with an InjectedFault, and the transaction commits nothing, whichever it is', async () => {
    for (const k of [1, 2, 3, 4]) {
      faults.arm(k);
      const err = await write(20).catch((e: unknown) => e);
      faults.disarm();
      expect(faults.fired, `statement ${k}`).toBe(true);
      expect(injected(err), `statement ${k}: ${String(err)}`).toBe(true);
      expect(await rows(), `statement ${k} (the COMMIT when 4)`).toEqual([10, 11]);
    }
  });

  it('fails a pooled statement outside a transaction, and the pool goes on serving', async () => {
    faults.arm(1);
    expect(injected(await database.db.execute(sql`insert into fault_probe values (30)`).catch((e: unknown) => e))).toBe(true);
    faults.arm(1);
    expect(injected(await database.prepared('fault_probe_raw', 'insert into fault_probe values ($1)', [31]).catch((e: unknown) => e))).toBe(true);
    faults.disarm();
    expect(await rows()).toEqual([10, 11]);
    await write(40);
    expect(await rows()).toEqual([10, 11, 40, 41]);
  });

  it('a failed BEGIN costs no pooled connection: more failed BEGINs than the pool holds, and it still serves', async () => {
    for (let i = 0; i < 5; i++) {
      faults.arm(1);
      expect(injected(await write(50).catch((e: unknown) => e))).toBe(true);
    }
    faults.disarm();
    await write(60);
    expect(await rows()).toContain(60);
  });

  it('refuses a statement number below 1', () => {
    expect(() => faults.arm(0)).toThrow(RangeError);
  });
});
