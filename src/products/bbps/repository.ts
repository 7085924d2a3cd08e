import { and, asc, count, desc, eq, gte, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { uniqueViolation } from '../../core/db/transaction.js';
import type { PageRequest } from '../../core/http/pagination.js';
import type { ApprovalStatus, BbpsSettings, BillpayStatus, CompanyBiller, FetchedBillFields, PaymentStatus, UtilityPayment } from './model.js';
import { bbpsCompanyBillers, bbpsSettings, bbpsUtilityPayments } from './tables.js';

// Every statement filters by company (DESIGN.md): an id of another company finds nothing.

export async function findSettings(exec: Executor, companyId: string): Promise<BbpsSettings | null> {
  const [row] = await exec.select().from(bbpsSettings).where(eq(bbpsSettings.companyId, companyId));
  return row
    ? {
        autoDebit: row.autoDebit,
        maxBillsPerConsumerPerDay: row.maxBillsPerConsumerPerDay,
        maxAmountPerConsumerPerDayPaise: row.maxAmountPerConsumerPerDayPaise,
      }
    : null;
}

export async function saveSettings(exec: Executor, companyId: string, settings: BbpsSettings, now: Date): Promise<void> {
  const values = { ...settings, updatedAt: now };
  await exec
    .insert(bbpsSettings)
    .values({ companyId, ...values })
    .onConflictDoUpdate({ target: bbpsSettings.companyId, set: values });
}

type CompanyBillerRow = typeof bbpsCompanyBillers.$inferSelect;

function fetchToJson(f: FetchedBillFields): Record<string, string | null> {
  return {
    ...f,
    billAmountPaise: f.billAmountPaise.toString(),
    billNetAmountPaise: f.billNetAmountPaise.toString(),
    earlyPaymentAmountPaise: f.earlyPaymentAmountPaise?.toString() ?? null,
    latePaymentAmountPaise: f.latePaymentAmountPaise?.toString() ?? null,
  };
}

function fetchFromJson(j: Record<string, string | null>): FetchedBillFields {
  const big = (k: string) => (j[k] == null ? null : BigInt(j[k]));
  const text = (k: string) => j[k] ?? '';
  return {
    billNumber: text('billNumber'),
    customerName: text('customerName'),
    billAmountPaise: big('billAmountPaise')!,
    billNetAmountPaise: big('billNetAmountPaise')!,
    billDate: text('billDate'),
    dueDate: text('dueDate'),
    billPeriod: text('billPeriod'),
    billStartDate: text('billStartDate'),
    billEndDate: text('billEndDate'),
    earlyPaymentAmountPaise: big('earlyPaymentAmountPaise'),
    earlyPaymentDate: j['earlyPaymentDate'] ?? null,
    latePaymentAmountPaise: big('latePaymentAmountPaise'),
    validationId: text('validationId'),
    billId: text('billId'),
  };
}

function toCompanyBiller(row: CompanyBillerRow): CompanyBiller {
  return {
    id: row.id,
    companyId: row.companyId,
    billerId: row.billerId,
    circle: row.circle,
    consumerNumber: row.consumerNumber,
    billParams: row.billParams,
    autoFetch: row.autoFetch,
    remarks: row.remarks,
    keyContactEmail: row.keyContactEmail,
    lastFetch: row.lastFetch ? fetchFromJson(row.lastFetch) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function findCompanyBillerByConsumer(exec: Executor, companyId: string, billerId: number, consumerNumber: string): Promise<CompanyBiller | null> {
  const [row] = await exec
    .select()
    .from(bbpsCompanyBillers)
    .where(and(eq(bbpsCompanyBillers.companyId, companyId), eq(bbpsCompanyBillers.billerId, billerId), eq(bbpsCompanyBillers.consumerNumber, consumerNumber)));
  return row ? toCompanyBiller(row) : null;
}

/** Registers a consumer of a biller; null when the company already has it (Add Consumer Number). */
export async function insertCompanyBiller(exec: Executor, row: Parameters<typeof ensureCompanyBiller>[1]): Promise<CompanyBiller | null> {
  const { now, ...values } = row;
  const [inserted] = await exec
    .insert(bbpsCompanyBillers)
    .values({ ...values, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [bbpsCompanyBillers.companyId, bbpsCompanyBillers.billerId, bbpsCompanyBillers.consumerNumber] })
    .returning();
  return inserted ? toCompanyBiller(inserted) : null;
}

/**
 * The company's consumer of a biller, created if absent, and locked for the rest of the caller's
 * transaction: it serialises the bills of one consumer, so the daily velocity limits hold under
 * concurrent requests.
 */
export async function ensureCompanyBiller(
  exec: Executor,
  row: {
    id: string;
    companyId: string;
    billerId: number;
    circle: string | null;
    consumerNumber: string;
    billParams: Record<string, string>;
    autoFetch: boolean;
    remarks: string | null;
    keyContactEmail: string | null;
    now: Date;
  },
): Promise<CompanyBiller> {
  const { now, ...values } = row;
  await exec
    .insert(bbpsCompanyBillers)
    .values({ ...values, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [bbpsCompanyBillers.companyId, bbpsCompanyBillers.billerId, bbpsCompanyBillers.consumerNumber] });
  const [found] = await exec
    .select()
    .from(bbpsCompanyBillers)
    .where(
      and(
        eq(bbpsCompanyBillers.companyId, row.companyId),
        eq(bbpsCompanyBillers.billerId, row.billerId),
        eq(bbpsCompanyBillers.consumerNumber, row.consumerNumber),
      ),
    )
    .for('update');
  return toCompanyBiller(found!);
}

export async function lockCompanyBiller(exec: Executor, companyId: string, id: string): Promise<CompanyBiller | null> {
  const [row] = await exec
    .select()
    .from(bbpsCompanyBillers)
    .where(and(eq(bbpsCompanyBillers.companyId, companyId), eq(bbpsCompanyBillers.id, id)))
    .for('update');
  return row ? toCompanyBiller(row) : null;
}

export async function findCompanyBiller(exec: Executor, companyId: string, id: string): Promise<CompanyBiller | null> {
  const [row] = await exec
    .select()
    .from(bbpsCompanyBillers)
    .where(and(eq(bbpsCompanyBillers.companyId, companyId), eq(bbpsCompanyBillers.id, id)));
  return row ? toCompanyBiller(row) : null;
}

export async function updateCompanyBiller(
  exec: Executor,
  companyId: string,
  id: string,
  change: {
    circle: string | null;
    billParams: Record<string, string>;
    autoFetch?: boolean;
    remarks?: string | null;
    keyContactEmail?: string | null;
    lastFetch?: FetchedBillFields | null;
    now: Date;
  },
): Promise<void> {
  const { now, lastFetch, ...rest } = change;
  await exec
    .update(bbpsCompanyBillers)
    .set({ ...rest, ...(lastFetch === undefined ? {} : { lastFetch: lastFetch === null ? null : fetchToJson(lastFetch) }), updatedAt: now })
    .where(and(eq(bbpsCompanyBillers.companyId, companyId), eq(bbpsCompanyBillers.id, id)));
}

type PaymentRow = typeof bbpsUtilityPayments.$inferSelect;

function toPayment(row: PaymentRow): UtilityPayment {
  return {
    ...row,
    source: row.source as UtilityPayment['source'],
    approvalStatus: row.approvalStatus as ApprovalStatus,
    paymentStatus: row.paymentStatus as PaymentStatus,
    billpayStatus: row.billpayStatus as BillpayStatus,
  };
}

export type NewPayment = Omit<typeof bbpsUtilityPayments.$inferInsert, 'outcomeSequence'>;

/** Inserts a utility payment; returns 'duplicate_reference' when the company already used its referenceId. */
export async function insertPayment(exec: Executor, row: NewPayment): Promise<UtilityPayment | 'duplicate_reference'> {
  try {
    const [inserted] = await exec.insert(bbpsUtilityPayments).values(row).returning();
    return toPayment(inserted!);
  } catch (err) {
    if (uniqueViolation(err) === 'uq_bbps_utility_payments_company_reference') return 'duplicate_reference';
    throw err;
  }
}

export async function findPayment(exec: Executor, companyId: string, id: string): Promise<UtilityPayment | null> {
  const [row] = await exec
    .select()
    .from(bbpsUtilityPayments)
    .where(and(eq(bbpsUtilityPayments.companyId, companyId), eq(bbpsUtilityPayments.id, id)));
  return row ? toPayment(row) : null;
}

export async function findPaymentByReference(exec: Executor, companyId: string, referenceId: string): Promise<UtilityPayment | null> {
  const [row] = await exec
    .select()
    .from(bbpsUtilityPayments)
    .where(and(eq(bbpsUtilityPayments.companyId, companyId), eq(bbpsUtilityPayments.referenceId, referenceId)));
  return row ? toPayment(row) : null;
}

/** The company's payments with these ids, locked in id order (no deadlock between two approvals). */
export async function lockPayments(exec: Executor, companyId: string, ids: readonly string[]): Promise<UtilityPayment[]> {
  const rows = await exec
    .select()
    .from(bbpsUtilityPayments)
    .where(and(eq(bbpsUtilityPayments.companyId, companyId), inArray(bbpsUtilityPayments.id, [...ids])))
    .orderBy(asc(bbpsUtilityPayments.id))
    .for('update');
  return rows.map(toPayment);
}

export async function updatePayment(
  exec: Executor,
  companyId: string,
  id: string,
  change: Partial<Omit<PaymentRow, 'id' | 'companyId'>>,
): Promise<UtilityPayment> {
  const [row] = await exec
    .update(bbpsUtilityPayments)
    .set(change)
    .where(and(eq(bbpsUtilityPayments.companyId, companyId), eq(bbpsUtilityPayments.id, id)))
    .returning();
  return toPayment(row!);
}

/** Bills of one consumer of a biller created in `[from, to)`, and their amount: the input of the velocity limits. */
export async function consumerTotals(
  exec: Executor,
  companyId: string,
  billerId: number,
  consumerNumber: string,
  from: Date,
  to: Date,
): Promise<{ count: number; amountPaise: bigint }> {
  const [row] = await exec
    .select({ n: count(), total: sql<string>`coalesce(sum(${bbpsUtilityPayments.amountPaise}), 0)::text` })
    .from(bbpsUtilityPayments)
    .where(
      and(
        eq(bbpsUtilityPayments.companyId, companyId),
        eq(bbpsUtilityPayments.billerId, billerId),
        eq(bbpsUtilityPayments.consumerNumber, consumerNumber),
        gte(bbpsUtilityPayments.createdAt, from),
        lt(bbpsUtilityPayments.createdAt, to),
      ),
    );
  return { count: Number(row?.n ?? 0), amountPaise: BigInt(row?.total ?? '0') };
}

/** A payment of this fetched bill that has not failed, if any. */
export async function livePaymentOfFetch(exec: Executor, companyId: string, companyBillerId: string, validationId: string): Promise<UtilityPayment | null> {
  const [row] = await exec
    .select()
    .from(bbpsUtilityPayments)
    .where(
      and(
        eq(bbpsUtilityPayments.companyId, companyId),
        eq(bbpsUtilityPayments.companyBillerId, companyBillerId),
        eq(bbpsUtilityPayments.validationId, validationId),
        ne(bbpsUtilityPayments.billpayStatus, 'FAILED'),
      ),
    )
    .limit(1);
  return row ? toPayment(row) : null;
}

export interface PaymentFilters {
  utilityEnkashId?: string;
  referenceId?: string;
  consumerNumber?: string;
  billerId?: number;
  approvalStatus?: ApprovalStatus;
  /** Any documented value (a value no bill reaches finds nothing). */
  paymentStatus?: string;
  billpayStatus?: BillpayStatus;
  createdFrom?: Date;
  createdBefore?: Date;
}

export async function searchPayments(
  exec: Executor,
  companyId: string,
  f: PaymentFilters,
  page: PageRequest,
): Promise<{ rows: UtilityPayment[]; total: number }> {
  const t = bbpsUtilityPayments;
  const conditions: SQL[] = [eq(t.companyId, companyId)];
  if (f.utilityEnkashId !== undefined) conditions.push(eq(t.id, f.utilityEnkashId));
  if (f.referenceId !== undefined) conditions.push(eq(t.referenceId, f.referenceId));
  if (f.consumerNumber !== undefined) conditions.push(eq(t.consumerNumber, f.consumerNumber));
  if (f.billerId !== undefined) conditions.push(eq(t.billerId, f.billerId));
  if (f.approvalStatus !== undefined) conditions.push(eq(t.approvalStatus, f.approvalStatus));
  if (f.paymentStatus !== undefined) conditions.push(eq(t.paymentStatus, f.paymentStatus));
  if (f.billpayStatus !== undefined) conditions.push(eq(t.billpayStatus, f.billpayStatus));
  if (f.createdFrom !== undefined) conditions.push(gte(t.createdAt, f.createdFrom));
  if (f.createdBefore !== undefined) conditions.push(lt(t.createdAt, f.createdBefore));
  const where = and(...conditions);
  const rows = await exec.select().from(t).where(where).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(t).where(where);
  return { rows: rows.map(toPayment), total: Number(total?.n ?? 0) };
}
