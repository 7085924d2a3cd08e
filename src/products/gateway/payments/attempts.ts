import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import { AppError } from '../../../core/errors/app-error.js';
import type { RailCall } from '../../../rails/index.js';
import type { CardAuthorization } from '../../../rails/card/index.js';
import { OrderNotFoundError, OrderNotPayableError } from '../orders/errors.js';
import { attemptsLeft, isPayable, type Order } from '../orders/model.js';
import * as orderRepo from '../orders/repository.js';
import type { GatewaySettings } from '../settings/index.js';
import { toStoredSplit, type SplitDetailInput } from '../split/index.js';
import { PaymentInProgressError, PaymentNotFoundError, PaymentStateError } from './errors.js';
import { assertMove, isInFlight, newPublicIdentifierKey, newTransactionId, newUniqueTransactionId, type Payment, type PaymentStep } from './model.js';
import { MESSAGES, failureMessage, fromCard } from './outcomes.js';
import * as repo from './repository.js';
import * as hot from './statements.js';
import {
  BANK_TIMEOUT_MINUTES,
  UPI_TIMEOUT_GRACE_MINUTES,
  type FromUpiApp,
  type Known,
  type PaymentContext,
  type PaymentDetailInput,
  type PaymentResult,
  type PaymentsDeps,
  type Prepared,
} from './types.js';
import type { Modes } from './modes.js';
import type { Recorder } from './recording.js';

/**
 * Sandbox seconds an attempt waits at its OTP or 3-D Secure page before a new submit on its order
 * may supersede it (issue 16): concurrent submits then get payment_in_progress instead of
 * cancelling each other's attempts, while a holder who left the page can retry soon after.
 */
export const SUPERSEDE_AFTER_SECONDS = 15;

/**
 * Attempts (reference §2.2): a submit's new attempt persisted PROCESSING in one transaction, an
 * existing one (the checkout's, an intent's) moved to PROCESSING, the rail called with no
 * transaction open, the answer recorded; a submit resumed after a crash (ADR 0026); the card
 * holder's OTP and 3-D Secure steps.
 */
