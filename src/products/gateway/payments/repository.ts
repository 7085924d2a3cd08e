import { and, asc, count, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { PaymentMode } from '../settings/index.js';
import type { Order } from '../orders/model.js';
import { toOrder } from '../orders/repository.js';
import { gatewayOrders } from '../orders/tables.js';
import type { GatewayRail, Payment, PaymentStatus, PaymentStep, UpiFlow } from './model.js';
import { gatewayPayments } from './tables.js';

type PaymentRow = typeof gatewayPayments.$inferSelect;

export function toPayment(row: PaymentRow): Payment {
  return {
    ...row,
    status: row.status as PaymentStatus,
    paymentMode: row.paymentMode as PaymentMode | null,
    rail: row.rail as GatewayRail | null,
    upiFlow: row.upiFlow as UpiFlow | null,
    step: row.step as PaymentStep,
    feeBreakdown: row.feeBreakdown ?? null,
    splitDetails: row.splitDetails ?? null,
  };
}

export async function insertPayment(exec: Executor, payment: Payment): Promise<void> {
  await exec.insert(gatewayPayments).values(payment);
}

/** The payment of this company, locked for the caller's transaction when `lock` is set. */
export async function findPayment(exec: Executor, companyId: string, id: string, lock = false): Promise<Payment | undefined> {
  const query = exec
    .select()
    .from(gatewayPayments)
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, id)));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] && toPayment(rows[0]);
}

/** The payment of this company with its order, in one read (Get Transaction Status). */
export async function findPaymentWithOrder(exec: Executor, companyId: string, id: string): Promise<{ payment: Payment; order: Order } | undefined> {
  const [row] = await exec
    .select({ payment: gatewayPayments, order: gatewayOrders })
    .from(gatewayPayments)
    .innerJoin(gatewayOrders, and(eq(gatewayOrders.companyId, gatewayPayments.companyId), eq(gatewayOrders.id, gatewayPayments.orderId)))
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, id)));
  return row && { payment: toPayment(row.payment), order: toOrder(row.order) };
}

/**
 * A payment by its transaction id alone: for the public (browser) pages, which then check the
 * public identifier key, and for outcome listeners, which carry the company with the id.
 */
export async function findPaymentById(exec: Executor, id: string): Promise<Payment | undefined> {
  const rows = await exec.select().from(gatewayPayments).where(eq(gatewayPayments.id, id));
  return rows[0] && toPayment(rows[0]);
}

export async function listOrderPayments(exec: Executor, companyId: string, orderId: string): Promise<Payment[]> {
  const rows = await exec
    .select()
    .from(gatewayPayments)
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.orderId, orderId)))
    .orderBy(asc(gatewayPayments.createdAt), asc(gatewayPayments.id));
  return rows.map(toPayment);
}

export type PaymentChange = Partial<Omit<Payment, 'id' | 'companyId' | 'orderId' | 'createdAt' | 'publicIdentifierKey' | 'uniqueTransactionId'>> & {
  updatedAt: Date;
};

export async function updatePayment(exec: Executor, companyId: string, id: string, change: PaymentChange): Promise<void> {
  await exec
    .update(gatewayPayments)
    .set(change)
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, id)));
}

export interface PaymentFilters {
  orderId?: string;
  transactionId?: string;
  uniqueTransactionId?: string;
  statuses?: PaymentStatus[];
  paymentModes?: PaymentMode[];
  amountFromPaise?: bigint;
  amountToPaise?: bigint;
  createdFrom?: Date;
  createdTo?: Date;
}

export const PAYMENT_SORT = { created: gatewayPayments.createdAt, amount: gatewayPayments.amountPaise, lastModified: gatewayPayments.updatedAt } as const;

export async function searchPayments(
  exec: Executor,
  companyId: string,
  filters: PaymentFilters,
  page: PageRequest & { orderBy: keyof typeof PAYMENT_SORT; direction: 'ASC' | 'DESC' },
): Promise<{ rows: Payment[]; total: number }> {
  const where: SQL[] = [eq(gatewayPayments.companyId, companyId)];
  if (filters.orderId !== undefined) where.push(eq(gatewayPayments.orderId, filters.orderId));
  if (filters.transactionId !== undefined) where.push(eq(gatewayPayments.id, filters.transactionId));
  if (filters.uniqueTransactionId !== undefined) where.push(eq(gatewayPayments.uniqueTransactionId, filters.uniqueTransactionId));
  if (filters.statuses?.length) where.push(inArray(gatewayPayments.status, filters.statuses));
  if (filters.paymentModes?.length) where.push(inArray(gatewayPayments.paymentMode, filters.paymentModes));
  if (filters.amountFromPaise !== undefined) where.push(gte(gatewayPayments.amountPaise, filters.amountFromPaise));
  if (filters.amountToPaise !== undefined) where.push(lt(gatewayPayments.amountPaise, filters.amountToPaise + 1n));
  if (filters.createdFrom !== undefined) where.push(gte(gatewayPayments.createdAt, filters.createdFrom));
  if (filters.createdTo !== undefined) where.push(lt(gatewayPayments.createdAt, filters.createdTo));
  const direction = page.direction === 'ASC' ? asc : desc;
  const rows = await exec
    .select()
    .from(gatewayPayments)
    .where(and(...where))
    .orderBy(direction(PAYMENT_SORT[page.orderBy]), direction(gatewayPayments.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec
    .select({ n: count() })
    .from(gatewayPayments)
    .where(and(...where));
  return { rows: rows.map(toPayment), total: Number(total?.n ?? 0) };
}
