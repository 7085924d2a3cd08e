import { getTableColumns, type Column } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import { definePrepared, toBigInt, toDate } from '../../../core/db/prepared.js';
import type { Order } from '../orders/model.js';
import { toOrder } from '../orders/repository.js';
import { gatewayOrders } from '../orders/tables.js';
import type { Payment } from './model.js';
import { toPayment } from './repository.js';
import { gatewayPayments } from './tables.js';

// The payment path's statements (ADR 0028): named prepared statements with explicit column lists,
// built once at module load from the tables' own column definitions, so that a column added to a
// table is added here too. Every statement is scoped by company.

type Columns = Record<string, Column>;

/** `p.amount_paise as "p_amountPaise", …`: each column under its domain key, behind a prefix per table. */
function selectList(columns: Columns, alias: string): string {
  return Object.entries(columns)
    .map(([key, column]) => `${alias}.${column.name} as "${alias}_${key}"`)
    .join(', ');
}

/** A row's columns of one table (behind its prefix) as the domain object, int8 and timestamps normalised. */
function pick(row: Record<string, unknown>, columns: Columns, alias: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = row[`${alias}_${key}`];
    if (value === null || value === undefined) out[key] = null;
    else if (column.columnType === 'PgBigInt64') out[key] = toBigInt(value);
    else if (column.columnType === 'PgTimestamp') out[key] = toDate(value);
    else out[key] = value;
  }
  return out;
}

const PAYMENT = getTableColumns(gatewayPayments) as unknown as Columns;
const ORDER = getTableColumns(gatewayOrders) as unknown as Columns;

const asPayment = (row: Record<string, unknown>) => toPayment(pick(row, PAYMENT, 'p') as Parameters<typeof toPayment>[0]);
const asOrder = (row: Record<string, unknown>) => toOrder(pick(row, ORDER, 'o') as Parameters<typeof toOrder>[0]);

/** The SQL value of one column: jsonb as its JSON text (arrays included), the rest as is. */
function value(column: Column, v: unknown): unknown {
  if (column.columnType === 'PgJsonb') return v === null || v === undefined ? null : JSON.stringify(v);
  return v;
}

const cast = (column: Column) =>
  column.columnType === 'PgJsonb' ? '::jsonb' : column.columnType === 'PgTimestamp' ? '::timestamptz' : column.columnType === 'PgBigInt64' ? '::int8' : '';

// ---------------------------------------------------------------------------------------------
// Reads

const paymentWithOrder = definePrepared<Record<string, unknown>, [string, string]>(
  'gateway_payment_with_order',
  `select ${selectList(PAYMENT, 'p')}, ${selectList(ORDER, 'o')} from gateway_payments p join gateway_orders o on o.company_id = p.company_id and o.id = p.order_id where p.company_id = $1 and p.id = $2`,
);

/** A payment with its order in one statement (Get Transaction Status, the UPI status route). */
export async function findPaymentWithOrder(exec: Executor, companyId: string, id: string): Promise<{ payment: Payment; order: Order } | undefined> {
  const row = await paymentWithOrder.one(exec, [companyId, id]);
  return row && { payment: asPayment(row), order: asOrder(row) };
}

const lockPaymentWithOrder = definePrepared<Record<string, unknown>, [string, string]>(
  'gateway_payment_with_order_lock',
  // FOR UPDATE locks both rows, the order's first (its table comes first), as every writer of an attempt does.
  `select ${selectList(ORDER, 'o')}, ${selectList(PAYMENT, 'p')} from gateway_orders o join gateway_payments p on p.company_id = o.company_id and p.order_id = o.id where p.company_id = $1 and p.id = $2 for update`,
);

/** The order and the payment, both locked, in one statement. */
export async function lockPaymentAndOrder(tx: Executor, companyId: string, id: string): Promise<{ payment: Payment; order: Order } | undefined> {
  const row = await lockPaymentWithOrder.one(tx, [companyId, id]);
  return row && { payment: asPayment(row), order: asOrder(row) };
}

const orderLock = definePrepared<Record<string, unknown>, [string, string]>(
  'gateway_order_lock',
  `select ${selectList(ORDER, 'o')} from gateway_orders o where o.company_id = $1 and o.id = $2 for update`,
);

export async function lockOrder(tx: Executor, companyId: string, orderId: string): Promise<Order | undefined> {
  const row = await orderLock.one(tx, [companyId, orderId]);
  return row && asOrder(row);
}

/** What the submit needs of an order's other attempts: which are with the bank, which are open. */
export interface AttemptState {
  id: string;
  step: Payment['step'];
  timeoutAt: Date | null;
  /** When it last moved (sandbox time): an attempt that just reached its OTP or 3-D Secure page is still in progress. */
  updatedAt: Date;
}
const orderAttempts = definePrepared<{ id: string; step: Payment['step']; timeout_at: unknown; updated_at: unknown }, [string, string]>(
  'gateway_order_attempt_steps',
  `select id, step, timeout_at, updated_at from gateway_payments where company_id = $1 and order_id = $2 and step <> 'DONE'`,
);

