import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityService } from '../../src/auth/identity/index.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import { openDatabase, type Database } from '../../src/core/db/engine.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { createLedger } from '../../src/core/ledger/index.js';
import { cleanup, createPostgresDatabase, runCli, tempDir } from '../support/process.js';

// `tijori ledger verify` as an operator runs it: the built command against a database with real
// ledger data exits 0; after the data is broken behind the triggers' back (replication role
// `replica` disables them, as a restore or a manual fix would), it exits 1 and names each break.
// PGlite allows one process per folder, so the data is written in-process and the database
// closed before each run of the command.

const SLOW = 300_000;
const clock = new ManualClock(new Date('2026-07-01T00:00:00.000Z'));
const onPostgres = Boolean(process.env['TEST_DATABASE_URL']);

let target: { env: Record<string, string>; args: string[]; open(): Promise<Database>; drop(): Promise<void> };
let companyId: string;
let otherCompanyId: string;
let payoutId: string;
let availableId: string;

async function withDb<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await target.open();
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const verify = (extra: string[] = []) => runCli(['ledger', 'verify', ...target.args, ...extra], { env: target.env, timeoutMs: 120_000 });

beforeAll(async () => {
  if (onPostgres) {
    const scratch = await createPostgresDatabase();
    target = {
      env: { DATABASE_URL: scratch.url },
      args: [],
      open: () => openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 2 }),
      drop: scratch.drop,
    };
  } else {
    const dataDir = tempDir();
    target = { env: {}, args: ['--data-dir', dataDir], open: () => openDatabase({ kind: 'pglite', dataDir }), drop: async () => {} };
  }
  await withDb(async (database) => {
    await database.migrate();
    const identity = createIdentityService({ db: database.db, clock });
    companyId = (await identity.createCompany({ name: 'Verify Co' })).id;
    otherCompanyId = (await identity.createCompany({ name: 'Clean Co' })).id;
    const ledger = createLedger({ db: database.db, clock: { now: async () => clock.now() } });
    const db = database.db;
    for (const company of [companyId, otherCompanyId]) {
      await withTransaction(db, (tx) => ledger.provision(tx, company));
      await withTransaction(db, (tx) =>
        ledger.post(tx, company, {
          code: 'sandbox_funding',
          referenceType: 'test',
          referenceId: 'fund',
          postings: [
            { account: 'sandbox_funding', direction: 'debit', amount: 50_000n },
            { account: 'merchant_available', direction: 'credit', amount: 50_000n },
          ],
        }),
      );
    }
    const payout = await withTransaction(db, (tx) =>
      ledger.post(tx, companyId, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_1',
        postings: [
          { account: 'merchant_available', direction: 'debit', amount: 20_000n },
          { account: 'clearing:bank_transfer', direction: 'credit', amount: 20_000n },
        ],
      }),
    );
    payoutId = payout.id;
    const hold = await withTransaction(db, (tx) =>
      ledger.placeHold(tx, companyId, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: 'po_2',
        debitAccount: 'merchant_available',
        creditAccount: 'clearing:bank_transfer',
        amount: 5_000n,
      }),
    );
    await withTransaction(db, (tx) => ledger.captureHold(tx, companyId, hold.id, 3_000n));
    availableId = (await ledger.getAccount(db, companyId, 'merchant_available')).id;
  });
}, SLOW);

afterAll(async () => {
  await cleanup();
  await target?.drop();
}, SLOW);

describe(`tijori ledger verify (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, { timeout: SLOW }, () => {
  it('exits 0 on a sound ledger and prints what it checked', async () => {
    const result = await verify();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Checked 2 companies, 28 accounts, 4 transactions, 8 postings, 1 holds.');
    expect(result.stdout).toContain('Ledger OK: every invariant holds.');
  });

  it('exits 1 naming each break once the data is tampered with behind the triggers', async () => {
    await withDb(async (database) => {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        // A posting's amount edited in place: its transaction no longer balances.
        await tx.execute(sql`update ledger_postings set amount = amount + 1 where transaction_id = ${payoutId} and direction = 'debit'`);
      });
      // A balance row nudged: it no longer equals the sum of its postings.
      await database.db.execute(sql`update ledger_balances set credits_posted = credits_posted + 100 where account_id = ${availableId}`);
    });
    const result = await verify();
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('Ledger BROKEN: 2 break(s).');
    expect(result.stdout).toMatch(
      new RegExp(`\\[unbalanced_transaction\\] ${companyId} transaction ${payoutId} does not balance in INR: debits − credits = 1 over 2 posting\\(s\\)`),
    );
    expect(result.stdout).toMatch(new RegExp(`\\[balance_mismatch\\] ${companyId} account ${availableId} \\(merchant_available\\)`));
  });

  it('--company checks one company: the untouched one is clean', async () => {
    const clean = await verify(['--company', otherCompanyId]);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toContain('Checked 1 companies, 14 accounts, 1 transactions, 2 postings, 0 holds.');
    const broken = await verify(['--company', companyId]);
    expect(broken.code).toBe(1);
  });

  it('an unknown subcommand is a usage error (exit 2)', async () => {
    const result = await runCli(['ledger', 'fix', ...target.args], { env: target.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "ledger fix"');
  });
});
