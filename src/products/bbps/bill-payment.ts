/** The bill payment of the BBPS product: the debit, the hand-off to Bharat Connect and the rail's outcomes (with their webhooks). */
import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import { LedgerInsufficientFundsError } from '../../core/ledger/index.js';
import type { BillerRef, BillPayResult } from '../../rails/bbps/index.js';
import type { RailOutcomeEvent, Scenario } from '../../rails/index.js';
import { InsufficientBalanceError } from './errors.js';
import { UTILITY_BILLPAY_FAILED, UTILITY_BILLPAY_PENDING, UTILITY_BILLPAY_SUCCESS } from './events.js';
import { awaitsOutcome, failureReason, STAGE_STATUS, type ApprovalStatus, type UtilityPayment } from './model.js';
import * as repo from './repository.js';
import type { BbpsDeps } from './service.js';
import { webhookPayload } from './webhook-payload.js';

/** The rail listener of this product (`RailCall.replyTo`). */
export const OUTCOME_LISTENER = 'bbps.payments';

/**
 * The debit-and-pay of a bill and the recording of its outcomes; registers the rail outcome
 * listener. `refundGateway` refunds a bill paid through the Payment Gateway (pg-payment.ts).
 */
export function createBillPayment(deps: BbpsDeps, refundGateway: (tx: Executor, p: UtilityPayment, code: string) => Promise<{ pgRefundId: string }>) {
  const { db, clock, ledger, events, rail } = deps;

  const refOf = (p: Pick<UtilityPayment, 'billerId' | 'circle'>, params: Record<string, string>): BillerRef => ({
    billerId: p.billerId,
    ...(p.circle ? { circle: p.circle } : {}),
    billParams: params,
  });

  // ---- webhooks --------------------------------------------------------------------------------

  async function publish(tx: Executor, p: UtilityPayment, type: string, companyName: string): Promise<void> {
    const cb = await repo.findCompanyBiller(tx, p.companyId, p.companyBillerId);
    await events.publish(tx, p.companyId, { type, payload: webhookPayload(p, companyName, rail.biller(p.billerId)!, cb?.billParams) });
  }

  // ---- the payment: debit, Bharat Connect, outcome ------------------------------------------------

  /**
   * Debits the company balance and hands the bill to Bharat Connect, in the caller's transaction.
   * The simulated rail makes no network call, so it is called with this transaction: its later
   * outcomes are scheduled exactly when the debit commits (ADR 0015). Throws insufficient_balance
   * (nothing of the transaction commits).
   */
  async function debitAndPay(
    tx: Executor,
    p: UtilityPayment,
    approval: ApprovalStatus,
    remarks: string | null,
    scenario: Scenario | undefined,
    companyName: string,
  ): Promise<UtilityPayment> {
    const now = await clock.now(p.companyId, tx);
    let debit;
    try {
      debit = await ledger.post(tx, p.companyId, {
        code: 'bill_payment',
        referenceType: 'utility_payment',
        referenceId: p.id,
        description: `Bill payment ${p.id} to biller ${p.billerId} for ${p.consumerNumber}`,
        postings: [
          { account: 'payout_float', direction: 'debit', amount: p.amountPaise },
          { account: 'clearing:bbps', direction: 'credit', amount: p.amountPaise },
        ],
      });
    } catch (err) {
      if (err instanceof LedgerInsufficientFundsError) throw new InsufficientBalanceError('Insufficient balance', { detail: `utility payment ${p.id}` });
      throw err;
    }
    const paid = await repo.updatePayment(tx, p.companyId, p.id, {
      approvalStatus: approval,
      approvalRemarks: remarks,
      approvedAt: now,
      paymentStatus: 'SUCCESS',
      paymentAt: now,
      billpayStatus: 'IN_PROGRESS',
      debitTransactionId: debit.id,
      updatedAt: now,
    });
    return sendToBiller(tx, paid, scenario, now, companyName);
  }

  /** Hands a paid bill (paymentStatus SUCCESS, billpayStatus IN_PROGRESS) to Bharat Connect and records its immediate answer. */
  async function sendToBiller(tx: Executor, paid: UtilityPayment, scenario: Scenario | undefined, now: Date, companyName: string): Promise<UtilityPayment> {
    const cb = await repo.findCompanyBiller(tx, paid.companyId, paid.companyBillerId);
    const result = await rail.payBill(
      { companyId: paid.companyId, attemptRef: paid.id, replyTo: OUTCOME_LISTENER, scenario, exec: tx },
      {
        biller: refOf(paid, cb?.billParams ?? { cn: paid.consumerNumber }),
        amountPaise: paid.amountPaise,
        ...(paid.validationId ? { validationId: paid.validationId } : {}),
      },
    );
    return applyResult(tx, paid, result, now, 0, companyName);
  }

  /** Records a rail answer (immediate or later, number `sequence`) on an IN_PROGRESS payment. */
  async function applyResult(tx: Executor, p: UtilityPayment, result: BillPayResult, at: Date, sequence: number, companyName: string): Promise<UtilityPayment> {
    switch (result.status) {
      case 'succeeded': {
        const done = await repo.updatePayment(tx, p.companyId, p.id, {
          billpayStatus: 'SUCCESS',
          billpayAt: at,
          billReferenceId: result.bbpsReference ?? null,
          outcomeSequence: sequence,
          updatedAt: at,
        });
        await publish(tx, done, UTILITY_BILLPAY_SUCCESS.type, companyName);
        return done;
      }
      case 'failed': {
        const code = result.reasonCode ?? 'payment_rejected_by_biller';
        // The refund, in the same transaction as the FAILED status (§4: FAILED → REFUNDED): the
        // mirror of the balance debit, or a refund of the gateway payment (ADR 0045).
        const refund =
          p.pgTransactionId === null
            ? { refundTransactionId: (await ledger.reverse(tx, p.companyId, p.debitTransactionId!, { reason: `Bill payment ${p.id} failed: ${code}` })).id }
            : await refundGateway(tx, p, code);
        const done = await repo.updatePayment(tx, p.companyId, p.id, {
          billpayStatus: 'FAILED',
          billpayAt: at,
          paymentStatus: 'REFUNDED',
          refundAt: at,
          ...refund,
          failureCode: code,
          failureReason: failureReason(code),
          outcomeSequence: sequence,
          updatedAt: at,
        });
        await publish(tx, done, UTILITY_BILLPAY_FAILED.type, companyName);
        return done;
      }
      default: {
        // An interim stage (held, failed at the agency, re-initiated) is recorded; a bare pending or no answer changes nothing.
        const stage = result.reasonCode === undefined ? undefined : STAGE_STATUS[result.reasonCode];
        const now =
          stage === undefined ? p : await repo.updatePayment(tx, p.companyId, p.id, { billpayStatus: stage, outcomeSequence: sequence, updatedAt: at });
        await publish(tx, now, UTILITY_BILLPAY_PENDING.type, companyName);
        return now;
      }
    }
  }

  /** The rail's later outcome; runs at least once per outcome, so a repeat (or a late one) changes nothing. */
  async function onOutcome(event: RailOutcomeEvent): Promise<void> {
    // Read before the transaction: identity answers on its own connection (one connection on PGlite).
    const companyName = await deps.companyName(event.companyId);
    await withTransaction(db, async (tx) => {
      const [p] = await repo.lockPayments(tx, event.companyId, [event.attemptRef]);
      if (!p || !awaitsOutcome(p) || p.outcomeSequence >= event.sequence) return false;
      const result: BillPayResult =
        event.status === 'succeeded'
          ? { status: 'succeeded', ...(event.reference ? { bbpsReference: event.reference } : {}) }
          : event.status === 'pending'
            ? { status: 'pending', ...(event.reasonCode ? { reasonCode: event.reasonCode } : {}) }
            : { status: 'failed', reasonCode: event.reasonCode ?? 'payment_rejected_by_biller' };
      await applyResult(tx, p, result, event.occurredAt, event.sequence, companyName);
      return true;
    });
  }
  rail.onOutcome(OUTCOME_LISTENER, onOutcome);

  return { debitAndPay, sendToBiller };
}
