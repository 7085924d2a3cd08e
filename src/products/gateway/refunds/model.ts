import { DEFAULT_REFUND_FAILURE, REFUND_DELAY_MS } from './test-data.js';
import type { Scenario } from '../../../rails/scenario.js';

/** Refund statuses: `CREATED` (reference §2.5 example), then `SUCCESS` or `FAILED` (INFERRED). */
export const REFUND_STATUSES = ['CREATED', 'SUCCESS', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Payment statuses a refund may be made from (reference §2.2). */
export const REFUNDABLE_PAYMENT_STATUSES = ['SUCCESS', 'PARTIALLY_REFUNDED'] as const;

export interface Refund {
  id: string;
  companyId: string;
  paymentId: string;
  orderId: string;
  requestId: string;
  amountPaise: bigint;
  remarks: string | null;
  status: RefundStatus;
  paymentMode: string;
  rail: string;
  bankCode: string | null;
  bankName: string | null;
  uniqueTransactionId: string;
  bankTransactionId: string | null;
  txnMsg: string;
  failureReason: string | null;
  scenario: string;
  ledgerTransactionId: string;
  settlementId: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

// The refund delays and scenarios are documented sandbox test data (./test-data.ts).
export { REFUND_DELAY_MS, REFUND_SCENARIOS } from './test-data.js';

export interface RefundPlan {
  status: 'SUCCESS' | 'FAILED';
  afterMs: number;
  reason?: string;
}

/**
 * When and how a refund completes: after its rail's delay by default; `succeed` and `fail[:reason]`
 * (or `decline`) complete at the rail's delay, `succeed_after`/`fail_after` at their own.
 */
export function planRefund(rail: string, scenario: Scenario | undefined): RefundPlan {
  const delay = REFUND_DELAY_MS[rail as keyof typeof REFUND_DELAY_MS] ?? REFUND_DELAY_MS.card;
  switch (scenario?.name) {
    case undefined:
    case 'succeed':
      return { status: 'SUCCESS', afterMs: delay };
    case 'succeed_after':
      return { status: 'SUCCESS', afterMs: scenario.afterMs };
    case 'fail':
    case 'decline':
      return { status: 'FAILED', afterMs: delay, reason: scenario.reason ?? DEFAULT_REFUND_FAILURE };
    case 'fail_after':
      return { status: 'FAILED', afterMs: scenario.afterMs, reason: DEFAULT_REFUND_FAILURE };
    default:
      throw new Error(`scenario ${scenario!.name} is not a refund scenario`);
  }
}

/** The payment's status once `refundedPaise` of its `amountPaise` is refunded or reserved for refund. */
export function paymentStatusAfterRefunds(amountPaise: bigint, refundedPaise: bigint): 'SUCCESS' | 'PARTIALLY_REFUNDED' | 'REFUNDED' {
  if (refundedPaise === 0n) return 'SUCCESS';
  return refundedPaise >= amountPaise ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

/** `txnMsg` of each refund status. */
export const REFUND_MESSAGES: Record<RefundStatus, string> = {
  CREATED: 'Refund initiated',
  SUCCESS: 'Refund processed successfully',
  FAILED: 'Refund failed',
};
