import type { Executor } from '../../../core/db/engine.js';
import { reportAfterCommitFailure, runAfterCommit, uniqueViolation, withTransaction } from '../../../core/db/transaction.js';
import { AppError } from '../../../core/errors/app-error.js';
import { formatAmountString } from '../../../core/money/index.js';
import { istParts } from '../../../rails/ist.js';
import type { Scenario } from '../../../rails/index.js';
import type { Order, Payment } from '../index.js';
import { OrderNotCancellableError } from '../index.js';
import { isPayable } from '../index.js';
import {
  AdditionalAuthenticationRequiredError,
  MandateAmountMismatchError,
  MandateCycleDebitedError,
  MandateCycleNotifiedError,
  MandateDebitReferenceReusedError,
  MandateNotActiveError,
  MandateNotFoundError,
  MandateNotificationRequiredError,
  MandateOutsideCycleError,
  MandatePausedError,
} from './errors.js';
import { MANDATE_DEBIT_FAILED, MANDATE_DEBIT_SUCCESS } from './events.js';
import {
  amountProblem,
  cycleOf,
  isPausedAt,
  istDayStart,
  mandateId,
  PRE_DEBIT_NOTICE_MS,
  ruleAllows,
  type Mandate,
  type MandateDebit,
  type MandateNotification,
} from './model.js';
import * as repo from './repository.js';
import type { MandatesDeps } from './service.js';
import { wireDebit } from './wire.js';

type DebitsDeps = MandatesDeps & { load(exec: Executor, companyId: string, id: string, forUpdate?: boolean): Promise<Mandate> };

/** The debit's gateway order carries its id as merchantOrderId: that is how a capture finds it. */
const DEBIT_PREFIX = 'MDB';
/**
 * A debit still PENDING with no payment this long after it was recorded was left by a process that
 * died between its transactions: the timer fails it, so its cycle may be debited again.
 */
export const MANDATE_DEBIT_START_TIMER = 'gateway.mandate.debit.start';
export const DEBIT_START_DEADLINE_MS = 15 * 60_000;

/** Thrown in the order's transaction when the debit is no longer PENDING: the order is not created. */
class DebitClosed extends Error {}

function assertDebitable(m: Mandate, at: Date, what: string): void {
  if (m.status === 'PAUSED' || isPausedAt(m, at))
    throw new MandatePausedError(`The mandate is paused until ${m.pauseEndAt?.toISOString()}; no ${what} in a paused cycle`, { param: 'mandateId' });
  if (m.status !== 'ACTIVE') throw new MandateNotActiveError(`The mandate is ${m.status}; no ${what}`, { param: 'mandateId' });
}

/** The window checks shared by a notification's execution date and a debit's instant. */
function assertInWindow(m: Mandate, at: Date, param: string): number | null {
  if (at < m.validityStartAt || at >= m.validityEndAt) throw new MandateOutsideCycleError(`${at.toISOString()} is outside the mandate's validity`, { param });
  if (!ruleAllows(m, at))
    throw new MandateOutsideCycleError(`${at.toISOString()} does not satisfy the recurrence rule ${m.recurrenceRule} ${m.recurrenceValue} (IST)`, { param });
  return cycleOf(m, at);
}

function assertAmount(m: Mandate, amountPaise: bigint): void {
  const problem = amountProblem(m, amountPaise);
  if (problem?.code === 'afa')
    throw new AdditionalAuthenticationRequiredError(`Additional authentication required: ${problem.message} (${formatAmountString(amountPaise, 'INR')})`, {
      param: 'amount',
    });
  if (problem)
    throw new MandateAmountMismatchError(
      `Amount ${formatAmountString(amountPaise, 'INR')} refused: ${problem.message} (${formatAmountString(m.amountPaise, 'INR')})`,
      { param: 'amount' },
    );
}

/**
 * Pre-debit notifications and debits (NPCI UPI Autopay rules; ADR 0024). A debit needs the
 * notification of its cycle, sent at least 24 hours before (sandbox clock); one debit per cycle
 * unless it failed. A debit is a gateway order paid by a UPI payment from the payer's VPA, so its
 * capture, ledger posting, settlement and Payment Notify are the gateway's own.
 */
