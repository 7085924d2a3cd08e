import type { OutcomeSource, RailCall } from '../types.js';

// The simulator of this rail lands with the Bill Payments product issue (reference §4): the
// biller catalogue fixture, bill fetch answers per consumer number and the `billpayStatus`
// lifecycle. Until then only the interface exists, so that the product can be written against it.

export interface BillerRef {
  /** EnKash `billerId` (int32, reference §4). */
  billerId: number;
  /** EnKash `circle`, e.g. `MAH`, `ALL`. */
  circle?: string;
  /** `billParams`: `cn` (consumer number) is required; `ad1`, `ad2`, … are biller-specific. */
  billParams: Record<string, string>;
}

export interface FetchedBill {
  billNumber: string;
  customerName: string;
  billAmountPaise: bigint;
  billDate: string;
  dueDate: string;
  billPeriod?: string;
  earlyPaymentAmountPaise?: bigint;
  earlyPaymentDate?: string;
  latePaymentAmountPaise?: bigint;
  validationId: string;
  billId: string;
}

export type BillFetchAnswer = { outcome: 'found'; bill: FetchedBill } | { outcome: 'no_bill_due' } | { outcome: 'invalid_consumer'; reasonCode: string } | { outcome: 'no_answer' };

/** Bharat Connect (BBPS) B2C: biller catalogue, bill fetch and bill payment. */
export interface BbpsRail extends OutcomeSource {
  readonly rail: 'bbps';
  fetchBill(call: RailCall, biller: BillerRef): Promise<BillFetchAnswer>;
  /** Pays a bill; the `billpayStatus` outcome (SUCCESS, FAILED, …) follows through `onOutcome` when not immediate. */
  payBill(
    call: RailCall,
    input: { biller: BillerRef; amountPaise: bigint; validationId?: string },
  ): Promise<{ status: 'succeeded' | 'failed' | 'pending' | 'no_answer'; reasonCode?: string; bbpsReference?: string }>;
}
