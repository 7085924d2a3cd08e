import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import { gatewayOrders } from '../index.js';
import { gatewayPayments } from '../index.js';
import type { Refund, RefundStatus } from './model.js';
import { gatewayRefunds } from './tables.js';

/** The columns of a gateway payment that refunds read (the table is the payments area's, reference ADR 0017). */
export interface RefundablePayment {
  id: string;
  orderId: string;
  status: string;
  paymentMode: string | null;
  rail: string | null;
  amountPaise: bigint;
  refundedPaise: bigint;
  bankCode: string | null;
  bankName: string | null;
}

const paymentColumns = {
  id: gatewayPayments.id,
  orderId: gatewayPayments.orderId,
  status: gatewayPayments.status,
  paymentMode: gatewayPayments.paymentMode,
  rail: gatewayPayments.rail,
  amountPaise: gatewayPayments.amountPaise,
  refundedPaise: gatewayPayments.refundedPaise,
  bankCode: gatewayPayments.bankCode,
  bankName: gatewayPayments.bankName,
};

/** Locks the payment row (`SELECT … FOR UPDATE`): concurrent refunds of one payment run one after the other. */
export async function lockPayment(exec: Executor, companyId: string, paymentId: string): Promise<RefundablePayment | null> {
  const [row] = await exec
    .select(paymentColumns)
    .from(gatewayPayments)
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, paymentId)))
    .for('update');
  return row ?? null;
}

export async function setPaymentRefunded(exec: Executor, companyId: string, paymentId: string, refundedPaise: bigint, status: string, at: Date): Promise<void> {
  await exec
    .update(gatewayPayments)
    .set({ refundedPaise, status, updatedAt: at })
    .where(and(eq(gatewayPayments.companyId, companyId), eq(gatewayPayments.id, paymentId)));
}

export async function orderNotifyUrl(exec: Executor, companyId: string, orderId: string): Promise<string | null> {
  const [row] = await exec
    .select({ notifyUrl: gatewayOrders.notifyUrl })
    .from(gatewayOrders)
    .where(and(eq(gatewayOrders.companyId, companyId), eq(gatewayOrders.id, orderId)));
  return row?.notifyUrl ?? null;
}

export async function insertRefund(exec: Executor, refund: Refund): Promise<void> {
  await exec.insert(gatewayRefunds).values(refund);
}

export async function findRefund(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<Refund | null> {
  const query = exec
    .select()
    .from(gatewayRefunds)
    .where(and(eq(gatewayRefunds.companyId, companyId), eq(gatewayRefunds.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return (row as Refund | undefined) ?? null;
}

export async function findRefundByRequestId(exec: Executor, companyId: string, requestId: string): Promise<Refund | null> {
  const [row] = await exec
    .select()
    .from(gatewayRefunds)
    .where(and(eq(gatewayRefunds.companyId, companyId), eq(gatewayRefunds.requestId, requestId)));
  return (row as Refund | undefined) ?? null;
}

export async function completeRefund(
  exec: Executor,
  companyId: string,
  id: string,
  set: { status: RefundStatus; txnMsg: string; bankTransactionId: string | null; failureReason: string | null; completedAt: Date },
): Promise<Refund> {
  const [row] = await exec
    .update(gatewayRefunds)
    .set(set)
    .where(and(eq(gatewayRefunds.companyId, companyId), eq(gatewayRefunds.id, id)))
    .returning();
  return row as Refund;
}
