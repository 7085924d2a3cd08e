import { and, asc, count, desc, eq, gte, inArray, isNull, lt, lte, notExists, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import { gatewayOrders, gatewayPayments } from '../index.js';
import { gatewayRefunds } from '../refunds/index.js';
import { gatewaySettlementDeferrals } from '../split/index.js';
import { gatewaySettlementLines, gatewaySettlements } from './tables.js';

/**
 * Orders whose money is not the merchant's: a utility bill paid through the gateway (origin BBPS,
 * ADR 0045) goes to its biller, so neither its capture nor its refund enters a settlement.
 */
function notSettledOrder(exec: Executor, companyId: string, orderId: typeof gatewayPayments.orderId | typeof gatewayRefunds.orderId) {
  return notExists(
    exec
      .select({ one: sql`1` })
      .from(gatewayOrders)
      .where(and(eq(gatewayOrders.companyId, companyId), eq(gatewayOrders.id, orderId), eq(gatewayOrders.originKind, 'BBPS'))),
  );
}

export type SettlementRow = typeof gatewaySettlements.$inferSelect;
export type SettlementLineRow = typeof gatewaySettlementLines.$inferSelect;

/** Serializes the settlement runs of one company across processes, until the transaction ends. */
export async function lockCompanySettlements(tx: Executor, companyId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`gateway_settlement:${companyId}`}))`);
}

export async function batchExists(exec: Executor, companyId: string, batchDate: string): Promise<boolean> {
  const [row] = await exec
    .select({ id: gatewaySettlements.id })
    .from(gatewaySettlements)
    .where(and(eq(gatewaySettlements.companyId, companyId), eq(gatewaySettlements.batchDate, batchDate), eq(gatewaySettlements.beneficiary, 'MERCHANT')));
  return row !== undefined;
}

/** What the merchant still owed after its latest settlement (its carry-forward), or zero. */
export async function latestCarryForward(exec: Executor, companyId: string): Promise<bigint> {
  const [row] = await exec
    .select({ carry: gatewaySettlements.carryForwardPaise })
    .from(gatewaySettlements)
    .where(and(eq(gatewaySettlements.companyId, companyId), eq(gatewaySettlements.beneficiary, 'MERCHANT')))
    .orderBy(desc(gatewaySettlements.batchDate))
    .limit(1);
  return row?.carry ?? 0n;
}

/** Captured, unsettled, not deferred payments captured before `cutoff`, locked. */
export async function lockDuePayments(tx: Executor, companyId: string, cutoff: Date) {
  return tx
    .select({
      id: gatewayPayments.id,
      amountPaise: gatewayPayments.amountPaise,
      mdrPaise: gatewayPayments.mdrPaise,
      mdrGstPaise: gatewayPayments.mdrGstPaise,
      splitDetails: gatewayPayments.splitDetails,
    })
    .from(gatewayPayments)
    .where(
      and(
        eq(gatewayPayments.companyId, companyId),
        inArray(gatewayPayments.status, ['SUCCESS', 'PARTIALLY_REFUNDED', 'REFUNDED']),
        lt(gatewayPayments.capturedAt, cutoff),
        isNull(gatewayPayments.settlementId),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(gatewaySettlementDeferrals)
            .where(and(eq(gatewaySettlementDeferrals.companyId, companyId), eq(gatewaySettlementDeferrals.transactionId, gatewayPayments.id))),
        ),
        notSettledOrder(tx, companyId, gatewayPayments.orderId),
      ),
    )
    .orderBy(asc(gatewayPayments.capturedAt), asc(gatewayPayments.id))
    .for('update', { of: gatewayPayments });
}

/** Successful refunds completed by `asOf` and not yet deducted, locked, with whether their payment was settled before. */
export async function lockDueRefunds(tx: Executor, companyId: string, asOf: Date) {
  const refunds = await tx
    .select({ id: gatewayRefunds.id, amountPaise: gatewayRefunds.amountPaise, paymentId: gatewayRefunds.paymentId })
    .from(gatewayRefunds)
    .where(
      and(
        eq(gatewayRefunds.companyId, companyId),
        eq(gatewayRefunds.status, 'SUCCESS'),
        isNull(gatewayRefunds.settlementId),
        lte(gatewayRefunds.completedAt, asOf),
        notSettledOrder(tx, companyId, gatewayRefunds.orderId),
      ),
    )
    .orderBy(asc(gatewayRefunds.completedAt), asc(gatewayRefunds.id))
    .for('update');
  if (refunds.length === 0) return [];
  const settled = await tx
    .select({ id: gatewayPayments.id, settlementId: gatewayPayments.settlementId })
    .from(gatewayPayments)
    .where(and(eq(gatewayPayments.companyId, companyId), inArray(gatewayPayments.id, [...new Set(refunds.map((r) => r.paymentId))])));
  const settledIds = new Set(settled.filter((p) => p.settlementId !== null).map((p) => p.id));
  return refunds.map((r) => ({ ...r, paymentSettledEarlier: settledIds.has(r.paymentId) }));
}

export async function insertSettlement(tx: Executor, row: SettlementRow): Promise<void> {
  await tx.insert(gatewaySettlements).values(row);
}

export async function insertLines(tx: Executor, rows: SettlementLineRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await tx.insert(gatewaySettlementLines).values(rows.slice(i, i + 500));
}

export async function markPaymentsSettled(tx: Executor, companyId: string, ids: string[], settlementId: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await tx
      .update(gatewayPayments)
      .set({ settlementId })
      .where(and(eq(gatewayPayments.companyId, companyId), inArray(gatewayPayments.id, ids.slice(i, i + 500)), isNull(gatewayPayments.settlementId)));
  }
}

export async function markRefundsSettled(tx: Executor, companyId: string, ids: string[], settlementId: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await tx
      .update(gatewayRefunds)
      .set({ settlementId })
      .where(and(eq(gatewayRefunds.companyId, companyId), inArray(gatewayRefunds.id, ids.slice(i, i + 500)), isNull(gatewayRefunds.settlementId)));
  }
}

export async function findSettlement(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<SettlementRow | null> {
  const query = exec
    .select()
    .from(gatewaySettlements)
    .where(and(eq(gatewaySettlements.companyId, companyId), eq(gatewaySettlements.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function listInitSettlements(exec: Executor, companyId: string): Promise<string[]> {
  const rows = await exec
    .select({ id: gatewaySettlements.id })
    .from(gatewaySettlements)
    .where(and(eq(gatewaySettlements.companyId, companyId), eq(gatewaySettlements.payoutStatus, 'INIT')))
    .orderBy(asc(gatewaySettlements.createdAt), asc(gatewaySettlements.id));
  return rows.map((r) => r.id);
}

export async function updateSettlement(exec: Executor, companyId: string, id: string, set: Partial<SettlementRow>): Promise<SettlementRow> {
  const [row] = await exec
    .update(gatewaySettlements)
    .set(set)
    .where(and(eq(gatewaySettlements.companyId, companyId), eq(gatewaySettlements.id, id)))
    .returning();
  return row!;
}

/** Columns a search may order by, by their wire name (reference §2.6 `orderBy`). */
export const SETTLEMENT_SORT = {
  createdOn: gatewaySettlements.createdAt,
  settlementDate: gatewaySettlements.batchDate,
  settlementPayoutId: gatewaySettlements.id,
  totalSaleAmount: gatewaySettlements.totalSalePaise,
  totalRefundAmount: gatewaySettlements.totalRefundPaise,
  totalCharges: gatewaySettlements.totalChargesPaise,
  totalGst: gatewaySettlements.totalGstPaise,
  totalSettlementAmount: gatewaySettlements.totalSettlementPaise,
  carryForwardAmount: gatewaySettlements.carryForwardPaise,
  payoutStatus: gatewaySettlements.payoutStatus,
} as const;

export interface SettlementFilters {
  ids?: string[] | undefined;
  beneficiary?: string | undefined;
  payoutStatus?: string | undefined;
  batchDateFrom?: string | undefined;
  batchDateTo?: string | undefined;
  /** Column name → [from, to] in paise, either end optional. */
  ranges: Array<{ column: keyof typeof SETTLEMENT_SORT; from?: bigint | undefined; to?: bigint | undefined }>;
}

export async function searchSettlements(
  exec: Executor,
  companyId: string,
  filters: SettlementFilters,
  page: PageRequest & { orderBy: keyof typeof SETTLEMENT_SORT; direction: 'ASC' | 'DESC' },
): Promise<{ rows: SettlementRow[]; total: number }> {
  const conditions: (SQL | undefined)[] = [eq(gatewaySettlements.companyId, companyId)];
  if (filters.ids) conditions.push(filters.ids.length === 0 ? sql`false` : inArray(gatewaySettlements.id, filters.ids));
  if (filters.beneficiary) conditions.push(eq(gatewaySettlements.beneficiary, filters.beneficiary));
  if (filters.payoutStatus) conditions.push(eq(gatewaySettlements.payoutStatus, filters.payoutStatus));
  if (filters.batchDateFrom) conditions.push(gte(gatewaySettlements.batchDate, filters.batchDateFrom));
  if (filters.batchDateTo) conditions.push(lte(gatewaySettlements.batchDate, filters.batchDateTo));
  for (const range of filters.ranges) {
    const column = SETTLEMENT_SORT[range.column];
    if (range.from !== undefined) conditions.push(gte(column, range.from));
    if (range.to !== undefined) conditions.push(lte(column, range.to));
  }
  const where = and(...conditions);
  const order = page.direction === 'ASC' ? asc : desc;
  const rows = await exec
    .select()
    .from(gatewaySettlements)
    .where(where)
    .orderBy(order(SETTLEMENT_SORT[page.orderBy]), order(gatewaySettlements.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(gatewaySettlements).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}
