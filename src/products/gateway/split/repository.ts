import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SplitAccount, SplitAccountStatus } from './model.js';
import { gatewayPayments } from '../payments/tables.js';
import { gatewaySettlementDeferrals, gatewaySplitAccounts } from './tables.js';

export async function insertAccount(exec: Executor, row: SplitAccount): Promise<void> {
  await exec.insert(gatewaySplitAccounts).values(row);
}

export async function findAccount(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<SplitAccount | null> {
  const query = exec
    .select()
    .from(gatewaySplitAccounts)
    .where(and(eq(gatewaySplitAccounts.companyId, companyId), eq(gatewaySplitAccounts.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return (row as SplitAccount | undefined) ?? null;
}

export async function findAccounts(exec: Executor, companyId: string, ids: readonly string[]): Promise<SplitAccount[]> {
  if (ids.length === 0) return [];
  const rows = await exec
    .select()
    .from(gatewaySplitAccounts)
    .where(and(eq(gatewaySplitAccounts.companyId, companyId), inArray(gatewaySplitAccounts.id, [...ids])));
  return rows as SplitAccount[];
}

export async function updateAccount(exec: Executor, companyId: string, id: string, set: Partial<SplitAccount>): Promise<SplitAccount | null> {
  const [row] = await exec
    .update(gatewaySplitAccounts)
    .set(set)
    .where(and(eq(gatewaySplitAccounts.companyId, companyId), eq(gatewaySplitAccounts.id, id)))
    .returning();
  return (row as SplitAccount | undefined) ?? null;
}

export async function listAccounts(
  exec: Executor,
  companyId: string,
  status: SplitAccountStatus | undefined,
  page: PageRequest,
): Promise<{ rows: SplitAccount[]; total: number }> {
  const where: SQL = and(eq(gatewaySplitAccounts.companyId, companyId), status ? eq(gatewaySplitAccounts.status, status) : undefined)!;
  const rows = await exec
    .select()
    .from(gatewaySplitAccounts)
    .where(where)
    .orderBy(asc(gatewaySplitAccounts.createdAt), asc(gatewaySplitAccounts.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(gatewaySplitAccounts).where(where);
  return { rows: rows as SplitAccount[], total: Number(total?.n ?? 0) };
}

export async function setDeferred(exec: Executor, companyId: string, transactionId: string, deferred: boolean, at: Date): Promise<void> {
  if (deferred) {
    await exec.insert(gatewaySettlementDeferrals).values({ companyId, transactionId, deferredAt: at }).onConflictDoNothing();
  } else {
    await exec
      .delete(gatewaySettlementDeferrals)
      .where(and(eq(gatewaySettlementDeferrals.companyId, companyId), eq(gatewaySettlementDeferrals.transactionId, transactionId)));
  }
}

export async function isDeferred(exec: Executor, companyId: string, transactionId: string): Promise<boolean> {
  const [row] = await exec
    .select({ id: gatewaySettlementDeferrals.transactionId })
    .from(gatewaySettlementDeferrals)
    .where(and(eq(gatewaySettlementDeferrals.companyId, companyId), eq(gatewaySettlementDeferrals.transactionId, transactionId)));
  return row !== undefined;
}

/** Locks a payment for a split edit: the columns a split needs (the table is the payments area's). */
export async function lockPayment(exec: Executor, companyId: string, transactionId: string) {
  const [row] = await exec
    .select({
      id: gatewayPayments.id,
      status: gatewayPayments.status,
      amountPaise: gatewayPayments.amountPaise,
      settlementId: gatewayPayments.settlementId,
      splitDetails: gatewayPayments.splitDetails,
    })
    .from(gatewayPayments)
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, transactionId)))
    .for('update');
  return row ?? null;
}

export async function setPaymentSplit(exec: Executor, companyId: string, transactionId: string, splitDetails: unknown): Promise<void> {
  await exec
    .update(gatewayPayments)
    .set({ splitDetails })
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, transactionId)));
}
