import { istParts, IST_OFFSET_MS } from '../../../rails/ist.js';
import type { PostingInput } from '../../../core/ledger/index.js';
import { merchantShare, type SplitShare } from '../split/index.js';

/** `payoutStatus` (reference §2.6, INFERRED values). */
export const PAYOUT_STATUSES = ['INIT', 'PROCESSING', 'SUCCESS', 'FAILED'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** The beneficiary of the merchant's own settlement; split accounts are named by their id. */
export const MERCHANT = 'MERCHANT';

/** Settlement batches run at 10:00 IST on their date (sandbox clock). */
export const SETTLEMENT_HOUR_IST = 10;

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant in IST. */
export function istDate(at: Date): string {
  const p = istParts(at);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Midnight IST that starts the IST date `date`. */
export function istMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - IST_OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** When the batch of IST date `date` runs. */
export function batchRunAt(date: string): Date {
  return new Date(istMidnight(date).getTime() + SETTLEMENT_HOUR_IST * 3_600_000);
}

/** Payments captured before this instant belong to the batch of `date` (T + `delayDays`). */
export function batchCutoff(date: string, delayDays: number): Date {
  return istMidnight(addDays(date, 1 - delayDays));
}

/**
 * The batch that settles a payment captured at `capturedAt`: T + delayDays, IST calendar days, or
 * the next batch still to run when that one has already run (T+0 after 10:00 IST): a batch that
 * ran before the capture could never pick it up.
 */
export function batchDateForCapture(capturedAt: Date, delayDays: number): string {
  const due = addDays(istDate(capturedAt), delayDays);
  const next = nextBatchDate(capturedAt);
  return due >= next ? due : next;
}

/** The first batch that runs at or after `at` (a refund completed then is deducted there). */
export function nextBatchDate(at: Date): string {
  const today = istDate(at);
  return at.getTime() <= batchRunAt(today).getTime() ? today : addDays(today, 1);
}

export interface SettlementPayment {
  transactionId: string;
  amountPaise: bigint;
  mdrPaise: bigint;
  mdrGstPaise: bigint;
  splits: SplitShare[];
}

export interface SettlementRefund {
  refundId: string;
  amountPaise: bigint;
  /** The refunded payment was settled in an earlier batch (the refund is a charge-back on the merchant). */
  paymentSettledEarlier: boolean;
}

export interface MerchantTotals {
  totalSalePaise: bigint;
  splitPaise: bigint;
  totalRefundPaise: bigint;
  refundChargebackPaise: bigint;
  totalChargesPaise: bigint;
  totalGstPaise: bigint;
  /** The carry-forward of the previous batch, recovered here. */
  adjustmentPaise: bigint;
  /** What the merchant still owes after this batch (its net was negative), recovered next time. */
  carryForwardPaise: bigint;
  totalSettlementPaise: bigint;
}

export interface SettlementComputation {
  merchant: MerchantTotals;
  /** Split account id → its share of this batch, in the order the accounts first appear. */
  shares: Map<string, bigint>;
}

/**
 * The settlement arithmetic (reference §2.6; ADR 0017): the merchant gets its sales less split
 * shares, refunds, MDR, GST on MDR and the previous carry-forward; a negative result pays nothing
 * and is carried forward. Split accounts get their shares in full. Pure, so it is property-tested.
 */
export function computeSettlement(payments: readonly SettlementPayment[], refunds: readonly SettlementRefund[], carryInPaise: bigint): SettlementComputation {
  const shares = new Map<string, bigint>();
  let sale = 0n;
  let split = 0n;
  let charges = 0n;
  let gst = 0n;
  for (const p of payments) {
    sale += p.amountPaise;
    split += p.amountPaise - merchantShare(p.amountPaise, p.splits);
    charges += p.mdrPaise;
    gst += p.mdrGstPaise;
    for (const s of p.splits) shares.set(s.accountId, (shares.get(s.accountId) ?? 0n) + s.amountPaise);
  }
  const refund = refunds.reduce((sum, r) => sum + r.amountPaise, 0n);
  const chargeback = refunds.filter((r) => r.paymentSettledEarlier).reduce((sum, r) => sum + r.amountPaise, 0n);
  const net = sale - split - refund - charges - gst - carryInPaise;
  return {
    merchant: {
      totalSalePaise: sale,
      splitPaise: split,
      totalRefundPaise: refund,
      refundChargebackPaise: chargeback,
      totalChargesPaise: charges,
      totalGstPaise: gst,
      adjustmentPaise: carryInPaise,
      carryForwardPaise: net < 0n ? -net : 0n,
      totalSettlementPaise: net > 0n ? net : 0n,
    },
    shares,
  };
}

/**
 * The ledger postings of a batch (ADR 0017), merged per account with zero amounts left out: the
 * sales leave `merchant_pending_settlement`; split shares go to `split_payable:<account>`, MDR to
 * `fees_revenue`, its GST to `gst_payable`; refunds and the previous carry-forward are recovered
 * from `merchant_settlement_receivable`, a new carry-forward is added to it; the net goes to
 * `merchant_available`, from which the payout leaves. Empty when nothing moves.
 */
export function settlementPostings(c: SettlementComputation): PostingInput[] {
  const net = new Map<string, bigint>(); // account → debits − credits
  const add = (account: string, debitMinusCredit: bigint) => net.set(account, (net.get(account) ?? 0n) + debitMinusCredit);
  const m = c.merchant;
  add('merchant_pending_settlement', m.totalSalePaise);
  for (const [accountId, amount] of c.shares) add(`split_payable:${accountId}`, -amount);
  add('fees_revenue', -m.totalChargesPaise);
  add('gst_payable', -m.totalGstPaise);
  add('merchant_settlement_receivable', m.carryForwardPaise - m.totalRefundPaise - m.adjustmentPaise);
  add('merchant_available', -m.totalSettlementPaise);
  const postings: PostingInput[] = [];
  for (const [account, amount] of net) {
    if (amount > 0n) postings.push({ account, direction: 'debit', amount });
    if (amount < 0n) postings.push({ account, direction: 'credit', amount: -amount });
  }
  return postings;
}

/** IMPS up to its limit, RTGS above it (both settle at once; NEFT would wait for a batch). */
export function payoutMode(amountPaise: bigint, impsMaxPaise: bigint): 'IMPS' | 'RTGS' {
  return amountPaise <= impsMaxPaise ? 'IMPS' : 'RTGS';
}

/** `XXXXXXXX1234`: a settlement shows the last four digits of the account it paid. */
export function maskAccountNumber(accountNumber: string): string {
  return `${'X'.repeat(Math.max(0, accountNumber.length - 4))}${accountNumber.slice(-4)}`;
}
