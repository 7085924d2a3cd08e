import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import { queryRows } from '../db/transaction.js';
import type { Currency } from '../money/money.js';
import type { PageRequest } from '../http/pagination.js';
import type { Account, AccountType, Direction, Hold, HoldStatus, Posting, Totals, Transaction } from './model.js';

// The only SQL of the ledger. Every statement takes the company id and filters by it, subqueries
// and joins included (DESIGN.md: every query is scoped by company; the tables shard by company_id):
// a row of another company is simply not found, and an update of one changes nothing and throws. int8 columns arrive as strings (pg) or numbers/bigints (PGlite) from raw
// queries, so every amount goes through BigInt(); bigint parameters are sent as text and cast.

type Row = Record<string, unknown>;

const big = (v: unknown): bigint => BigInt(v as string | number | bigint);
const instant = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const maybeInstant = (v: unknown): Date | null => (v === null || v === undefined ? null : instant(v));
const amountParam = (v: bigint) => sql`${v.toString()}::bigint`;
const instantParam = (v: Date) => sql`${v.toISOString()}::timestamptz`;

function toAccount(r: Row): Account {
  return {
    id: r['id'] as string,
    companyId: r['company_id'] as string,
    code: r['code'] as string,
    name: r['name'] as string,
    type: r['type'] as AccountType,
    normalBalance: r['normal_balance'] as Direction,
    currency: r['currency'] as Currency,
    allowNegative: r['allow_negative'] as boolean,
    ownerType: (r['owner_type'] as string | null) ?? null,
    ownerId: (r['owner_id'] as string | null) ?? null,
    createdAt: instant(r['created_at']),
  };
}

function toHold(r: Row): Hold {
  return {
    id: r['id'] as string,
    companyId: r['company_id'] as string,
    code: r['code'] as string,
    referenceType: r['reference_type'] as string,
    referenceId: r['reference_id'] as string,
    currency: r['currency'] as Currency,
    debitAccountId: r['debit_account_id'] as string,
    creditAccountId: r['credit_account_id'] as string,
    amount: big(r['amount']),
    status: r['status'] as HoldStatus,
    capturedAmount: big(r['captured_amount']),
    captureTransactionId: (r['capture_transaction_id'] as string | null) ?? null,
    placedAt: instant(r['placed_at']),
    resolvedAt: maybeInstant(r['resolved_at']),
  };
}

function where(conditions: SQL[]): SQL {
  return sql.join(conditions, sql` and `);
}

// ---------------------------------------------------------------- accounts

export type NewAccountRow = Omit<Account, 'createdAt'>;

/**
 * Inserts the account and its zero balance row in one statement, or does nothing when the company
 * already has the code in that currency (a concurrent twin waits on the unique key). Returns the
 * account either way.
 */
export async function insertAccountIfAbsent(exec: Executor, a: NewAccountRow): Promise<Account> {
  const [created] = await queryRows<Row>(
    exec,
    sql`with ins as (
          insert into ledger_accounts (id, company_id, code, name, type, normal_balance, currency, allow_negative, owner_type, owner_id)
          values (${a.id}, ${a.companyId}, ${a.code}, ${a.name}, ${a.type}, ${a.normalBalance}, ${a.currency}, ${a.allowNegative}, ${a.ownerType}, ${a.ownerId})
          on conflict (company_id, code, currency) do nothing
          returning *),
        bal as (
          insert into ledger_balances (account_id, company_id, currency, normal_balance, allow_negative)
          select id, company_id, currency, normal_balance, allow_negative from ins)
        select * from ins`,
  );
  if (created) return toAccount(created);
  const [existing] = await findAccountsByCode(exec, a.companyId, a.code, a.currency);
  if (!existing) throw new Error(`ledger account ${a.code} neither inserted nor found`);
  return existing;
}

export async function findAccount(exec: Executor, companyId: string, id: string): Promise<Account | null> {
  const [row] = await queryRows<Row>(exec, sql`select * from ledger_accounts where company_id = ${companyId} and id = ${id}`);
  return row ? toAccount(row) : null;
}

export async function findAccountsByCode(exec: Executor, companyId: string, code: string, currency?: Currency): Promise<Account[]> {
  const rows = await queryRows<Row>(
    exec,
    sql`select * from ledger_accounts where company_id = ${companyId} and code = ${code}
        ${currency ? sql`and currency = ${currency}` : sql``} order by currency`,
  );
  return rows.map(toAccount);
}

/**
 * The company's accounts with any of these codes or ids, each with whether another transaction
 * created it (so it is committed, and its immutable id and rules can be remembered by the process):
 * a row created in the caller's own transaction has created_at = now() and may still roll back.
 */
