import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import type { EventsService } from '../../core/events/index.js';
import { randomChars } from '../../core/ids/ids.js';
import type { SandboxClock } from '../../core/jobs/types.js';
import type { Ledger } from '../../core/ledger/index.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { formatRupees } from '../../core/money/index.js';
import { servesCircle, type BbpsRail, type Biller } from '../../rails/bbps/index.js';
import type { Scenario } from '../../rails/index.js';
import { createBillPayment, OUTCOME_LISTENER } from './bill-payment.js';
import { createPgPayment, type BbpsGateway } from './pg-payment.js';
import { consumerRow, createConsumerNumbers } from './consumers.js';
import {
  BillAlreadyCreatedError,
  BillerNotActiveError,
  BillerNotFoundError,
  BillerUnavailableError,
  BillFetchModeError,
  CompanyBillerNotFoundError,
  DuplicateReferenceIdError,
  InvalidBillAmountError,
  InvalidBillerInputError,
  InvalidConsumerNumberError,
  InvalidValidationIdError,
  NotPendingApprovalError,
  UtilityPaymentNotFoundError,
  VelocityAmountError,
  VelocityCountError,
} from './errors.js';
import {
  awaitsApproval,
  DEFAULT_SETTINGS,
  istDay,
  pgPaymentOpen,
  velocityBreach,
  type BbpsSettings,
  type CompanyBiller,
  type FetchedBillFields,
  type UtilityPayment,
} from './model.js';
import * as repo from './repository.js';
import type { StatusPayload } from './schemas.js';
import { statusPayload } from './webhook-payload.js';

export { OUTCOME_LISTENER } from './bill-payment.js';

const ALPHANUM = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';

export interface BbpsDeps {
  db: Executor;
  clock: SandboxClock;
  ledger: Ledger;
  events: Pick<EventsService, 'publish' | 'wake'>;
  rail: BbpsRail;
  /** The Payment Gateway's owner API, for bills paid through it (ADR 0045). */
  gateway: BbpsGateway;
  /** The company's display name, for `companyName` (identity owns it); `exec`: read in that open transaction. */
  companyName(companyId: string, exec?: Executor): Promise<string>;
}

/** Called last in a money route's transaction with the created payment: completes its idempotency record. */
export type Finish = (tx: Executor, payment: UtilityPayment) => Promise<void>;

export interface BillInput {
  billerId: number;
  circle?: string | undefined;
  billParams: Record<string, string>;
}

export type FetchResult = { companyBiller: CompanyBiller; bill: FetchedBillFields | null };

export interface CreateAfterFetchInput {
  referenceId?: string | undefined;
  companyBillerId: string;
  billNetAmountPaise: bigint;
  billAmountPaise: bigint;
  validationId?: string | undefined;
}

export interface CreateDirectInput extends BillInput {
  referenceId?: string | undefined;
  billAmountPaise: bigint;
  billDate?: string | undefined;
  billDueDate?: string | undefined;
  name?: string | undefined;
  remarks?: string | null | undefined;
  keyContactEmail?: string | undefined;
}

export type BbpsService = ReturnType<typeof createBbpsService>;

