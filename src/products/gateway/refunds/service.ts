import type { Logger } from 'pino';
import type { Executor } from '../../../core/db/engine.js';
import { uniqueViolation, withTransaction } from '../../../core/db/transaction.js';
import type { EventsService } from '../../../core/events/index.js';
import { randomChars } from '../../../core/ids/ids.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import type { Ledger } from '../../../core/ledger/index.js';
import { formatAmountString, formatRupees } from '../../../core/money/index.js';
import { assertSupported, formatScenario, parseScenario, type Scenario } from '../../../rails/scenario.js';
import { gatewayId } from '../split/index.js';
import {
  PaymentNotRefundableError,
  RefundExceedsRefundableError,
  RefundNotFoundError,
  RefundPaymentNotFoundError,
  RefundRequestIdReusedError,
} from './errors.js';
import { REFUND_FAILED, REFUND_SUCCESS } from './events.js';
import { paymentStatusAfterRefunds, planRefund, REFUND_MESSAGES, REFUND_SCENARIOS, REFUNDABLE_PAYMENT_STATUSES, type Refund } from './model.js';
import * as repo from './repository.js';

/** The timer that completes a refund when its rail's sandbox delay has passed. */
export const REFUND_TIMER = 'gateway.refund.complete';

export interface RefundInput {
  amountPaise: bigint;
  remarks?: string | undefined;
  requestId: string;
}

export interface CreateRefundOptions {
  /** The request's sandbox scenario (the refund's outcome plan); success by default. */
  scenario?: Scenario | undefined;
  /** Runs in the refund's transaction before its commit (the route records its idempotent answer there). */
  complete?: (tx: Executor, refund: Refund) => Promise<void>;
  /** A caller's open transaction (the refund then runs in a savepoint of it and commits with it); the service's own by default. */
  exec?: Executor;
}

export interface RefundsDeps {
  db: Executor;
  clock: SandboxClock;
  timers: Timers;
  ledger: Ledger;
  events: EventsService;
  logger: Logger;
  /** Called in the transaction of a refund's success: settlements schedule the batch that deducts it. */
  onRefundSucceeded?: (tx: Executor, refund: Refund) => Promise<void>;
}

export type RefundsService = ReturnType<typeof createRefundsService>;

/** `EKR` + epoch ms + 8 upper-case letters or digits (the payment's `EK…` style). */
function newRefundUniqueId(at: Date): string {
  return `EKR${at.getTime()}${randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}`;
}

/** The rail's reference of a completed refund: a 23-digit ARN for cards, a 12-digit RRN otherwise. */
function refundReference(rail: string): string {
  return randomChars('0123456789', rail === 'card' ? 23 : 12);
}

export function wireRefund(r: Refund) {
  return {
    amount: formatRupees(r.amountPaise),
    paymentMode: r.paymentMode,
    bankCode: r.bankCode,
    bankName: r.bankName,
    currency: 'INR' as const,
    status: r.status,
    transactionId: r.id,
    txnMsg: r.txnMsg,
    txnDate: (r.completedAt ?? r.createdAt).toISOString(),
    uniqueTransactionId: r.uniqueTransactionId,
    bankTransactionId: r.bankTransactionId,
    paymentTransactionId: r.paymentId,
    orderId: r.orderId,
    requestId: r.requestId,
    remarks: r.remarks,
  };
}

/**
 * Refunds of captured gateway payments (reference §2.5; ADR 0017). Creating one reserves its
 * amount on the payment row under `SELECT … FOR UPDATE`, so the sum of refunds never exceeds the
 * captured amount, also under concurrent requests; the refund then completes on its rail's
 * sandbox delay (a timer), succeeding or failing as the scenario says.
 */
