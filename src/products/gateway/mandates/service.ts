import type { Executor } from '../../../core/db/engine.js';
import { runAfterCommit, uniqueViolation, withTransaction } from '../../../core/db/transaction.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import type { RailOutcomeEvent, Rails, Scenario } from '../../../rails/index.js';
import { isVpa } from '../../../rails/upi/index.js';
import { assertSupported } from '../../../rails/scenario.js';
import type { Gateway } from '../index.js';
import type { GatewaySettings } from '../settings/index.js';
import { createDebits } from './debits.js';
import { MandateNotActiveError, MandateNotFoundError, MandateReferenceReusedError } from './errors.js';
import {
  MANDATE_APPROVED,
  MANDATE_COMPLETED,
  MANDATE_EXPIRED,
  MANDATE_PAUSED,
  MANDATE_REJECTED,
  MANDATE_RESUMED,
  MANDATE_REVOKED,
  MANDATE_UPDATED,
} from './events.js';
import { MAX_MANDATE_PAISE, mandateId, ruleValueRange, umnOf, type AmountRule, type Mandate, type RecurrencePeriod, type RecurrenceRule } from './model.js';
import * as repo from './repository.js';
import { wireMandate } from './wire.js';

/** The UPI rail's listener of mandate approvals (`RailCall.replyTo`). */
export const MANDATES_REPLY_TO = 'gateway.mandates';
/** Timers: the payer's approval deadline, the validity end, and the edges of a pause period. */
export const MANDATE_EXPIRY_TIMER = 'gateway.mandate.expire';
export const MANDATE_COMPLETE_TIMER = 'gateway.mandate.complete';
export const MANDATE_PAUSE_TIMER = 'gateway.mandate.pause';
/** The scenarios a mandate approval takes (the UPI rail's). */
export const MANDATE_SCENARIOS = ['succeed', 'decline', 'timeout', 'succeed_after', 'fail_after', 'pending'] as const;
/** The payee's merchant category code in the sandbox (a mandate body does not carry one). */
export const SANDBOX_PAYEE_MCC = '5411';

export interface CreateMandateInput {
  referenceId: string;
  amountPaise: bigint;
  amountRule: AmountRule;
  payer: { name?: string | undefined; vpa: string; account?: string | undefined; accountValidation?: boolean | undefined };
  mandateName: string;
  expiry: Date;
  blockFund?: boolean | undefined;
  revokeableByPayer?: boolean | undefined;
  recurrence: { period: RecurrencePeriod; rule?: RecurrenceRule | undefined; value?: number | undefined };
  validity: { startAt: Date; endAt: Date };
  upiReferenceUrl?: string | undefined;
  description?: string | undefined;
  notifyUrl?: string | undefined;
}

export interface MandatesDeps {
  db: Executor;
  clocks: SandboxClock;
  timers: Timers;
  rails: Pick<Rails, 'upi'>;
  events: {
    publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }>;
    checkNotifyUrl(companyId: string, url: string, param?: string): Promise<void>;
  };
  gateway: Pick<Gateway, 'orders' | 'payments'>;
  settings: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
}

type Finish = (tx: Executor, mandate: Mandate) => Promise<void>;
export type MandatesService = ReturnType<typeof createMandatesService>;

const bad = (param: string, message: string) => new ValidationError(message, { param });

/** Checks what a schema alone cannot (ranges between fields, the rule against the period). */
function checkCreate(input: CreateMandateInput, now: Date): void {
  if (input.amountPaise > MAX_MANDATE_PAISE) throw bad('amount', 'Invalid field amount: a UPI Autopay mandate is at most 100000 rupees');
  if (!isVpa(input.payer.vpa)) throw bad('payer.vpa', 'Invalid field payer.vpa: not a VPA (expected handle@psp)');
  if (input.validity.endAt <= input.validity.startAt) throw bad('validity.endAt', 'Invalid field validity.endAt: must be after validity.startAt');
  if (input.validity.endAt <= now) throw bad('validity.endAt', 'Invalid field validity.endAt: must be in the future');
  if (input.expiry <= now) throw bad('expiry', 'Invalid field expiry: must be in the future');
  if (input.expiry > input.validity.endAt) throw bad('expiry', 'Invalid field expiry: must not be after validity.endAt');
  const range = ruleValueRange(input.recurrence.period);
  const { rule, value } = input.recurrence;
  if (range === null) {
    if (rule !== undefined || value !== undefined)
      throw bad('recurrence.rule', `Invalid field recurrence.rule: a ${input.recurrence.period} mandate takes no rule or value`);
  } else if ((rule === undefined) !== (value === undefined)) {
    throw bad(rule === undefined ? 'recurrence.rule' : 'recurrence.value', 'Invalid field recurrence: rule and value go together');
  } else if (value !== undefined && (value < range[0] || value > range[1])) {
    throw bad(
      'recurrence.value',
      `Invalid field recurrence.value: must be ${range[0]} to ${range[1]} for ${input.recurrence.period} (${range[1] === 7 ? 'day of week, 1 = Monday' : 'day of month'})`,
    );
  }
}

