import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import type { SandboxClock } from '../../core/jobs/types.js';
import { prepaidPlansOf, type Biller, type PrepaidPlan } from '../../rails/bbps/index.js';
import { BillFetchModeError, CompanyBillerNotFoundError, ConsumerNumberChangeError, ConsumerNumberExistsError } from './errors.js';
import type { CompanyBiller } from './model.js';
import * as repo from './repository.js';

/** A biller and a consumer's parameters, as a bill names them. */
interface BillerInput {
  billerId: number;
  circle?: string | undefined;
  billParams: Record<string, string>;
}

export interface ConsumerInput extends BillerInput {
  addBiller?: boolean | undefined;
  remarks?: string | null | undefined;
  keyContactEmail?: string | null | undefined;
}

export interface ConsumerChange {
  circle?: string | undefined;
  billParams?: Record<string, string> | undefined;
  addBiller?: boolean | undefined;
  remarks?: string | null | undefined;
  keyContactEmail?: string | null | undefined;
}

/** The row of a new consumer of a biller, from a fetch or an Add Consumer Number. */
export function consumerRow(id: string, companyId: string, input: ConsumerInput, now: Date) {
  return {
    id,
    companyId,
    billerId: input.billerId,
    circle: input.circle ?? null,
    consumerNumber: input.billParams['cn']!,
    billParams: input.billParams,
    autoFetch: input.addBiller ?? false,
    remarks: input.remarks ?? null,
    keyContactEmail: input.keyContactEmail ?? null,
    now,
  };
}

/**
 * The Consumer Number APIs (Add, Update; reference §4's newest nav) and the Prepaid Plan lookup:
 * a company registers a consumer of a biller (`companyBillerId`) without fetching a bill, marks it
 * for automatic bill fetch, and corrects its other parameters later. The bill fetch registers one
 * too (`fetchOrAddBill`); both lead to the same row.
 */
export function createConsumerNumbers(deps: {
  db: Executor;
  clock: SandboxClock;
  /** Known, active, serving the circle (service.ts). */
  activeBiller(billerId: number, circle: string | undefined): Biller;
  /** The same, and every parameter in the biller's format. */
  billerFor(input: BillerInput): Biller;
  newCompanyBillerId(): string;
}) {
  const { db, clock, billerFor } = deps;

  return {
    /** Throws biller_not_found, biller_not_active, invalid_biller_input, consumer_number_exists. */
    async addConsumer(companyId: string, input: ConsumerInput): Promise<CompanyBiller> {
      billerFor(input);
      return withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        const added = await repo.insertCompanyBiller(tx, consumerRow(deps.newCompanyBillerId(), companyId, input, now));
        if (added) return added;
        const existing = await repo.findCompanyBillerByConsumer(tx, companyId, input.billerId, input.billParams['cn']!);
        throw new ConsumerNumberExistsError(`Consumer number already added for this biller (companyBillerId ${existing?.id ?? 'unknown'})`, {
          param: 'billParams.cn',
        });
      });
    },

    /**
     * Changes what is sent (circle, the other billParams, auto-fetch, remarks, contact); the
     * consumer number stays. Throws company_biller_not_found, consumer_number_change,
     * invalid_biller_input, biller_not_active.
     */
    async updateConsumer(companyId: string, companyBillerId: string, change: ConsumerChange): Promise<CompanyBiller> {
      return withTransaction(db, async (tx) => {
        const cb = await repo.lockCompanyBiller(tx, companyId, companyBillerId);
        if (!cb) throw new CompanyBillerNotFoundError('Invalid companyBillerId', { param: 'companyBillerId' });
        const billParams = change.billParams ?? cb.billParams;
        if (billParams['cn'] !== cb.consumerNumber)
          throw new ConsumerNumberChangeError('billParams.cn cannot be changed; add the new consumer number instead', { param: 'billParams.cn' });
        const circle = change.circle ?? cb.circle ?? undefined;
        billerFor({ billerId: cb.billerId, circle, billParams });
        const now = await clock.now(companyId, tx);
        const patch = {
          circle: circle ?? null,
          billParams,
          ...(change.addBiller === undefined ? {} : { autoFetch: change.addBiller }),
          ...(change.remarks === undefined ? {} : { remarks: change.remarks }),
          ...(change.keyContactEmail === undefined ? {} : { keyContactEmail: change.keyContactEmail }),
        };
        await repo.updateCompanyBiller(tx, companyId, cb.id, { ...patch, now });
        return { ...cb, ...patch, autoFetch: patch.autoFetch ?? cb.autoFetch, updatedAt: now };
      });
    },

    /** The recharge plans of a prepaid biller (DTH), optionally of one category. Throws biller_not_found, biller_not_active, invalid_biller_input, bill_fetch_mode. */
    prepaidPlans(input: { billerId: number; circle?: string | undefined; category?: string | undefined }): PrepaidPlan[] {
      const biller = deps.activeBiller(input.billerId, input.circle);
      const plans = prepaidPlansOf(biller, input.category);
      if (plans.length === 0 && input.category === undefined)
        throw new BillFetchModeError(`Biller ${input.billerId} has no prepaid plans; pay its bills with POST /api/v2/biller/fetchOrAddBill or addBill`, {
          param: 'billerId',
        });
      return plans;
    },
  };
}
