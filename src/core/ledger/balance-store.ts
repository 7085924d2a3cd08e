import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import { queryRows } from '../db/transaction.js';
import type { Currency } from '../money/money.js';
import type { Direction, Posting, Totals } from './model.js';

// The SQL that writes the journal and moves balances (ADR 0029). A balance is its row in
// ledger_balances plus the sum of its unfolded rows in ledger_balance_deltas:
// - a change that cannot fail a check (any change to an account with allow_negative; on the
//   others, one that does not lower the available balance) is a delta row, inserted with the
//   journal in one statement: no balance row is read, updated or locked;
// - a change that can fail (a debit of merchant_available or payout_float, a hold on it) is the
//   checked update: it locks the balance row, folds the account's deltas into it (delete and add,
//   in the same statement) and applies the change only if the available balance stays >= 0;
// - compaction folds the deltas of accounts that are never checked (clearing, funding).
// Same conventions as repository.ts: every statement is scoped by company, amounts are sent as text.

type Row = Record<string, unknown>;

const big = (v: unknown): bigint => BigInt(v as string | number | bigint);
const instant = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const amountParam = (v: bigint) => sql`${v.toString()}::bigint`;

/** What a balance change needs to know of its account (all immutable). */
export interface AccountLimits {
  id: string;
  currency: Currency;
  normalBalance: Direction;
  allowNegative: boolean;
}

export interface AccountDelta extends Totals {
  account: AccountLimits;
}

/** How much the change moves the account's available balance (posted − pending outflows). */
export function availableEffect(normal: Direction, d: Totals): bigint {
  return normal === 'debit' ? d.debitsPosted - d.creditsPosted - d.creditsPending : d.creditsPosted - d.debitsPosted - d.debitsPending;
}

/** Can this change fail the non-negative check? Only those take the checked, locked update. */
export function needsCheck(d: AccountDelta): boolean {
  return !d.account.allowNegative && availableEffect(d.account.normalBalance, d) < 0n;
}

function deltaRows(companyId: string, deltas: readonly AccountDelta[]): SQL {
  return sql.join(
    deltas.map(
      (d) => sql`(${d.account.id}::text, ${companyId}::text, ${d.account.currency}::text, ${d.account.normalBalance}::text, ${d.account.allowNegative}::boolean,
                  ${amountParam(d.debitsPosted)}, ${amountParam(d.creditsPosted)}, ${amountParam(d.debitsPending)}, ${amountParam(d.creditsPending)})`,
    ),
    sql`, `,
  );
}

const DELTA_COLUMNS = sql.raw(
  `account_id, company_id, currency, normal_balance, allow_negative, debits_posted, credits_posted, debits_pending, credits_pending`,
);

export interface JournalRow {
  id: string;
  companyId: string;
  code: string;
  referenceType: string;
  referenceId: string;
  description: string | null;
  effectiveAt: Date;
  reversesTransactionId: string | null;
}

/**
 * One statement: the transaction row, its postings and the unchecked deltas; the deferred trigger
 * checks the whole at COMMIT. Null, with nothing written, when a unique key refuses the row (the
 * business event already has its transaction, or the original is already reversed): a committed
 * twin is found, an uncommitted one is waited for, and the caller's transaction is not aborted.
 */
export async function insertJournal(exec: Executor, t: JournalRow, postings: readonly Posting[], deltas: readonly AccountDelta[]): Promise<Date | null> {
  const values = sql.join(
    postings.map((p, i) => sql`(${i}::int, ${p.accountId}::text, ${p.currency}::text, ${p.direction}::text, ${amountParam(p.amount)})`),
    sql`, `,
  );
  const deltaInsert =
    deltas.length === 0
      ? sql``
      : sql`, d as (insert into ledger_balance_deltas (${DELTA_COLUMNS})
              select v.* from (values ${deltaRows(t.companyId, deltas)}) as v (${DELTA_COLUMNS}) where exists (select 1 from t))`;
  const [row] = await queryRows<Row>(
    exec,
    sql`with t as (
          insert into ledger_transactions (id, company_id, code, reference_type, reference_id, description, effective_at, reverses_transaction_id)
          values (${t.id}, ${t.companyId}, ${t.code}, ${t.referenceType}, ${t.referenceId}, ${t.description}, ${t.effectiveAt.toISOString()}::timestamptz, ${t.reversesTransactionId})
          on conflict do nothing
          returning id, company_id, effective_at, created_at),
        p as (
          insert into ledger_postings (transaction_id, company_id, account_id, currency, direction, amount, effective_at)
          select t.id, t.company_id, v.account_id, v.currency, v.direction, v.amount, t.effective_at
          from t cross join (values ${values}) as v (n, account_id, currency, direction, amount) order by v.n)
        ${deltaInsert}
        select created_at from t`,
  );
  return row ? instant(row['created_at']) : null;
}

/** The unchecked deltas of a hold placed, captured or voided, in one statement (none: no statement). */
export async function insertDeltas(exec: Executor, companyId: string, deltas: readonly AccountDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await exec.execute(sql`insert into ledger_balance_deltas (${DELTA_COLUMNS}) values ${deltaRows(companyId, deltas)}`);
}

