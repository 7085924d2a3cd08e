import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityService } from '../../src/auth/identity/index.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { queryRows, withTransaction } from '../../src/core/db/transaction.js';
import { createLedger, type Ledger, type PostingInput } from '../../src/core/ledger/index.js';
import { backend, createTestDatabase } from '../support/app.js';
import { errorCode, sandboxFund } from '../support/ledger.js';
import { countStatements } from '../support/statements.js';

// ADR 0029: a change that cannot fail a check (a capture's debit of clearing:card, its credit to
// merchant_pending_settlement) is a delta row written with the journal, in one statement, and
// locks no balance row; a change that can fail (a debit of a non-negative account) keeps the
// checked, locked update, which folds the account's deltas in. Balances, as-of balances and
// verify read the same whichever way a change went.

const postgres = backend === 'postgres';
let database: Database;
let db: Executor;
let ledger: Ledger;
let companyId: string;
const clock = new ManualClock(new Date('2026-06-01T00:00:00.000Z'));
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase(20);
  db = database.db;
  companyId = (await createIdentityService({ db, clock }).createCompany({ name: 'Unchecked' })).id;
  ledger = createLedger({ db, clock: { now: async () => clock.now() } });
  await withTransaction(db, (tx) => ledger.provision(tx, companyId));
});

afterAll(async () => {
  await database?.close();
});

const capturePostings = (amount: bigint): PostingInput[] => [
  { account: 'clearing:card', direction: 'debit', amount },
  { account: 'merchant_pending_settlement', direction: 'credit', amount },
];
const capture = (tx: Executor, amount: bigint, effectiveAt?: Date) =>
  ledger.post(tx, companyId, {
    code: 'payment_capture',
    referenceType: 'test_payment',
    referenceId: `pay_${++seq}`,
    postings: capturePostings(amount),
    ...(effectiveAt ? { effectiveAt } : {}),
  });
const settle = (tx: Executor, amount: bigint) =>
  ledger.post(tx, companyId, {
    code: 'settlement',
    referenceType: 'test_settlement',
    referenceId: `stl_${++seq}`,
    postings: [
      { account: 'merchant_pending_settlement', direction: 'debit', amount },
      { account: 'merchant_available', direction: 'credit', amount },
    ],
  });

