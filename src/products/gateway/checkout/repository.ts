import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import { gatewayOrders } from '../index.js';
import { gatewayCheckoutCustomers } from './tables.js';

export type CheckoutCustomerRow = typeof gatewayCheckoutCustomers.$inferSelect;

/**
 * The company of an EnKash order id. The hosted checkout is public (no token names a company):
 * the order id, unique across companies, is its address. A read of the orders table's key only;
 * everything else about the order comes through the orders service, scoped by this company.
 */
export async function findOrderCompany(exec: Executor, orderId: string): Promise<string | undefined> {
  const [row] = await exec.select({ companyId: gatewayOrders.companyId }).from(gatewayOrders).where(eq(gatewayOrders.id, orderId)).limit(1);
  return row?.companyId;
}

export async function upsertCustomer(exec: Executor, row: CheckoutCustomerRow): Promise<void> {
  await exec
    .insert(gatewayCheckoutCustomers)
    .values(row)
    .onConflictDoUpdate({ target: gatewayCheckoutCustomers.transactionId, set: { email: row.email, mobile: row.mobile, updatedAt: row.updatedAt } });
}

/** The latest contact details typed on any checkout attempt of the order. */
export async function latestCustomer(exec: Executor, companyId: string, orderId: string): Promise<CheckoutCustomerRow | undefined> {
  const [row] = await exec
    .select()
    .from(gatewayCheckoutCustomers)
    .where(and(eq(gatewayCheckoutCustomers.companyId, companyId), eq(gatewayCheckoutCustomers.orderId, orderId)))
    .orderBy(desc(gatewayCheckoutCustomers.updatedAt))
    .limit(1);
  return row;
}

/**
 * Locks the order row, as the gateway's own writers do first (orders, then payments), so that a
 * cancel from the page never races a charge of the same order.
 */
export async function lockOrder(tx: Executor, companyId: string, orderId: string): Promise<void> {
  await tx
    .select({ id: gatewayOrders.id })
    .from(gatewayOrders)
    .where(and(eq(gatewayOrders.companyId, companyId), eq(gatewayOrders.id, orderId)))
    .for('update');
}