export function createAttempts(deps: PaymentsDeps, modes: Modes, recorder: Recorder) {
  const { db, clocks } = deps;
  const { prepare, callRail, railCall } = modes;
  const { record, fail, lockBoth, load } = recorder;

  /** The mode's fields of an attempt sent to its rail: PROCESSING until the rail's answer is recorded. */
  function processing(prepared: Prepared, settings: GatewaySettings, now: Date) {
    const timeoutMinutes = prepared.rail === 'upi' ? settings.upiCollectTimeoutMinutes + UPI_TIMEOUT_GRACE_MINUTES : BANK_TIMEOUT_MINUTES;
    const q = prepared.quote;
    return {
      paymentMode: prepared.mode,
      rail: prepared.rail,
      upiFlow: prepared.upiFlow,
      step: 'PROCESSING' as PaymentStep,
      surchargePaise: q.totalFeesPaise,
      surchargeGstPaise: q.gstPaise,
      finalAmountPaise: q.finalAmountPaise,
      feeBreakdown: { surcharge: String(q.surchargePaise), convenienceFee: String(q.convenienceFeePaise), platformFee: String(q.platformFeePaise) },
      bankCode: prepared.bankCode,
      bankName: prepared.bankName,
      vpa: prepared.vpa,
      cardHolderName: prepared.card?.cardHolderName ?? null,
      // No timer waits on this: a synchronous answer is recorded at once; a waiting one gets its timer then (apply).
      timeoutAt: new Date(now.getTime() + timeoutMinutes * 60_000),
      resultCode: 'processing',
      txnMsg: 'Processing',
      updatedAt: now,
    };
  }

  /**
   * The checks of step 1 under the order's lock: no other attempt with the bank (read in a
   * statement of its own, after the lock, so it sees what the lock waited for). The attempts left
   * at their OTP or 3-D Secure page, or with no mode, are superseded by this one.
   */
  async function supersedeOthers(tx: Executor, order: Order, transactionId: string | null, now: Date, listed?: hot.AttemptState[]): Promise<void> {
    const others = (listed ?? (await hot.listLiveAttempts(tx, order.companyId, order.id))).filter((p) => p.id !== transactionId);
    // An attempt that reached its OTP or 3-D Secure page moments ago belongs to a submit running
    // beside this one (a storm of submits), not to a holder who left the page: it is in progress.
    const fresh = (p: hot.AttemptState) =>
      (p.step === 'OTP' || p.step === 'CHALLENGE') && now.getTime() - p.updatedAt.getTime() < SUPERSEDE_AFTER_SECONDS * 1000;
    if (others.some((p) => isInFlight(p, now) || fresh(p))) {
      throw new PaymentInProgressError('Another payment of this order is in progress; wait for its outcome', { param: 'orderId' });
    }
    for (const p of others) {
      if (p.step === 'NEW' || p.step === 'OTP' || p.step === 'CHALLENGE') {
        await repo.updatePayment(tx, order.companyId, p.id, {
          status: 'CANCELLED',
          step: 'DONE',
          resultCode: 'cancelled',
          txnMsg: 'Superseded by a newer attempt',
          updatedAt: now,
        });
      } else if (p.step === 'PROCESSING') {
        // Past its timeout (else it is in flight): its process died before recording the rail's answer.
        const stale = (await repo.findPayment(tx, order.companyId, p.id, true))!;
        await fail(
          { tx, order, payment: stale, now, secret: await deps.secretFor(order.companyId, order.accessKey) },
          'bank_timeout',
          failureMessage('bank_timeout'),
        );
      }
    }
  }

  /**
   * Pays an attempt that exists with no mode (the checkout's, an intent's): step 1 persists it as
   * PROCESSING under the order's lock, so two attempts never reach the bank at once; then the rail
   * is called and its answer recorded. `known`: the attempt's order (read before, without a lock:
   * only its fixed fields are used before it is locked) and the settings, when the caller read them.
   */
  async function processAttempt(
    companyId: string,
    transactionId: string,
    detail: PaymentDetailInput,
    ctx: PaymentContext,
    known: Known = {},
    fromApp?: FromUpiApp,
  ): Promise<PaymentResult> {
    const order0 = known.order ?? (await hot.findPaymentWithOrder(db, companyId, transactionId))?.order;
    if (!order0) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
    const settings = known.settings ?? (await deps.settings.get(db, companyId));
    const prepared = await prepare(order0, detail, settings, fromApp);
    // Opened before the attempt moves, as in submit: a secret that cannot be opened changes nothing.
    await deps.secretFor(companyId, order0.accessKey);

    const { payment, order } = await withTransaction(db, async (tx) => {
      const { order, payment } = await lockBoth(tx, companyId, transactionId);
      // The order first: an attempt closed by a cancel that won the race is refused as the cancelled order it belongs to.
      assertPayable(order);
      if (payment.step !== 'NEW') throw new PaymentStateError(`Transaction ${transactionId} has already been processed`, { param: 'transactionId' });
      const now = await clocks.now(companyId, tx);
      await supersedeOthers(tx, order, transactionId, now);
      const moved: Payment = { ...payment, ...processing(prepared, settings, now) };
      assertMove(payment, moved);
      await hot.writePayment(tx, moved);
      await orderRepo.updateOrder(tx, companyId, order.id, { status: 'ATTEMPTED', attemptsUsed: order.attemptsUsed + 1, updatedAt: now });
      return { payment: moved, order: { ...order, status: 'ATTEMPTED' as const, attemptsUsed: order.attemptsUsed + 1 } };
    });

    return callAndRecord(payment, order, prepared, settings, ctx);
  }

  /**
   * Steps 2 and 3 of an attempt persisted as PROCESSING: the rail's answer, recorded. `versions`:
   * the rows as step 1 wrote them (`payment` and `order` are what it wrote), when this process just did.
   */
  async function callAndRecord(
    payment: Payment,
    order: Order,
    prepared: Prepared,
    settings: GatewaySettings,
    ctx: PaymentContext,
    versions?: hot.Versions,
  ): Promise<PaymentResult> {
    const { companyId, id: transactionId } = payment;
    // 2. Call the rail with no transaction open.
    let answer: Awaited<ReturnType<typeof callRail>>;
    try {
      answer = await callRail(payment, order, prepared, settings, ctx.scenario);
    } catch (err) {
      // The rail refused the input (or the scenario): the attempt fails with the same reason, then the error is answered.
      const code = err instanceof AppError ? err.code : 'rail_error';
      await record({
        companyId,
        transactionId,
        outcome: { kind: 'failure', code, message: err instanceof AppError ? err.message : failureMessage(code) },
        order,
      });
      throw err;
    }
    // 3. Record the answer.
    return record({
      companyId,
      transactionId,
      outcome: answer.outcome,
      facts: answer.facts,
      finish: ctx.finish,
      extra: { otp: answer.otp },
      order,
      settings,
      ...(versions ? { written: { payment, order, versions } } : {}),
    });
  }

  /**
   * A retried submit whose first run died after creating its attempt (the Idempotency-Key's
   * recovery point, ADR 0026): the attempt is carried on from where it stands, never doubled. Not
   * yet persisted: processed as usual. Persisted but the rail's answer not recorded: the rail is
   * asked again under the same attempt (rails treat the attempt id as their idempotency key), or,
   * past its timeout, the attempt fails as a bank timeout. Recorded since: answered as it stands.
   */
  async function resumeAttempt(
    payment: Payment,
    order: Order,
    detail: PaymentDetailInput,
    prepared: Prepared,
    settings: GatewaySettings,
    ctx: PaymentContext,
  ): Promise<PaymentResult> {
    if (payment.step === 'NEW') return processAttempt(payment.companyId, payment.id, detail, ctx, { order, settings });
    if (payment.step === 'PROCESSING') {
      const now = await clocks.now(payment.companyId);
      if (payment.timeoutAt === null || now < payment.timeoutAt) return callAndRecord(payment, order, prepared, settings, ctx);
      return record({
        companyId: payment.companyId,
        transactionId: payment.id,
        outcome: { kind: 'failure', code: 'bank_timeout', message: failureMessage('bank_timeout') },
        finish: ctx.finish,
        order,
        settings,
      });
    }
    return withTransaction(db, async (tx) => {
      const result = await lockBoth(tx, payment.companyId, payment.id);
      await ctx.finish?.(tx, result);
      return result;
    });
  }

  /**
   * `POST /api/v0/payment/submit` step 1: a new attempt on the order, persisted already PROCESSING
   * with its mode, in one transaction with the order's lock, its checks, the split (checked
   * against the order amount) and the request's recovery point.
   */
  async function persistNewAttempt(
    order0: Order,
    prepared: Prepared,
    settings: GatewaySettings,
    ctx: PaymentContext,
    splitDetails: readonly SplitDetailInput[] | undefined,
  ) {
    const { companyId } = order0;
    return withTransaction(db, async (tx) => {
      const order = await hot.lockOrder(tx, companyId, order0.id);
      if (!order) throw new OrderNotFoundError(`No order ${order0.id}`, { param: 'orderId' });
      assertPayable(order);
      const now = await clocks.now(companyId, tx);
      const shares = splitDetails && splitDetails.length > 0 ? await deps.split.validateSplitDetails(tx, companyId, splitDetails, order.amountPaise) : [];
      const payment: Payment = { ...newAttempt(order, now, shares.length > 0 ? toStoredSplit(shares) : null), ...processing(prepared, settings, now) };
      // Most orders have no other live attempt: the check and the insert are then one statement (ADR 0028).
      const alone = await hot.insertAttemptIfAlone(tx, payment, now);
      let versions: hot.Versions;
      if ('versions' in alone) versions = alone.versions;
      else {
        await supersedeOthers(tx, order, null, now, alone.live);
        versions = await hot.insertProcessingAttempt(tx, payment, now);
      }
      await ctx.checkpoint?.(tx, payment.id);
      return { payment, order: { ...order, status: 'ATTEMPTED' as const, attemptsUsed: order.attemptsUsed + 1, updatedAt: now }, versions };
    });
  }

  function assertPayable(order: Order): void {
    if (!isPayable(order.status)) throw new OrderNotPayableError(`The order is ${order.status} and takes no payment`, { param: 'orderId' });
    if (attemptsLeft(order) <= 0) throw new OrderNotPayableError('The order has no payment attempts left', { param: 'orderId' });
  }

  /** A new attempt of the order, with no mode yet. */
  function newAttempt(order: Order, now: Date, splitDetails: unknown = null): Payment {
    return {
      id: newTransactionId(now),
      companyId: order.companyId,
      orderId: order.id,
      status: 'CREATED',
      paymentMode: null,
      rail: null,
      upiFlow: null,
      step: 'NEW',
      amountPaise: order.amountPaise,
      finalAmountPaise: order.amountPaise,
      surchargePaise: 0n,
      surchargeGstPaise: 0n,
      feeBreakdown: null,
      mdrPaise: 0n,
      mdrGstPaise: 0n,
      refundedPaise: 0n,
      capturedAt: null,
      splitDetails,
      settlementId: null,
      bankCode: null,
      bankName: null,
      uniqueTransactionId: newUniqueTransactionId(now),
      bankTransactionId: null,
      publicIdentifierKey: newPublicIdentifierKey(),
      cardToken: null,
      cardBin: null,
      cardLast4: null,
      cardScheme: null,
      cardType: null,
      cardHolderName: null,
      authenticationId: null,
      vpa: null,
      upiUri: null,
      resultCode: 'created',
      txnMsg: MESSAGES['created']!,
      lateSuccess: false,
      lateSuccessReference: null,
      timeoutAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** The card step of an attempt awaiting its holder: the rail answers, and the answer is recorded. */
  async function authenticate(
    companyId: string,
    transactionId: string,
    step: 'OTP' | 'CHALLENGE',
    ctx: PaymentContext,
    run: (call: RailCall, authenticationId: string) => Promise<CardAuthorization>,
  ) {
    const payment = await load(db, companyId, transactionId);
    if (payment.step !== step || payment.authenticationId === null) {
      throw new PaymentStateError(`Transaction ${transactionId} is not awaiting ${step === 'OTP' ? 'an OTP' : '3-D Secure authentication'}`, {
        param: 'transactionId',
      });
    }
    const auth = await run(railCall(companyId, transactionId, ctx.scenario), payment.authenticationId);
    if (auth.status === 'otp_required') {
      // A wrong OTP with attempts left: the attempt keeps waiting.
      const answer = await withTransaction(db, async (tx) => {
        const { order, payment: current } = await lockBoth(tx, companyId, transactionId);
        const now = await clocks.now(companyId, tx);
        const change = {
          resultCode: auth.reasonCode ?? 'awaiting_otp',
          txnMsg: MESSAGES[auth.reasonCode ?? 'awaiting_otp'] ?? MESSAGES['awaiting_otp']!,
          updatedAt: now,
        };
        if (current.step === 'OTP') await repo.updatePayment(tx, companyId, transactionId, change);
        const result: PaymentResult = {
          order,
          payment: { ...current, ...change },
          otp: { attemptsLeft: auth.otpAttemptsLeft ?? 0, resendsLeft: auth.otpResendsLeft ?? 0 },
        };
        await ctx.finish?.(tx, result);
        return result;
      });
      return answer;
    }
    const { outcome, facts } = fromCard(auth);
    return record({ companyId, transactionId, outcome, facts, finish: ctx.finish });
  }

  return { processAttempt, callAndRecord, resumeAttempt, persistNewAttempt, assertPayable, newAttempt, authenticate };
}