export function createDebits(deps: DebitsDeps) {
  const { db, clocks, events, gateway, timers } = deps;

  async function settle(tx: Executor, order: Order, payment: Payment, success: boolean): Promise<void> {
    if (!order.merchantOrderId.startsWith(DEBIT_PREFIX)) return;
    const debit = await repo.findDebit(tx, order.companyId, order.merchantOrderId, true);
    // Only the order linked to the debit when it was created settles it (not another order given the id as orderId).
    if (!debit || debit.status !== 'PENDING' || debit.orderId !== order.id) return;
    const now = await clocks.now(order.companyId, tx);
    const updated = await repo.updateDebit(tx, order.companyId, debit.id, {
      status: success ? 'SUCCESS' : 'FAILED',
      transactionId: payment.id,
      bankTransactionId: success ? payment.bankTransactionId : null,
      reasonCode: success ? null : payment.resultCode,
      completedAt: now,
    });
    const mandate = await deps.load(tx, order.companyId, debit.mandateId);
    await events.publish(tx, order.companyId, {
      type: success ? MANDATE_DEBIT_SUCCESS.type : MANDATE_DEBIT_FAILED.type,
      payload: wireDebit(updated, mandate.umn!),
      notifyUrl: mandate.notifyUrl,
    });
  }

  gateway.payments.onCaptured((tx, payment, order) => settle(tx, order, payment, true), 'MANDATE');
  gateway.payments.onFailed((tx, payment, order) => settle(tx, order, payment, false), 'MANDATE');

  timers.register<{ debitId: string }>(MANDATE_DEBIT_START_TIMER, async (timer) => {
    const { companyId } = timer;
    const debit = await repo.findDebit(db, companyId, timer.payload.debitId);
    if (!debit || debit.status !== 'PENDING') return;
    // Its order exists: cancelled, so no payment can follow, unless a payment is with the bank (its outcome settles the debit).
    if (debit.orderId !== null && isPayable((await gateway.orders.get(companyId, debit.orderId)).status)) {
      try {
        await gateway.orders.cancel(companyId, debit.orderId, 'The mandate debit was not started');
      } catch (err) {
        if (err instanceof OrderNotCancellableError) return;
        throw err;
      }
    }
    await failDebit(companyId, debit.id, 'debit_not_started', debit.orderId);
  });

  /** `orderId`: what the caller saw; an order linked since (a run still going) leaves the debit to its payment. */
  async function failDebit(companyId: string, id: string, code: string, orderId?: string | null): Promise<void> {
    await withTransaction(db, async (tx) => {
      const debit = await repo.findDebit(tx, companyId, id, true);
      if (!debit || debit.status !== 'PENDING' || (orderId !== undefined && debit.orderId !== orderId)) return;
      const now = await clocks.now(companyId, tx);
      const updated = await repo.updateDebit(tx, companyId, id, { status: 'FAILED', reasonCode: code, completedAt: now });
      const mandate = await deps.load(tx, companyId, debit.mandateId);
      await events.publish(tx, companyId, { type: MANDATE_DEBIT_FAILED.type, payload: wireDebit(updated, mandate.umn!), notifyUrl: mandate.notifyUrl });
    });
  }

  return {
    /**
     * `POST /api/v0/upi-mandate/notify`: tells the payer of a debit to come, at least 24 hours
     * ahead, in a cycle window the recurrence allows; one per cycle (ASPRESENTED: one per debit).
     * @throws mandate_not_found, mandate_not_active, mandate_paused, mandate_outside_cycle,
     * mandate_notification_required, mandate_cycle_already_notified, mandate_amount_mismatch, additional_authentication_required
     */
    async notify(
      companyId: string,
      input: { mandateId: string; amountPaise: bigint; executionAt: Date },
      finish?: (tx: Executor, n: MandateNotification, m: Mandate) => Promise<void>,
    ) {
      return withTransaction(db, async (tx) => {
        const m = await deps.load(tx, companyId, input.mandateId, true);
        const now = await clocks.now(companyId, tx);
        assertDebitable(m, input.executionAt, 'pre-debit notification');
        if (input.executionAt.getTime() - now.getTime() < PRE_DEBIT_NOTICE_MS) {
          throw new MandateNotificationRequiredError(
            `executionDate must be at least 24 hours after the notification (not before ${new Date(now.getTime() + PRE_DEBIT_NOTICE_MS).toISOString()})`,
            { param: 'executionDate' },
          );
        }
        const cycle = assertInWindow(m, input.executionAt, 'executionDate') ?? (await repo.countNotifications(tx, companyId, m.id));
        assertAmount(m, input.amountPaise);
        if (await repo.findNotification(tx, companyId, m.id, cycle))
          throw new MandateCycleNotifiedError(`Cycle ${cycle} of mandate ${m.id} already has its pre-debit notification`, { param: 'executionDate' });
        const day = istParts(input.executionAt);
        const n: MandateNotification = {
          id: mandateId('MDN', now),
          companyId,
          mandateId: m.id,
          cycle,
          amountPaise: input.amountPaise,
          executionAt: input.executionAt,
          message: `${m.payeeName} will debit INR ${formatAmountString(input.amountPaise, 'INR')} on ${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')} under UPI Autopay mandate ${m.mandateName} (UMN ${m.umn}).`,
          sentAt: now,
        };
        await repo.insertNotification(tx, n);
        await finish?.(tx, n, m);
        return { notification: n, mandate: m };
      });
    },

    /**
     * `POST /api/v0/upi-mandate/execute`: checks NPCI's rules, records the debit PENDING, then pays
     * a gateway order by UPI from the payer's VPA; the outcome arrives as the Mandate Debit
     * Callback. A repeated referenceId answers the first debit.
     * @throws mandate_not_found, mandate_not_active, mandate_paused, mandate_outside_cycle, mandate_notification_required,
     * mandate_cycle_already_debited, mandate_amount_mismatch, additional_authentication_required, mandate_debit_reference_id_reused
     */
    async execute(
      companyId: string,
      input: { mandateId: string; amountPaise: bigint; referenceId: string; notificationId?: string | undefined },
      scenario: Scenario | undefined,
    ) {
      const { debit, mandate, fresh } = await withTransaction(db, async (tx) => {
        const m = await deps.load(tx, companyId, input.mandateId, true);
        const existing = await repo.findDebitByReference(tx, companyId, input.referenceId);
        if (existing) {
          if (existing.mandateId !== m.id || existing.amountPaise !== input.amountPaise)
            throw new MandateDebitReferenceReusedError(`referenceId ${input.referenceId} was already used for another debit`, { param: 'referenceId' });
          return { debit: existing, mandate: m, fresh: false };
        }
        const now = await clocks.now(companyId, tx);
        assertDebitable(m, now, 'debit');
        const cycle = assertInWindow(m, now, 'mandateId');
        const n =
          input.notificationId !== undefined
            ? await repo.findNotificationById(tx, companyId, input.notificationId)
            : cycle === null
              ? null
              : await repo.findNotification(tx, companyId, m.id, cycle);
        if (input.notificationId !== undefined && (!n || n.mandateId !== m.id))
          throw new MandateNotFoundError(`No pre-debit notification ${input.notificationId} for mandate ${m.id}`, { param: 'notificationId' });
        if (!n || (cycle !== null && n.cycle !== cycle)) {
          throw new MandateNotificationRequiredError(
            `No pre-debit notification for this cycle of mandate ${m.id}: notify the payer at least 24 hours before a debit`,
            { param: cycle === null ? 'notificationId' : 'mandateId' },
          );
        }
        const from = new Date(n.sentAt.getTime() + PRE_DEBIT_NOTICE_MS);
        if (now < from)
          throw new MandateNotificationRequiredError(
            `The pre-debit notification ${n.id} was sent less than 24 hours ago; the debit may run from ${from.toISOString()}`,
            { param: 'mandateId' },
          );
        // The payer was told the day of the debit: it may not run on an earlier (IST) day.
        const day = istDayStart(n.executionAt);
        if (now < day)
          throw new MandateNotificationRequiredError(
            `The pre-debit notification ${n.id} announced the debit for ${day.toISOString()} (IST day); it may not run earlier`,
            { param: 'mandateId' },
          );
        assertAmount(m, input.amountPaise);
        if (input.amountPaise !== n.amountPaise)
          throw new MandateAmountMismatchError(
            `Amount ${formatAmountString(input.amountPaise, 'INR')} refused: the payer was notified of ${formatAmountString(n.amountPaise, 'INR')}`,
            { param: 'amount' },
          );
        if ((await repo.cycleDebits(tx, companyId, m.id, n.cycle)).some((d) => d.status !== 'FAILED')) {
          throw new MandateCycleDebitedError(`Cycle ${n.cycle} of mandate ${m.id} already has a debit`, { param: 'mandateId' });
        }
        const d: MandateDebit = {
          id: mandateId('MDB', now),
          companyId,
          mandateId: m.id,
          notificationId: n.id,
          cycle: n.cycle,
          referenceId: input.referenceId,
          amountPaise: input.amountPaise,
          status: 'PENDING',
          orderId: null,
          transactionId: null,
          bankTransactionId: null,
          reasonCode: null,
          createdAt: now,
          completedAt: null,
        };
        try {
          await repo.insertDebit(tx, d);
          await timers.schedule(tx, {
            companyId,
            dueAt: new Date(now.getTime() + DEBIT_START_DEADLINE_MS),
            kind: MANDATE_DEBIT_START_TIMER,
            payload: { debitId: d.id },
            dedupeKey: `${MANDATE_DEBIT_START_TIMER}:${d.id}`,
          });
        } catch (err) {
          const name = uniqueViolation(err);
          if (name === 'uq_gateway_mandate_debits_cycle')
            throw new MandateCycleDebitedError(`Cycle ${n.cycle} of mandate ${m.id} already has a debit`, { param: 'mandateId' });
          if (name === 'uq_gateway_mandate_debits_company_reference_id')
            throw new MandateDebitReferenceReusedError(`referenceId ${input.referenceId} was already used for another debit`, { param: 'referenceId' });
          throw err;
        }
        return { debit: d, mandate: m, fresh: true };
      });
      if (!fresh) return { debit, mandate };
      // The debit is committed PENDING; the gateway order and payment follow, outside it (DESIGN.md request flow).
      try {
        // The order is linked to the debit in its own transaction, and only to a debit still PENDING:
        // once the start timer failed a debit, no payment can follow.
        const order = await gateway.orders.create(
          companyId,
          null,
          {
            merchantOrderId: debit.id,
            amountPaise: debit.amountPaise,
            description: `UPI Autopay ${mandate.mandateName}`.slice(0, 255),
            origin: { kind: 'MANDATE', id: debit.id },
          },
          async (tx, o) => {
            const current = await repo.findDebit(tx, companyId, debit.id, true);
            if (current?.status !== 'PENDING') throw new DebitClosed();
            await repo.updateDebit(tx, companyId, debit.id, { orderId: o.id });
          },
        );
        const { payment } = await gateway.payments.submit(companyId, order.id, { paymentMode: 'UPI', vpa: mandate.payerVpa }, { scenario });
        const updated = await withTransaction(db, async (tx) => {
          const current = (await repo.findDebit(tx, companyId, debit.id, true))!;
          return repo.updateDebit(tx, companyId, debit.id, { orderId: current.orderId ?? order.id, transactionId: current.transactionId ?? payment.id });
        });
        return { debit: updated, mandate };
      } catch (err) {
        // The start timer failed the debit meanwhile (the sandbox clock jumped): answered as it stands.
        if (err instanceof DebitClosed) return { debit: (await repo.findDebit(db, companyId, debit.id))!, mandate };
        if (err instanceof AppError) {
          await failDebit(companyId, debit.id, err.code);
          throw err;
        }
        // The debit committed PENDING, and that is what this request answers (ADR 0046): a failure
        // of the order or payment that follows is its outcome (FAILED, rail_error, with its Mandate
        // Debit Callback), or, when even that cannot be written, its start timer's (debit_not_started).
        reportAfterCommitFailure(err);
        let closed = debit;
        await runAfterCommit([
          async () => {
            await failDebit(companyId, debit.id, 'rail_error');
            closed = (await repo.findDebit(db, companyId, debit.id)) ?? debit;
          },
        ]);
        return { debit: closed, mandate };
      }
    },

    /** @throws mandate_not_found */
    async getDebit(companyId: string, id: string) {
      const debit = await repo.findDebit(db, companyId, id);
      if (!debit) throw new MandateNotFoundError(`No mandate debit ${id}`, { param: 'debitId' });
      return { debit, mandate: await deps.load(db, companyId, debit.mandateId) };
    },
  };
}
