import type { OutcomeSource, RailCall } from '../types.js';
import type { Biller, BillerType } from './catalogue.js';

export interface BillerRef {
  /** EnKash `billerId` (int32, reference §4). */
  billerId: number;
  /** EnKash `circle`, e.g. `MAH`, `ALL`. */
  circle?: string;
  /** `billParams`: `cn` (consumer number) is required; `ad1`, `ad2`, … are biller-specific. */
  billParams: Record<string, string>;
}

/** A bill as the biller answers a fetch. Dates are calendar dates in IST (`2025-05-10`, reference §12). */
export interface FetchedBill {
  billNumber: string;
  customerName: string;
  /** The bill's amount. */
  billAmountPaise: bigint;
  /** What is payable today: the late amount once overdue, the early amount before the early date, else the bill amount. */
  billNetAmountPaise: bigint;
  billDate: string;
  dueDate: string;
  billPeriod: string;
  billStartDate: string;
  billEndDate: string;
  earlyPaymentAmountPaise: bigint | null;
  earlyPaymentDate: string | null;
  latePaymentAmountPaise: bigint | null;
  validationId: string;
  billId: string;
  /** True when the due date is before today. */
  overdue: boolean;
}

/**
 * What a fetch answers: a bill, no bill due (already paid), a consumer number the biller does not
 * know, or no answer (the biller is down).
 */
export type BillFetchAnswer =
  { outcome: 'found'; bill: FetchedBill } | { outcome: 'no_bill_due' } | { outcome: 'invalid_consumer'; reasonCode: string } | { outcome: 'no_answer' };

export interface BillPayResult {
  /**
   * `succeeded`/`failed` are final; `pending` and `no_answer` are resolved later through
   * `onOutcome`, which may first report further `pending` stages.
   */
  status: 'succeeded' | 'failed' | 'pending' | 'no_answer';
  /** Why it failed; with `pending`, the interim stage reached, if any (`on_hold`, `agency_failed`, `reinitiated`). */
  reasonCode?: string;
  /** The Bharat Connect transaction reference, with `succeeded` (later outcomes carry it as `reference`). */
  bbpsReference?: string;
}

/** Bharat Connect (BBPS) B2C: biller catalogue, bill fetch and bill payment. */
export interface BbpsRail extends OutcomeSource {
  readonly rail: 'bbps';
  /** The categories, in catalogue order. */
  billerTypes(): ReadonlyArray<{ billerType: BillerType; name: string }>;
  /** The billers, optionally of one category. */
  billers(billerType?: string): readonly Biller[];
  biller(billerId: number): Biller | undefined;
  /** Asks the biller for the current bill. @throws invalid_rail_input (unknown biller, bad consumer number), scenario_not_supported */
  fetchBill(call: RailCall, biller: BillerRef): Promise<BillFetchAnswer>;
  /**
   * Pays a bill. A final outcome that is not immediate (`pending`, `no_answer`) follows through
   * `onOutcome` as `succeeded` (with the reference) or `failed` (with a reason code).
   * @throws invalid_rail_input, scenario_not_supported
   */
  payBill(call: RailCall, input: { biller: BillerRef; amountPaise: bigint; validationId?: string }): Promise<BillPayResult>;
}
