import { and, asc, count, eq, inArray, isNotNull, sql, sum, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import { gatewayPayments } from '../index.js';
import type { ButtonStatus, ButtonTotals, PaymentButton } from './model.js';
import { gatewayPaymentButtonOrders, gatewayPaymentButtons } from './tables.js';

export async function insertButton(exec: Executor, row: PaymentButton): Promise<void> {
  await exec.insert(gatewayPaymentButtons).values(row);
}

/** `lock`: `for update` (an edit), `for share` (a click: a deactivation waits for it, or it sees the deactivation). */
export async function findButton(exec: Executor, companyId: string | null, id: string, lock?: 'update' | 'share'): Promise<PaymentButton | null> {
  const byId = eq(gatewayPaymentButtons.id, id);
  const query = exec
    .select()
    .from(gatewayPaymentButtons)
    .where(companyId === null ? byId : and(eq(gatewayPaymentButtons.companyId, companyId), byId));
  const [row] = lock ? await query.for(lock) : await query;
  return (row as PaymentButton | undefined) ?? null;
}

export async function updateButton(exec: Executor, companyId: string, id: string, set: Partial<PaymentButton>): Promise<PaymentButton> {
  const [row] = await exec
    .update(gatewayPaymentButtons)
    .set(set)
    .where(and(eq(gatewayPaymentButtons.companyId, companyId), eq(gatewayPaymentButtons.id, id)))
    .returning();
  return row as PaymentButton;
}

export interface ButtonFilters {
  status?: ButtonStatus | undefined;
  /** Part of the title, any case. */
  title?: string | undefined;
}

/** A company's buttons, oldest first (then by id), so that paging neither skips nor repeats. */
export async function listButtons(
  exec: Executor,
  companyId: string,
  filters: ButtonFilters,
  page: PageRequest,
): Promise<{ rows: PaymentButton[]; total: number }> {
  const where: SQL = and(
    eq(gatewayPaymentButtons.companyId, companyId),
    filters.status ? eq(gatewayPaymentButtons.status, filters.status) : undefined,
    // LIKE's own wildcards in the search text match themselves.
    filters.title ? sql`${gatewayPaymentButtons.title} ilike ${`%${filters.title.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
  )!;
  const rows = await exec
    .select()
    .from(gatewayPaymentButtons)
    .where(where)
    .orderBy(asc(gatewayPaymentButtons.createdAt), asc(gatewayPaymentButtons.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(gatewayPaymentButtons).where(where);
  return { rows: rows as PaymentButton[], total: Number(total?.n ?? 0) };
}

export async function insertButtonOrder(exec: Executor, row: { companyId: string; orderId: string; buttonId: string; createdAt: Date }): Promise<void> {
  await exec.insert(gatewayPaymentButtonOrders).values(row);
}

/**
 * Payments captured on the orders of each button, and their amount (the payments area's table: an
 * order has at most one captured payment, `uq_gateway_payments_order_captured`).
 */
export async function totalsOf(exec: Executor, companyId: string, buttonIds: readonly string[]): Promise<Map<string, ButtonTotals>> {
  const totals = new Map<string, ButtonTotals>(buttonIds.map((id) => [id, { paymentsCount: 0, amountCollectedPaise: 0n }]));
  if (buttonIds.length === 0) return totals;
  const rows = await exec
    .select({ buttonId: gatewayPaymentButtonOrders.buttonId, n: count(), paise: sum(gatewayPayments.amountPaise) })
    .from(gatewayPaymentButtonOrders)
    .innerJoin(
      gatewayPayments,
      and(
        eq(gatewayPayments.companyId, gatewayPaymentButtonOrders.companyId),
        eq(gatewayPayments.orderId, gatewayPaymentButtonOrders.orderId),
        isNotNull(gatewayPayments.capturedAt),
      ),
    )
    .where(and(eq(gatewayPaymentButtonOrders.companyId, companyId), inArray(gatewayPaymentButtonOrders.buttonId, [...buttonIds])))
    .groupBy(gatewayPaymentButtonOrders.buttonId);
  for (const row of rows) totals.set(row.buttonId, { paymentsCount: Number(row.n), amountCollectedPaise: BigInt(row.paise ?? 0) });
  return totals;
}