export function createBbpsService(deps: BbpsDeps) {
  const { db, clock, rail } = deps;

  async function settingsOf(exec: Executor, companyId: string): Promise<BbpsSettings> {
    return (await repo.findSettings(exec, companyId)) ?? DEFAULT_SETTINGS;
  }

  /** The catalogue biller: known, active, serving the circle. */
  function activeBiller(billerId: number, circle: string | undefined): Biller {
    const biller = rail.biller(billerId);
    if (!biller) throw new BillerNotFoundError('Invalid billerId', { param: 'billerId' });
    if (biller.status !== 'ACTIVE') throw new BillerNotActiveError('biller not active', { param: 'billerId' });
    if (!servesCircle(biller, circle))
      throw new InvalidBillerInputError(`Invalid field circle: biller ${biller.billerId} does not serve ${circle}`, { param: 'circle' });
    return biller;
  }

  /** The catalogue biller of a request: known, active, serving the circle, every parameter in its format. */
  function billerFor(input: BillInput): Biller {
    const biller = activeBiller(input.billerId, input.circle);
    for (const p of biller.billInputParams) {
      const value = input.billParams[p.paramName];
      if (value === undefined) {
        if (!p.optional)
          throw new InvalidBillerInputError(`Missing required field billParams.${p.paramName} (${p.displayName})`, { param: `billParams.${p.paramName}` });
      } else if (!new RegExp(p.regex).test(value)) {
        throw new InvalidBillerInputError(`Invalid field billParams.${p.paramName}: not a valid ${p.displayName}`, { param: `billParams.${p.paramName}` });
      }
    }
    for (const name of Object.keys(input.billParams)) {
      if (!biller.billInputParams.some((p) => p.paramName === name))
        throw new InvalidBillerInputError(`Unknown field billParams.${name} for biller ${biller.billerId}`, { param: `billParams.${name}` });
    }
    return biller;
  }

  const newCompanyBillerId = () => `CBL${randomChars(ALPHANUM, 11)}`;
  const newUtilityId = () => `UTIL-${randomChars(ALPHANUM, 12)}`;

  const { debitAndPay, sendToBiller } = createBillPayment(deps, (tx, p, code) => pg.refundBill(tx, p, code));
  // The biller leg of a gateway-paid bill follows the consumer's test data (no request names a scenario at capture).
  const pg = createPgPayment(deps, (tx, paid, now, companyName) => sendToBiller(tx, paid, undefined, now, companyName));
  const consumers = createConsumerNumbers({ db, clock, activeBiller, billerFor, newCompanyBillerId });

  // ---- creation --------------------------------------------------------------------------------

  /** Refuses a reused referenceId (38) or a bill over the consumer's daily limits (36, 37). The consumer row is locked. */
  async function checkLimits(
    tx: Executor,
    companyId: string,
    input: { referenceId?: string | undefined; billerId: number; consumerNumber: string; amountPaise: bigint },
    now: Date,
  ): Promise<void> {
    if (input.referenceId !== undefined && (await repo.findPaymentByReference(tx, companyId, input.referenceId))) {
      throw new DuplicateReferenceIdError('Duplicate referenceId provided', { param: 'referenceId' });
    }
    const day = istDay(now);
    const today = await repo.consumerTotals(tx, companyId, input.billerId, input.consumerNumber, day.start, day.end);
    const breach = velocityBreach(await settingsOf(tx, companyId), today, input.amountPaise);
    if (breach === 'count') throw new VelocityCountError('Velocity limit breached', { param: 'billParams.cn', detail: 'daily count per consumer' });
    if (breach === 'amount') throw new VelocityAmountError('Velocity limit breached', { param: 'billParams.cn', detail: 'daily amount per consumer' });
  }

  /** Inserts the bill, then debits and pays it at once when the company auto-debits. */
  async function create(tx: Executor, row: repo.NewPayment, scenario: Scenario | undefined, finish: Finish, companyName: string): Promise<UtilityPayment> {
    const inserted = await repo.insertPayment(tx, row);
    if (inserted === 'duplicate_reference') throw new DuplicateReferenceIdError('Duplicate referenceId provided', { param: 'referenceId' });
    const settings = await settingsOf(tx, row.companyId);
    const payment = settings.autoDebit ? await debitAndPay(tx, inserted, 'AUTO_APPROVED', null, scenario, companyName) : inserted;
    await finish(tx, payment);
    return payment;
  }

  const base = (p: { companyId: string; now: Date }) => ({
    approvalStatus: 'MAKER_APPROVAL_PENDING' as const,
    paymentStatus: 'PENDING' as const,
    billpayStatus: 'PENDING' as const,
    createdAt: p.now,
    updatedAt: p.now,
  });

  return {
    ...consumers,

    async settings(companyId: string): Promise<BbpsSettings> {
      return settingsOf(db, companyId);
    },

    /** Changes some settings, keeping the others (defaults for a company without a row). */
    updateSettings(companyId: string, change: Partial<BbpsSettings>): Promise<BbpsSettings> {
      return changeBbpsSettings(db, clock, companyId, change);
    },

    billerTypes() {
      return rail.billerTypes().map((t) => ({ ...t, billerCount: rail.billers(t.billerType).length }));
    },

    billers(filter: { billerType?: string | undefined; circle?: string | undefined }): readonly Biller[] {
      return rail.billers(filter.billerType).filter((b) => filter.circle === undefined || servesCircle(b, filter.circle));
    },

    /**
     * `fetchOrAddBill`: registers the consumer (companyBillerId) and asks the biller for its bill.
     * Throws biller_not_found, biller_not_active, invalid_biller_input, bill_fetch_mode,
     * invalid_consumer_number, biller_unavailable.
     */
    async fetchBill(
      companyId: string,
      input: BillInput & { addBiller?: boolean | undefined; remarks?: string | undefined; keyContactEmail?: string | undefined },
      scenario: Scenario | undefined,
    ): Promise<FetchResult> {
      const biller = billerFor(input);
      if (biller.fetchRequirement === 'NOT_SUPPORTED')
        throw new BillFetchModeError(`Biller ${biller.billerId} does not support bill fetch; create the bill with POST /api/v2/biller/addBill`, {
          param: 'billerId',
        });
      const answer = await rail.fetchBill(
        { companyId, attemptRef: `fetch:${input.billerId}:${input.billParams['cn']}`, replyTo: OUTCOME_LISTENER, scenario, exec: db },
        { billerId: input.billerId, ...(input.circle ? { circle: input.circle } : {}), billParams: input.billParams },
      );
      if (answer.outcome === 'no_answer') throw new BillerUnavailableError('Biller is not available, please try again later', { param: 'billerId' });
      if (answer.outcome === 'invalid_consumer') throw new InvalidConsumerNumberError('Invalid consumer number for this biller', { param: 'billParams.cn' });
      const bill = answer.outcome === 'found' ? answer.bill : null;
      const companyBiller = await withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        const cb = await repo.ensureCompanyBiller(tx, consumerRow(newCompanyBillerId(), companyId, input, now));
        await repo.updateCompanyBiller(tx, companyId, cb.id, {
          circle: input.circle ?? cb.circle,
          billParams: input.billParams,
          ...(input.addBiller !== undefined ? { autoFetch: input.addBiller } : {}),
          ...(input.remarks !== undefined ? { remarks: input.remarks } : {}),
          ...(input.keyContactEmail !== undefined ? { keyContactEmail: input.keyContactEmail } : {}),
          lastFetch: bill,
          now,
        });
        return { ...cb, lastFetch: bill };
      });
      return { companyBiller, bill };
    },

    /**
     * `POST /api/v2/utilityPayment`: a bill from the last fetch of `companyBillerId`. Throws
     * company_biller_not_found, invalid_validation_id, bill_already_created, invalid_bill_amount,
     * duplicate_reference_id (38), velocity_* (36, 37), insufficient_balance (auto-debit).
     */
    async createAfterFetch(companyId: string, input: CreateAfterFetchInput, scenario: Scenario | undefined, finish: Finish): Promise<UtilityPayment> {
      const companyName = await deps.companyName(companyId);
      const payment = await withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        const cb = await repo.lockCompanyBiller(tx, companyId, input.companyBillerId);
        if (!cb) throw new CompanyBillerNotFoundError('Invalid companyBillerId', { param: 'companyBillerId' });
        const fetched = cb.lastFetch;
        if (!fetched)
          throw new CompanyBillerNotFoundError('No bill was fetched for this companyBillerId; fetch it with POST /api/v2/biller/fetchOrAddBill', {
            param: 'companyBillerId',
          });
        if (input.validationId !== undefined && input.validationId !== fetched.validationId)
          throw new InvalidValidationIdError('Invalid validationId: not the last bill fetched for this companyBillerId', { param: 'validationId' });
        if (await repo.livePaymentOfFetch(tx, companyId, cb.id, fetched.validationId))
          throw new BillAlreadyCreatedError('A utility payment already exists for this fetched bill', { param: 'companyBillerId' });
        const biller = rail.biller(cb.billerId)!;
        if (biller.status !== 'ACTIVE') throw new BillerNotActiveError('biller not active', { param: 'billerId' });
        const payable = [fetched.billNetAmountPaise, fetched.billAmountPaise, fetched.earlyPaymentAmountPaise, fetched.latePaymentAmountPaise].filter(
          (a): a is bigint => a !== null,
        );
        const amount = input.billNetAmountPaise;
        if (biller.paymentAmountExactness === 'EXACT' && !payable.includes(amount))
          throw new InvalidBillAmountError(
            `Invalid field billNetAmount: biller ${biller.billerId} takes exactly the fetched amount (${formatRupees(fetched.billNetAmountPaise)})`,
            { param: 'billNetAmount' },
          );
        if (biller.paymentAmountExactness === 'EXACT_AND_ABOVE' && amount < fetched.billNetAmountPaise)
          throw new InvalidBillAmountError(
            `Invalid field billNetAmount: biller ${biller.billerId} takes at least the fetched amount (${formatRupees(fetched.billNetAmountPaise)})`,
            { param: 'billNetAmount' },
          );
        await checkLimits(
          tx,
          companyId,
          { referenceId: input.referenceId, billerId: cb.billerId, consumerNumber: cb.consumerNumber, amountPaise: amount },
          now,
        );
        return create(
          tx,
          {
            id: newUtilityId(),
            companyId,
            referenceId: input.referenceId ?? null,
            companyBillerId: cb.id,
            billerId: cb.billerId,
            circle: cb.circle,
            consumerNumber: cb.consumerNumber,
            consumerName: fetched.customerName,
            source: 'FETCH',
            amountPaise: amount,
            billAmountPaise: fetched.billAmountPaise,
            earlyPaymentAmountPaise: fetched.earlyPaymentAmountPaise,
            latePaymentAmountPaise: fetched.latePaymentAmountPaise,
            billDate: fetched.billDate,
            billDueDate: fetched.dueDate,
            earlyPaymentDate: fetched.earlyPaymentDate,
            actualDueDate: fetched.dueDate,
            billStartDate: fetched.billStartDate,
            billEndDate: fetched.billEndDate,
            billNumber: fetched.billNumber,
            validationId: fetched.validationId,
            billId: fetched.billId,
            ...base({ companyId, now }),
          },
          scenario,
          finish,
          companyName,
        );
      });
      return payment;
    },

    /**
     * `POST /api/v2/biller/addBill`: a bill without fetch. Throws biller_not_found,
     * biller_not_active, invalid_biller_input, bill_fetch_mode (biller requires fetch),
     * duplicate_reference_id (38), velocity_* (36, 37), insufficient_balance (auto-debit).
     */
    async createDirect(companyId: string, input: CreateDirectInput, scenario: Scenario | undefined, finish: Finish): Promise<UtilityPayment> {
      const biller = billerFor(input);
      if (biller.fetchRequirement === 'MANDATORY')
        throw new BillFetchModeError(
          `Biller ${biller.billerId} requires a bill fetch; use POST /api/v2/biller/fetchOrAddBill then POST /api/v2/utilityPayment`,
          { param: 'billerId' },
        );
      const cn = input.billParams['cn']!;
      const companyName = await deps.companyName(companyId);
      const payment = await withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        const cb = await repo.ensureCompanyBiller(tx, {
          id: newCompanyBillerId(),
          companyId,
          billerId: input.billerId,
          circle: input.circle ?? null,
          consumerNumber: cn,
          billParams: input.billParams,
          autoFetch: false,
          remarks: input.remarks ?? null,
          keyContactEmail: input.keyContactEmail ?? null,
          now,
        });
        await checkLimits(
          tx,
          companyId,
          { referenceId: input.referenceId, billerId: input.billerId, consumerNumber: cn, amountPaise: input.billAmountPaise },
          now,
        );
        return create(
          tx,
          {
            id: newUtilityId(),
            companyId,
            referenceId: input.referenceId ?? null,
            companyBillerId: cb.id,
            billerId: input.billerId,
            circle: input.circle ?? null,
            consumerNumber: cn,
            consumerName: input.name ?? null,
            source: 'DIRECT',
            amountPaise: input.billAmountPaise,
            billAmountPaise: input.billAmountPaise,
            billDate: input.billDate ?? null,
            billDueDate: input.billDueDate ?? null,
            actualDueDate: input.billDueDate ?? null,
            remarks: input.remarks ?? null,
            keyContactEmail: input.keyContactEmail ?? null,
            ...base({ companyId, now }),
          },
          scenario,
          finish,
          companyName,
        );
      });
      return payment;
    },

    /**
     * `PUT /api/v0/utilityPayment/status` with CHECKER_APPROVED: debits every bill and sends it to
     * its biller, all or none. Throws utility_payment_not_found, utility_payment_not_pending_approval,
     * insufficient_balance (nothing is debited).
     */
    async approve(companyId: string, ids: readonly string[], remarks: string | null, scenario: Scenario | undefined): Promise<UtilityPayment[]> {
      const companyName = await deps.companyName(companyId);
      const approved = await withTransaction(db, async (tx) => {
        const locked = await repo.lockPayments(tx, companyId, ids);
        const missing = ids.filter((id) => !locked.some((p) => p.id === id));
        if (missing.length > 0) throw new UtilityPaymentNotFoundError('No utility payment found', { param: 'utilityPaymentIds', detail: missing.join(',') });
        const done = locked.filter((p) => !awaitsApproval(p));
        if (done.length > 0)
          throw new NotPendingApprovalError(`Utility payment ${done[0]!.id} is not pending approval (${describeApproval(done[0]!)})`, {
            param: 'utilityPaymentIds',
          });
        const out: UtilityPayment[] = [];
        for (const p of locked) out.push(await debitAndPay(tx, p, 'CHECKER_APPROVED', remarks, scenario, companyName));
        return out;
      });
      return approved;
    },

    /** `POST /api/v0/utilityPayment/pay` (ADR 0045). @throws utility_payment_not_found, utility_payment_not_payable */
    payViaGateway: pg.pay,

    async get(companyId: string, id: string): Promise<UtilityPayment> {
      const p = await repo.findPayment(db, companyId, id);
      if (!p) throw new UtilityPaymentNotFoundError('No utility payment found', { param: 'utilityEnkashId' });
      return p;
    },

    async getByReference(companyId: string, referenceId: string): Promise<UtilityPayment> {
      const p = await repo.findPaymentByReference(db, companyId, referenceId);
      if (!p) throw new UtilityPaymentNotFoundError('No utility payment found', { param: 'referenceId' });
      return p;
    },

    search(companyId: string, filters: repo.PaymentFilters, page: PageRequest) {
      return repo.searchPayments(db, companyId, filters, page);
    },

    /** The wire status payload (UtilityPaymentV2Response). */
    async toStatus(p: UtilityPayment): Promise<StatusPayload> {
      return statusPayload(p, await deps.companyName(p.companyId));
    },
  };
}

/** Why a bill cannot be approved: its approval status, or its open gateway order. */
function describeApproval(p: UtilityPayment): string {
  return pgPaymentOpen(p) ? `being paid through Payment Gateway order ${p.pgOrderId}, paymentStatus ${p.paymentStatus}` : p.approvalStatus;
}

/**
 * Changes some of a company's settings (the others keep their value, or the default), for the
 * operator's `tijori bbps settings`, which runs without the app. Returns the settings now in force.
 */
export async function changeBbpsSettings(db: Executor, clock: SandboxClock, companyId: string, change: Partial<BbpsSettings>): Promise<BbpsSettings> {
  return withTransaction(db, async (tx) => {
    const next = { ...((await repo.findSettings(tx, companyId)) ?? DEFAULT_SETTINGS), ...change };
    await repo.saveSettings(tx, companyId, next, await clock.now(companyId, tx));
    return next;
  });
}
