import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/db/engine.js';
import { backend, createTestDatabase } from './app.js';
import { changedTables, listTables, tableChecksums, type TableInfo } from './db-snapshot.js';

// The proof suites' "no refused request changes a row" rests on these checksums: each kind of
// change must move them, a no-op update must not, and a company filter sees only that company.
describe(`table checksums on ${backend}`, () => {
  let database: Database;
  let tables: TableInfo[];
  const probe = () => tables.filter((t) => t.name === 'proof_snapshot_probe');

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.execute(sql.raw('create table proof_snapshot_probe (id int primary key, company_id text not null, v text not null)'));
    await database.db.execute(sql.raw("insert into proof_snapshot_probe values (1, 'A', 'one'), (2, 'B', 'two')"));
    tables = await listTables(database);
  });
  afterAll(async () => database?.close());

  const step = async (statement: string, options: { companyId?: string } = {}) => {
    const before = await tableChecksums(database, probe(), options);
    await database.db.execute(sql.raw(statement));
    return changedTables(before, await tableChecksums(database, probe(), options));
  };

  it('moves on an insert, an update and a delete, and not on a no-op update or a row lock', async () => {
    expect(await step("insert into proof_snapshot_probe values (3, 'A', 'three')")).toEqual(['proof_snapshot_probe']);
    expect(await step("update proof_snapshot_probe set v = 'uno' where id = 1")).toEqual(['proof_snapshot_probe']);
    expect(await step('delete from proof_snapshot_probe where id = 3')).toEqual(['proof_snapshot_probe']);
    // Delete one row and insert another in one statement: the count is the same, the content is not.
    expect(await step("with gone as (delete from proof_snapshot_probe where id = 2) insert into proof_snapshot_probe values (4, 'B', 'two')")).toEqual([
      'proof_snapshot_probe',
    ]);
    expect(await step('update proof_snapshot_probe set v = v')).toEqual([]);
    expect(await step('select * from proof_snapshot_probe for update')).toEqual([]);
  });

  it("with a company, sees only that company's rows", async () => {
    expect(await step("update proof_snapshot_probe set v = 'quattro' where company_id = 'B'", { companyId: 'A' })).toEqual([]);
    expect(await step("update proof_snapshot_probe set v = 'eins' where company_id = 'A'", { companyId: 'A' })).toEqual(['proof_snapshot_probe']);
  });
});
