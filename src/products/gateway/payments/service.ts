import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { Timer } from '../../../core/jobs/types.js';
import type { RailOutcomeEvent } from '../../../rails/index.js';
import { OrderNotFoundError } from '../orders/errors.js';
import type { Order, OrderOriginKind } from '../orders/model.js';
import * as orderRepo from '../orders/repository.js';
import type { OrderAttempts } from '../orders/service.js';
import { fromStoredSplit, parseSplitDetails, sameShares, toStoredSplit, type SplitDetailInput } from '../split/index.js';
import { PaymentInProgressError, PaymentNotFoundError, PaymentStateError } from './errors.js';
import type { NotifyBody } from './events.js';
import { isCapabilityId, type Payment } from './model.js';
import { failureMessage, notifyBody } from './outcomes.js';
import * as repo from './repository.js';
import * as hot from './statements.js';
import {
  PAYMENTS_REPLY_TO,
  PAYMENT_TIMEOUT_TIMER,
  UPI_WITHDRAWN,
  type PaymentContext,
  type PaymentDetailInput,
  type PaymentResult,
  type PaymentsDeps,
  type CapturedListener,
  type FailedListener,
} from './types.js';
import { createAttempts } from './attempts.js';
import { createModes } from './modes.js';
import { createRecorder } from './recording.js';

export * from './types.js';

