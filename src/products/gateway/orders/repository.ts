import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Executor } from '../../../core/db/engine.js';
import { definePrepared } from '../../../core/db/prepared.js';
import { uniqueViolation } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import { DuplicateOrderIdError } from './errors.js';
import type { Order, OrderOriginKind, OrderStatus } from './model.js';
import { gatewayOrders } from './tables.js';

type OrderRow = typeof gatewayOrders.$inferSelect;

/** An order row as the domain sees it (the payments repository reads orders joined to payments). */
export function toOrder(row: OrderRow): Order {
  return {
    ...row,
    currency: 'INR',
    status: row.status as OrderStatus,
    originKind: row.originKind as OrderOriginKind,
    customerInfo: row.customerInfo ?? null,
    customParameters: row.customParameters ?? null,
  };
}

const ORDER_COLUMNS = Object.entries(getTableColumns(gatewayOrders));
const castOf = (type: string) => (type === 'PgJsonb' ? '::jsonb' : type === 'PgTimestamp' ? '::timestamptz' : type === 'PgBigInt64' ? '::int8' : '');
/** The order insert of every create (API, links, QR, buttons, mandates) as a named prepared statement (ADR 0028). */
const insertOrderStatement = definePrepared<never>(
  'gateway_order_insert',
  `insert into gateway_orders (${ORDER_COLUMNS.map(([, c]) => c.name).join(', ')}) values (${ORDER_COLUMNS.map(([, c], i) => `$${i + 1}${castOf(c.columnType)}`).join(', ')})`,
);

function orderValues(order: Order): unknown[] {
  const record = order as unknown as Record<string, unknown>;
  const missing = ORDER_COLUMNS.find(([key]) => record[key] === undefined);
  if (missing) throw new Error(`gateway_orders.${missing[1].name} has no value in the Order being inserted`);
  return ORDER_COLUMNS.map(([key, c]) => (c.columnType === 'PgJsonb' && record[key] !== null ? JSON.stringify(record[key]) : record[key]));
}

/** A unique violation of the merchant orderId as the API's duplicate_order_id; any other error as is. */
function duplicateOrderId(err: unknown, order: Order): unknown {
  if (uniqueViolation(err) === 'uq_gateway_orders_company_merchant_order_id') {
    return new DuplicateOrderIdError(`An order with orderId ${order.merchantOrderId} already exists`, { param: 'orderId' });
  }
  return err;
}

/** @throws duplicate_order_id when the company already has this merchant orderId. */
export async function insertOrder(exec: Executor, order: Order): Promise<void> {
  const values = orderValues(order);
  try {
    await insertOrderStatement.rows(exec, values);
  } catch (err) {
    throw duplicateOrderId(err, order);
  }
}

const dialect = new PgDialect();
let insertWithStatement: { text: string; run: ReturnType<typeof definePrepared<never>> } | undefined;

/**
 * The order and one more statement of its creation (its expiry timer's insert, as the timers
 * service wrote it) in ONE statement (ADR 0028): a writable CTE, atomic without a transaction.
 * `extra` is a Drizzle SQL whose text is the same on every call (only its parameters vary).
 * @throws duplicate_order_id when the company already has this merchant orderId.
 */
export async function insertOrderWith(exec: Executor, order: Order, extra: SQL): Promise<void> {
  const values = orderValues(order);
  const query = dialect.sqlToQuery(extra);
  const offset = ORDER_COLUMNS.length;
  const extraText = query.sql.replace(/\$(\d+)/g, (_, i: string) => `$${Number(i) + offset}`);
  const text = `with o as (${insertOrderStatement.text}), x as (${extraText}) select 1`;
  if (insertWithStatement?.text !== text) insertWithStatement = { text, run: definePrepared<never>('gateway_order_insert_with', text) };
  try {
    await insertWithStatement.run.rows(exec, [...values, ...query.params]);
  } catch (err) {
    throw duplicateOrderId(err, order);
  }
}

/** The order by EnKash id, locked for the caller's transaction when `lock` is set. */
export async function findOrder(exec: Executor, companyId: string, id: string, lock = false): Promise<Order | undefined> {
  const query = exec
    .select()
    .from(gatewayOrders)
    .where(and(eq(gatewayOrders.companyId, companyId), eq(gatewayOrders.id, id)));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] && toOrder(rows[0]);
}

export async function findOrderByMerchantId(exec: Executor, companyId: string, merchantOrderId: string): Promise<Order | undefined> {
  const rows = await exec
    .select()
    .from(gatewayOrders)
    .where(and(eq(gatewayOrders.companyId, companyId), eq(gatewayOrders.merchantOrderId, merchantOrderId)));
  return rows[0] && toOrder(rows[0]);
}

export type OrderChange = Partial<Pick<Order, 'status' | 'attemptsUsed' | 'paidTransactionId' | 'cancelReason' | 'accessKey'>> & { updatedAt: Date };

export async function updateOrder(exec: Executor, companyId: string, id: string, change: OrderChange): Promise<void> {
  await exec
    .update(gatewayOrders)
    .set(change)
    .where(and(eq(gatewayOrders.companyId, companyId), eq(gatewayOrders.id, id)));
}

export interface OrderFilters {
  merchantOrderId?: string;
  statuses?: OrderStatus[];
  amountFromPaise?: bigint;
  amountToPaise?: bigint;
  createdFrom?: Date;
  createdTo?: Date;
}

export const ORDER_SORT = { created: gatewayOrders.createdAt, amount: gatewayOrders.amountPaise, lastModified: gatewayOrders.updatedAt } as const;

export async function searchOrders(
  exec: Executor,
  companyId: string,
  filters: OrderFilters,
  page: PageRequest & { orderBy: keyof typeof ORDER_SORT; direction: 'ASC' | 'DESC' },
): Promise<{ rows: Order[]; total: number }> {
  const where: SQL[] = [eq(gatewayOrders.companyId, companyId)];
  if (filters.merchantOrderId !== undefined) where.push(eq(gatewayOrders.merchantOrderId, filters.merchantOrderId));
  if (filters.statuses?.length) where.push(inArray(gatewayOrders.status, filters.statuses));
  if (filters.amountFromPaise !== undefined) where.push(gte(gatewayOrders.amountPaise, filters.amountFromPaise));
  if (filters.amountToPaise !== undefined) where.push(lt(gatewayOrders.amountPaise, filters.amountToPaise + 1n));
  if (filters.createdFrom !== undefined) where.push(gte(gatewayOrders.createdAt, filters.createdFrom));
  if (filters.createdTo !== undefined) where.push(lt(gatewayOrders.createdAt, filters.createdTo));
  const direction = page.direction === 'ASC' ? asc : desc;
  const rows = await exec
    .select()
    .from(gatewayOrders)
    .where(and(...where))
    .orderBy(direction(ORDER_SORT[page.orderBy]), direction(gatewayOrders.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec
    .select({ n: count() })
    .from(gatewayOrders)
    .where(and(...where));
  return { rows: rows.map(toOrder), total: Number(total?.n ?? 0) };
}
