import { createHash } from 'node:crypto';
import { RailInputError } from '../errors.js';
import { IST_OFFSET_MS } from '../ist.js';
import { OutcomeChannel } from '../outcome-channel.js';
import { planScenario } from '../outcome.js';
import { randomDigits, scheduleLater } from '../plan-runner.js';
import { assertSupported, type ScenarioName } from '../scenario.js';
import type { OutcomeHandler, RailCall, SimulatorDeps } from '../types.js';
import { BILLER_TYPES, BILLERS, findBiller, servesCircle, type Biller } from './catalogue.js';
import type { BbpsRail, BillerRef, BillFetchAnswer, BillPayResult, FetchedBill } from './rail.js';
import {
  BBPS_CONSUMERS,
  DEFAULT_DUE_IN_DAYS,
  DUE_IN_DAYS,
  FIXED_BILL_PAISE,
  LATE_FEE_PAISE,
  OVERDUE_BY_DAYS,
  PAY_DEFAULTS,
  payPlanOf,
  type FetchBehaviour,
} from './test-data.js';

export const BBPS_PAY_SCENARIOS: ScenarioName[] = ['succeed', 'fail', 'timeout_then_succeed', 'succeed_after', 'fail_after'];
export const BBPS_FETCH_SCENARIOS: ScenarioName[] = ['succeed', 'fail', 'timeout'];

const DAY_MS = 86_400_000;