export function createRefundsService(deps: RefundsDeps) {
  const { db, clock, timers, ledger, events, logger } = deps;

  /** The first refund of a requestId answers its repeats; another payment or amount is a 422. */
  function sameRequest(existing: Refund, paymentId: string, input: RefundInput): Refund {
    if (existing.paymentId !== paymentId || existing.amountPaise !== input.amountPaise) {
      throw new RefundRequestIdReusedError(
        `requestId ${input.requestId} was already used for another refund (payment ${existing.paymentId}, amount ${formatAmountString(existing.amountPaise, 'INR')})`,
        {
          param: 'requestId',
        },
      );
    }
    return existing;
  }

  async function create(companyId: string, paymentId: string, input: RefundInput, options: CreateRefundOptions = {}): Promise<Refund> {
    const { scenario, complete = async () => {}, exec = db } = options;
    assertSupported(scenario, REFUND_SCENARIOS, 'refunds');
    return withTransaction(exec, async (tx) => {
      const payment = await repo.lockPayment(tx, companyId, paymentId);
      if (!payment) throw new RefundPaymentNotFoundError(`No transaction ${paymentId}`, { param: 'transactionId' });
      // After the payment lock: a twin request on the same payment has committed or not started.
      const existing = await repo.findRefundByRequestId(tx, companyId, input.requestId);
      if (existing) {
        const refund = sameRequest(existing, paymentId, input);
        await complete(tx, refund);
        return refund;
      }
      if (!(REFUNDABLE_PAYMENT_STATUSES as readonly string[]).includes(payment.status) || payment.rail === null || payment.paymentMode === null) {
        throw new PaymentNotRefundableError(`Transaction ${paymentId} is ${payment.status} and cannot be refunded`, { param: 'transactionId' });
      }
      const refundable = payment.amountPaise - payment.refundedPaise;
      if (input.amountPaise > refundable) {
        throw new RefundExceedsRefundableError(
          `Refund amount ${formatAmountString(input.amountPaise, 'INR')} exceeds the refundable amount ${formatAmountString(refundable, 'INR')} of transaction ${paymentId}`,
          { param: 'amount' },
        );
      }
      const now = await clock.now(companyId, tx);
      const id = gatewayId('RFD', now);
      const posted = await ledger.post(tx, companyId, {
        code: 'refund',
        referenceType: 'gateway_refund',
        referenceId: id,
        description: `Refund ${id} of ${paymentId}`,
        postings: [
          { account: 'merchant_settlement_receivable', direction: 'debit', amount: input.amountPaise },
          { account: 'refund_payable', direction: 'credit', amount: input.amountPaise },
        ],
      });
      const refund: Refund = {
        id,
        companyId,
        paymentId,
        orderId: payment.orderId,
        requestId: input.requestId,
        amountPaise: input.amountPaise,
        remarks: input.remarks ?? null,
        status: 'CREATED',
        paymentMode: payment.paymentMode,
        rail: payment.rail,
        bankCode: payment.bankCode,
        bankName: payment.bankName,
        uniqueTransactionId: newRefundUniqueId(now),
        bankTransactionId: null,
        txnMsg: REFUND_MESSAGES.CREATED,
        failureReason: null,
        scenario: scenario ? formatScenario(scenario) : 'succeed',
        ledgerTransactionId: posted.id,
        settlementId: null,
        createdAt: now,
        completedAt: null,
      };
      await repo.insertRefund(tx, refund);
      const refunded = payment.refundedPaise + input.amountPaise;
      await repo.setPaymentRefunded(tx, companyId, paymentId, refunded, paymentStatusAfterRefunds(payment.amountPaise, refunded), now);
      const { afterMs } = planRefund(payment.rail, scenario);
      await timers.schedule(tx, {
        companyId,
        dueAt: new Date(now.getTime() + afterMs),
        kind: REFUND_TIMER,
        payload: { refundId: id },
        dedupeKey: `${REFUND_TIMER}:${id}`,
      });
      await complete(tx, refund);
      return refund;
    }).catch(async (err: unknown) => {
      // A twin with the same requestId on another payment committed first: answer as a repeat would.
      if (uniqueViolation(err) !== 'uq_gateway_refunds_company_request_id') throw err;
      const existing = (await repo.findRefundByRequestId(db, companyId, input.requestId))!;
      return sameRequest(existing, paymentId, input);
    });
  }

  /** Runs when the rail's delay has passed: the refund succeeds or fails, once (the row is locked). */
  async function completeOnRail(timer: Timer<{ refundId: string }>): Promise<void> {
    const { companyId } = timer;
    await withTransaction(db, async (tx) => {
      const refund = await repo.findRefund(tx, companyId, timer.payload.refundId, true);
      if (!refund || refund.status !== 'CREATED') return false;
      const plan = planRefund(refund.rail, parseScenario(refund.scenario));
      const now = await clock.now(companyId, tx);
      const payment = (await repo.lockPayment(tx, companyId, refund.paymentId))!;
      let done: Refund;
      if (plan.status === 'SUCCESS') {
        done = await repo.completeRefund(tx, companyId, refund.id, {
          status: 'SUCCESS',
          txnMsg: REFUND_MESSAGES.SUCCESS,
          bankTransactionId: refundReference(refund.rail),
          failureReason: null,
          completedAt: now,
        });
        await ledger.post(tx, companyId, {
          code: 'refund',
          referenceType: 'gateway_refund_completion',
          referenceId: refund.id,
          postings: [
            { account: 'refund_payable', direction: 'debit', amount: refund.amountPaise },
            { account: `clearing:${refund.rail}`, direction: 'credit', amount: refund.amountPaise },
          ],
        });
        await deps.onRefundSucceeded?.(tx, done);
      } else {
        done = await repo.completeRefund(tx, companyId, refund.id, {
          status: 'FAILED',
          txnMsg: REFUND_MESSAGES.FAILED,
          bankTransactionId: null,
          failureReason: plan.reason ?? 'refund_rejected_by_bank',
          completedAt: now,
        });
        // The money returns to the merchant side, and the amount is refundable again.
        await ledger.reverse(tx, companyId, refund.ledgerTransactionId, { reason: `Refund ${refund.id} failed on the rail` });
        const refunded = payment.refundedPaise - refund.amountPaise;
        await repo.setPaymentRefunded(tx, companyId, payment.id, refunded, paymentStatusAfterRefunds(payment.amountPaise, refunded), now);
      }
      await events.publish(tx, companyId, {
        type: done.status === 'SUCCESS' ? REFUND_SUCCESS.type : REFUND_FAILED.type,
        payload: wireRefund(done),
        notifyUrl: await repo.orderNotifyUrl(tx, companyId, done.orderId),
      });
      logger.info({ companyId, refundId: done.id, status: done.status }, 'gateway refund completed');
      return true;
    });
  }

  timers.register<{ refundId: string }>(REFUND_TIMER, completeOnRail);

  return {
    create,

    async get(companyId: string, refundId: string): Promise<Refund> {
      const refund = await repo.findRefund(db, companyId, refundId);
      if (!refund) throw new RefundNotFoundError(`No refund ${refundId}`, { param: 'refundTransactionId' });
      return refund;
    },

    /**
     * Refund Enquiry (reference §2.5, POST; path and body INFERRED): the refund named by its id, by
     * the merchant's requestId, or by both (then both must name it). @throws refund_not_found
     */
    async enquire(companyId: string, by: { refundTransactionId?: string | undefined; requestId?: string | undefined }): Promise<Refund> {
      const refund =
        by.refundTransactionId === undefined
          ? await repo.findRefundByRequestId(db, companyId, by.requestId ?? '')
          : await repo.findRefund(db, companyId, by.refundTransactionId);
      if (!refund || (by.requestId !== undefined && refund.requestId !== by.requestId)) {
        const named = [by.refundTransactionId, by.requestId === undefined ? undefined : `requestId ${by.requestId}`].filter(Boolean).join(' with ');
        throw new RefundNotFoundError(`No refund ${named}`, { param: by.refundTransactionId === undefined ? 'requestId' : 'refundTransactionId' });
      }
      return refund;
    },
  };
}
