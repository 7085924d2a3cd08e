import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/support/app.js';
import { countStatements } from '../../../test/support/statements.js';
import type { Database } from './engine.js';
import { definePrepared, toBigInt, toDate } from './prepared.js';
import { queryRows, withTransaction } from './transaction.js';

const echo = definePrepared<{ n: unknown; at: unknown; doc: unknown }, [bigint, Date, object]>(
  'prepared_test_echo',
  'select $1::int8 as n, $2::timestamptz as at, $3::jsonb as doc',
);
const insertRow = definePrepared<never, [string]>('prepared_test_insert', 'insert into prepared_test (v) values ($1)');
const countRows = definePrepared<{ n: unknown }, [string]>('prepared_test_count', 'select count(*)::int8 as n from prepared_test where v = $1');

describe('definePrepared', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(2);
    await database.db.execute(sql`create table prepared_test (v text not null)`);
  });
  afterAll(() => database.close());

  it('runs on the pool as one statement and hands back int8, timestamptz and jsonb values', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const { result, statements } = await countStatements(database, () => echo.one(database.db, [9_007_199_254_740_993n, at, { a: [1, 'b'] }]));
    expect(statements).toBe(1);
    expect(toBigInt(result!.n)).toBe(9_007_199_254_740_993n);
    expect(toDate(result!.at).toISOString()).toBe(at.toISOString());
    expect(result!.doc).toEqual({ a: [1, 'b'] });
  });

  it('runs inside a transaction on its connection: rolled back with it, visible to it before COMMIT', async () => {
    const seen = await withTransaction(database.db, async (tx) => {
      await insertRow.rows(tx, ['inside']);
      return toBigInt((await countRows.one(tx, ['inside']))!.n);
    });
    expect(seen).toBe(1n);
    await withTransaction(database.db, async (tx) => {
      await insertRow.rows(tx, ['rolled-back']);
      throw new Error('abort');
    }).catch(() => undefined);
    expect(toBigInt((await countRows.one(database.db, ['rolled-back']))!.n)).toBe(0n);
    expect(await queryRows<{ v: string }>(database.db, sql`select v from prepared_test order by v`)).toEqual([{ v: 'inside' }]);
  });

  it('runs again under the same name (PostgreSQL reuses the plan of each connection)', async () => {
    for (let i = 0; i < 3; i++) expect(toBigInt((await countRows.one(database.db, ['inside']))!.n)).toBe(1n);
  });

  it('refuses one name with two texts, and a name PostgreSQL would fold', () => {
    expect(() => definePrepared('prepared_test_echo', 'select 2')).toThrow(/defined twice/);
    expect(() => definePrepared('Bad-Name', 'select 1')).toThrow(/lower-case/);
  });
});
