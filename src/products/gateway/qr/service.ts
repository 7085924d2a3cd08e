import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import { formatAmountString, formatRupees } from '../../../core/money/index.js';
import type { Scenario } from '../../../rails/index.js';
import { merchantPayee, type Gateway, type Order, type Payment } from '../index.js';
import type { GatewaySettings } from '../settings/index.js';
import { QrAmountMismatchError, QrCodeClosedError, QrCodeNotFoundError, QrCustomerNotFoundError, QrPaymentInProgressError } from './errors.js';
import { QR_CODE_CLOSED, type QrClosedPayload } from './events.js';
import {
  closedProblem,
  newQrId,
  qrUpiString,
  type QrCloseReason,
  type QrCode,
  type QrCustomer,
  type QrPayment,
  type QrPaymentView,
  type QrType,
} from './model.js';
import * as repo from './repository.js';

export const QR_CLOSE_TIMER = 'gateway.qr.close';
/** Payments a QR's GET lists (newest first); `paymentsCount` counts them all. */
export const QR_PAYMENTS_SHOWN = 100;

export interface QrDeps {
  db: Executor;
  clocks: SandboxClock;
  /** `runDue`: the sandbox pay applies the payer's immediate answer before it answers. */
  timers: Timers & { runDue(companyId: string): Promise<number> };
  events: { publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }> };
  gateway: Pick<Gateway, 'orders' | 'payments'>;
  settings: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
  /** Refuses a notifyUrl a live company may not target (events service). */
  checkNotifyUrl(companyId: string, url: string): Promise<void>;
}

export interface CreateQrInput {
  customerId?: string | undefined;
  qrType: QrType;
  amountPaise?: bigint | undefined;
  description?: string | undefined;
  closeBy?: Date | undefined;
  notifyUrl?: string | undefined;
  referenceId?: string | undefined;
}

export interface QrDetail {
  qr: QrCode;
  payments: QrPaymentView[];
}

export interface QrPayResult {
  qrPayment: QrPayment;
  payment: Payment;
  order: Order;
  qr: QrCode;
}

export type QrService = ReturnType<typeof createQrService>;

/**
 * UPI QR codes (reference §2.8): static and dynamic QRs, their customers, and payments of a QR.
 * A payment is a gateway order and UPI payment (gateway.orders, gateway.payments), so its capture,
 * ledger posting, settlement and Payment Notify are the gateway's own; the QR's counters move in
 * the capture's transaction (`onCaptured`), and a DYNAMIC QR closes there.
 */
