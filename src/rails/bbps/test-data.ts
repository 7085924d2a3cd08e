import { describePlan, planScenario, type OutcomePlan } from '../outcome.js';
import { parseScenario } from '../scenario.js';
import type { MagicValue, RailTestData } from '../test-data.js';
import { BILLERS } from './catalogue.js';

/** How the simulated biller answers a fetch for a consumer number. */
export type FetchBehaviour = 'due' | 'no_bill_due' | 'overdue' | 'biller_down' | 'invalid_consumer';

export interface BbpsConsumer {
  consumerNumber: string;
  fetch: FetchBehaviour;
  /** The scenario a payment for this consumer follows unless the request names one, or a staged plan (STAGED). */
  pay: string | OutcomePlan;
  description: string;
}

/**
 * Interim Bharat Connect stages of a payment before its final answer, reported as `pending` with
 * the stage as its reason code; the product shows them as `billpayStatus` ON_HOLD, AGENCY_FAILED
 * and REINITIATE (reference §4: anything but SUCCESS and FAILED is "in process").
 */
export const BILLPAY_STAGES = ['on_hold', 'agency_failed', 'reinitiated'] as const;
export type BillPayStage = (typeof BILLPAY_STAGES)[number];

const MINUTE_MS = 60_000;
/** A staged plan: `pending (stage)` at once, then the later steps. */
const staged = (stage: BillPayStage, later: OutcomePlan['later']): OutcomePlan => ({ immediate: 'pending', reasonCode: stage, later, webhookDuplicate: false });

/** Fixed bill of the named consumers: ₹1,250.00; overdue bills add a ₹50.00 late fee. */
export const FIXED_BILL_PAISE = 125_000n;
export const LATE_FEE_PAISE = 5_000n;
/** Days from the fetch to the due date of a due bill, and past the due date of an overdue one. */
export const DUE_IN_DAYS = 10;
export const OVERDUE_BY_DAYS = 5;
/** A bill of any other consumer number is due this many days after the fetch. */
export const DEFAULT_DUE_IN_DAYS = 15;

/**
 * Consumer numbers (`billParams.cn`) that decide the biller's answers, whatever the biller (they
 * fit every biller's consumer-number format). Any other consumer number has a bill due.
 */
export const BBPS_CONSUMERS: readonly BbpsConsumer[] = [
  { consumerNumber: '9000000001', fetch: 'due', pay: 'succeed', description: 'A bill of ₹1,250.00 due in 10 days; the payment succeeds at once' },
  {
    consumerNumber: '9000000002',
    fetch: 'no_bill_due',
    pay: 'succeed',
    description: 'Already paid: the fetch finds no bill due; a payment without fetch succeeds',
  },
  {
    consumerNumber: '9000000003',
    fetch: 'overdue',
    pay: 'succeed',
    description: 'A bill of ₹1,250.00 due 5 days ago: ₹1,300.00 payable with the late fee; the payment succeeds',
  },
  {
    consumerNumber: '9000000004',
    fetch: 'biller_down',
    pay: 'fail:biller_unavailable',
    description: 'The biller is down: the fetch gets no answer, a payment fails at once (refunded)',
  },
  {
    consumerNumber: '9000000005',
    fetch: 'due',
    pay: 'timeout_then_succeed:PT2M',
    description: 'A bill due; the payment gets no answer, then succeeds after 2 minutes of sandbox time',
  },
  { consumerNumber: '9000000006', fetch: 'due', pay: 'fail_after:PT1M', description: 'A bill due; the biller rejects the payment after a minute (refunded)' },
  {
    consumerNumber: '9000000007',
    fetch: 'due',
    pay: staged('on_hold', [{ afterMs: 30 * MINUTE_MS, status: 'succeeded' }]),
    description: 'A bill due; the agency holds the payment (billpayStatus ON_HOLD), then pays it after 30 minutes',
  },
  {
    consumerNumber: '9000000008',
    fetch: 'due',
    pay: staged('agency_failed', [
      { afterMs: 5 * MINUTE_MS, status: 'pending', reasonCode: 'reinitiated' },
      { afterMs: 10 * MINUTE_MS, status: 'succeeded' },
    ]),
    description: 'A bill due; the agency fails (AGENCY_FAILED, not refunded), the payment is re-initiated after 5 minutes (REINITIATE) and paid after 10',
  },
  {
    consumerNumber: '9000000009',
    fetch: 'invalid_consumer',
    pay: 'fail:invalid_consumer_number',
    description: 'The biller does not know this consumer number',
  },
];

export const PAY_DEFAULTS = { declineReason: 'payment_rejected_by_biller', failReason: 'payment_rejected_by_biller' } as const;

/** The plan a payment of this consumer follows when the request names no scenario. */
export function payPlanOf(consumer: BbpsConsumer | undefined): OutcomePlan {
  const pay = consumer?.pay ?? 'succeed';
  return typeof pay === 'string' ? planScenario(parseScenario(pay), PAY_DEFAULTS) : pay;
}

const inr = (paise: bigint) => `₹${(paise / 100n).toString()}.${(paise % 100n).toString().padStart(2, '0')}`;

/** The one-line description of a fetch behaviour, as docs/sandbox.md shows it. */
export function describeFetch(behaviour: FetchBehaviour): string {
  switch (behaviour) {
    case 'due':
      return `bill due: ${inr(FIXED_BILL_PAISE)}, due in ${DUE_IN_DAYS} days`;
    case 'overdue':
      return `bill overdue by ${OVERDUE_BY_DAYS} days: ${inr(FIXED_BILL_PAISE)} + ${inr(LATE_FEE_PAISE)} late fee payable`;
    case 'no_bill_due':
      return 'no bill due';
    case 'biller_down':
      return 'no answer (biller unavailable)';
    case 'invalid_consumer':
      return 'invalid consumer number';
  }
}

export const bbpsTestData: RailTestData = {
  rail: 'bbps',
  title: 'Bill payments (Bharat Connect / BBPS)',
  summary: 'Bills are fetched from and paid to the simulated billers of the catalogue; the consumer number (`billParams.cn`) decides the answer.',
  scenarios: ['succeed', 'fail', 'timeout_then_succeed', 'succeed_after', 'fail_after'],
  defaultOutcome: `any other consumer number has a bill due in ${DEFAULT_DUE_IN_DAYS} days, of an amount derived from the number (₹100.00 to ₹4,999.00), and its payment succeeds at once`,
  rules: [
    `Billers: ${BILLERS.map((b) => `\`${b.billerId}\` ${b.billerName} (${b.billerType}${b.status === 'INACTIVE' ? ', inactive' : ''})`).join('; ')}.`,
    'A scenario on a fetch may be `fail` or `timeout` (the biller does not answer) or `succeed`; on the request that pays (approval, or bill creation with auto-debit) any of the scenarios above.',
    "The consumer number must match the biller's `regex` for `cn`; an inactive biller is refused before the rail is called.",
  ],
  magicValues: [
    ...BBPS_CONSUMERS.map((c): MagicValue => ({
      kind: 'consumer number',
      value: c.consumerNumber,
      operation: 'fetchBill',
      outcome: describeFetch(c.fetch),
      description: c.description,
    })),
    ...BBPS_CONSUMERS.filter((c) => c.pay !== 'succeed').map((c): MagicValue => ({
      kind: 'consumer number',
      value: c.consumerNumber,
      operation: 'payBill',
      outcome: describePlan(payPlanOf(c)),
      description: c.description,
    })),
  ],
};
