import { and, count, desc, eq, gt, gte, ilike, inArray, isNull, lt, ne, notInArray, or } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import { uniqueViolation } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import { NON_PAYABLE } from '../index.js';
import { gatewayOrders } from '../index.js';
import { gatewayPayments } from '../index.js';
import { DuplicateQrReferenceError } from './errors.js';
import type { QrCode, QrCustomer, QrPayment, QrPaymentView, QrStatus, QrType } from './model.js';
import { gatewayQrCodes, gatewayQrCustomers, gatewayQrPayments } from './tables.js';

/** A LIKE pattern that matches `text` anywhere, with its wildcards taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ---------------------------------------------------------------------------------------------
// Customers

export async function insertCustomer(exec: Executor, row: QrCustomer): Promise<void> {
  await exec.insert(gatewayQrCustomers).values(row);
}

export async function findCustomer(exec: Executor, companyId: string, id: string): Promise<QrCustomer | null> {
  const [row] = await exec
    .select()
    .from(gatewayQrCustomers)
    .where(and(eq(gatewayQrCustomers.companyId, companyId), eq(gatewayQrCustomers.id, id)));
  return row ?? null;
}

export interface CustomerFilters {
  customerId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  mobile?: string | undefined;
}

/** Newest first; `name` matches anywhere, case-insensitively; the others exactly. */
export async function searchCustomers(
  exec: Executor,
  companyId: string,
  f: CustomerFilters,
  page: PageRequest,
): Promise<{ rows: QrCustomer[]; total: number }> {
  const t = gatewayQrCustomers;
  const where = and(
    eq(t.companyId, companyId),
    f.customerId === undefined ? undefined : eq(t.id, f.customerId),
    f.name === undefined ? undefined : ilike(t.name, contains(f.name)),
    f.email === undefined ? undefined : eq(t.email, f.email),
    f.mobile === undefined ? undefined : eq(t.mobile, f.mobile),
  );
  const rows = await exec.select().from(t).where(where).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(t).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// QR codes

type QrRow = typeof gatewayQrCodes.$inferSelect;
const toQr = (row: QrRow): QrCode => row as QrCode;

/** @throws duplicate_qr_reference_id */
export async function insertQr(exec: Executor, qr: QrCode): Promise<void> {
  try {
    await exec.insert(gatewayQrCodes).values(qr);
  } catch (err) {
    if (uniqueViolation(err) === 'uq_gateway_qr_codes_company_reference_id') {
      throw new DuplicateQrReferenceError(`A QR code with referenceId ${qr.referenceId} already exists`, { param: 'referenceId', cause: err });
    }
    throw err;
  }
}

export async function findQr(exec: Executor, companyId: string, id: string, lock = false): Promise<QrCode | null> {
  const query = exec
    .select()
    .from(gatewayQrCodes)
    .where(and(eq(gatewayQrCodes.companyId, companyId), eq(gatewayQrCodes.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row ? toQr(row) : null;
}

export type QrChange = Partial<Pick<QrCode, 'status' | 'closeReason' | 'closedAt' | 'paymentsCount' | 'amountReceivedPaise'>> & { updatedAt: Date };

export async function updateQr(exec: Executor, companyId: string, id: string, change: QrChange): Promise<void> {
  await exec
    .update(gatewayQrCodes)
    .set(change)
    .where(and(eq(gatewayQrCodes.companyId, companyId), eq(gatewayQrCodes.id, id)));
}

export interface QrFilters {
  qrType?: QrType | undefined;
  statuses?: QrStatus[] | undefined;
  customerId?: string | undefined;
  referenceId?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
}

/** Newest first (created, then id: a stable order for paging). */
export async function searchQrs(exec: Executor, companyId: string, f: QrFilters, page: PageRequest): Promise<{ rows: QrCode[]; total: number }> {
  const t = gatewayQrCodes;
  const where = and(
    eq(t.companyId, companyId),
    f.qrType === undefined ? undefined : eq(t.qrType, f.qrType),
    f.statuses?.length ? inArray(t.status, f.statuses) : undefined,
    f.customerId === undefined ? undefined : eq(t.customerId, f.customerId),
    f.referenceId === undefined ? undefined : eq(t.referenceId, f.referenceId),
    f.createdFrom === undefined ? undefined : gte(t.createdAt, f.createdFrom),
    f.createdTo === undefined ? undefined : lt(t.createdAt, f.createdTo),
  );
  const rows = await exec.select().from(t).where(where).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(t).where(where);
  return { rows: rows.map(toQr), total: Number(total?.n ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// QR payments

export async function insertQrPayment(exec: Executor, row: QrPayment): Promise<void> {
  await exec.insert(gatewayQrPayments).values(row);
}

export async function updateQrPayment(
  exec: Executor,
  companyId: string,
  id: string,
  change: Partial<Pick<QrPayment, 'orderId' | 'transactionId' | 'status'>> & { updatedAt: Date },
): Promise<void> {
  await exec
    .update(gatewayQrPayments)
    .set(change)
    .where(and(eq(gatewayQrPayments.companyId, companyId), eq(gatewayQrPayments.id, id)));
}

export async function findQrPaymentByOrder(exec: Executor, companyId: string, orderId: string): Promise<QrPayment | null> {
  const [row] = await exec
    .select()
    .from(gatewayQrPayments)
    .where(and(eq(gatewayQrPayments.companyId, companyId), eq(gatewayQrPayments.orderId, orderId)));
  return (row as QrPayment | undefined) ?? null;
}

/**
 * Whether the QR has a payment captured or still open: a claim whose gateway transaction is not
 * final, or not yet made while its order can still be paid (at `now`, sandbox time). A DYNAMIC QR
 * takes no other payment meanwhile.
 */
export async function hasLivePayment(exec: Executor, companyId: string, qrCodeId: string, now: Date): Promise<boolean> {
  const q = gatewayQrPayments;
  const o = gatewayOrders;
  const p = gatewayPayments;
  // Through the claim's order, not its transactionId: a crash may have left the payment without
  // its transactionId, or the order without any payment (then the claim is live only while that
  // order could still be paid). A claim without an order is one an older build's crash left.
  const [row] = await exec
    .select({ id: q.id })
    .from(q)
    .leftJoin(o, and(eq(o.companyId, q.companyId), eq(o.id, q.orderId)))
    .leftJoin(p, and(eq(p.companyId, q.companyId), eq(p.orderId, q.orderId)))
    .where(
      and(
        eq(q.companyId, companyId),
        eq(q.qrCodeId, qrCodeId),
        or(
          eq(q.status, 'SUCCESS'),
          and(eq(q.status, 'PROCESSING'), or(ne(p.step, 'DONE'), and(isNull(p.id), notInArray(o.status, [...NON_PAYABLE]), gt(o.expiresAt, now)))),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The QR's payments, newest first, with their transactions' status and bank reference. */
export async function listQrPayments(exec: Executor, companyId: string, qrCodeId: string, limit: number): Promise<QrPaymentView[]> {
  const q = gatewayQrPayments;
  const rows = await exec
    .select({ p: q, transactionStatus: gatewayPayments.status, bankTransactionId: gatewayPayments.bankTransactionId })
    .from(q)
    .leftJoin(gatewayPayments, and(eq(gatewayPayments.companyId, q.companyId), eq(gatewayPayments.id, q.transactionId)))
    .where(and(eq(q.companyId, companyId), eq(q.qrCodeId, qrCodeId)))
    .orderBy(desc(q.createdAt), desc(q.id))
    .limit(limit);
  return rows.map((r) => ({ ...(r.p as QrPayment), transactionStatus: r.transactionStatus, bankTransactionId: r.bankTransactionId }));
}