export type BalanceChange = 'applied' | 'refused' | 'missing';

/**
 * The checked update, in one statement: locks the account's balance row, folds its deltas into
 * it, and adds `d` unless the account may not go negative and the change takes its available
 * balance below zero ('refused': the fold is kept, `d` is written nowhere, and the caller's
 * transaction is not aborted, as a CHECK violation would). The row is locked before the deltas are
 * deleted, so every folder takes the same order (row, then its deltas) and concurrent folders
 * queue on the row; a delta a concurrent fold already took is not returned by this DELETE, so it
 * is never added twice. Callers apply their checked changes in ascending account id.
 * 'missing': the company has no balance row for the account (a bug).
 */
export async function applyChecked(exec: Executor, companyId: string, accountId: string, d: Totals): Promise<BalanceChange> {
  const [dp, cp, dq, cq] = [d.debitsPosted, d.creditsPosted, d.debitsPending, d.creditsPending].map(amountParam) as [SQL, SQL, SQL, SQL];
  const rows = await queryRows<Row>(
    exec,
    sql`with cur as (
          select account_id, normal_balance, allow_negative, debits_posted, credits_posted, debits_pending, credits_pending
          from ledger_balances where company_id = ${companyId} and account_id = ${accountId} for update),
        d as (
          delete from ledger_balance_deltas where company_id = ${companyId} and account_id = ${accountId} and exists (select 1 from cur)
          returning debits_posted, credits_posted, debits_pending, credits_pending),
        s as (
          select coalesce(sum(debits_posted), 0) as dp, coalesce(sum(credits_posted), 0) as cp,
                 coalesce(sum(debits_pending), 0) as dq, coalesce(sum(credits_pending), 0) as cq from d),
        f as (
          select cur.account_id, cur.normal_balance, cur.allow_negative, cur.debits_posted + s.dp as dp, cur.credits_posted + s.cp as cp,
                 cur.debits_pending + s.dq as dq, cur.credits_pending + s.cq as cq from cur cross join s),
        k as (
          select f.*, (f.allow_negative
            or (case when f.normal_balance = 'debit' then ${dp} - ${cp} - ${cq} else ${cp} - ${dp} - ${dq} end) >= 0
            or (case when f.normal_balance = 'debit' then f.dp + ${dp} - f.cp - ${cp} - f.cq - ${cq}
                     else f.cp + ${cp} - f.dp - ${dp} - f.dq - ${dq} end) >= 0) as ok
          from f)
        update ledger_balances b set
          debits_posted = k.dp + case when k.ok then ${dp} else 0 end,
          credits_posted = k.cp + case when k.ok then ${cp} else 0 end,
          debits_pending = k.dq + case when k.ok then ${dq} else 0 end,
          credits_pending = k.cq + case when k.ok then ${cq} else 0 end,
          version = b.version + 1
        from k where b.company_id = ${companyId} and b.account_id = k.account_id
        returning k.ok as ok`,
  );
  if (rows.length === 0) return 'missing';
  return rows[0]!['ok'] === true ? 'applied' : 'refused';
}

/** The current totals: the balance row plus the account's unfolded deltas, read in one snapshot. */
export async function readTotals(exec: Executor, companyId: string, accountId: string): Promise<Totals> {
  const [r] = await queryRows<Row>(
    exec,
    sql`select b.debits_posted + s.dp as debits_posted, b.credits_posted + s.cp as credits_posted,
               b.debits_pending + s.dq as debits_pending, b.credits_pending + s.cq as credits_pending
        from ledger_balances b cross join lateral (
          select coalesce(sum(debits_posted), 0) as dp, coalesce(sum(credits_posted), 0) as cp,
                 coalesce(sum(debits_pending), 0) as dq, coalesce(sum(credits_pending), 0) as cq
          from ledger_balance_deltas d where d.company_id = b.company_id and d.account_id = b.account_id) s
        where b.company_id = ${companyId} and b.account_id = ${accountId}`,
  );
  if (!r) throw new Error(`ledger account ${accountId} has no balance row`);
  return {
    debitsPosted: big(r['debits_posted']),
    creditsPosted: big(r['credits_posted']),
    debitsPending: big(r['debits_pending']),
    creditsPending: big(r['credits_pending']),
  };
}

/** Accounts with at least `minDeltas` unfolded deltas (one company, or all), most first. */
export async function accountsToCompact(
  exec: Executor,
  options: { companyId?: string; minDeltas: number; limit: number },
): Promise<{ companyId: string; accountId: string }[]> {
  const rows = await queryRows<Row>(
    exec,
    sql`select company_id, account_id from ledger_balance_deltas
        ${options.companyId ? sql`where company_id = ${options.companyId}` : sql``}
        group by company_id, account_id having count(*) >= ${options.minDeltas}
        order by count(*) desc, account_id limit ${options.limit}`,
  );
  return rows.map((r) => ({ companyId: r['company_id'] as string, accountId: r['account_id'] as string }));
}
