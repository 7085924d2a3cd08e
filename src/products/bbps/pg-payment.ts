/**
 * A utility bill paid through the Payment Gateway instead of a balance debit (reference §4
 * "Initiate Bill Payment via EnKash PG", path INFERRED; ADR 0045). The bill gets a gateway order
 * of origin BBPS on the company's own gateway merchant; the gateway owns the order, its payments
 * and its refund, and tells this product in its own transactions: a capture pays the bill and
 * sends it to Bharat Connect, a failed attempt or a closed order moves the bill's paymentStatus,
 * and a biller FAILED refunds the gateway payment (bill-payment.ts). The money of such an order
 * goes to the biller, never into a merchant settlement (the settlement run leaves BBPS orders out).
 */
import type { Executor } from '../../core/db/engine.js';
import { randomChars } from '../../core/ids/ids.js';
import { attemptsLeft, type Order, type OrdersService, type Payment, type PaymentsService } from '../gateway/index.js';
import { NotPayableError, UtilityPaymentNotFoundError } from './errors.js';
import { billPaymentMode, pgPaymentOpen, type PaymentStatus, type UtilityPayment } from './model.js';
import * as repo from './repository.js';
import type { BbpsDeps } from './service.js';

/** What this product uses of the Payment Gateway (its owner API, wired in app.ts). */
export interface BbpsGateway {
  orders: Pick<OrdersService, 'create' | 'onClosed'>;
  payments: Pick<PaymentsService, 'onCapturePosted' | 'onFailed'>;
  /** A full refund of a captured gateway payment, in the caller's transaction (the gateway's refunds service). */
  refund(tx: Executor, companyId: string, transactionId: string, input: { amountPaise: bigint; requestId: string; remarks: string }): Promise<{ id: string }>;
}