/**
 * UPI Autopay mandates (reference §2.9; ADR 0024): creation and the payer's approval through the
 * UPI rail, update, pause and resume, revocation, the expiry and validity timers. Pre-debit
 * notifications and debits are in debits.ts. Every change publishes the mandate callback.
 */
export function createMandatesService(deps: MandatesDeps) {
  const { db, clocks, timers, events } = deps;

  async function load(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<Mandate> {
    const mandate = await repo.findMandate(exec, companyId, id, forUpdate);
    if (!mandate) throw new MandateNotFoundError(`No mandate ${id}`, { param: 'mandateId' });
    return mandate;
  }

  async function publish(tx: Executor, mandate: Mandate, type: string): Promise<void> {
    await events.publish(tx, mandate.companyId, { type, payload: wireMandate(mandate), notifyUrl: mandate.notifyUrl });
  }

  /** Moves a mandate in its own transaction: `change` returns the new fields and the event, or null to leave it. */
  async function transition(
    companyId: string,
    id: string,
    change: (m: Mandate, now: Date) => { set: Partial<Mandate>; event: string } | null,
    finish?: Finish,
    after?: (tx: Executor, m: Mandate) => Promise<void>,
  ) {
    const result = await withTransaction(db, async (tx) => {
      const mandate = await load(tx, companyId, id, true);
      const now = await clocks.now(companyId, tx);
      const next = change(mandate, now);
      let updated = mandate;
      if (next) {
        updated = await repo.updateMandate(tx, companyId, id, { ...next.set, updatedAt: now });
        await publish(tx, updated, next.event);
        await after?.(tx, updated);
      }
      await finish?.(tx, updated);
      return updated;
    });
    return result;
  }

  const scheduleCompletion = (tx: Executor, m: Mandate) =>
    timers.schedule(tx, {
      companyId: m.companyId,
      dueAt: m.validityEndAt,
      kind: MANDATE_COMPLETE_TIMER,
      payload: { mandateId: m.id },
      dedupeKey: `${MANDATE_COMPLETE_TIMER}:${m.id}:${m.validityEndAt.getTime()}`,
    });

  deps.rails.upi.onOutcome(MANDATES_REPLY_TO, async (event: RailOutcomeEvent) => {
    if (event.status !== 'approved' && event.status !== 'rejected') return;
    const approved = event.status === 'approved';
    await transition(
      event.companyId,
      event.attemptRef,
      (m) =>
        m.status !== 'CREATED'
          ? null
          : approved
            ? { set: { status: 'ACTIVE', umn: umnOf(m.id) }, event: MANDATE_APPROVED.type }
            : { set: { status: 'REJECTED', reasonCode: event.reasonCode ?? 'rejected_by_payer' }, event: MANDATE_REJECTED.type },
      undefined,
      approved ? scheduleCompletion : undefined,
    );
  });

  timers.register<{ mandateId: string }>(MANDATE_EXPIRY_TIMER, async (timer: Timer<{ mandateId: string }>) => {
    await transition(timer.companyId, timer.payload.mandateId, (m) =>
      m.status === 'CREATED' ? { set: { status: 'EXPIRED', reasonCode: 'approval_expired' }, event: MANDATE_EXPIRED.type } : null,
    );
  });

  timers.register<{ mandateId: string }>(MANDATE_COMPLETE_TIMER, async (timer: Timer<{ mandateId: string }>) => {
    // The validity end may have moved (an update): only the current end completes the mandate.
    await transition(timer.companyId, timer.payload.mandateId, (m, now) =>
      (m.status === 'ACTIVE' || m.status === 'PAUSED') && now >= m.validityEndAt ? { set: { status: 'COMPLETED' }, event: MANDATE_COMPLETED.type } : null,
    );
  });

  timers.register<{ mandateId: string; edge: 'start' | 'end'; at: number }>(MANDATE_PAUSE_TIMER, async (timer) => {
    const { edge, at } = timer.payload;
    await transition(timer.companyId, timer.payload.mandateId, (m) => {
      if (edge === 'start') return m.status === 'ACTIVE' && m.pauseStartAt?.getTime() === at ? { set: { status: 'PAUSED' }, event: MANDATE_PAUSED.type } : null;
      return m.status === 'PAUSED' && m.pauseEndAt?.getTime() === at
        ? { set: { status: 'ACTIVE', pauseStartAt: null, pauseEndAt: null }, event: MANDATE_RESUMED.type }
        : null;
    });
  });

  const debits = createDebits({ ...deps, load });

  return {
    debits,

    /**
     * `POST /api/v0/upi-mandate`: records the mandate CREATED and asks the payer to approve it; the
     * answer (or the expiry) arrives later. @throws validation_failed, mandate_reference_id_reused, scenario_not_supported
     */
    async create(companyId: string, input: CreateMandateInput, scenario: Scenario | undefined, finish?: Finish): Promise<Mandate> {
      assertSupported(scenario, MANDATE_SCENARIOS, 'UPI mandate approval');
      const now = await clocks.now(companyId);
      checkCreate(input, now);
      if (input.notifyUrl !== undefined) await events.checkNotifyUrl(companyId, input.notifyUrl, 'notifyUrl');
      const settings = await deps.settings.get(db, companyId);
      const mandate = await withTransaction(db, async (tx) => {
        if (await repo.findMandateByReference(tx, companyId, input.referenceId)) {
          throw new MandateReferenceReusedError(`referenceId ${input.referenceId} was already used for a mandate`, { param: 'referenceId' });
        }
        const at = await clocks.now(companyId, tx);
        const m: Mandate = {
          id: mandateId('MND', at),
          companyId,
          referenceId: input.referenceId,
          umn: null,
          status: 'CREATED',
          amountPaise: input.amountPaise,
          amountRule: input.amountRule,
          mandateName: input.mandateName,
          description: input.description ?? null,
          payerName: input.payer.name ?? null,
          payerVpa: input.payer.vpa.toLowerCase(),
          payerAccount: input.payer.account ?? null,
          payerAccountValidation: input.payer.accountValidation ?? false,
          // The merchant's collecting VPA in the sandbox, as gateway payments use it.
          payeeVpa: `${companyId.toLowerCase()}@enkash`,
          payeeName: settings.merchantName.slice(0, 99),
          payeeMcc: SANDBOX_PAYEE_MCC,
          blockFund: input.blockFund ?? false,
          revokeableByPayer: input.revokeableByPayer ?? true,
          recurrencePeriod: input.recurrence.period,
          recurrenceRule: input.recurrence.rule ?? null,
          recurrenceValue: input.recurrence.value ?? null,
          validityStartAt: input.validity.startAt,
          validityEndAt: input.validity.endAt,
          expireAt: input.expiry,
          pauseStartAt: null,
          pauseEndAt: null,
          upiReferenceUrl: input.upiReferenceUrl ?? null,
          notifyUrl: input.notifyUrl ?? null,
          reasonCode: null,
          createdAt: at,
          updatedAt: at,
        };
        try {
          await repo.insertMandate(tx, m);
        } catch (err) {
          if (uniqueViolation(err) === 'uq_gateway_mandates_company_reference_id')
            throw new MandateReferenceReusedError(`referenceId ${input.referenceId} was already used for a mandate`, { param: 'referenceId' });
          throw err;
        }
        await timers.schedule(tx, {
          companyId,
          dueAt: m.expireAt,
          kind: MANDATE_EXPIRY_TIMER,
          payload: { mandateId: m.id },
          dedupeKey: `${MANDATE_EXPIRY_TIMER}:${m.id}`,
        });
        await finish?.(tx, m);
        return m;
      });
      // The rail is asked once the mandate is committed; its answer comes through the listener. A
      // rail that cannot be asked is a payer who never answers: the mandate stands CREATED (and
      // answered so, ADR 0046) until its expiry timer ends it.
      await runAfterCommit([
        () =>
          deps.rails.upi.requestMandateApproval(
            { companyId, attemptRef: mandate.id, replyTo: MANDATES_REPLY_TO, scenario, exec: db },
            { payerVpa: mandate.payerVpa, amountPaise: mandate.amountPaise },
          ),
      ]);
      return mandate;
    },

    /** @throws mandate_not_found */
    get: (companyId: string, id: string) => load(db, companyId, id),

    /**
     * `PATCH /api/v0/upi-mandate/{mandateId}`: the amount and the validity end, which NPCI lets a
     * payee modify on an ACTIVE or PAUSED mandate. @throws mandate_not_found, mandate_not_active, validation_failed
     */
    update(companyId: string, id: string, input: { amountPaise?: bigint | undefined; validityEndAt?: Date | undefined }, finish?: Finish) {
      if (input.amountPaise === undefined && input.validityEndAt === undefined) throw bad('amount', 'Nothing to update: send amount or validity.endAt');
      if (input.amountPaise !== undefined && input.amountPaise > MAX_MANDATE_PAISE)
        throw bad('amount', 'Invalid field amount: a UPI Autopay mandate is at most 100000 rupees');
      return transition(
        companyId,
        id,
        (m, now) => {
          assertLive(m, 'updated');
          const endAt = input.validityEndAt ?? m.validityEndAt;
          if (endAt <= now || endAt <= m.validityStartAt)
            throw bad('validity.endAt', 'Invalid field validity.endAt: must be in the future and after validity.startAt');
          return { set: { amountPaise: input.amountPaise ?? m.amountPaise, validityEndAt: endAt }, event: MANDATE_UPDATED.type };
        },
        finish,
        (tx, m) => (input.validityEndAt ? scheduleCompletion(tx, m) : Promise.resolve()),
      );
    },

    /**
     * Pauses an ACTIVE mandate for `pausePeriod`: at once when it has started, else from its start
     * (a timer); it resumes at its end. @throws mandate_not_found, mandate_not_active, validation_failed
     */
    pause(companyId: string, id: string, period: { startAt: Date; endAt: Date }, finish?: Finish) {
      return transition(
        companyId,
        id,
        (m, now) => {
          if (m.status !== 'ACTIVE') throw new MandateNotActiveError(`The mandate is ${m.status} and cannot be paused`, { param: 'mandateId' });
          if (period.endAt <= period.startAt || period.endAt <= now)
            throw bad('pausePeriod.endAt', 'Invalid field pausePeriod.endAt: must be after pausePeriod.startAt and in the future');
          if (period.endAt > m.validityEndAt) throw bad('pausePeriod.endAt', 'Invalid field pausePeriod.endAt: must not be after validity.endAt');
          const startAt = period.startAt < now ? now : period.startAt;
          return { set: { status: startAt <= now ? 'PAUSED' : 'ACTIVE', pauseStartAt: startAt, pauseEndAt: period.endAt }, event: MANDATE_PAUSED.type };
        },
        finish,
        async (tx, m) => {
          for (const [edge, at] of [
            ['start', m.pauseStartAt!],
            ['end', m.pauseEndAt!],
          ] as const) {
            if (edge === 'start' && m.status === 'PAUSED') continue;
            await timers.schedule(tx, {
              companyId,
              dueAt: at,
              kind: MANDATE_PAUSE_TIMER,
              payload: { mandateId: m.id, edge, at: at.getTime() },
              dedupeKey: `${MANDATE_PAUSE_TIMER}:${m.id}:${edge}:${at.getTime()}`,
            });
          }
        },
      );
    },

    /** Ends a pause (or cancels one to come). @throws mandate_not_found, mandate_not_active */
    resume(companyId: string, id: string, finish?: Finish) {
      return transition(
        companyId,
        id,
        (m) => {
          if (m.status !== 'PAUSED' && !(m.status === 'ACTIVE' && m.pauseStartAt !== null))
            throw new MandateNotActiveError(`The mandate is ${m.status} and not paused`, { param: 'mandateId' });
          return { set: { status: 'ACTIVE', pauseStartAt: null, pauseEndAt: null }, event: MANDATE_RESUMED.type };
        },
        finish,
      );
    },

    /** `PATCH …/{mandateId}/revoke`: no debit after it. @throws mandate_not_found, mandate_not_active */
    revoke(companyId: string, id: string, finish?: Finish) {
      return transition(
        companyId,
        id,
        (m) => {
          if (m.status !== 'ACTIVE' && m.status !== 'PAUSED' && m.status !== 'CREATED')
            throw new MandateNotActiveError(`The mandate is ${m.status} and cannot be revoked`, { param: 'mandateId' });
          return { set: { status: 'REVOKED' }, event: MANDATE_REVOKED.type };
        },
        finish,
      );
    },
  };
}

function assertLive(m: Mandate, what: string): void {
  if (m.status !== 'ACTIVE' && m.status !== 'PAUSED')
    throw new MandateNotActiveError(`The mandate is ${m.status} and cannot be ${what}`, { param: 'mandateId' });
}
