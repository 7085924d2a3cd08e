import { withTransaction } from '../../../core/db/transaction.js';
import type { Executor } from '../../../core/db/engine.js';
import type { PostingInput } from '../../../core/ledger/index.js';
import { isPayable, type Order, type OrderOriginKind } from '../orders/model.js';
import * as orderRepo from '../orders/repository.js';
import type { GatewaySettings } from '../settings/index.js';
import { PaymentNotFoundError } from './errors.js';
import { PAYMENT_FAILED, PAYMENT_SUCCESS } from './events.js';
import { assertMove, computeMdr, isInFlight, type Payment } from './model.js';
import { MESSAGES, notifyBody, type Facts, type Outcome } from './outcomes.js';
import * as repo from './repository.js';
import * as hot from './statements.js';
import { PAYMENT_TIMEOUT_TIMER, UPI_WITHDRAWN, type PaymentResult, type PaymentsDeps, type CapturedListener, type FailedListener } from './types.js';

/**
 * Recording a rail's answer (ADR 0016, 0028): the one place that moves an attempt after an answer,
 * the capture (payment, order PAID, siblings cancelled, notify, the order's origin, ledger) and
 * the failure; each in the transaction that records it, with both rows locked in one statement.
 */
/** An attempt as this process's transaction persisted it, with the versions of its rows then. */
export interface Written {
  payment: Payment;
  order: Order;
  versions: hot.Versions;
}