/** The order's attempts that are not final (a new statement, so it sees what the order lock waited for). */
export async function listLiveAttempts(tx: Executor, companyId: string, orderId: string): Promise<AttemptState[]> {
  return (await orderAttempts.rows(tx, [companyId, orderId])).map((r) => ({
    id: r.id,
    step: r.step,
    timeoutAt: r.timeout_at === null ? null : toDate(r.timeout_at),
    updatedAt: toDate(r.updated_at),
  }));
}

// ---------------------------------------------------------------------------------------------
// Writes

const PAYMENT_ENTRIES = Object.entries(PAYMENT);
const insertAttemptSql = `with ins as (insert into gateway_payments (${PAYMENT_ENTRIES.map(([, c]) => c.name).join(', ')}) values (${PAYMENT_ENTRIES.map(([, c], i) => `$${i + 1}${cast(c)}`).join(', ')}) returning order_id, xmin::text as version)
 update gateway_orders o set status = 'ATTEMPTED', attempts_used = o.attempts_used + 1, updated_at = $${PAYMENT_ENTRIES.length + 1}::timestamptz from ins where o.company_id = $2 and o.id = ins.order_id
 returning o.xmin::text as order_version, ins.version as payment_version`;
const insertAttempt = definePrepared<{ order_version: string; payment_version: string }>('gateway_payment_insert_attempt', insertAttemptSql);

/**
 * The rows as a transaction wrote them: each row's `xmin` (the id of the transaction that wrote
 * its current version), so that a later transaction can write them only if nothing changed them since.
 */
export interface Versions {
  order: string;
  payment: string;
}

/** A new attempt, already PROCESSING, and its order ATTEMPTED with one more attempt used: one statement. */
export async function insertProcessingAttempt(tx: Executor, payment: Payment, now: Date): Promise<Versions> {
  const record = payment as unknown as Record<string, unknown>;
  // Every column is written: a column added to the table must be added to Payment too (not left to its default).
  const missing = PAYMENT_ENTRIES.find(([key]) => record[key] === undefined);
  if (missing) throw new Error(`gateway_payments.${missing[1].name} has no value in the Payment being inserted`);
  const row = await insertAttempt.one(tx, [...PAYMENT_ENTRIES.map(([key, c]) => value(c, record[key])), now]);
  if (!row) throw new Error(`the attempt ${payment.id} was inserted but its order ${payment.orderId} was not updated`);
  return { order: String(row.order_version), payment: String(row.payment_version) };
}

const typed = (column: Column) => (column.columnType === 'PgJsonb' ? '::jsonb' : `::${column.getSQLType()}`);
const companyParam = PAYMENT_ENTRIES.findIndex(([key]) => key === 'companyId') + 1;
const orderParam = PAYMENT_ENTRIES.findIndex(([key]) => key === 'orderId') + 1;
const insertAloneAttempt = definePrepared<{ live: unknown; order_version: string | null; payment_version: string | null }>(
  'gateway_payment_insert_alone_attempt',
  `with live as (select id, step, timeout_at, updated_at from gateway_payments where company_id = $${companyParam} and order_id = $${orderParam} and step <> 'DONE'),
 ins as (insert into gateway_payments (${PAYMENT_ENTRIES.map(([, c]) => c.name).join(', ')}) select ${PAYMENT_ENTRIES.map(([, c], i) => `$${i + 1}${typed(c)}`).join(', ')} where not exists (select 1 from live) returning order_id, xmin::text as version),
 upd as (update gateway_orders o set status = 'ATTEMPTED', attempts_used = o.attempts_used + 1, updated_at = $${PAYMENT_ENTRIES.length + 1}::timestamptz from ins where o.company_id = $${companyParam} and o.id = ins.order_id
   returning o.xmin::text as order_version, ins.version as payment_version)
 select (select json_agg(json_build_object('id', id, 'step', step, 'timeout_at', timeout_at, 'updated_at', updated_at)) from live) as live, (select order_version from upd) as order_version, (select payment_version from upd) as payment_version`,
);

/**
 * `insertProcessingAttempt` if the order has no attempt that is not final, with that read in the
 * same statement (ADR 0028; sent after the order's lock, like `listLiveAttempts`, so it sees what
 * the lock waited for). Returns the versions when it inserted; else it wrote nothing and returns
 * the order's live attempts, for the caller to deal with before it inserts.
 */
