import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import { AppError, ValidationError } from '../../../core/errors/app-error.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import type { Ledger, PostingInput } from '../../../core/ledger/index.js';
import type { Rails, RailCall, RailOutcomeEvent, Scenario } from '../../../rails/index.js';
import type { CardAuthorization, CardDetails } from '../../../rails/card/index.js';
import { OrderNotFoundError, OrderNotPayableError } from '../orders/errors.js';
import { attemptsLeft, isPayable, type Order } from '../orders/model.js';
import * as orderRepo from '../orders/repository.js';
import type { OrderAttempts } from '../orders/service.js';
import type { GatewaySettings, PaymentMode } from '../settings/model.js';
import { toStoredSplit, type SplitDetailInput, type SplitShare } from '../split/index.js';
import { CardModeMismatchError, PaymentInProgressError, PaymentModeNotEnabledError, PaymentNotFoundError, PaymentStateError, TpvMismatchError } from './errors.js';
import { PAYMENT_FAILED, PAYMENT_SUCCESS, type NotifyBody } from './events.js';
import {
  CARD_TYPE_OF_MODE,
  RAIL_OF_MODE,
  cardInputProblem,
  computeMdr,
  isInFlight,
  merchantPayee,
  newPublicIdentifierKey,
  newTransactionId,
  newUniqueTransactionId,
  quoteFees,
  type FeeQuote,
  type GatewayRail,
  type Payment,
  type PaymentStep,
  type UpiFlow,
} from './model.js';
import { MESSAGES, failureMessage, fromCard, fromProvider, notifyBody, type Facts, type Outcome } from './outcomes.js';
import * as repo from './repository.js';

/** The rails' outcome listener of gateway payments (`RailCall.replyTo`). */
export const PAYMENTS_REPLY_TO = 'gateway.payments';
export const PAYMENT_TIMEOUT_TIMER = 'gateway.payment.timeout';
/** An attempt on a card, netbanking or wallet that the bank has not settled fails after this long (sandbox time). */
export const BANK_TIMEOUT_MINUTES = 15;
/** A UPI attempt fails this long after the collect expiry, if the rail reported nothing by then. */
const UPI_TIMEOUT_GRACE_MINUTES = 1;

/** What the customer (or the merchant's server) chose: submit's fields (reference §2.2). */
export interface PaymentDetailInput {
  paymentMode: PaymentMode;
  cardNumber?: string | undefined;
  cvv?: string | undefined;
  expiry?: string | undefined;
  cardHolderName?: string | undefined;
  bankCode?: string | undefined;
  bnplPaymentOptionId?: string | undefined;
  vpa?: string | undefined;
  accountNumber?: string | undefined;
  ifsc?: string | undefined;
}

export interface PaymentContext {
  /** The `X-Tijori-Scenario` of the request. */
  scenario?: Scenario | undefined;
  /** Completes the request's Idempotency-Key in the transaction that records the answer. */
  finish?: ((tx: Executor, result: PaymentResult) => Promise<void>) | undefined;
  /**
   * Submit only: the attempt an earlier run of this same request (its Idempotency-Key) created
   * before its process died; the submit carries it on instead of creating another (ADR 0026).
   */
  resume?: string | undefined;
  /** Submit only: records the new attempt as the request's recovery point, in its creating transaction. */
  checkpoint?: ((tx: Executor, transactionId: string) => Promise<void>) | undefined;
}

export interface PaymentResult {
  payment: Payment;
  order: Order;
  /** Set while the holder is asked for an OTP. */
  otp?: { attemptsLeft: number; resendsLeft: number } | undefined;
}

/** Called in the capture transaction, before the ledger posting that ends it (settlement scheduling, payment links, UPI QR and mandate debits use it). */
export type CapturedListener = (tx: Executor, payment: Payment, order: Order) => Promise<void>;
/** Called in the transaction that fails an attempt, after its PAYMENT_FAILED event (payment links and mandate debits use it). */
export type FailedListener = (tx: Executor, payment: Payment, order: Order) => Promise<void>;