export function createQrService(deps: QrDeps) {
  const { db, clocks, timers, events, gateway } = deps;

  async function loadQr(exec: Executor, companyId: string, id: string, lock = false): Promise<QrCode> {
    const qr = await repo.findQr(exec, companyId, id, lock);
    if (!qr) throw new QrCodeNotFoundError(`No QR code ${id}`, { param: 'qrCodeId' });
    return qr;
  }

  /** Closes an ACTIVE QR and publishes QR_CODE_CLOSED, in the caller's transaction. */
  async function close(
    tx: Executor,
    qr: QrCode,
    reason: QrCloseReason,
    now: Date,
    counts: Pick<QrCode, 'paymentsCount' | 'amountReceivedPaise'> = qr,
  ): Promise<QrCode> {
    const closed: QrCode = { ...qr, ...counts, status: 'CLOSED', closeReason: reason, closedAt: now, updatedAt: now };
    await repo.updateQr(tx, qr.companyId, qr.id, { status: 'CLOSED', closeReason: reason, closedAt: now, updatedAt: now });
    const payload: QrClosedPayload = {
      qrCodeId: qr.id,
      qrType: qr.qrType,
      status: 'CLOSED',
      closeReason: reason,
      referenceId: qr.referenceId,
      paymentsCount: closed.paymentsCount,
      amountReceived: formatRupees(closed.amountReceivedPaise),
      closedAt: now.toISOString(),
    };
    await events.publish(tx, qr.companyId, { type: QR_CODE_CLOSED.type, payload });
    return closed;
  }

  // closeBy on the sandbox clock: the QR closes as EXPIRED when it comes (if still ACTIVE).
  timers.register<{ qrCodeId: string }>(QR_CLOSE_TIMER, async (timer: Timer<{ qrCodeId: string }>) => {
    await withTransaction(db, async (tx) => {
      const qr = await repo.findQr(tx, timer.companyId, timer.payload.qrCodeId, true);
      if (!qr || qr.status !== 'ACTIVE' || qr.closeBy === null) return;
      const now = await clocks.now(qr.companyId, tx);
      if (now >= qr.closeBy) await close(tx, qr, 'EXPIRED', now);
    });
  });

  // A QR payment captured: record it against its QR in the capture's own transaction.
  gateway.payments.onCaptured(async (tx, payment, order) => {
    const claim = await repo.findQrPaymentByOrder(tx, payment.companyId, order.id);
    if (!claim) return;
    const qr = (await repo.findQr(tx, payment.companyId, claim.qrCodeId, true))!;
    const now = payment.capturedAt!;
    await repo.updateQrPayment(tx, payment.companyId, claim.id, { status: 'SUCCESS', transactionId: payment.id, updatedAt: now });
    const counts = { paymentsCount: qr.paymentsCount + 1, amountReceivedPaise: qr.amountReceivedPaise + payment.amountPaise };
    await repo.updateQr(tx, qr.companyId, qr.id, { ...counts, updatedAt: now });
    // A DYNAMIC QR is for one payment. One paid after a close (it was with the bank then) is still recorded.
    if (qr.qrType === 'DYNAMIC' && qr.status === 'ACTIVE') await close(tx, qr, 'PAID', now, counts);
  }, 'QR');

  return {
    /** @throws qr_customer_not_found */
    async createCustomer(companyId: string, input: { name: string; email?: string | undefined; mobile?: string | undefined }): Promise<QrCustomer> {
      return withTransaction(db, async (tx) => {
        const now = await clocks.now(companyId, tx);
        const customer: QrCustomer = {
          id: newQrId('QRC', now),
          companyId,
          name: input.name,
          email: input.email ?? null,
          mobile: input.mobile ?? null,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertCustomer(tx, customer);
        return customer;
      });
    },

    searchCustomers(companyId: string, filters: repo.CustomerFilters, page: PageRequest) {
      return repo.searchCustomers(db, companyId, filters, page);
    },

    /** @throws validation_failed, qr_customer_not_found, duplicate_qr_reference_id, webhook_target_forbidden */
    async create(companyId: string, accessKey: string | null, input: CreateQrInput): Promise<QrCode> {
      if (input.qrType === 'DYNAMIC' && input.amountPaise === undefined)
        throw new ValidationError('Missing required field amount for qrType DYNAMIC', { param: 'amount' });
      if (input.notifyUrl !== undefined) await deps.checkNotifyUrl(companyId, input.notifyUrl);
      const settings = await deps.settings.get(db, companyId);
      return withTransaction(db, async (tx) => {
        const now = await clocks.now(companyId, tx);
        if (input.closeBy !== undefined && input.closeBy <= now) {
          throw new ValidationError(`Invalid field closeBy: must be after the current sandbox time ${now.toISOString()}`, { param: 'closeBy' });
        }
        if (input.customerId !== undefined && !(await repo.findCustomer(tx, companyId, input.customerId))) {
          throw new QrCustomerNotFoundError(`No QR customer ${input.customerId}`, { param: 'customerId' });
        }
        const base = { id: newQrId('QR', now), amountPaise: input.amountPaise ?? null, description: input.description ?? null };
        const qr: QrCode = {
          ...base,
          companyId,
          customerId: input.customerId ?? null,
          qrType: input.qrType,
          closeBy: input.closeBy ?? null,
          notifyUrl: input.notifyUrl ?? null,
          referenceId: input.referenceId ?? null,
          accessKey,
          qrString: qrUpiString(base, merchantPayee(companyId, settings.merchantName)),
          status: 'ACTIVE',
          closeReason: null,
          paymentsCount: 0,
          amountReceivedPaise: 0n,
          closedAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertQr(tx, qr);
        if (qr.closeBy !== null)
          await timers.schedule(tx, {
            companyId,
            dueAt: qr.closeBy,
            kind: QR_CLOSE_TIMER,
            payload: { qrCodeId: qr.id },
            dedupeKey: `${QR_CLOSE_TIMER}:${qr.id}`,
          });
        return qr;
      });
    },

    /** The QR (by id) and its latest payments. @throws qr_code_not_found */
    async get(companyId: string, id: string): Promise<QrDetail> {
      const qr = await loadQr(db, companyId, id);
      return { qr, payments: await repo.listQrPayments(db, companyId, id, QR_PAYMENTS_SHOWN) };
    },

    search(companyId: string, filters: repo.QrFilters, page: PageRequest) {
      return repo.searchQrs(db, companyId, filters, page);
    },

    /**
     * Closes an ACTIVE QR as CANCELLED; cancelling a cancelled QR answers it again (a retried PATCH).
     * A payment already with the bank still completes. @throws qr_code_not_found, qr_code_closed
     */
    async cancel(companyId: string, id: string): Promise<QrDetail> {
      // The answer is read in the transaction that wrote: nothing after the commit can fail it (ADR 0046).
      return withTransaction(db, async (tx) => {
        const loaded = await loadQr(tx, companyId, id, true);
        if (loaded.status === 'CLOSED' && loaded.closeReason !== 'CANCELLED') {
          throw new QrCodeClosedError(`The QR code is already closed (${loaded.closeReason})`, { param: 'qrCodeId' });
        }
        const qr = loaded.closeReason === 'CANCELLED' ? loaded : await close(tx, loaded, 'CANCELLED', await clocks.now(companyId, tx));
        return { qr, payments: await repo.listQrPayments(tx, companyId, id, QR_PAYMENTS_SHOWN) };
      });
    },

    /**
     * The sandbox payer pays the QR from their UPI app (`POST /api/v0/sandbox/qr-code/{id}/pay`):
     * the QR is checked and a claim written with its gateway order (QR locked, so a DYNAMIC QR takes
     * one payment at a time), then the UPI payment is made; the payer's VPA decides the outcome. Nothing is
     * written when the QR refuses. @throws qr_code_not_found, qr_code_closed, qr_amount_mismatch,
     * qr_payment_in_progress, validation_failed, invalid_rail_input, payment_mode_not_enabled
     */
    async pay(companyId: string, qrCodeId: string, input: { payerVpa: string; amountPaise?: bigint | undefined }, scenario?: Scenario): Promise<QrPayResult> {
      const payerVpa = (await gateway.payments.verifyVpa(input.payerVpa)).vpa;
      // Amount, access key and notifyUrl never change after create: checked before the order.
      const known = await loadQr(db, companyId, qrCodeId);
      const amountPaise = input.amountPaise ?? known.amountPaise;
      if (amountPaise === null) throw new ValidationError('Missing required field amount: the QR code has no fixed amount', { param: 'amount' });
      if (known.amountPaise !== null && amountPaise !== known.amountPaise) {
        throw new QrAmountMismatchError(`Invalid field amount: the QR code takes exactly ${formatAmountString(known.amountPaise, 'INR')}`, { param: 'amount' });
      }
      // The claim is written in the order's own transaction, under the QR's lock: a claim always
      // has its order, so a claim a crash left behind stops blocking a DYNAMIC QR when its order
      // expires (hasLivePayment). A refusal rolls the order back: nothing is written.
      const claimId = newQrId('QRP', await clocks.now(companyId));
      let claim: { row: QrPayment; qr: QrCode } | undefined;
      const order = await gateway.orders.create(
        companyId,
        known.accessKey,
        {
          merchantOrderId: claimId,
          amountPaise,
          notifyUrl: known.notifyUrl ?? undefined,
          description: `UPI QR ${known.id}`,
          origin: { kind: 'QR', id: known.id },
        },
        async (tx, created) => {
          const qr = await loadQr(tx, companyId, qrCodeId, true);
          const now = created.createdAt;
          const problem = closedProblem(qr, now);
          if (problem) throw new QrCodeClosedError(problem, { param: 'qrCodeId' });
          if (qr.qrType === 'DYNAMIC' && (await repo.hasLivePayment(tx, companyId, qr.id, now))) {
            throw new QrPaymentInProgressError('The DYNAMIC QR code already has a payment with the bank or paid; it takes one payment', { param: 'qrCodeId' });
          }
          const row: QrPayment = {
            id: claimId,
            companyId,
            qrCodeId,
            orderId: created.id,
            transactionId: null,
            payerVpa,
            amountPaise,
            status: 'PROCESSING',
            createdAt: now,
            updatedAt: now,
          };
          await repo.insertQrPayment(tx, row);
          claim = { row, qr };
        },
      );
      if (!claim) throw new Error('unreachable: the order was created without its QR claim');
      let transactionId: string;
      try {
        const { payment } = await gateway.payments.payFromUpiApp(companyId, order.id, payerVpa, { scenario });
        transactionId = payment.id;
        await repo.updateQrPayment(db, companyId, claimId, { transactionId, updatedAt: payment.updatedAt });
      } catch (err) {
        // Refused before the bank took it (the rail refused the input or the scenario): the claim ends.
        await repo.updateQrPayment(db, companyId, claimId, { status: 'FAILED', updatedAt: await clocks.now(companyId) });
        throw err;
      }
      // The payer's immediate answer (a timer due now) is applied before answering.
      await timers.runDue(companyId);
      const { payment, order: paidOrder } = await gateway.payments.get(companyId, transactionId);
      const [qr, payments] = await Promise.all([loadQr(db, companyId, qrCodeId), repo.listQrPayments(db, companyId, qrCodeId, QR_PAYMENTS_SHOWN)]);
      return { qrPayment: payments.find((p) => p.id === claimId) ?? claim.row, payment, order: paidOrder, qr };
    },
  };
}