/** The IST calendar date of an instant, `YYYY-MM-DD`. */
function istDate(at: number): string {
  return new Date(at + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** A stable number from a consumer number, so the same consumer gets the same bill every time. */
function digest(text: string): bigint {
  return BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 12)}`);
}

/**
 * The simulated Bharat Connect network. Fetch answers and payment outcomes are decided by the
 * consumer number (test-data.ts) or the request's scenario, never by chance; bills are dated on the
 * company's sandbox clock, so a bill fetched after advancing the clock is dated then.
 */
export class BbpsSimulator implements BbpsRail {
  readonly rail = 'bbps' as const;
  private readonly channel: OutcomeChannel;

  constructor(private readonly deps: SimulatorDeps) {
    this.channel = new OutcomeChannel('bbps', deps.timers);
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.channel.onOutcome(replyTo, handler);
  }

  billerTypes() {
    return BILLER_TYPES;
  }

  billers(billerType?: string): readonly Biller[] {
    return billerType === undefined ? BILLERS : BILLERS.filter((b) => b.billerType === billerType);
  }

  biller(billerId: number): Biller | undefined {
    return findBiller(billerId);
  }

  async fetchBill(call: RailCall, ref: BillerRef): Promise<BillFetchAnswer> {
    assertSupported(call.scenario, BBPS_FETCH_SCENARIOS, 'a Bharat Connect bill fetch');
    const biller = this.check(ref);
    if (biller.fetchRequirement === 'NOT_SUPPORTED') throw new RailInputError(`Biller ${biller.billerId} does not support bill fetch`, { param: 'billerId' });
    if (call.scenario?.name === 'fail' || call.scenario?.name === 'timeout') return { outcome: 'no_answer' };
    const cn = ref.billParams['cn']!;
    const behaviour: FetchBehaviour | 'default' = BBPS_CONSUMERS.find((c) => c.consumerNumber === cn)?.fetch ?? 'default';
    switch (behaviour) {
      case 'no_bill_due':
        return { outcome: 'no_bill_due' };
      case 'biller_down':
        return { outcome: 'no_answer' };
      case 'invalid_consumer':
        return { outcome: 'invalid_consumer', reasonCode: 'invalid_consumer_number' };
      default: {
        const now = (await this.deps.clock.now(call.companyId, call.exec)).getTime();
        return { outcome: 'found', bill: this.bill(biller, cn, now, behaviour) };
      }
    }
  }

  private bill(biller: Biller, cn: string, now: number, behaviour: 'due' | 'overdue' | 'default'): FetchedBill {
    const seed = digest(`${biller.billerId}:${cn}`);
    const amount = behaviour === 'default' ? 10_000n + (seed % 4_900n) * 100n : FIXED_BILL_PAISE;
    const dueInDays = behaviour === 'overdue' ? -OVERDUE_BY_DAYS : behaviour === 'due' ? DUE_IN_DAYS : DEFAULT_DUE_IN_DAYS;
    const due = now + dueInDays * DAY_MS;
    // A monthly cycle: the bill is dated 20 days before it falls due and covers the month before that.
    const billDate = due - 20 * DAY_MS;
    const overdue = behaviour === 'overdue';
    const late = overdue ? amount + LATE_FEE_PAISE : null;
    // Early payment (1 % off) until 10 days before the due date, for billers that pay exactly.
    const earlyDate = due - 10 * DAY_MS;
    const early = biller.paymentAmountExactness === 'ANY' || overdue ? null : amount - amount / 100n;
    const earlyOpen = early !== null && now <= earlyDate;
    const suffix = (seed % 1_000_000n).toString().padStart(6, '0');
    return {
      billNumber: `BN${biller.billerId}${suffix}${istDate(billDate).replace(/-/g, '').slice(2, 6)}`,
      customerName: `Consumer ${cn.slice(-4)}`,
      billAmountPaise: amount,
      billNetAmountPaise: late ?? (earlyOpen ? early : amount),
      billDate: istDate(billDate),
      dueDate: istDate(due),
      billPeriod: 'MONTHLY',
      billStartDate: istDate(billDate - 30 * DAY_MS),
      billEndDate: istDate(billDate - DAY_MS),
      earlyPaymentAmountPaise: early,
      earlyPaymentDate: early === null ? null : istDate(earlyDate),
      latePaymentAmountPaise: late,
      validationId: `VAL${randomDigits(12)}`,
      billId: `BILL${biller.billerId}${suffix}`,
      overdue,
    };
  }

  async payBill(call: RailCall, input: { biller: BillerRef; amountPaise: bigint; validationId?: string }): Promise<BillPayResult> {
    assertSupported(call.scenario, BBPS_PAY_SCENARIOS, 'a Bharat Connect bill payment');
    this.check(input.biller);
    if (input.amountPaise <= 0n) throw new RailInputError('Invalid field amount: must be positive', { param: 'amount' });
    const cn = input.biller.billParams['cn']!;
    const consumer = BBPS_CONSUMERS.find((c) => c.consumerNumber === cn);
    const plan = call.scenario ? planScenario(call.scenario, PAY_DEFAULTS) : payPlanOf(consumer);
    const now = await this.deps.clock.now(call.companyId, call.exec);
    const reference = () => `BBPS${randomDigits(12)}`;
    await scheduleLater(this.channel, call, plan, now, {
      reference: (status) => (status === 'succeeded' ? reference() : undefined),
      details: { billerId: String(input.biller.billerId) },
    });
    switch (plan.immediate) {
      case 'succeeded':
        return { status: 'succeeded', bbpsReference: reference() };
      case 'declined':
      case 'failed':
        return { status: 'failed', reasonCode: plan.reasonCode ?? PAY_DEFAULTS.failReason };
      default:
        // A staged plan's `pending` carries its stage (test-data.ts BILLPAY_STAGES).
        return { status: plan.immediate, ...(plan.reasonCode === undefined ? {} : { reasonCode: plan.reasonCode }) };
    }
  }

  /** The rail's own checks of a biller reference: known, active, serving the circle, consumer number in format. */
  private check(ref: BillerRef): Biller {
    const biller = findBiller(ref.billerId);
    if (!biller) throw new RailInputError(`Invalid field billerId: unknown biller ${ref.billerId}`, { param: 'billerId' });
    if (biller.status !== 'ACTIVE') throw new RailInputError(`Biller ${ref.billerId} is not active`, { param: 'billerId' });
    if (!servesCircle(biller, ref.circle))
      throw new RailInputError(`Invalid field circle: biller ${ref.billerId} does not serve ${ref.circle}`, { param: 'circle' });
    for (const p of biller.billInputParams) {
      const value = ref.billParams[p.paramName];
      if (value === undefined) {
        if (!p.optional)
          throw new RailInputError(`Missing required field billParams.${p.paramName} (${p.displayName})`, { param: `billParams.${p.paramName}` });
      } else if (!new RegExp(p.regex).test(value)) {
        throw new RailInputError(`Invalid field billParams.${p.paramName}: not a valid ${p.displayName}`, { param: `billParams.${p.paramName}` });
      }
    }
    return biller;
  }
}
