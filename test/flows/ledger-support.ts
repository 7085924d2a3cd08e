import { sql } from 'drizzle-orm';
import { createIdentityService } from '../../src/auth/identity/index.js';
import type { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { queryRows } from '../../src/core/db/transaction.js';
import { createLedger, type Ledger } from '../../src/core/ledger/index.js';
import { createTestDatabase } from '../support/app.js';

// Set-up shared by the ledger service suites (ledger.test.ts, ledger-constraints.test.ts).

/** A test database with two companies and the ledger service on it. */
export async function openLedgerDatabase(clock: ManualClock): Promise<{ database: Database; db: Executor; ledger: Ledger; A: string; B: string }> {
  const database = await createTestDatabase();
  const db = database.db;
  const identity = createIdentityService({ db, clock });
  const A = (await identity.createCompany({ name: 'Ledger A' })).id;
  const B = (await identity.createCompany({ name: 'Ledger B' })).id;
  const ledger = createLedger({ db, clock: { now: async () => clock.now() } });
  return { database, db, ledger, A, B };
}

/** The SQLSTATE and message of a statement the database refuses. */
export async function refused(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    let e: unknown = err;
    const messages: string[] = [];
    for (let depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) messages.push(String((e as Error).message));
    return messages.join(' | ');
  }
  throw new Error('the database accepted it');
}

/** Row counts of the ledger tables and a checksum of the balance rows: equal before and after means nothing was written. */
export async function ledgerRowCounts(db: Executor) {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`select (select count(*) from ledger_transactions) as t, (select count(*) from ledger_postings) as p, (select count(*) from ledger_holds) as h,
          (select coalesce(sum(debits_posted + credits_posted + debits_pending + credits_pending + version), 0) from ledger_balances) as b`,
  );
  return { t: Number(r!['t']), p: Number(r!['p']), h: Number(r!['h']), b: String(r!['b']) };
}