export interface PgPayInput {
  returnUrl?: string | undefined;
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Can a bill be paid through the gateway? Only while it awaits payment as approval requires it, with no gateway order of it open. */
export function awaitsPayment(p: UtilityPayment): boolean {
  return p.approvalStatus === 'MAKER_APPROVAL_PENDING' && !pgPaymentOpen(p) && p.billpayStatus === 'PENDING';
}

export function createPgPayment(deps: BbpsDeps, sendToBiller: (tx: Executor, paid: UtilityPayment, now: Date, companyName: string) => Promise<UtilityPayment>) {
  const { db, ledger, gateway } = deps;

  /** The bill of a BBPS order, locked, if the bill still waits on this very order. */
  async function billOf(tx: Executor, order: Order): Promise<UtilityPayment | null> {
    if (order.originId === null) return null;
    const [p] = await repo.lockPayments(tx, order.companyId, [order.originId]);
    return p && p.pgOrderId === order.id && pgPaymentOpen(p) ? p : null;
  }

  async function moveTo(tx: Executor, p: UtilityPayment, paymentStatus: PaymentStatus, at: Date): Promise<void> {
    await repo.updatePayment(tx, p.companyId, p.id, { paymentStatus, updatedAt: at });
  }

  // The capture: the order's money goes to Bharat Connect (not to a settlement), and the bill is paid as a debited one is.
  gateway.payments.onCapturePosted(async (tx, payment: Payment, order: Order) => {
    const now = payment.capturedAt!;
    await ledger.post(tx, order.companyId, {
      code: 'bill_payment',
      referenceType: 'utility_payment',
      referenceId: order.originId ?? order.id,
      description: `Bill payment ${order.originId} through gateway payment ${payment.id} to Bharat Connect`,
      postings: [
        { account: 'merchant_pending_settlement', direction: 'debit', amount: payment.amountPaise },
        { account: 'clearing:bbps', direction: 'credit', amount: payment.amountPaise },
      ],
    });
    const p = await billOf(tx, order);
    if (!p) {
      // Captured for a bill no longer waiting on this order (a late bank success): the payer gets it back.
      await refundCapture(tx, order.companyId, order.originId ?? order.id, payment.id, payment.amountPaise, 'bill_not_awaiting_payment');
      return;
    }
    const paid = await repo.updatePayment(tx, p.companyId, p.id, {
      approvalStatus: 'CHECKER_APPROVED',
      approvedAt: now,
      paymentStatus: 'SUCCESS',
      paymentAt: now,
      paymentMode: billPaymentMode(payment.paymentMode),
      pgTransactionId: payment.id,
      billpayStatus: 'IN_PROGRESS',
      updatedAt: now,
    });
    await sendToBiller(tx, paid, now, await deps.companyName(p.companyId, tx));
  }, 'BBPS');

  // A failed attempt: the order takes another (IN_PROCESS), takes no more (FAILED), or has expired.
  gateway.payments.onFailed(async (tx, payment: Payment, order: Order) => {
    const p = await billOf(tx, order);
    if (!p) return;
    const status: PaymentStatus = order.status === 'EXPIRED' ? 'EXPIRED' : attemptsLeft(order) > 0 ? 'IN_PROCESS' : 'FAILED';
    await moveTo(tx, p, status, payment.updatedAt);
  }, 'BBPS');

  gateway.orders.onClosed(async (tx, order: Order) => {
    const p = await billOf(tx, order);
    if (p) await moveTo(tx, p, order.status === 'CANCELLED' ? 'CANCELLED' : 'EXPIRED', order.updatedAt);
  }, 'BBPS');

  /**
   * Refunds a captured gateway payment of a bill in full, in the caller's transaction: the
   * gateway's refund (its ledger posting, its completion on the rail's delay), then the money back
   * from Bharat Connect to what the refund recovers. Returns the refund's id.
   */
  async function refundCapture(tx: Executor, companyId: string, billId: string, transactionId: string, amountPaise: bigint, reason: string): Promise<string> {
    const refund = await gateway.refund(tx, companyId, transactionId, {
      amountPaise,
      requestId: `BBPS-${transactionId}`,
      remarks: `Bill ${billId}: ${reason}`,
    });
    await ledger.post(tx, companyId, {
      code: 'refund',
      referenceType: 'utility_payment',
      referenceId: billId,
      description: `Bill payment ${billId} returned by Bharat Connect (${reason}): refund ${refund.id} of ${transactionId}`,
      postings: [
        { account: 'clearing:bbps', direction: 'debit', amount: amountPaise },
        { account: 'merchant_settlement_receivable', direction: 'credit', amount: amountPaise },
      ],
    });
    return refund.id;
  }

  return {
    /** The refund of a PG-paid bill the biller failed (bill-payment.ts), in the FAILED transaction. */
    async refundBill(tx: Executor, p: UtilityPayment, code: string): Promise<{ pgRefundId: string }> {
      return { pgRefundId: await refundCapture(tx, p.companyId, p.id, p.pgTransactionId!, p.amountPaise, code) };
    },

    /**
     * `POST /api/v0/utilityPayment/pay`: a gateway order for the bill (origin BBPS), made in one
     * transaction with the bill's INIT, under the bill's lock. @throws utility_payment_not_found,
     * utility_payment_not_payable
     */
    async pay(companyId: string, id: string, input: PgPayInput): Promise<{ payment: UtilityPayment; order: Order }> {
      const found = await repo.findPayment(db, companyId, id);
      if (!found) throw new UtilityPaymentNotFoundError('No utility payment found', { param: 'utilityEnkashId' });
      let payment: UtilityPayment | undefined;
      const order = await gateway.orders.create(
        companyId,
        null,
        {
          merchantOrderId: `${found.id}-${randomChars(ALNUM, 8)}`,
          amountPaise: found.amountPaise,
          returnUrl: input.returnUrl,
          description: `Bill ${found.id}: biller ${found.billerId}, consumer ${found.consumerNumber}`,
          customParameters: { utilityEnkashId: found.id },
          origin: { kind: 'BBPS', id: found.id },
        },
        async (tx, made) => {
          const [p] = await repo.lockPayments(tx, companyId, [found.id]);
          if (!awaitsPayment(p!)) {
            throw new NotPayableError(
              pgPaymentOpen(p!)
                ? `Utility payment ${p!.id} is being paid through order ${p!.pgOrderId} (${p!.paymentStatus})`
                : `Utility payment ${p!.id} is not awaiting payment (paymentStatus ${p!.paymentStatus}, billpayStatus ${p!.billpayStatus})`,
              { param: 'utilityEnkashId' },
            );
          }
          payment = await repo.updatePayment(tx, companyId, p!.id, { paymentStatus: 'INIT', pgOrderId: made.id, updatedAt: made.createdAt });
        },
      );
      return { payment: payment!, order };
    },
  };
}
