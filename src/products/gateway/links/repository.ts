import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { LinkOrder, LinkStatus, PaymentLink } from './model.js';
import { gatewayPaymentLinkOrders, gatewayPaymentLinks } from './tables.js';

export async function insertLink(exec: Executor, link: PaymentLink): Promise<void> {
  await exec.insert(gatewayPaymentLinks).values(link);
}

export async function findLink(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<PaymentLink | null> {
  const query = exec
    .select()
    .from(gatewayPaymentLinks)
    .where(and(eq(gatewayPaymentLinks.companyId, companyId), eq(gatewayPaymentLinks.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return (row as PaymentLink | undefined) ?? null;
}

/** The public page knows only the id; the company comes from the row. */
export async function findLinkById(exec: Executor, id: string): Promise<PaymentLink | null> {
  const [row] = await exec.select().from(gatewayPaymentLinks).where(eq(gatewayPaymentLinks.id, id));
  return (row as PaymentLink | undefined) ?? null;
}

export async function updateLink(
  exec: Executor,
  companyId: string,
  id: string,
  set: Partial<Pick<PaymentLink, 'status' | 'amountPaidPaise' | 'paidAt' | 'cancelledAt' | 'updatedAt'>>,
): Promise<void> {
  await exec
    .update(gatewayPaymentLinks)
    .set(set)
    .where(and(eq(gatewayPaymentLinks.companyId, companyId), eq(gatewayPaymentLinks.id, id)));
}

export interface LinkFilters {
  statuses?: LinkStatus[] | undefined;
  referenceId?: string | undefined;
}

export async function searchLinks(exec: Executor, companyId: string, filters: LinkFilters, page: PageRequest): Promise<{ rows: PaymentLink[]; total: number }> {
  const where: SQL[] = [eq(gatewayPaymentLinks.companyId, companyId)];
  if (filters.statuses?.length) where.push(inArray(gatewayPaymentLinks.status, filters.statuses));
  if (filters.referenceId !== undefined) where.push(eq(gatewayPaymentLinks.referenceId, filters.referenceId));
  const condition = and(...where);
  const rows = await exec
    .select()
    .from(gatewayPaymentLinks)
    .where(condition)
    .orderBy(desc(gatewayPaymentLinks.createdAt), desc(gatewayPaymentLinks.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(gatewayPaymentLinks).where(condition);
  return { rows: rows as PaymentLink[], total: Number(total?.n ?? 0) };
}

export async function insertLinkOrder(exec: Executor, row: LinkOrder): Promise<void> {
  await exec.insert(gatewayPaymentLinkOrders).values(row);
}

export async function findLinkOrder(exec: Executor, companyId: string, orderId: string): Promise<LinkOrder | null> {
  const [row] = await exec
    .select()
    .from(gatewayPaymentLinkOrders)
    .where(and(eq(gatewayPaymentLinkOrders.companyId, companyId), eq(gatewayPaymentLinkOrders.orderId, orderId)));
  return (row as LinkOrder | undefined) ?? null;
}

export async function listLinkOrders(exec: Executor, companyId: string, linkId: string, status?: LinkOrder['status']): Promise<LinkOrder[]> {
  const where = [eq(gatewayPaymentLinkOrders.companyId, companyId), eq(gatewayPaymentLinkOrders.linkId, linkId)];
  if (status) where.push(eq(gatewayPaymentLinkOrders.status, status));
  const rows = await exec
    .select()
    .from(gatewayPaymentLinkOrders)
    .where(and(...where))
    .orderBy(asc(gatewayPaymentLinkOrders.sequence));
  return rows as LinkOrder[];
}

export async function updateLinkOrder(
  exec: Executor,
  companyId: string,
  orderId: string,
  set: Partial<Pick<LinkOrder, 'status' | 'transactionId' | 'paymentMode' | 'paidAt'>>,
): Promise<void> {
  await exec
    .update(gatewayPaymentLinkOrders)
    .set(set)
    .where(and(eq(gatewayPaymentLinkOrders.companyId, companyId), eq(gatewayPaymentLinkOrders.orderId, orderId)));
}