export async function findAccountsForPosting(
  exec: Executor,
  companyId: string,
  codes: readonly string[],
  ids: readonly string[],
): Promise<{ account: Account; committed: boolean }[]> {
  const list = (values: readonly string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  const by = [codes.length > 0 ? sql`code in (${list(codes)})` : null, ids.length > 0 ? sql`id in (${list(ids)})` : null].filter((c): c is SQL => c !== null);
  if (by.length === 0) return [];
  const rows = await queryRows<Row>(
    exec,
    sql`select *, created_at <> now() as committed from ledger_accounts where company_id = ${companyId} and (${sql.join(by, sql` or `)})`,
  );
  return rows.map((r) => ({ account: toAccount(r), committed: r['committed'] === true }));
}

export interface AccountFilters {
  type?: AccountType;
  currency?: Currency;
  /** Exact code, or a chart code matching all its qualified accounts (`clearing` → `clearing:*`). */
  code?: string;
}

export async function listAccounts(exec: Executor, companyId: string, f: AccountFilters, page: PageRequest): Promise<{ rows: Account[]; total: number }> {
  const conditions = [sql`company_id = ${companyId}`];
  if (f.type) conditions.push(sql`type = ${f.type}`);
  if (f.currency) conditions.push(sql`currency = ${f.currency}`);
  if (f.code) conditions.push(sql`(code = ${f.code} or code like ${`${f.code.replace(/[\\%_]/g, '\\$&')}:%`})`);
  const rows = await queryRows<Row>(
    exec,
    sql`select *, count(*) over () as total from ledger_accounts where ${where(conditions)}
        order by code, currency, id limit ${page.limit} offset ${page.offset}`,
  );
  return { rows: rows.map(toAccount), total: rows.length > 0 ? Number(rows[0]!['total']) : await countRows(exec, sql`ledger_accounts`, conditions) };
}

async function countRows(exec: Executor, table: SQL, conditions: SQL[]): Promise<number> {
  const [row] = await queryRows<Row>(exec, sql`select count(*) as n from ${table} where ${where(conditions)}`);
  return Number(row!['n']);
}

// ---------------------------------------------------------------- balances

/**
 * Totals as of an instant, from the journal itself: postings effective at or before `asOf`, and
 * holds placed by then and not yet resolved by then.
 */
export async function totalsAsOf(exec: Executor, companyId: string, accountId: string, asOf: Date): Promise<Totals> {
  const [r] = await queryRows<Row>(
    exec,
    sql`select
          (select coalesce(sum(amount) filter (where direction = 'debit'), 0) from ledger_postings
             where company_id = ${companyId} and account_id = ${accountId} and effective_at <= ${instantParam(asOf)}) as debits_posted,
          (select coalesce(sum(amount) filter (where direction = 'credit'), 0) from ledger_postings
             where company_id = ${companyId} and account_id = ${accountId} and effective_at <= ${instantParam(asOf)}) as credits_posted,
          (select coalesce(sum(amount), 0) from ledger_holds where company_id = ${companyId} and debit_account_id = ${accountId} and placed_at <= ${instantParam(asOf)}
             and (resolved_at is null or resolved_at > ${instantParam(asOf)})) as debits_pending,
          (select coalesce(sum(amount), 0) from ledger_holds where company_id = ${companyId} and credit_account_id = ${accountId} and placed_at <= ${instantParam(asOf)}
             and (resolved_at is null or resolved_at > ${instantParam(asOf)})) as credits_pending`,
  );
  return {
    debitsPosted: big(r!['debits_posted']),
    creditsPosted: big(r!['credits_posted']),
    debitsPending: big(r!['debits_pending']),
    creditsPending: big(r!['credits_pending']),
  };
}

// ---------------------------------------------------------------- transactions

export type NewTransactionRow = Omit<Transaction, 'createdAt' | 'reversedByTransactionId' | 'postings'>;

async function withPostings(exec: Executor, companyId: string, rows: Row[]): Promise<Transaction[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r['id'] as string);
  const postings = await queryRows<Row>(
    exec,
    sql`select transaction_id, account_id, direction, amount, currency from ledger_postings
        where company_id = ${companyId} and transaction_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) order by transaction_id, id`,
  );
  const byTx = new Map<string, Posting[]>();
  for (const p of postings) {
    const list = byTx.get(p['transaction_id'] as string) ?? [];
    list.push({ accountId: p['account_id'] as string, direction: p['direction'] as Direction, amount: big(p['amount']), currency: p['currency'] as Currency });
    byTx.set(p['transaction_id'] as string, list);
  }
  return rows.map((r) => ({
    id: r['id'] as string,
    companyId: r['company_id'] as string,
    code: r['code'] as string,
    referenceType: r['reference_type'] as string,
    referenceId: r['reference_id'] as string,
    description: (r['description'] as string | null) ?? null,
    effectiveAt: instant(r['effective_at']),
    createdAt: instant(r['created_at']),
    reversesTransactionId: (r['reverses_transaction_id'] as string | null) ?? null,
    reversedByTransactionId: (r['reversed_by'] as string | null) ?? null,
    postings: byTx.get(r['id'] as string) ?? [],
  }));
}

const TRANSACTION_COLUMNS = sql`t.*, (select r.id from ledger_transactions r where r.company_id = t.company_id and r.reverses_transaction_id = t.id) as reversed_by`;