export function createRecorder(deps: PaymentsDeps) {
  const { db, clocks, timers, ledger } = deps;
  // Each listener serves the orders of one origin (ADR 0028); one without an origin serves every order.
  const capturedListeners: { origin: OrderOriginKind | undefined; fn: CapturedListener }[] = [];
  /** Run after the capture's ledger posting: for an owner that moves the captured money on (a utility bill, ADR 0045). */
  const postedListeners: { origin: OrderOriginKind | undefined; fn: CapturedListener }[] = [];
  const failedListeners: { origin: OrderOriginKind | undefined; fn: FailedListener }[] = [];
  const forOrder = <T>(listeners: { origin: OrderOriginKind | undefined; fn: T }[], order: Order) =>
    listeners.filter((l) => l.origin === undefined || l.origin === order.originKind).map((l) => l.fn);

  async function load(exec: Executor, companyId: string, transactionId: string): Promise<Payment> {
    const payment = await repo.findPayment(exec, companyId, transactionId);
    if (!payment) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
    return payment;
  }

  /**
   * Locks the order, then the payment (always in this order, so two writers never deadlock), in one statement.
   */
  async function lockBoth(tx: Executor, companyId: string, transactionId: string): Promise<{ order: Order; payment: Payment }> {
    const both = await hot.lockPaymentAndOrder(tx, companyId, transactionId);
    if (!both) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
    return both;
  }

  // ---------------------------------------------------------------------------------------------
  // Capture, and the one place that moves an attempt after a rail answer

  /** What a transaction that moves an attempt works on: both rows locked, `now`, the notify secret, the settings if read. */
  interface Moving {
    tx: Executor;
    order: Order;
    /** The attempt as locked, with the rail's facts merged in (written with the move). */
    payment: Payment;
    now: Date;
    secret: string;
    settings?: GatewaySettings | undefined;
  }

  /** `written`: the rows' versions as the caller knows them; the capture is then written only if they are unchanged (returns undefined if not). */
  async function capture(m: Moving, reference: string | null): Promise<{ order: Order; payment: Payment }>;
  async function capture(m: Moving, reference: string | null, written: hot.Versions): Promise<{ order: Order; payment: Payment } | undefined>;
  async function capture(m: Moving, reference: string | null, written?: hot.Versions): Promise<{ order: Order; payment: Payment } | undefined> {
    const { tx, order, payment, now } = m;
    const settings = m.settings ?? (await deps.settings.get(tx, payment.companyId));
    const mode = payment.paymentMode!;
    const { mdrPaise, mdrGstPaise } = computeMdr(settings, payment.amountPaise, mode);
    const fees = payment.surchargePaise;
    const captured: Payment = {
      ...payment,
      status: 'SUCCESS',
      step: 'DONE',
      capturedAt: now,
      bankTransactionId: reference,
      mdrPaise,
      mdrGstPaise,
      resultCode: 'success',
      txnMsg: MESSAGES['success']!,
      updatedAt: now,
    };
    // The payment, the order PAID and the attempts left waiting for an OTP or a mode (they can no
    // longer pay this order) cancelled: one statement.
    assertMove(payment, captured);
    if (written === undefined) await hot.writeCapture(tx, captured, now, 'Order paid by another transaction');
    else if (!(await hot.captureIfUnchanged(tx, captured, now, 'Order paid by another transaction', written))) return undefined;
    const paid: Order = { ...order, status: 'PAID', paidTransactionId: payment.id, updatedAt: now };
    await deps.events.publish(tx, payment.companyId, { type: PAYMENT_SUCCESS.type, payload: notifyBody(paid, captured, m.secret), notifyUrl: order.notifyUrl });
    for (const listener of forOrder(capturedListeners, order)) await listener(tx, captured, paid);
    // The ledger last: its balance rows are the company's hot rows, locked from here to COMMIT.
    // The payment row, locked above, keeps a second capture of this payment out.
    const postings: PostingInput[] = [
      { account: `clearing:${payment.rail}`, direction: 'debit', amount: payment.finalAmountPaise },
      { account: 'merchant_pending_settlement', direction: 'credit', amount: payment.amountPaise },
    ];
    if (fees > 0n) postings.push({ account: 'fees_revenue', direction: 'credit', amount: fees });
    if (payment.surchargeGstPaise > 0n) postings.push({ account: 'gst_payable', direction: 'credit', amount: payment.surchargeGstPaise });
    await ledger.post(tx, payment.companyId, {
      code: 'payment_capture',
      referenceType: 'gateway_payment',
      referenceId: payment.id,
      description: `Capture of ${payment.id} (${mode}) for order ${order.id}`,
      postings,
    });
    for (const listener of forOrder(postedListeners, order)) await listener(tx, captured, paid);
    return { order: paid, payment: captured };
  }

  async function fail(m: Moving, code: string, message: string, extra: Partial<Payment> = {}) {
    const { tx, order, payment, now } = m;
    const failed: Payment = { ...payment, ...extra, status: 'FAILED', step: 'DONE', resultCode: code, txnMsg: message, updatedAt: now };
    assertMove(payment, failed);
    await hot.writePayment(tx, failed);
    let current = order;
    // The order's expiry waited for this attempt (orders service): now it can expire.
    if (isPayable(order.status) && now >= order.expiresAt && !(await hasInFlight(tx, order.companyId, order.id, payment.id, now))) {
      await closeOpen(tx, order, now, 'Order expired');
      await orderRepo.updateOrder(tx, order.companyId, order.id, { status: 'EXPIRED', updatedAt: now });
      current = { ...order, status: 'EXPIRED', updatedAt: now };
    } else if (order.status === 'PAYMENT_CONFIRMATION_PENDING' && payment.step === 'BANK') {
      // The attempt the order waited on failed (one at a time is with the bank): the order takes another.
      await orderRepo.updateOrder(tx, order.companyId, order.id, { status: 'ATTEMPTED', updatedAt: now });
      current = { ...order, status: 'ATTEMPTED', updatedAt: now };
    }
    await deps.events.publish(tx, payment.companyId, { type: PAYMENT_FAILED.type, payload: notifyBody(current, failed, m.secret), notifyUrl: order.notifyUrl });
    for (const listener of forOrder(failedListeners, order)) await listener(tx, failed, current);
    return { order: current, payment: failed };
  }

  /**
   * Moves an attempt after an answer; idempotent, because rail outcomes and timers are
   * at-least-once: a final attempt ignores failures and pending answers, a captured one ignores
   * everything, and a success for an order that can no longer be paid is recorded as a late
   * success, never captured (ADR 0016). The rail's facts are written with the move, in its one
   * statement. An attempt left waiting (with the bank, or for its holder) gets its timeout timer
   * here: an attempt that ends at once never has one (ADR 0028).
   */
  async function apply(
    tx: Executor,
    input: {
      companyId: string;
      transactionId: string;
      outcome: Outcome;
      facts: Facts;
      secret: string;
      settings?: GatewaySettings | undefined;
      written?: Written | undefined;
    },
  ): Promise<{ order: Order; payment: Payment }> {
    const { companyId, transactionId, outcome } = input;
    // A success for the attempt this process has just persisted (ADR 0028): captured without the
    // lock-and-read first, if neither row changed since; else as any answer, below.
    if (outcome.kind === 'success' && input.written && isPayable(input.written.order.status)) {
      const now = await clocks.now(companyId, tx);
      const m: Moving = {
        tx,
        order: input.written.order,
        payment: { ...input.written.payment, ...input.facts },
        now,
        secret: input.secret,
        settings: input.settings,
      };
      const captured = await capture(m, outcome.reference, input.written.versions);
      if (captured) return captured;
    }
    const { order, payment: locked } = await lockBoth(tx, companyId, transactionId);
    const now = await clocks.now(companyId, tx);
    const payment = { ...locked, ...input.facts };
    const m: Moving = { tx, order, payment, now, secret: input.secret, settings: input.settings };
    const waiting = async (change: Partial<Payment>) => {
      const moved: Payment = { ...payment, ...change, updatedAt: now };
      assertMove(payment, moved);
      await hot.writePayment(tx, moved);
      if (moved.timeoutAt !== null) {
        await timers.schedule(tx, {
          companyId,
          dueAt: moved.timeoutAt,
          kind: PAYMENT_TIMEOUT_TIMER,
          payload: { transactionId },
          dedupeKey: `${PAYMENT_TIMEOUT_TIMER}:${transactionId}`,
        });
      }
      return { order, payment: moved };
    };
    switch (outcome.kind) {
      case 'success': {
        if (payment.capturedAt !== null) return { order, payment };
        // A UPI request the checkout withdrew is never captured, even on a payable order (ADR 0045).
        const withdrawn = payment.resultCode === UPI_WITHDRAWN;
        if (isPayable(order.status) && !withdrawn) return capture(m, outcome.reference);
        if (payment.lateSuccess) return { order, payment };
        // The bank took the money for an order that can no longer be paid (or on a withdrawn
        // request): the rail's clearing account holds it, owed back to the customer, in the same
        // transaction as the record.
        await ledger.post(tx, companyId, {
          code: 'late_payment',
          referenceType: 'gateway_payment',
          referenceId: transactionId,
          description: withdrawn
            ? `Late success of ${transactionId} after its UPI request was withdrawn: owed back to the customer`
            : `Late success of ${transactionId} after order ${order.id} was ${order.status}: owed back to the customer`,
          postings: [
            { account: `clearing:${payment.rail}`, direction: 'debit', amount: payment.finalAmountPaise },
            { account: 'refund_payable', direction: 'credit', amount: payment.finalAmountPaise },
          ],
        });
        const late = { lateSuccess: true, lateSuccessReference: outcome.reference };
        if (payment.step === 'DONE') {
          const marked = { ...payment, ...late, updatedAt: now };
          assertMove(payment, marked);
          await hot.writePayment(tx, marked);
          return { order, payment: marked };
        }
        return fail(m, 'order_not_payable', `The bank reported success after the order was ${order.status}; not captured, owed back to the customer`, late);
      }
      case 'failure':
        if (payment.step === 'DONE') return { order, payment };
        return fail(m, outcome.code, outcome.message);
      case 'pending': {
        if (payment.step === 'DONE') return { order, payment };
        // Past the holder's OTP or 3-D Secure step, the attempt is authorized and awaits the bank (reference §2.2).
        const status = payment.authenticationId !== null ? 'AUTHORIZED' : 'PENDING_WITH_BANK';
        const moved = await waiting({ status, step: 'BANK', resultCode: 'pending_with_bank', txnMsg: MESSAGES['pending_with_bank']! });
        // The order waits for the bank's confirmation (reference §2.1): one more statement, once per attempt that goes to the bank.
        if (!isPayable(order.status) || order.status === 'PAYMENT_CONFIRMATION_PENDING') return moved;
        await orderRepo.updateOrder(tx, companyId, order.id, { status: 'PAYMENT_CONFIRMATION_PENDING', updatedAt: now });
        return { order: { ...order, status: 'PAYMENT_CONFIRMATION_PENDING', updatedAt: now }, payment: moved.payment };
      }
      case 'authenticate': {
        if (payment.step === 'DONE') return { order, payment };
        const code = outcome.step === 'OTP' ? 'awaiting_otp' : 'awaiting_challenge';
        return waiting({ status: 'CREATED', step: outcome.step, authenticationId: outcome.authenticationId, resultCode: code, txnMsg: MESSAGES[code]! });
      }
    }
  }

  interface RecordInput {
    companyId: string;
    transactionId: string;
    outcome: Outcome;
    facts?: Facts | undefined;
    finish?: ((tx: Executor, result: PaymentResult) => Promise<void>) | undefined;
    extra?: Omit<PaymentResult, 'payment' | 'order'> | undefined;
    /** The attempt's order as the caller read it (its access key picks the notify secret), and the settings. */
    order?: Order | undefined;
    settings?: GatewaySettings | undefined;
    /** The attempt and its order as this process persisted them, and the versions of both rows then. */
    written?: Written | undefined;
  }

  /** Records an answer in its own transaction, with the merchant secret read before it opens. */
  async function record(input: RecordInput): Promise<PaymentResult> {
    const { companyId, transactionId } = input;
    const accessKey = input.order ? input.order.accessKey : ((await hot.findPaymentWithOrder(db, companyId, transactionId))?.order.accessKey ?? null);
    const secret = await deps.secretFor(companyId, accessKey);
    // Opened with commit hooks: the capture's settlement timer is remembered once committed (ADR 0028).
    return withTransaction(db, async (tx) => {
      const applied = await apply(tx, {
        companyId,
        transactionId,
        outcome: input.outcome,
        facts: input.facts ?? {},
        secret,
        settings: input.settings,
        written: input.written,
      });
      const answer: PaymentResult = { ...applied, ...input.extra };
      await input.finish?.(tx, answer);
      return answer;
    });
  }

  /** `now`: a PROCESSING attempt past its timeout is no longer in flight (its process died before recording; ADR 0028). */
  async function hasInFlight(tx: Executor, companyId: string, orderId: string, except?: string, now?: Date): Promise<boolean> {
    return (await hot.listLiveAttempts(tx, companyId, orderId)).some((p) => p.id !== except && isInFlight(p, now));
  }

  /**
   * Cancels the order's attempts that are not with the bank: no mode yet, or awaiting the holder.
   * `listed`: the order's attempts, when the caller has just read them in this transaction.
   */
  async function closeOpen(tx: Executor, order: Order, now: Date, reason: string, listed?: Payment[]): Promise<void> {
    for (const p of listed ?? (await repo.listOrderPayments(tx, order.companyId, order.id))) {
      if (p.step === 'NEW' || p.step === 'OTP' || p.step === 'CHALLENGE') {
        await repo.updatePayment(tx, order.companyId, p.id, { status: 'CANCELLED', step: 'DONE', resultCode: 'cancelled', txnMsg: reason, updatedAt: now });
      }
    }
  }

  return { capturedListeners, postedListeners, failedListeners, load, lockBoth, record, fail, hasInFlight, closeOpen };
}

export type Recorder = ReturnType<typeof createRecorder>;