async function rowOf(code: string) {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select b.version, b.credits_posted::text as credits, b.debits_posted::text as debits,
          (select count(*) from ledger_balance_deltas d where d.account_id = a.id)::int as deltas
        from ledger_accounts a join ledger_balances b on b.account_id = a.id where a.company_id = ${companyId} and a.code = ${code}`,
  );
  return {
    version: Number(row!['version']),
    credits: BigInt(row!['credits'] as string),
    debits: BigInt(row!['debits'] as string),
    deltas: Number(row!['deltas']),
  };
}

describe(`unchecked balance changes on ${backend}`, () => {
  it('a capture posts in one statement (journal and deltas together), touching no balance row; a checked debit adds one statement and folds', async () => {
    // The accounts are remembered from here on (the first use of an account reads it).
    await withTransaction(db, (tx) => capture(tx, 1n));
    await withTransaction(db, (tx) => settle(tx, 1n));
    const before = { clearing: await rowOf('clearing:card'), pending: await rowOf('merchant_pending_settlement') };
    const { statements } = await countStatements(database, () => withTransaction(db, (tx) => capture(tx, 10_000n, clock.now())));
    expect(statements).toBe(3); // BEGIN, the posting, COMMIT
    const after = { clearing: await rowOf('clearing:card'), pending: await rowOf('merchant_pending_settlement') };
    expect(after.clearing).toEqual({ ...before.clearing, deltas: before.clearing.deltas + 1 });
    expect(after.pending).toEqual({ ...before.pending, deltas: before.pending.deltas + 1 });
    expect(await ledger.balance(db, companyId, 'merchant_pending_settlement')).toMatchObject({ posted: 10_000n, available: 10_000n });
    expect(await ledger.balance(db, companyId, 'clearing:card')).toMatchObject({ posted: 10_001n });

    // Settlement debits merchant_pending_settlement: that can fail, so it is the checked update of
    // its row, which folds the two capture deltas in; merchant_available's credit is a delta.
    const settled = await countStatements(database, () => withTransaction(db, (tx) => settle(tx, 4_000n)));
    expect(settled.statements).toBe(4); // BEGIN, the posting, the checked update, COMMIT
    expect(await rowOf('merchant_pending_settlement')).toMatchObject({ version: before.pending.version + 1, credits: 10_001n, debits: 4_001n, deltas: 0 });
    expect(await rowOf('merchant_available')).toMatchObject({ deltas: 2 });
    expect(await ledger.balance(db, companyId, 'merchant_pending_settlement')).toMatchObject({ posted: 6_000n, available: 6_000n });
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('the check counts committed deltas: a debit up to the derived balance passes, one paise more is refused and changes nothing', async () => {
    const available = (await ledger.balance(db, companyId, 'merchant_pending_settlement')).available;
    await withTransaction(db, (tx) => capture(tx, 500n));
    expect(await errorCode(() => withTransaction(db, (tx) => settle(tx, available + 501n)))).toBe('ledger_insufficient_funds');
    expect(await ledger.balance(db, companyId, 'merchant_pending_settlement')).toMatchObject({ available: available + 500n });
    await withTransaction(db, (tx) => settle(tx, available + 500n));
    expect(await ledger.balance(db, companyId, 'merchant_pending_settlement')).toMatchObject({ posted: 0n, available: 0n });
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('compaction folds deltas into the rows and every balance, as of now and as of before, reads the same', async () => {
    for (let i = 0; i < 5; i++) await withTransaction(db, (tx) => capture(tx, 100n));
    await sandboxFund(db, ledger, companyId, 7_000n, `fund_${++seq}`);
    const codes = ['clearing:card', 'merchant_pending_settlement', 'merchant_available', 'sandbox_funding'];
    const asOf = clock.now();
    const read = () => Promise.all(codes.flatMap((code) => [ledger.balance(db, companyId, code), ledger.balance(db, companyId, code, { asOf })]));
    const before = await read();
    expect((await rowOf('clearing:card')).deltas).toBeGreaterThan(0);
    expect(await ledger.compact({ companyId, minDeltas: 1 })).toBeGreaterThanOrEqual(4);
    for (const code of codes) expect((await rowOf(code)).deltas).toBe(0);
    expect(await read()).toEqual(before);
    expect(await ledger.compact({ companyId })).toBe(0);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('the database refuses a delta that could lower a non-negative balance, and an edited delta', async () => {
    const available = await ledger.getAccount(db, companyId, 'merchant_available');
    const clearing = await ledger.getAccount(db, companyId, 'clearing:card');
    const insert = (accountId: string, normal: string, allowNegative: boolean, debits: number, credits: number, debitsPending = 0) =>
      db.execute(sql`insert into ledger_balance_deltas (account_id, company_id, currency, normal_balance, allow_negative, debits_posted, credits_posted, debits_pending)
                     values (${accountId}, ${companyId}, 'INR', ${normal}, ${allowNegative}, ${debits}, ${credits}, ${debitsPending})`);
    const refused = async (fn: () => Promise<unknown>) =>
      fn().then(
        () => 'committed',
        (err: Error) => `${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}`,
      );
    expect(await refused(() => insert(available.id, 'credit', false, 1, 0))).toMatch(/ck_ledger_balance_deltas_unchecked/);
    expect(await refused(() => insert(available.id, 'credit', false, 0, 0, 1))).toMatch(/ck_ledger_balance_deltas_unchecked/);
    expect(await refused(() => insert(available.id, 'credit', true, 1, 0))).toMatch(/fk_ledger_balance_deltas_account/);
    expect(await refused(() => insert(clearing.id, 'debit', true, 0, -1))).toMatch(/ck_ledger_balance_deltas_posted/);
    await withTransaction(db, (tx) => capture(tx, 3n));
    expect(await refused(() => db.execute(sql`update ledger_balance_deltas set credits_posted = credits_posted + 1`))).toMatch(/UPDATE refused/);
    expect(await refused(() => db.execute(sql`truncate ledger_balance_deltas`))).toMatch(/TRUNCATE refused/);
    // A delta deleted without its fold is a balance that no longer matches its journal: verify names it.
    await db.execute(sql`delete from ledger_balance_deltas where account_id = ${clearing.id}`);
    const report = await ledger.verify(db, { companyId });
    expect(report.breaks.map((b) => [b.kind, b.id])).toEqual([['balance_mismatch', clearing.id]]);
    await db.execute(sql`update ledger_balances set debits_posted = debits_posted + 3 where account_id = ${clearing.id}`);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });

  it('many concurrent captures on the same accounts never wait on a balance row, and the derived balance is their sum', async () => {
    const start = await ledger.balance(db, companyId, 'clearing:card');
    const startPending = await ledger.balance(db, companyId, 'merchant_pending_settlement');
    const amounts = Array.from({ length: 40 }, (_, i) => BigInt(1_000 + i));
    const total = amounts.reduce((s, a) => s + a, 0n);
    let held = 0n;
    if (postgres) {
      // One capture stays open, holding whatever it locked; every other capture, and a settlement
      // (a checked debit of merchant_pending_settlement), must commit meanwhile without waiting for
      // any lock (lock_timeout turns a wait into an error).
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let opened!: (pid: number) => void;
      const open = new Promise<number>((resolve) => (opened = resolve));
      held = 777n;
      const holder = withTransaction(db, async (tx) => {
        await capture(tx, held);
        const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        opened(Number(row!.pid));
        await gate;
      });
      const pid = await open;
      // The open capture holds no lock on ledger_balances at all: it never updated a balance row.
      const locks = await queryRows<{ mode: string }>(db, sql`select mode from pg_locks where pid = ${pid} and relation = 'ledger_balances'::regclass`);
      expect(locks).toEqual([]);
      await withTransaction(db, (tx) => tx.execute(sql`select 1`)); // the pool still serves
      const outcomes = await Promise.all(
        amounts.map((amount) =>
          withTransaction(db, async (tx) => {
            await tx.execute(sql`set local lock_timeout = '2s'`);
            await capture(tx, amount);
          }).then(
            () => 'ok',
            (err: Error) => err.message,
          ),
        ),
      );
      expect(outcomes).toEqual(amounts.map(() => 'ok'));
      const settled = await withTransaction(db, async (tx) => {
        await tx.execute(sql`set local lock_timeout = '2s'`);
        return settle(tx, 1n);
      }).then(
        () => 'ok',
        (err: Error) => err.message,
      );
      expect(settled).toBe('ok');
      const waiting = await queryRows(db, sql`select 1 from pg_locks where not granted`);
      expect(waiting).toEqual([]);
      release();
      await holder;
    } else {
      // PGlite has one connection: the captures queue; none of them touched a balance row.
      const version = (await rowOf('clearing:card')).version;
      await Promise.all(amounts.map((amount) => withTransaction(db, (tx) => capture(tx, amount))));
      expect((await rowOf('clearing:card')).version).toBe(version);
      await withTransaction(db, (tx) => settle(tx, 1n));
    }
    expect((await ledger.balance(db, companyId, 'clearing:card')).posted).toBe(start.posted + total + held);
    expect((await ledger.balance(db, companyId, 'merchant_pending_settlement')).posted).toBe(startPending.posted + total + held - 1n);
    const [sum] = await queryRows<{ s: string }>(
      db,
      sql`select coalesce(sum(case p.direction when 'debit' then p.amount else -p.amount end), 0)::text as s
          from ledger_postings p join ledger_accounts a on a.id = p.account_id where a.company_id = ${companyId} and a.code = 'clearing:card'`,
    );
    expect(BigInt(sum!.s)).toBe((await ledger.balance(db, companyId, 'clearing:card')).posted);
    expect((await ledger.verify(db)).breaks).toEqual([]);
  });
});
