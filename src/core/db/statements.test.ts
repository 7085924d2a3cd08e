import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/support/app.js';
import { countStatements } from '../../../test/support/statements.js';
import type { Database } from './engine.js';
import { withTransaction } from './transaction.js';

describe('statement count', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(2);
  });
  afterAll(() => database.close());

  it('counts a pooled statement, a prepared one and a transaction with its BEGIN and COMMIT', async () => {
    expect((await countStatements(database, () => database.db.execute(sql`select 1`))).statements).toBe(1);
    expect((await countStatements(database, () => database.prepared('count_test_one', 'select $1::int as n', [7]))).statements).toBe(1);
    const { statements } = await countStatements(database, () =>
      withTransaction(database.db, async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.execute(sql`select 2`);
      }),
    );
    expect(statements).toBe(4);
  });

  it('counts a rolled-back transaction with its ROLLBACK', async () => {
    const { statements } = await countStatements(database, () =>
      withTransaction(database.db, async (tx) => {
        await tx.execute(sql`select 1`);
        throw new Error('abort');
      }).catch(() => undefined),
    );
    expect(statements).toBe(3);
  });
});
