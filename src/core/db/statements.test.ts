import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/support/app.js';
import { countStatements } from '../../../test/support/statements.js';
import type { Database } from './engine.js';
import { afterCommit, runAfterCommit, setAfterCommitErrorReporter, withTransaction } from './transaction.js';

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

describe('afterCommit', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(2);
  });
  afterAll(() => database.close());

  it('runs a hook once its transaction committed, and never for one that rolled back', async () => {
    const ran: string[] = [];
    await withTransaction(database.db, async (tx) => {
      afterCommit(tx, () => ran.push('committed'));
      expect(ran).toEqual([]);
    });
    await withTransaction(database.db, async (tx) => {
      afterCommit(tx, () => ran.push('rolled back'));
      throw new Error('abort');
    }).catch(() => undefined);
    afterCommit(database.db, () => ran.push('no transaction'));
    expect(ran).toEqual(['committed']);
  });
});

describe('after-commit actions (ADR 0046)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(2);
  });
  afterAll(() => {
    setAfterCommitErrorReporter(() => undefined);
    return database.close();
  });

  it('a hook that throws or rejects is reported and the committed result is returned; later hooks still run, in order', async () => {
    const reported: unknown[] = [];
    setAfterCommitErrorReporter((err) => reported.push(err));
    const ran: string[] = [];
    const result = await withTransaction(database.db, async (tx) => {
      afterCommit(tx, () => {
        throw new Error('sync failure');
      });
      afterCommit(tx, async () => {
        await Promise.resolve();
        throw new Error('async failure');
      });
      afterCommit(tx, async () => {
        await Promise.resolve();
        ran.push('last');
      });
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(ran).toEqual(['last']);
    expect(reported.map((e) => (e as Error).message)).toEqual(['sync failure', 'async failure']);
  });

  it('runAfterCommit awaits each action and reports a failure instead of throwing it', async () => {
    const reported: unknown[] = [];
    setAfterCommitErrorReporter((err) => reported.push(err));
    const ran: number[] = [];
    await expect(
      runAfterCommit([
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          ran.push(1);
        },
        () => Promise.reject(new Error('rail unreachable')),
        () => ran.push(3),
      ]),
    ).resolves.toBeUndefined();
    expect(ran).toEqual([1, 3]);
    expect(reported.map((e) => (e as Error).message)).toEqual(['rail unreachable']);
  });
});