export interface PaymentsDeps {
  db: Executor;
  clocks: SandboxClock;
  timers: Timers;
  ledger: Ledger;
  rails: Pick<Rails, 'card' | 'upi' | 'netbanking' | 'wallet'>;
  events: { publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }>; wake(): void };
  settings: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
  /** The merchant secret that keys the notify checksum (the merchant service's `secretFor`). */
  secretFor(companyId: string, accessKey: string | null): Promise<string>;
  /** The split service's check of `splitDetails[]` (reference §2.7), run in the submission's transaction. */
  split: { validateSplitDetails(exec: Executor, companyId: string, details: readonly SplitDetailInput[], amountPaise: bigint): Promise<SplitShare[]> };
}

/** A UPI payment the payer started in their own app (a scanned QR code): the payer's VPA. */
interface FromUpiApp {
  payerVpa: string;
}

/** What a caller already read, so that it is not read again (an order's fixed fields, the settings). */
interface Known {
  order?: Order | undefined;
  settings?: GatewaySettings | undefined;
}

interface Prepared {
  mode: PaymentMode;
  rail: GatewayRail;
  upiFlow: UpiFlow | null;
  quote: FeeQuote;
  bankCode: string | null;
  bankName: string | null;
  card: CardDetails | null;
  vpa: string | null;
}

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
  const { db, clocks, timers, ledger, rails } = deps;
  const capturedListeners: CapturedListener[] = [];
  const failedListeners: FailedListener[] = [];

  const railCall = (companyId: string, transactionId: string, scenario: Scenario | undefined): RailCall => ({
    companyId,
    attemptRef: transactionId,
    replyTo: PAYMENTS_REPLY_TO,
    scenario,
    exec: db,
  });

  async function load(exec: Executor, companyId: string, transactionId: string): Promise<Payment> {
    const payment = await repo.findPayment(exec, companyId, transactionId);
    if (!payment) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
    return payment;
  }

  /**
   * Locks the order, then the payment (always in this order, so two writers never deadlock).
   * `knownOrderId`: the payment's order, when the caller already read the payment (it never changes).
   */
  async function lockBoth(tx: Executor, companyId: string, transactionId: string, knownOrderId?: string): Promise<{ order: Order; payment: Payment }> {
    const orderId = knownOrderId ?? (await load(tx, companyId, transactionId)).orderId;
    const order = (await orderRepo.findOrder(tx, companyId, orderId, true))!;
    const payment = (await repo.findPayment(tx, companyId, transactionId, true))!;
    return { order, payment };
  }

  // ---------------------------------------------------------------------------------------------
  // Capture, and the one place that moves an attempt after a rail answer

  async function capture(tx: Executor, order: Order, payment: Payment, reference: string | null, now: Date, secret: string, known: Known): Promise<{ order: Order; payment: Payment }> {
    const settings = known.settings ?? (await deps.settings.get(tx, payment.companyId));
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
    const { id: _id, companyId: _c, orderId: _o, createdAt: _cr, publicIdentifierKey: _k, uniqueTransactionId: _u, ...change } = captured;
    await repo.updatePayment(tx, payment.companyId, payment.id, change);
    const paid: Order = { ...order, status: 'PAID', paidTransactionId: payment.id, updatedAt: now };
    await orderRepo.updateOrder(tx, order.companyId, order.id, { status: 'PAID', paidTransactionId: payment.id, updatedAt: now });
    // Attempts left waiting for an OTP or a mode can no longer pay this order.
    await closeOpen(tx, paid, now, 'Order paid by another transaction');
    await deps.events.publish(tx, payment.companyId, { type: PAYMENT_SUCCESS.type, payload: notifyBody(paid, captured, secret), notifyUrl: order.notifyUrl });
    for (const listener of capturedListeners) await listener(tx, captured, paid);
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
    return { order: paid, payment: captured };
  }

  async function fail(tx: Executor, order: Order, payment: Payment, code: string, message: string, now: Date, secret: string, extra: Partial<Payment> = {}) {
    const failed: Payment = { ...payment, ...extra, status: 'FAILED', step: 'DONE', resultCode: code, txnMsg: message, updatedAt: now };
    await repo.updatePayment(tx, payment.companyId, payment.id, { ...extra, status: 'FAILED', step: 'DONE', resultCode: code, txnMsg: message, updatedAt: now });
    let current = order;
    // The order's expiry waited for this attempt (orders service): now it can expire.
    if (isPayable(order.status) && now >= order.expiresAt && !(await hasInFlight(tx, order.companyId, order.id, payment.id))) {
      await closeOpen(tx, order, now, 'Order expired');
      await orderRepo.updateOrder(tx, order.companyId, order.id, { status: 'EXPIRED', updatedAt: now });
      current = { ...order, status: 'EXPIRED', updatedAt: now };
    }
    await deps.events.publish(tx, payment.companyId, { type: PAYMENT_FAILED.type, payload: notifyBody(current, failed, secret), notifyUrl: order.notifyUrl });
    for (const listener of failedListeners) await listener(tx, failed, current);
    return { order: current, payment: failed };
  }

  /**
   * Moves an attempt after an answer; idempotent, because rail outcomes and timers are
   * at-least-once: a final attempt ignores failures and pending answers, a captured one ignores
   * everything, and a success for an order that can no longer be paid is recorded as a late
   * success, never captured (ADR 0016).
   */
  async function apply(tx: Executor, companyId: string, transactionId: string, outcome: Outcome, facts: Facts, secret: string, known: Known): Promise<{ order: Order; payment: Payment }> {
    const { order, payment: locked } = await lockBoth(tx, companyId, transactionId, known.order?.id);
    const now = await clocks.now(companyId, tx);
    const payment = { ...locked, ...facts };
    if (Object.keys(facts).length > 0 && locked.step !== 'DONE') await repo.updatePayment(tx, companyId, transactionId, { ...facts, updatedAt: now });
    switch (outcome.kind) {
      case 'success': {
        if (payment.capturedAt !== null) return { order, payment };
        if (isPayable(order.status)) return capture(tx, order, payment, outcome.reference, now, secret, known);
        if (payment.lateSuccess) return { order, payment };
        // The bank took the money for an order that can no longer be paid: the rail's clearing
        // account holds it, owed back to the customer, in the same transaction as the record.
        await ledger.post(tx, companyId, {
          code: 'late_payment',
          referenceType: 'gateway_payment',
          referenceId: transactionId,
          description: `Late success of ${transactionId} after order ${order.id} was ${order.status}: owed back to the customer`,
          postings: [
            { account: `clearing:${payment.rail}`, direction: 'debit', amount: payment.finalAmountPaise },
            { account: 'refund_payable', direction: 'credit', amount: payment.finalAmountPaise },
          ],
        });
        const late = { lateSuccess: true, lateSuccessReference: outcome.reference };
        if (payment.step === 'DONE') {
          await repo.updatePayment(tx, companyId, transactionId, { ...late, updatedAt: now });
          return { order, payment: { ...payment, ...late } };
        }
        return fail(tx, order, payment, 'order_not_payable', `The bank reported success after the order was ${order.status}; not captured, owed back to the customer`, now, secret, late);
      }
      case 'failure':
        if (payment.step === 'DONE') return { order, payment };
        return fail(tx, order, payment, outcome.code, outcome.message, now, secret);
      case 'pending': {
        if (payment.step === 'DONE') return { order, payment };
        // Past the holder's OTP or 3-D Secure step, the attempt is authorized and awaits the bank (reference §2.2).
        const status = payment.authenticationId !== null ? 'AUTHORIZED' : 'PENDING_WITH_BANK';
        const change = { status, step: 'BANK', resultCode: 'pending_with_bank', txnMsg: MESSAGES['pending_with_bank']!, updatedAt: now } as const;
        await repo.updatePayment(tx, companyId, transactionId, change);
        return { order, payment: { ...payment, ...change } };
      }
      case 'authenticate': {
        if (payment.step === 'DONE') return { order, payment };
        const code = outcome.step === 'OTP' ? 'awaiting_otp' : 'awaiting_challenge';
        const change = { status: 'CREATED', step: outcome.step, authenticationId: outcome.authenticationId, resultCode: code, txnMsg: MESSAGES[code]!, updatedAt: now } as const;
        await repo.updatePayment(tx, companyId, transactionId, change);
        return { order, payment: { ...payment, ...change } };
      }
    }
  }

  /** Records an answer in its own transaction, with the merchant secret read before it opens. */
  async function record(
    companyId: string,
    transactionId: string,
    outcome: Outcome,
    facts: Facts = {},
    finish?: (tx: Executor, result: PaymentResult) => Promise<void>,
    extra?: Omit<PaymentResult, 'payment' | 'order'>,
    known: Known = {},
  ): Promise<PaymentResult> {
    const order = known.order ?? (await orderRepo.findOrder(db, companyId, (await load(db, companyId, transactionId)).orderId));
    const secret = await deps.secretFor(companyId, order?.accessKey ?? null);
    const result = await withTransaction(db, async (tx) => {
      const applied = await apply(tx, companyId, transactionId, outcome, facts, secret, { ...known, ...(order ? { order } : {}) });
      const answer: PaymentResult = { ...applied, ...extra };
      await finish?.(tx, answer);
      return answer;
    });
    deps.events.wake();
    return result;
  }

  async function hasInFlight(tx: Executor, companyId: string, orderId: string, except?: string): Promise<boolean> {
    return (await repo.listOrderPayments(tx, companyId, orderId)).some((p) => p.id !== except && isInFlight(p));
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

  async function callRail(payment: Payment, order: Order, prepared: Prepared, settings: GatewaySettings, scenario: Scenario | undefined) {
    const call = railCall(payment.companyId, payment.id, scenario);
    const amountPaise = payment.finalAmountPaise;
    switch (prepared.rail) {
      case 'card':
        return fromCard(await rails.card.authorize(call, { card: prepared.card!, amountPaise }));
      case 'netbanking':
        return { outcome: fromProvider(await rails.netbanking.pay(call, { bankCode: prepared.bankCode!, amountPaise })), facts: {} };
      case 'wallet':
        return { outcome: fromProvider(await rails.wallet.pay(call, { walletCode: prepared.bankCode!, amountPaise })), facts: {} };
      case 'upi': {
        const expiresInMs = settings.upiCollectTimeoutMinutes * 60_000;
        const note = `Order ${order.merchantOrderId}`.slice(0, 50);
        if (prepared.upiFlow === 'COLLECT') {
          const r = await rails.upi.collect(call, { payerVpa: prepared.vpa!, amountPaise, expiresInMs, note });
          return { outcome: fromProvider(r), facts: {} };
        }
        const r = await rails.upi.intent(call, { payee: merchantPayee(payment.companyId, settings.merchantName), amountPaise, transactionRef: payment.uniqueTransactionId, note, expiresInMs, ...(prepared.vpa === null ? {} : { payerVpa: prepared.vpa }) });
        return { outcome: fromProvider(r), facts: { upiUri: r.uri } };
      }
    }
  }

  rails.card.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);
  rails.upi.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);
  rails.netbanking.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);
  rails.wallet.onOutcome(PAYMENTS_REPLY_TO, onRailOutcome);

  /** A later answer of a rail (a slow bank, a UPI payer, an expired collect). */
  async function onRailOutcome(event: RailOutcomeEvent): Promise<void> {
    const payment = await repo.findPayment(db, event.companyId, event.attemptRef);
    if (!payment) return;
    if (event.status === 'succeeded') {
      await record(event.companyId, payment.id, { kind: 'success', reference: event.reference ?? null });
    } else if (event.status === 'reversed') {
      // No gateway rail offers a reversal scenario; a captured payment is reversed by a refund (G3), never here.
      if (payment.capturedAt === null) await record(event.companyId, payment.id, { kind: 'failure', code: event.reasonCode ?? 'reversed', message: failureMessage(event.reasonCode ?? 'reversed') });
    } else {
      const code = event.status === 'expired' ? 'upi_request_expired' : (event.reasonCode ?? event.status);
      await record(event.companyId, payment.id, { kind: 'failure', code, message: failureMessage(code) });
    }
  }

  timers.register<{ transactionId: string }>(PAYMENT_TIMEOUT_TIMER, async (timer: Timer<{ transactionId: string }>) => {
    const payment = await repo.findPayment(db, timer.companyId, timer.payload.transactionId);
    if (!payment || payment.step === 'DONE' || payment.step === 'NEW') return;
    const code = payment.step === 'OTP' || payment.step === 'CHALLENGE' ? 'authentication_timeout' : 'bank_timeout';
    await record(timer.companyId, payment.id, { kind: 'failure', code, message: failureMessage(code) });
  });

  // ---------------------------------------------------------------------------------------------
  // Choosing a mode

  async function prepare(order: Order, detail: PaymentDetailInput, settings: GatewaySettings, fromApp?: FromUpiApp): Promise<Prepared> {
    const mode = detail.paymentMode;
    if (!settings.enabledModes.includes(mode)) throw new PaymentModeNotEnabledError(`Payment mode ${mode} is not enabled for this merchant`, { param: 'paymentMode' });
    const rail = RAIL_OF_MODE[mode];
    const require = (field: keyof PaymentDetailInput): string => {
      const value = detail[field];
      if (value === undefined || value === '') throw new ValidationError(`Missing required field ${field} for paymentMode ${mode}`, { param: field });
      return value;
    };
    const base = { mode, rail, upiFlow: null, card: null, vpa: null, bankCode: null, bankName: null } as const;
    switch (rail) {
      case 'card': {
        const card = { cardNumber: require('cardNumber'), expiry: require('expiry'), cvv: require('cvv') };
        const bin = rails.card.binDetails(card.cardNumber.replace(/[\s-]/g, ''));
        const problem = cardInputProblem(card, bin?.network);
        if (problem) throw new ValidationError(problem.message, { param: problem.param });
        // A card of a known issuer must match the mode (a debit card is not a CREDIT_CARD payment).
        if (bin!.issuer !== 'Unknown issuer' && CARD_TYPE_OF_MODE[mode] !== bin!.cardType) {
          throw new CardModeMismatchError(`The card is a ${bin!.cardType} card; paymentMode ${mode} needs a ${CARD_TYPE_OF_MODE[mode]} card`, { param: 'paymentMode' });
        }
        return {
          ...base,
          card: { ...card, ...(detail.cardHolderName === undefined ? {} : { cardHolderName: detail.cardHolderName }) },
          bankCode: bin!.bankCode,
          bankName: bin!.issuer,
          quote: quoteFees(settings, order.amountPaise, mode, [bin!.network, bin!.bankCode]),
        };
      }
      case 'netbanking': {
        const code = require('bankCode');
        const bank = rails.netbanking.banks().find((b) => b.code === code);
        if (!bank) throw new ValidationError(`Invalid field bankCode: unknown bank code ${code}`, { param: 'bankCode' });
        return { ...base, bankCode: bank.code, bankName: bank.name, quote: quoteFees(settings, order.amountPaise, mode, [bank.code]) };
      }
      case 'wallet': {
        const kind = mode === 'PAY_LATER' ? 'PAY_LATER' : 'WALLET';
        const code = mode === 'PAY_LATER' ? (detail.bnplPaymentOptionId ?? require('bankCode')) : require('bankCode');
        const provider = rails.wallet.providers(kind).find((p) => p.code === code);
        if (!provider) throw new ValidationError(`Invalid field bankCode: unknown ${mode === 'PAY_LATER' ? 'pay-later option' : 'wallet'} ${code}`, { param: 'bankCode' });
        return { ...base, bankCode: provider.code, bankName: provider.name, quote: quoteFees(settings, order.amountPaise, mode, [provider.code]) };
      }
      case 'upi': {
        if (order.tpvAccountNumber !== null && ((detail.accountNumber !== undefined && detail.accountNumber !== order.tpvAccountNumber) || (detail.ifsc !== undefined && detail.ifsc !== order.tpvIfsc))) {
          throw new TpvMismatchError('The account is not the one this order allows (third-party validation)', { param: 'accountNumber' });
        }
        if (fromApp) {
          // The payer paid from their app the amount they saw (a QR's): an intent with no customer fees.
          const vpa = (await rails.upi.verifyVpa(fromApp.payerVpa)).vpa;
          return { ...base, upiFlow: 'INTENT', vpa, quote: quoteFees({ ...settings, feeRules: {} }, order.amountPaise, mode) };
        }
        const vpa = detail.vpa === undefined ? null : (await rails.upi.verifyVpa(detail.vpa)).vpa;
        return { ...base, upiFlow: vpa === null ? 'INTENT' : 'COLLECT', vpa, quote: quoteFees(settings, order.amountPaise, mode) };
      }
    }
  }

  /**
   * `known`: the attempt's order (read before, without a lock: only its fixed fields are used
   * before it is locked) and the company's settings, when the caller has just read them.
   */
  async function processAttempt(companyId: string, transactionId: string, detail: PaymentDetailInput, ctx: PaymentContext, known: Known = {}, fromApp?: FromUpiApp): Promise<PaymentResult> {
    const order0 = known.order ?? (await orderRepo.findOrder(db, companyId, (await load(db, companyId, transactionId)).orderId))!;
    const settings = known.settings ?? (await deps.settings.get(db, companyId));
    const prepared = await prepare(order0, detail, settings, fromApp);

    // 1. Persist the attempt: the order is locked, so two attempts never reach the bank at once.
    const { payment, order } = await withTransaction(db, async (tx) => {
      const { order, payment } = await lockBoth(tx, companyId, transactionId, order0.id);
      // The order first: an attempt closed by a cancel that won the race is refused as the cancelled order it belongs to.
      assertPayable(order);
      if (payment.step !== 'NEW') throw new PaymentStateError(`Transaction ${transactionId} has already been processed`, { param: 'transactionId' });
      const others = (await repo.listOrderPayments(tx, companyId, order.id)).filter((p) => p.id !== transactionId);
      if (others.some(isInFlight)) {
        throw new PaymentInProgressError('Another payment of this order is in progress; wait for its outcome', { param: 'orderId' });
      }
      const now = await clocks.now(companyId, tx);
      // An attempt left at its OTP or 3-D Secure page is superseded by this one.
      await closeOpen(tx, order, now, 'Superseded by a newer attempt', others);
      const timeoutMinutes = prepared.rail === 'upi' ? settings.upiCollectTimeoutMinutes + UPI_TIMEOUT_GRACE_MINUTES : BANK_TIMEOUT_MINUTES;
      const q = prepared.quote;
      const change = {
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
        timeoutAt: new Date(now.getTime() + timeoutMinutes * 60_000),
        resultCode: 'processing',
        txnMsg: 'Processing',
        updatedAt: now,
      };
      await repo.updatePayment(tx, companyId, transactionId, change);
      await orderRepo.updateOrder(tx, companyId, order.id, { status: 'ATTEMPTED', attemptsUsed: order.attemptsUsed + 1, updatedAt: now });
      await timers.schedule(tx, { companyId, dueAt: change.timeoutAt, kind: PAYMENT_TIMEOUT_TIMER, payload: { transactionId }, dedupeKey: `${PAYMENT_TIMEOUT_TIMER}:${transactionId}` });
      return { payment: { ...payment, ...change }, order: { ...order, status: 'ATTEMPTED' as const, attemptsUsed: order.attemptsUsed + 1 } };
    });

    return callAndRecord(companyId, payment, order, prepared, settings, ctx);
  }

  /** Steps 2 and 3 of an attempt persisted as PROCESSING: the rail's answer, recorded. */
  async function callAndRecord(companyId: string, payment: Payment, order: Order, prepared: Prepared, settings: GatewaySettings, ctx: PaymentContext): Promise<PaymentResult> {
    const transactionId = payment.id;
    // 2. Call the rail with no transaction open.
    let answer: Awaited<ReturnType<typeof callRail>>;
    try {
      answer = await callRail(payment, order, prepared, settings, ctx.scenario);
    } catch (err) {
      // The rail refused the input (or the scenario): the attempt fails with the same reason, then the error is answered.
      const code = err instanceof AppError ? err.code : 'rail_error';
      await record(companyId, transactionId, { kind: 'failure', code, message: err instanceof AppError ? err.message : failureMessage(code) }, {}, undefined, undefined, { order });
      throw err;
    }
    // 3. Record the answer.
    return record(companyId, transactionId, answer.outcome, answer.facts, ctx.finish, { otp: answer.otp }, { order, settings });
  }

  /**
   * A retried submit whose first run died after creating its attempt (the Idempotency-Key's
   * recovery point, ADR 0026): the attempt is carried on from where it stands, never doubled. Not
   * yet persisted: processed as usual. Persisted but the rail's answer not recorded: the rail is
   * asked again under the same attempt (rails treat the attempt id as their idempotency key).
   * Recorded since (its timeout, a rail's later outcome): answered as it stands.
   */
  async function resumeAttempt(payment: Payment, order: Order, detail: PaymentDetailInput, prepared: Prepared, settings: GatewaySettings, ctx: PaymentContext): Promise<PaymentResult> {
    if (payment.step === 'NEW') return processAttempt(payment.companyId, payment.id, detail, ctx, { order, settings });
    if (payment.step === 'PROCESSING') return callAndRecord(payment.companyId, payment, order, prepared, settings, ctx);
    return withTransaction(db, async (tx) => {
      const result = await lockBoth(tx, payment.companyId, payment.id, order.id);
      await ctx.finish?.(tx, result);
      return result;
    });
  }

  function assertPayable(order: Order): void {
    if (!isPayable(order.status)) throw new OrderNotPayableError(`The order is ${order.status} and takes no payment`, { param: 'orderId' });
    if (attemptsLeft(order) <= 0) throw new OrderNotPayableError('The order has no payment attempts left', { param: 'orderId' });
  }

  async function newAttempt(tx: Executor, order: Order, now: Date, splitDetails: unknown = null): Promise<Payment> {
    const payment: Payment = {
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
    await repo.insertPayment(tx, payment);
    return payment;
  }

  /** The card step of an attempt awaiting its holder: the rail answers, and the answer is recorded. */
  async function authenticate(companyId: string, transactionId: string, step: 'OTP' | 'CHALLENGE', ctx: PaymentContext, run: (call: RailCall, authenticationId: string) => Promise<CardAuthorization>) {
    const payment = await load(db, companyId, transactionId);
    if (payment.step !== step || payment.authenticationId === null) {
      throw new PaymentStateError(`Transaction ${transactionId} is not awaiting ${step === 'OTP' ? 'an OTP' : '3-D Secure authentication'}`, { param: 'transactionId' });
    }
    const auth = await run(railCall(companyId, transactionId, ctx.scenario), payment.authenticationId);
    if (auth.status === 'otp_required') {
      // A wrong OTP with attempts left: the attempt keeps waiting.
      const answer = await withTransaction(db, async (tx) => {
        const { order, payment: current } = await lockBoth(tx, companyId, transactionId);
        const now = await clocks.now(companyId, tx);
        const change = { resultCode: auth.reasonCode ?? 'awaiting_otp', txnMsg: MESSAGES[auth.reasonCode ?? 'awaiting_otp'] ?? MESSAGES['awaiting_otp']!, updatedAt: now };
        if (current.step === 'OTP') await repo.updatePayment(tx, companyId, transactionId, change);
        const result: PaymentResult = { order, payment: { ...current, ...change }, otp: { attemptsLeft: auth.otpAttemptsLeft ?? 0, resendsLeft: auth.otpResendsLeft ?? 0 } };
        await ctx.finish?.(tx, result);
        return result;
      });
      return answer;
    }
    const { outcome, facts } = fromCard(auth);
    return record(companyId, transactionId, outcome, facts, ctx.finish);
  }

  const attempts: OrderAttempts = {
    closeOpen,
    hasInFlight: (tx, companyId, orderId) => hasInFlight(tx, companyId, orderId),
  };

  return {
    attempts,

    /** Registers a listener run inside every capture transaction. */
    onCaptured(listener: CapturedListener): void {
      capturedListeners.push(listener);
    },

    /** Registers a listener run inside every transaction that fails an attempt (payment links and mandate debits use it). */
    onFailed(listener: FailedListener): void {
      failedListeners.push(listener);
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
        const payment = open ?? (await newAttempt(tx, order, now, shares.length > 0 ? toStoredSplit(shares) : null));
        if (!open) await onCreated?.(tx, payment);
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
    async submit(companyId: string, orderId: string, detail: PaymentDetailInput, ctx: PaymentContext, splitDetails?: readonly SplitDetailInput[]): Promise<PaymentResult> {
      const order = await orderRepo.findOrder(db, companyId, orderId);
      if (!order) throw new OrderNotFoundError(`No order ${orderId}`, { param: 'orderId' });
      // A malformed detail is refused before an attempt exists.
      const settings = await deps.settings.get(db, companyId);
      const prepared = await prepare(order, detail, settings);
      const resumed = ctx.resume === undefined ? undefined : await repo.findPayment(db, companyId, ctx.resume);
      if (resumed && resumed.orderId === order.id) return resumeAttempt(resumed, order, detail, prepared, settings, ctx);
      const { payment } = await this.createAttempt(companyId, orderId, false, splitDetails, ctx.checkpoint && ((tx, p) => ctx.checkpoint!(tx, p.id)));
      return processAttempt(companyId, payment.id, detail, ctx, { order, settings });
    },

    /** @throws payment_not_found, payment_state_conflict, card_authentication_* */
    validateOtp(companyId: string, transactionId: string, otp: string, ctx: PaymentContext = {}): Promise<PaymentResult> {
      return authenticate(companyId, transactionId, 'OTP', ctx, (call, authenticationId) => rails.card.submitOtp(call, { authenticationId, otp }));
    },

    /** @throws payment_not_found, payment_state_conflict, card_authentication_completed */
    async resendOtp(companyId: string, transactionId: string): Promise<{ payment: Payment; sent: boolean; resendsLeft: number }> {
      const payment = await load(db, companyId, transactionId);
      if (payment.step !== 'OTP' || payment.authenticationId === null) throw new PaymentStateError(`Transaction ${transactionId} is not awaiting an OTP`, { param: 'transactionId' });
      const sent = await rails.card.resendOtp(railCall(companyId, transactionId, undefined), { authenticationId: payment.authenticationId });
      return { payment, ...sent };
    },

    /** The holder's answer on the simulated 3-D Secure page (G4's bank page). */
    completeChallenge(companyId: string, transactionId: string, passed: boolean, ctx: PaymentContext = {}): Promise<PaymentResult> {
      return authenticate(companyId, transactionId, 'CHALLENGE', ctx, (call, authenticationId) => rails.card.completeChallenge(call, { authenticationId, passed }));
    },

    /** The notify body of a transaction as it stands (Get Transaction Status answers it too). */
    async notifyView(result: PaymentResult): Promise<NotifyBody> {
      return notifyBody(result.order, result.payment, await deps.secretFor(result.payment.companyId, result.order.accessKey));
    },

    /** @throws payment_not_found */
    async get(companyId: string, transactionId: string): Promise<PaymentResult> {
      const found = await repo.findPaymentWithOrder(db, companyId, transactionId);
      if (!found) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
      return found;
    },

    /** For the public pages: the transaction when the key matches, else payment_not_found. */
    async getPublic(transactionId: string, publicIdentifierKey: string): Promise<PaymentResult> {
      const payment = await repo.findPaymentById(db, transactionId);
      if (!payment || !sameSecret(payment.publicIdentifierKey, publicIdentifierKey)) throw new PaymentNotFoundError(`No transaction ${transactionId}`, { param: 'transactionId' });
      const order = (await orderRepo.findOrder(db, payment.companyId, payment.orderId))!;
      return { payment, order };
    },

    search(companyId: string, query: PaymentSearch): Promise<{ rows: Payment[]; total: number }> {
      return repo.searchPayments(db, companyId, query, query);
    },

    /**
     * The order's UPI intent attempt (dynamic QR and intent links): the one already waiting for the
     * payer, or a new one. @throws order_not_found, order_not_payable, payment_in_progress
     */
    async upiIntent(companyId: string, orderId: string, ctx: PaymentContext = {}): Promise<PaymentResult> {
      const waiting = (await repo.listOrderPayments(db, companyId, orderId)).find((p) => p.upiFlow === 'INTENT' && p.step === 'BANK' && p.upiUri !== null);
      if (waiting) return this.get(companyId, waiting.id);
      const { payment } = await this.createAttempt(companyId, orderId, false);
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