export async function findTransaction(exec: Executor, companyId: string, id: string): Promise<Transaction | null> {
  const rows = await queryRows<Row>(exec, sql`select ${TRANSACTION_COLUMNS} from ledger_transactions t where t.company_id = ${companyId} and t.id = ${id}`);
  return (await withPostings(exec, companyId, rows))[0] ?? null;
}

export async function findTransactionByReference(
  exec: Executor,
  companyId: string,
  ref: { code: string; referenceType: string; referenceId: string },
): Promise<Transaction | null> {
  const rows = await queryRows<Row>(
    exec,
    sql`select ${TRANSACTION_COLUMNS} from ledger_transactions t where t.company_id = ${companyId} and t.code = ${ref.code}
        and t.reference_type = ${ref.referenceType} and t.reference_id = ${ref.referenceId}`,
  );
  return (await withPostings(exec, companyId, rows))[0] ?? null;
}

export async function isReversed(exec: Executor, companyId: string, transactionId: string): Promise<boolean> {
  const rows = await queryRows<Row>(
    exec,
    sql`select 1 from ledger_transactions where company_id = ${companyId} and reverses_transaction_id = ${transactionId}`,
  );
  return rows.length > 0;
}

export interface TransactionFilters {
  accountId?: string;
  code?: string;
  referenceType?: string;
  referenceId?: string;
  /** Effective at or after. */
  from?: Date;
  /** Effective before. */
  to?: Date;
}

/** Newest first by effective time, then id (ids are time-ordered), so pages are stable. */
export async function listTransactions(
  exec: Executor,
  companyId: string,
  f: TransactionFilters,
  page: PageRequest,
): Promise<{ rows: Transaction[]; total: number }> {
  const conditions = [sql`t.company_id = ${companyId}`];
  if (f.accountId)
    conditions.push(
      sql`exists (select 1 from ledger_postings p where p.company_id = t.company_id and p.transaction_id = t.id and p.account_id = ${f.accountId})`,
    );
  if (f.code) conditions.push(sql`t.code = ${f.code}`);
  if (f.referenceType) conditions.push(sql`t.reference_type = ${f.referenceType}`);
  if (f.referenceId) conditions.push(sql`t.reference_id = ${f.referenceId}`);
  if (f.from) conditions.push(sql`t.effective_at >= ${instantParam(f.from)}`);
  if (f.to) conditions.push(sql`t.effective_at < ${instantParam(f.to)}`);
  const rows = await queryRows<Row>(
    exec,
    sql`select ${TRANSACTION_COLUMNS}, count(*) over () as total from ledger_transactions t where ${where(conditions)}
        order by t.effective_at desc, t.id desc limit ${page.limit} offset ${page.offset}`,
  );
  const total = rows.length > 0 ? Number(rows[0]!['total']) : await countRows(exec, sql`ledger_transactions t`, conditions);
  return { rows: await withPostings(exec, companyId, rows), total };
}

// ---------------------------------------------------------------- holds

export async function insertHold(exec: Executor, h: Hold): Promise<void> {
  await exec.execute(
    sql`insert into ledger_holds (id, company_id, code, reference_type, reference_id, currency, debit_account_id, credit_account_id, amount, status, placed_at)
        values (${h.id}, ${h.companyId}, ${h.code}, ${h.referenceType}, ${h.referenceId}, ${h.currency}, ${h.debitAccountId}, ${h.creditAccountId},
                ${amountParam(h.amount)}, 'pending', ${instantParam(h.placedAt)})`,
  );
}

export async function findHold(exec: Executor, companyId: string, id: string, lock = false): Promise<Hold | null> {
  const [row] = await queryRows<Row>(exec, sql`select * from ledger_holds where company_id = ${companyId} and id = ${id} ${lock ? sql`for update` : sql``}`);
  return row ? toHold(row) : null;
}

export async function findHoldByReference(
  exec: Executor,
  companyId: string,
  ref: { code: string; referenceType: string; referenceId: string },
): Promise<Hold | null> {
  const [row] = await queryRows<Row>(
    exec,
    sql`select * from ledger_holds where company_id = ${companyId} and code = ${ref.code} and reference_type = ${ref.referenceType} and reference_id = ${ref.referenceId}`,
  );
  return row ? toHold(row) : null;
}

/** Throws (a bug, never input) when the company has no such hold: a lost update would be silent. */
export async function resolveHold(
  exec: Executor,
  companyId: string,
  id: string,
  r: { status: 'captured' | 'voided'; capturedAmount: bigint; captureTransactionId: string | null; resolvedAt: Date },
): Promise<void> {
  const updated = await queryRows<Row>(
    exec,
    sql`update ledger_holds set status = ${r.status}, captured_amount = ${amountParam(r.capturedAmount)},
          capture_transaction_id = ${r.captureTransactionId}, resolved_at = ${instantParam(r.resolvedAt)}
        where company_id = ${companyId} and id = ${id}
        returning id`,
  );
  if (updated.length === 0) throw new Error(`ledger hold ${id} not found in company ${companyId}`);
}
