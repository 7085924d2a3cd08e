import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import { queryRows } from '../db/transaction.js';

/**
 * The ledger invariant checker (PAY-6), behind `tijori ledger verify` and run by the tests after
 * every step. It reads the tables directly and trusts nothing the code maintains: the database
 * refuses most of these breaks on its own, and this finds the rest and any that got past it
 * (a restore, a manual fix with the triggers disabled, a bug in a migration).
 */
export type BreakKind = 'unbalanced_transaction' | 'posting_mismatch' | 'balance_mismatch' | 'negative_balance' | 'hold_inconsistent' | 'reversal_mismatch';

export interface Break {
  kind: BreakKind;
  companyId: string | null;
  /** The transaction, posting, account or hold at fault. */
  id: string;
  message: string;
}

export interface VerifyReport {
  checked: { companies: number; accounts: number; transactions: number; postings: number; holds: number };
  breaks: Break[];
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

const SIGNED = sql.raw(`case p.direction when 'debit' then p.amount else -p.amount end`);

export async function verifyLedger(exec: Executor, options: { companyId?: string } = {}): Promise<VerifyReport> {
  const scope = (column: string): SQL => (options.companyId ? sql`${sql.raw(column)} = ${options.companyId}` : sql`true`);
  const breaks: Break[] = [];
  const add = (kind: BreakKind, rows: Row[], message: (r: Row) => string) => {
    for (const r of rows) breaks.push({ kind, companyId: (r['company_id'] as string | null) ?? null, id: text(r['id']), message: message(r) });
  };

  // 1. Every transaction has postings that sum to zero in each currency (and at least two).
  add(
    'unbalanced_transaction',
    await queryRows<Row>(
      exec,
      sql`select t.id, t.company_id, p.currency, count(p.id) as n, coalesce(sum(${SIGNED}), 0) as net
          from ledger_transactions t left join ledger_postings p on p.transaction_id = t.id
          where ${scope('t.company_id')}
          group by t.id, t.company_id, p.currency
          having count(p.id) < 2 or sum(${SIGNED}) <> 0
          order by t.id, p.currency`,
    ),
    (r) =>
      Number(r['n']) === 0
        ? `transaction ${text(r['id'])} has no postings`
        : `transaction ${text(r['id'])} does not balance in ${text(r['currency'])}: debits − credits = ${text(r['net'])} over ${text(r['n'])} posting(s)`,
  );

  // 2. Every posting belongs to an existing transaction and account of its company, in the account's currency.
  add(
    'posting_mismatch',
    await queryRows<Row>(
      exec,
      sql`select p.id, p.company_id, p.transaction_id, p.account_id,
            case when t.id is null then 'its transaction does not exist'
                 when a.id is null then 'its account does not exist'
                 when t.company_id <> p.company_id or a.company_id <> p.company_id then 'it crosses companies'
                 when a.currency <> p.currency then 'its currency differs from its account''s'
                 else 'its effective time differs from its transaction''s' end as why
          from ledger_postings p
          left join ledger_transactions t on t.id = p.transaction_id
          left join ledger_accounts a on a.id = p.account_id
          where ${scope('p.company_id')} and (t.id is null or a.id is null or t.company_id <> p.company_id or a.company_id <> p.company_id
            or a.currency <> p.currency or t.effective_at <> p.effective_at)
          order by p.id`,
    ),
    (r) => `posting ${text(r['id'])} of transaction ${text(r['transaction_id'])} on account ${text(r['account_id'])}: ${text(r['why'])}`,
  );

  // 3 and 4. Each balance (its row plus its unfolded deltas, ADR 0029) equals the sums of its
  // postings (posted) and open holds (pending), and no account without allow_negative has a
  // negative available balance by those sums.
  const balances = await queryRows<Row>(
    exec,
    sql`with posted as (
          select account_id, sum(amount) filter (where direction = 'debit') as d, sum(amount) filter (where direction = 'credit') as c
          from ledger_postings where ${scope('company_id')} group by account_id),
        held_d as (select debit_account_id as account_id, sum(amount) as s from ledger_holds where status = 'pending' and ${scope('company_id')} group by 1),
        held_c as (select credit_account_id as account_id, sum(amount) as s from ledger_holds where status = 'pending' and ${scope('company_id')} group by 1),
        deltas as (
          select account_id, sum(debits_posted) as dp, sum(credits_posted) as cp, sum(debits_pending) as dq, sum(credits_pending) as cq
          from ledger_balance_deltas where ${scope('company_id')} group by account_id),
        b as (
          select r.account_id, r.company_id, r.currency, r.normal_balance, r.allow_negative,
            r.debits_posted + coalesce(d.dp, 0) as debits_posted, r.credits_posted + coalesce(d.cp, 0) as credits_posted,
            r.debits_pending + coalesce(d.dq, 0) as debits_pending, r.credits_pending + coalesce(d.cq, 0) as credits_pending
          from ledger_balances r left join deltas d on d.account_id = r.account_id),
        expected as (
          select a.id, a.company_id, a.code, a.currency, a.normal_balance, a.allow_negative,
            coalesce(posted.d, 0) as dp, coalesce(posted.c, 0) as cp, coalesce(held_d.s, 0) as dq, coalesce(held_c.s, 0) as cq
          from ledger_accounts a
          left join posted on posted.account_id = a.id
          left join held_d on held_d.account_id = a.id
          left join held_c on held_c.account_id = a.id
          where ${scope('a.company_id')})
        select e.*, b.account_id as balance_row, b.debits_posted, b.credits_posted, b.debits_pending, b.credits_pending,
          (b.account_id is null or b.company_id <> e.company_id or b.currency <> e.currency or b.normal_balance <> e.normal_balance
            or b.allow_negative <> e.allow_negative or b.debits_posted <> e.dp or b.credits_posted <> e.cp
            or b.debits_pending <> e.dq or b.credits_pending <> e.cq) as mismatch,
          (not e.allow_negative and case when e.normal_balance = 'debit' then e.dp - e.cp - e.cq else e.cp - e.dp - e.dq end < 0) as negative,
          case when e.normal_balance = 'debit' then e.dp - e.cp - e.cq else e.cp - e.dp - e.dq end as available
        from expected e left join b on b.account_id = e.id
        order by e.id`,
  );
  add(
    'balance_mismatch',
    balances.filter((r) => r['mismatch'] === true),
    (r) =>
      r['balance_row'] === null || r['balance_row'] === undefined
        ? `account ${text(r['id'])} (${text(r['code'])}) has no balance row`
        : `account ${text(r['id'])} (${text(r['code'])}): balance row and deltas have debits/credits posted ${text(r['debits_posted'])}/${text(r['credits_posted'])}, ` +
          `pending ${text(r['debits_pending'])}/${text(r['credits_pending'])}; its postings and open holds give ` +
          `${text(r['dp'])}/${text(r['cp'])}, pending ${text(r['dq'])}/${text(r['cq'])}`,
  );
  add(
    'negative_balance',
    balances.filter((r) => r['negative'] === true),
    (r) =>
      `account ${text(r['id'])} (${text(r['code'])}) may not go negative but its available balance is ${text(r['available'])} ${text(r['currency'])} minor units`,
  );
  add(
    'balance_mismatch',
    await queryRows<Row>(
      exec,
      sql`select b.account_id as id, b.company_id from ledger_balances b left join ledger_accounts a on a.id = b.account_id
          where a.id is null and ${scope('b.company_id')} order by b.account_id`,
    ),
    (r) => `balance row ${text(r['id'])} has no account`,
  );
  add(
    'balance_mismatch',
    await queryRows<Row>(
      exec,
      sql`select d.account_id as id, d.company_id, count(*) as n from ledger_balance_deltas d
          where ${scope('d.company_id')} and not exists (select 1 from ledger_balances b where b.account_id = d.account_id and b.company_id = d.company_id)
          group by d.account_id, d.company_id order by d.account_id`,
    ),
    (r) => `account ${text(r['id'])} has ${text(r['n'])} balance delta(s) but no balance row`,
  );

  // 5. A captured hold has exactly its capture transaction: same code and reference, debit and
  // credit of the captured amount on the hold's accounts; its accounts are of its company and currency.
  add(
    'hold_inconsistent',
    await queryRows<Row>(
      exec,
      sql`select h.id, h.company_id from ledger_holds h
          left join ledger_transactions t on t.id = h.capture_transaction_id
          left join ledger_accounts d on d.id = h.debit_account_id
          left join ledger_accounts c on c.id = h.credit_account_id
          where ${scope('h.company_id')} and (
            d.id is null or c.id is null or d.company_id <> h.company_id or c.company_id <> h.company_id
            or d.currency <> h.currency or c.currency <> h.currency
            or (h.status = 'captured' and (t.id is null or t.company_id <> h.company_id or t.code <> h.code
              or t.reference_type <> h.reference_type or t.reference_id <> h.reference_id
              or (select count(*) from ledger_postings p where p.transaction_id = t.id) <> 2
              or not exists (select 1 from ledger_postings p where p.transaction_id = t.id and p.account_id = h.debit_account_id
                             and p.direction = 'debit' and p.amount = h.captured_amount)
              or not exists (select 1 from ledger_postings p where p.transaction_id = t.id and p.account_id = h.credit_account_id
                             and p.direction = 'credit' and p.amount = h.captured_amount)))
            or (h.status <> 'captured' and h.capture_transaction_id is not null))
          order by h.id`,
    ),
    (r) => `hold ${text(r['id'])} does not match its accounts or its capture transaction`,
  );

  // 6. A reversal mirrors the transaction it reverses, posting for posting.
  add(
    'reversal_mismatch',
    await queryRows<Row>(
      exec,
      sql`select r.id, r.company_id, r.reverses_transaction_id from ledger_transactions r
          where r.reverses_transaction_id is not null and ${scope('r.company_id')} and exists (
            (select account_id, case direction when 'debit' then 'credit' else 'debit' end, amount from ledger_postings where transaction_id = r.reverses_transaction_id
             except all select account_id, direction, amount from ledger_postings where transaction_id = r.id)
            union all
            (select account_id, direction, amount from ledger_postings where transaction_id = r.id
             except all select account_id, case direction when 'debit' then 'credit' else 'debit' end, amount from ledger_postings where transaction_id = r.reverses_transaction_id))
          order by r.id`,
    ),
    (r) => `reversal ${text(r['id'])} does not mirror transaction ${text(r['reverses_transaction_id'])}`,
  );

  const [counts] = await queryRows<Row>(
    exec,
    sql`select
          (select count(distinct company_id) from ledger_accounts where ${scope('company_id')}) as companies,
          (select count(*) from ledger_accounts where ${scope('company_id')}) as accounts,
          (select count(*) from ledger_transactions where ${scope('company_id')}) as transactions,
          (select count(*) from ledger_postings where ${scope('company_id')}) as postings,
          (select count(*) from ledger_holds where ${scope('company_id')}) as holds`,
  );
  return {
    checked: {
      companies: Number(counts!['companies']),
      accounts: Number(counts!['accounts']),
      transactions: Number(counts!['transactions']),
      postings: Number(counts!['postings']),
      holds: Number(counts!['holds']),
    },
    breaks,
  };
}

/** The report as the CLI prints it. */
export function formatReport(report: VerifyReport): string {
  const c = report.checked;
  const lines = [`Checked ${c.companies} companies, ${c.accounts} accounts, ${c.transactions} transactions, ${c.postings} postings, ${c.holds} holds.`];
  if (report.breaks.length === 0) lines.push('Ledger OK: every invariant holds.');
  else {
    lines.push(`Ledger BROKEN: ${report.breaks.length} break(s).`);
    for (const b of report.breaks) lines.push(`  [${b.kind}] ${b.companyId ?? '-'} ${b.message}`);
  }
  return lines.join('\n');
}