export async function insertAttemptIfAlone(tx: Executor, payment: Payment, now: Date): Promise<{ versions: Versions } | { live: AttemptState[] }> {
  const record = payment as unknown as Record<string, unknown>;
  const missing = PAYMENT_ENTRIES.find(([key]) => record[key] === undefined);
  if (missing) throw new Error(`gateway_payments.${missing[1].name} has no value in the Payment being inserted`);
  const row = await insertAloneAttempt.one(tx, [...PAYMENT_ENTRIES.map(([key, c]) => value(c, record[key])), now]);
  if (row?.order_version != null && row.payment_version != null)
    return { versions: { order: String(row.order_version), payment: String(row.payment_version) } };
  const live = (typeof row?.live === 'string' ? JSON.parse(row.live) : (row?.live ?? [])) as {
    id: string;
    step: Payment['step'];
    timeout_at: string | null;
    updated_at: string;
  }[];
  if (live.length === 0) throw new Error(`the attempt ${payment.id} was not inserted, and its order ${payment.orderId} has no live attempt`);
  return {
    live: live.map((r) => ({ id: r.id, step: r.step, timeoutAt: r.timeout_at === null ? null : toDate(r.timeout_at), updatedAt: toDate(r.updated_at) })),
  };
}

/** The columns an outcome may move; the rest (amounts, ids, refunds, settlement, split) never change here. */
const MUTABLE = PAYMENT_ENTRIES.filter(
  ([key]) =>
    ![
      'id',
      'companyId',
      'orderId',
      'amountPaise',
      'refundedPaise',
      'settlementId',
      'splitDetails',
      'uniqueTransactionId',
      'publicIdentifierKey',
      'createdAt',
    ].includes(key),
);
const setList = MUTABLE.map(([, c], i) => `${c.name} = $${i + 3}${cast(c)}`).join(', ');
const mutableValues = (payment: Payment) => MUTABLE.map(([key, c]) => value(c, (payment as unknown as Record<string, unknown>)[key]));

const writePaymentStatement = definePrepared<never>('gateway_payment_write', `update gateway_payments set ${setList} where company_id = $1 and id = $2`);

/** Writes an attempt as it now stands (the caller holds its order's lock and has read it in this transaction). */
export async function writePayment(tx: Executor, payment: Payment): Promise<void> {
  await writePaymentStatement.rows(tx, [payment.companyId, payment.id, ...mutableValues(payment)]);
}

const n = MUTABLE.length + 3;
const captureStatement = definePrepared<never>(
  'gateway_payment_capture',
  `with pay as (update gateway_payments set ${setList} where company_id = $1 and id = $2),
 closed as (update gateway_payments set status = 'CANCELLED', step = 'DONE', result_code = 'cancelled', txn_msg = $${n + 1}, updated_at = $${n}::timestamptz
   where company_id = $1 and order_id = $${n + 2} and id <> $2 and step in ('NEW', 'OTP', 'CHALLENGE'))
 update gateway_orders set status = 'PAID', paid_transaction_id = $2, updated_at = $${n}::timestamptz where company_id = $1 and id = $${n + 2}`,
);

/**
 * A capture's writes in one statement: the payment captured, the order PAID, and the order's
 * attempts still waiting for a mode or their holder cancelled (`closeReason`).
 */
export async function writeCapture(tx: Executor, payment: Payment, now: Date, closeReason: string): Promise<void> {
  await captureStatement.rows(tx, [payment.companyId, payment.id, ...mutableValues(payment), now, closeReason, payment.orderId]);
}

const captureIfUnchangedStatement = definePrepared<{ captured: string | number }>(
  'gateway_payment_capture_if_unchanged',
  `with o as (select o.id from gateway_orders o where o.company_id = $1 and o.id = $${n + 2} and o.xmin = $${n + 3}::xid and o.status in ('CREATED', 'ATTEMPTED') for update),
 pay as (update gateway_payments p set ${setList} from o where p.company_id = $1 and p.id = $2 and p.order_id = o.id and p.xmin = $${n + 4}::xid and p.step = 'PROCESSING' returning p.id),
 closed as (update gateway_payments set status = 'CANCELLED', step = 'DONE', result_code = 'cancelled', txn_msg = $${n + 1}, updated_at = $${n}::timestamptz
   where company_id = $1 and order_id = $${n + 2} and id <> $2 and step in ('NEW', 'OTP', 'CHALLENGE') and exists (select 1 from pay)),
 paid as (update gateway_orders set status = 'PAID', paid_transaction_id = $2, updated_at = $${n}::timestamptz where company_id = $1 and id = $${n + 2} and exists (select 1 from pay))
 select count(*) as captured from pay`,
);

/**
 * `writeCapture` without a lock taken first (ADR 0028): the order is locked and the capture written
 * in one statement, only if neither row changed since `versions` (the transaction that persisted
 * the attempt) and the order is payable and the attempt still PROCESSING. Returns whether it
 * wrote; when it did not, it wrote nothing and the caller locks and reads as usual. A version
 * compared after a lock wait is the row's newest (PostgreSQL re-checks a locked or updated row),
 * so a change that committed meanwhile is never missed.
 */
export async function captureIfUnchanged(tx: Executor, payment: Payment, now: Date, closeReason: string, versions: Versions): Promise<boolean> {
  const row = await captureIfUnchangedStatement.one(tx, [
    payment.companyId,
    payment.id,
    ...mutableValues(payment),
    now,
    closeReason,
    payment.orderId,
    versions.order,
    versions.payment,
  ]);
  return Number(row?.captured ?? 0) === 1;
}