function sameSecret(a: string, b: unknown): boolean {
  if (typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
export type PaymentSearch = repo.PaymentFilters & PageRequest & { orderBy: keyof typeof repo.PAYMENT_SORT; direction: 'ASC' | 'DESC' };

/**
 * Payments (reference §2.2): attempts on an order, each through the rail of its mode. The rail is
 * called outside any transaction (DESIGN.md request flow): the attempt is persisted (step
 * PROCESSING), the rail answers, and the answer is recorded in a second transaction; later answers
 * arrive through the rails' outcome listener and timers. A success is captured once: ledger
 * posting, PAYMENT_SUCCESS (notify) and the order PAID, all in one transaction (ADR 0016).
 */
export function createPaymentsService(deps: PaymentsDeps) {
  const { db, clocks, timers, rails } = deps;
  const modes = createModes(deps);
  const recorder = createRecorder(deps);
  const { capturedListeners, postedListeners, failedListeners, load, record, hasInFlight, closeOpen } = recorder;
  const { processAttempt, callAndRecord, resumeAttempt, persistNewAttempt, assertPayable, newAttempt, authenticate } = createAttempts(deps, modes, recorder);
  const { prepare, railCall } = modes;

  rails.card.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);
  rails.upi.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);
  rails.netbanking.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);
  rails.wallet.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);

  /** A later answer of a rail (a slow bank, a UPI payer, an expired collect). */
  async function onRailOutcome(event: RailOutcomeEvent): Promise<void> {
    const payment = await repo.findPayment(db, event.companyId, event.attemptRef);
    if (!payment) return;
    if (event.status === 'succeeded') {
      await record({ companyId: event.companyId, transactionId: payment.id, outcome: { kind: 'success', reference: event.reference ?? null } });
    } else if (event.status === 'reversed') {
      // No gateway rail offers a reversal scenario; a captured payment is reversed by a refund (G3), never here.
      if (payment.capturedAt === null)
        await record({
          companyId: event.companyId,
          transactionId: payment.id,
          outcome: { kind: 'failure', code: event.reasonCode ?? 'reversed', message: failureMessage(event.reasonCode ?? 'reversed') },
        });
    } else {
      const code = event.status === 'expired' ? 'upi_request_expired' : (event.reasonCode ?? event.status);
      await record({ companyId: event.companyId, transactionId: payment.id, outcome: { kind: 'failure', code, message: failureMessage(code) } });
    }
  }

  timers.register<{ transactionId: string }>(PAYMENT_TIMEOUT_TIMER, async (timer: Timer<{ transactionId: string }>) => {
    const payment = await repo.findPayment(db, timer.companyId, timer.payload.transactionId);
    if (!payment || payment.step === 'DONE' || payment.step === 'NEW') return;
    const code = payment.step === 'OTP' || payment.step === 'CHALLENGE' ? 'authentication_timeout' : 'bank_timeout';
    await record({ companyId: timer.companyId, transactionId: payment.id, outcome: { kind: 'failure', code, message: failureMessage(code) } });
  });

  const attempts: OrderAttempts = {
    closeOpen,
    hasInFlight: (tx, companyId, orderId, now) => hasInFlight(tx, companyId, orderId, undefined, now),
  };

  return {
    attempts,

    /**
     * Registers a listener run inside the capture transaction of every order of `origin` (the
     * product that made the order, ADR 0028), or of every order when no origin is given.
     */
    onCaptured(listener: CapturedListener, origin?: OrderOriginKind): void {
      capturedListeners.push({ origin, fn: listener });
    },

    /**
     * Registers a listener run inside the capture transaction of every order of `origin`, after the
     * capture's ledger posting: for an owner that moves the captured money on in the same
     * transaction (a utility bill paid through the gateway, ADR 0045). The company's balance rows
     * are then held until the commit, so it is for the origins that need it only.
     */
    onCapturePosted(listener: CapturedListener, origin: OrderOriginKind): void {
      postedListeners.push({ origin, fn: listener });
    },

    /** Registers a listener run inside every transaction that fails an attempt (payment links and mandate debits use it). */
    onFailed(listener: FailedListener, origin?: OrderOriginKind): void {
      failedListeners.push({ origin, fn: listener });
    },

    /**
     * The checkout's transaction, made when the page renders (no mode yet). An order keeps one
     * such attempt: a second render gets the same one. The order becomes CHECKOUT_RENDERED.
     * `checkout` false (submit, UPI intent): a new attempt, and the order status is left to process.
     * `splitDetails` (submit only) are checked against the order amount and stored on the new
     * attempt in the same transaction, so a refused split leaves no attempt behind.
     * @throws order_not_found, order_not_payable, invalid_split_details, invalid_amount
     */
    async createAttempt(
      companyId: string,
      orderId: string,
      checkout = true,
      splitDetails?: readonly SplitDetailInput[],
      onCreated?: (tx: Executor, payment: Payment) => Promise<void>,
    ): Promise<PaymentResult> {
      return withTransaction(db, async (tx) => {
        const order = await orderRepo.findOrder(tx, companyId, orderId, true);
        if (!order) throw new OrderNotFoundError(`No order ${orderId}`, { param: 'orderId' });
        assertPayable(order);
        const now = await clocks.now(companyId, tx);
        const shares = splitDetails && splitDetails.length > 0 ? await deps.split.validateSplitDetails(tx, companyId, splitDetails, order.amountPaise) : [];
        // A re-rendered checkout keeps its attempt; a server-to-server submit always makes its own.
        const open = checkout ? (await repo.listOrderPayments(tx, companyId, order.id)).find((p) => p.step === 'NEW') : undefined;
        const payment = open ?? newAttempt(order, now, shares.length > 0 ? toStoredSplit(shares) : null);
        if (!open) {
          await repo.insertPayment(tx, payment);
          await onCreated?.(tx, payment);
        }
        if (checkout && order.status === 'CREATED') {
          await orderRepo.updateOrder(tx, companyId, order.id, { status: 'CHECKOUT_RENDERED', updatedAt: now });
          return { order: { ...order, status: 'CHECKOUT_RENDERED', updatedAt: now }, payment };
        }
        return { order, payment };
      });
    },

    /**
     * Pays an attempt with the mode chosen: checks the detail, persists the attempt, calls the rail,
     * records the answer. @throws validation_failed, payment_mode_not_enabled, card_mode_mismatch,
     * tpv_account_mismatch, order_not_payable, payment_in_progress, payment_state_conflict, invalid_rail_input
     */
    process: processAttempt,

    /** `POST /api/v0/payment/submit`: createAttempt (with the split, if any), then process. */
    async submit(
      companyId: string,
      orderOrId: string | Order,
      detail: PaymentDetailInput,
      ctx: PaymentContext,
      splitDetails?: readonly SplitDetailInput[],
    ): Promise<PaymentResult> {
      // The route has just read the order (by either id): it is not read again before its lock.
      const order = typeof orderOrId === 'string' ? await orderRepo.findOrder(db, companyId, orderOrId) : orderOrId;
      if (!order) throw new OrderNotFoundError(`No order ${String(orderOrId)}`, { param: 'orderId' });
      // A malformed detail is refused before an attempt exists.
      const settings = await deps.settings.get(db, companyId);
      const prepared = await prepare(order, detail, settings);
      // The merchant secret that signs the answer is opened before anything is written: a secret
      // this server's key cannot open fails the submit with no attempt made (a 5xx commits nothing).
      // It is cached, so the record step below reads it again for free.
      await deps.secretFor(companyId, order.accessKey);
      const resumed = ctx.resume === undefined ? undefined : await repo.findPayment(db, companyId, ctx.resume);
      if (resumed && resumed.orderId === order.id) return resumeAttempt(resumed, order, detail, prepared, settings, ctx);
      const persisted = await persistNewAttempt(order, prepared, settings, ctx, splitDetails);
      return callAndRecord(persisted.payment, persisted.order, prepared, settings, ctx, persisted.versions);
    },

    /** @throws payment_not_found, payment_state_conflict, card_authentication_* */
    validateOtp(companyId: string, transactionId: string, otp: string, ctx: PaymentContext = {}): Promise<PaymentResult> {
      return authenticate(companyId, transactionId, 'OTP', ctx, (call, authenticationId) => rails.card.submitOtp(call, { authenticationId, otp }));
    },

    /** @throws payment_not_found, payment_state_conflict, card_authentication_completed */
    async resendOtp(companyId: string, transactionId: string): Promise<{ payment: Payment; sent: boolean; resendsLeft: number }> {
      const payment = await load(db, companyId, transactionId);
      if (payment.step !== 'OTP' || payment.authenticationId === null)
        throw new PaymentStateError(`Transaction ${transactionId} is not awaiting an OTP`, { param: 'transactionId' });
      const sent = await rails.card.resendOtp(railCall(companyId, transactionId, undefined), { authenticationId: payment.authenticationId });
      return { payment, ...sent };
    },

    /** The holder's answer on the simulated 3-D Secure page (G4's bank page). */
    completeChallenge(companyId: string, transactionId: string, passed: boolean, ctx: PaymentContext = {}): Promise<PaymentResult> {
      return authenticate(companyId, transactionId, 'CHALLENGE', ctx, (call, authenticationId) =>
        rails.card.completeChallenge(call, { authenticationId, passed }),
      );
    },

    /** The notify body of a transaction as it stands (Get Transaction Status answers it too). */
    async notifyView(result: PaymentResult): Promise<NotifyBody> {
      return notifyBody(result.order, result.payment, await deps.secretFor(result.payment.companyId, result.order.accessKey));
    },

    /** @throws payment_not_found */
    async get(companyId: string, transactionId: string): Promise<PaymentResult> {
      const found = await hot.findPaymentWithOrder(db, companyId, transactionId);
      if (!found) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
      // Between its two transactions only (a rail call's milliseconds), unless its process died
      // there: no timer waits on it (ADR 0028), so past its timeout the read fails it.
      if (found.payment.step === 'PROCESSING' && found.payment.timeoutAt !== null && (await clocks.now(companyId)) >= found.payment.timeoutAt) {
        return record({
          companyId,
          transactionId,
          outcome: { kind: 'failure', code: 'bank_timeout', message: failureMessage('bank_timeout') },
          order: found.order,
        });
      }
      return found;
    },

    /**
     * For the public pages: the transaction by its id (the capability, ADR 0035), else
     * payment_not_found. A key, when the caller sends one, must be the transaction's.
     */
    async getPublic(transactionId: string, publicIdentifierKey?: string): Promise<PaymentResult> {
      const payment = await repo.findPaymentById(db, transactionId);
      // An id minted before ADR 0035 has a guessable 5-character suffix: it is no capability, and still needs its key.
      const keyNeeded = publicIdentifierKey !== undefined || !isCapabilityId(transactionId);
      if (!payment || (keyNeeded && !sameSecret(payment.publicIdentifierKey, publicIdentifierKey ?? '')))
        throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
      const order = (await orderRepo.findOrder(db, payment.companyId, payment.orderId))!;
      return { payment, order };
    },

    search(companyId: string, query: PaymentSearch): Promise<{ rows: Payment[]; total: number }> {
      return repo.searchPayments(db, companyId, query, query);
    },

    /**
     * The order's UPI intent attempt (dynamic QR and intent links): the one already waiting for the
     * payer, or a new one. `splitDetails` (Get IntentLink/QrCode with Split details, reference §2.7)
     * are checked and stored on a new attempt as on submit; a waiting attempt is returned only if
     * its split is the one asked for (none asked: any).
     * @throws order_not_found, order_not_payable, payment_in_progress, invalid_split_details, invalid_amount
     */
    async upiIntent(companyId: string, orderId: string, ctx: PaymentContext = {}, splitDetails?: readonly SplitDetailInput[]): Promise<PaymentResult> {
      const waiting = (await repo.listOrderPayments(db, companyId, orderId)).find((p) => p.upiFlow === 'INTENT' && p.step === 'BANK' && p.upiUri !== null);
      if (waiting) {
        if (splitDetails !== undefined && !sameShares(fromStoredSplit(waiting.splitDetails), parseSplitDetails(splitDetails)))
          throw new PaymentInProgressError(`A UPI intent of order ${orderId} is waiting for the payer with other split details`, { param: 'splitDetails' });
        return this.get(companyId, waiting.id);
      }
      const { payment } = await this.createAttempt(companyId, orderId, false, splitDetails);
      return processAttempt(companyId, payment.id, { paymentMode: 'UPI' }, ctx);
    },

    /**
     * A UPI payment the payer starts from their own app, as when scanning a QR code: a new intent
     * attempt on the order, paid by `payerVpa` with no customer fees (the payer pays the amount
     * their app shows). In the sandbox the test VPA decides the outcome (docs/sandbox.md).
     * @throws order_not_found, order_not_payable, payment_mode_not_enabled, invalid_rail_input
     */
    async payFromUpiApp(companyId: string, orderId: string, payerVpa: string, ctx: PaymentContext = {}): Promise<PaymentResult> {
      const { payment, order } = await this.createAttempt(companyId, orderId, false);
      return processAttempt(companyId, payment.id, { paymentMode: 'UPI' }, ctx, { order }, { payerVpa });
    },

    /**
     * Sandbox: the payer of a UPI intent attempt that waits for them (a hosted checkout's QR code
     * or app link) answers from their app, through the rail; the answer is recorded when its timer
     * fires (at once on a server that polls timers, or by the caller's `runDue`).
     * @throws payment_not_found, payment_state_conflict (not an intent waiting for its payer)
     */
    async answerAsUpiPayer(companyId: string, transactionId: string, answer: 'pay' | 'decline'): Promise<void> {
      const payment = await load(db, companyId, transactionId);
      if (payment.upiFlow !== 'INTENT' || payment.step !== 'BANK') {
        throw new PaymentStateError(`Transaction ${transactionId} is not a UPI QR or app payment waiting for its payer`, { param: 'transactionId' });
      }
      await rails.upi.payerAnswers(railCall(companyId, transactionId, undefined), answer);
    },

    /**
     * The checkout's UPI countdown ended on an attempt still waiting at the bank: the request is
     * withdrawn on the rail and the attempt fails (resultCode upi_request_withdrawn); a payment
     * the bank reports after is not captured but owed back to the payer, as a late success is
     * (ADR 0045). An attempt that ended first is answered as it is.
     * @throws payment_not_found, payment_state_conflict (not a UPI attempt with the bank)
     */
    async withdrawUpi(companyId: string, transactionId: string, reason: string): Promise<PaymentResult> {
      const payment = await load(db, companyId, transactionId);
      if (payment.step === 'DONE') return this.get(companyId, transactionId);
      if (payment.upiFlow === null || payment.step !== 'BANK')
        throw new PaymentStateError(`Transaction ${transactionId} is not a UPI request waiting at the bank`, { param: 'transactionId' });
      await rails.upi.withdraw(railCall(companyId, transactionId, undefined));
      return record({ companyId, transactionId, outcome: { kind: 'failure', code: UPI_WITHDRAWN, message: reason } });
    },

    /** `POST /api/v0/payment/vpa/verify` (reference §2.2). @throws invalid_rail_input */
    verifyVpa(vpa: string) {
      return rails.upi.verifyVpa(vpa);
    },

    /** BIN details (reference §2.4), or undefined for an unknown network. */
    binDetails(bin: string) {
      return rails.card.binDetails(bin);
    },

    banks: () => rails.netbanking.banks(),
    wallets: (kind: 'WALLET' | 'PAY_LATER') => rails.wallet.providers(kind),
  };
}
