import { IST_OFFSET_MS } from '../../rails/ist.js';

/**
 * The states of a utility payment (reference §4). `approvalStatus`: maker-checker approval;
 * `paymentStatus`: the company's payment of the bill (a debit of its balance, or a Payment Gateway
 * payment, ADR 0045); `billpayStatus`: the Bharat Connect payment. Rule of §4: billpayStatus
 * SUCCESS = paid; FAILED = the payment is refunded (paymentStatus REFUNDED); anything else is in
 * process.
 */
export type ApprovalStatus = 'MAKER_APPROVAL_PENDING' | 'CHECKER_APPROVED' | 'AUTO_APPROVED';
/**
 * The paymentStatus values of the reference (§2.2/§4, the wider enum): every one is accepted by the
 * search filter; Tijori's bills reach those of PAYMENT_STATUSES.
 */
export const DOCUMENTED_PAYMENT_STATUSES = [
  'INIT',
  'PROCESS',
  'SUCCESS',
  'FAILED',
  'PENDING',
  'CANCELLED',
  'EXPIRED',
  'PARTIAL_REFUNDED',
  'REFUNDED',
  'IN_PROCESS',
  'AUTHENTICATION_IN_PROCESS',
  'OTP_RENDERED',
  'CHECKOUT_RENDERED',
  'MPI_PROCESSED',
  'MPI_RENDERED',
  'REFUND_IN_PROGRESS',
  'REFUND_REQUESTED',
  'PENDING_WITH_BANK',
  'SWAPPED',
  'PAID_OFFLINE',
  'PARTIAL_PAID',
] as const;
/**
 * What Tijori's bills reach. PENDING: not paid yet (awaiting approval); SUCCESS: paid (balance
 * debited, or the gateway payment captured); REFUNDED: the biller failed it and the payment was
 * returned. Through the Payment Gateway (ADR 0045): INIT, an order made and nobody has paid yet;
 * IN_PROCESS, an attempt failed and the order takes another; FAILED, an attempt failed and the
 * order takes no more; EXPIRED and CANCELLED, the order did. After FAILED, EXPIRED or CANCELLED
 * the bill awaits payment again.
 */
export type PaymentStatus = 'PENDING' | 'INIT' | 'IN_PROCESS' | 'SUCCESS' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | 'REFUNDED';
/**
 * The 7 documented values (reference §4). PENDING: not yet sent (awaiting approval); IN_PROGRESS:
 * sent, no answer yet; ON_HOLD: held by the agency; AGENCY_FAILED: the agency failed to process it
 * and EnKash re-initiates it (the debit stands); REINITIATE: sent again; SUCCESS; FAILED (refunded).
 */
export type BillpayStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'ON_HOLD' | 'REINITIATE' | 'AGENCY_FAILED';

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['MAKER_APPROVAL_PENDING', 'CHECKER_APPROVED', 'AUTO_APPROVED'];
export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['PENDING', 'INIT', 'IN_PROCESS', 'SUCCESS', 'FAILED', 'EXPIRED', 'CANCELLED', 'REFUNDED'];
export const BILLPAY_STATUSES: readonly BillpayStatus[] = ['PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'ON_HOLD', 'REINITIATE', 'AGENCY_FAILED'];

/** The billpayStatus of each interim stage the rail reports (rails/bbps BILLPAY_STAGES). */
export const STAGE_STATUS: Readonly<Record<string, BillpayStatus>> = { on_hold: 'ON_HOLD', agency_failed: 'AGENCY_FAILED', reinitiated: 'REINITIATE' };

/**
 * `paymentMode` (reference §4 enum): ACCOUNT_TRANSFER for a bill debited from the company's
 * prefunded balance; the gateway payment's mode for a bill paid through the Payment Gateway.
 */
export const PAYMENT_MODES = ['ACCOUNT_TRANSFER', 'CREDIT_CARD', 'DEBIT_CARD', 'NET_BANKING', 'UPI', 'PREPAID_CARD', 'INVALID_PAYMENT_MODE'] as const;
export type BillPaymentMode = (typeof PAYMENT_MODES)[number];
export const BALANCE_PAYMENT_MODE: BillPaymentMode = 'ACCOUNT_TRANSFER';

/** The bill's paymentMode for a captured gateway payment's mode: the §4 enum has no wallet, pay-later or corporate card (INVALID_PAYMENT_MODE). */
export function billPaymentMode(gatewayMode: string | null): BillPaymentMode {
  if (gatewayMode === 'CORPORATE_CARD') return 'CREDIT_CARD';
  return (PAYMENT_MODES as readonly string[]).includes(gatewayMode ?? '') ? (gatewayMode as BillPaymentMode) : 'INVALID_PAYMENT_MODE';
}

/** Is the bill's Payment Gateway order still open (INIT, IN_PROCESS)? Then it is being paid: it cannot be paid or approved again. */
export function pgPaymentOpen(p: Pick<UtilityPayment, 'paymentStatus'>): boolean {
  return p.paymentStatus === 'INIT' || p.paymentStatus === 'IN_PROCESS';
}

export interface BbpsSettings {
  autoDebit: boolean;
  maxBillsPerConsumerPerDay: number;
  maxAmountPerConsumerPerDayPaise: bigint;
}

/** Defaults of a company without a settings row (docs/api/bbps.md "Settings"): maker-checker on. */
export const DEFAULT_SETTINGS: BbpsSettings = {
  autoDebit: false,
  maxBillsPerConsumerPerDay: 10,
  maxAmountPerConsumerPerDayPaise: 2_00_000_00n,
};

export interface FetchedBillFields {
  billNumber: string;
  customerName: string;
  billAmountPaise: bigint;
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
}

export interface CompanyBiller {
  id: string;
  companyId: string;
  billerId: number;
  circle: string | null;
  consumerNumber: string;
  billParams: Record<string, string>;
  autoFetch: boolean;
  remarks: string | null;
  keyContactEmail: string | null;
  lastFetch: FetchedBillFields | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface UtilityPayment {
  id: string;
  companyId: string;
  referenceId: string | null;
  companyBillerId: string;
  billerId: number;
  circle: string | null;
  consumerNumber: string;
  consumerName: string | null;
  source: 'FETCH' | 'DIRECT';
  amountPaise: bigint;
  billAmountPaise: bigint;
  earlyPaymentAmountPaise: bigint | null;
  latePaymentAmountPaise: bigint | null;
  billDate: string | null;
  billDueDate: string | null;
  earlyPaymentDate: string | null;
  actualDueDate: string | null;
  billStartDate: string | null;
  billEndDate: string | null;
  billNumber: string | null;
  validationId: string | null;
  billId: string | null;
  remarks: string | null;
  keyContactEmail: string | null;
  approvalStatus: ApprovalStatus;
  approvalRemarks: string | null;
  paymentStatus: PaymentStatus;
  billpayStatus: BillpayStatus;
  failureReason: string | null;
  failureCode: string | null;
  billReferenceId: string | null;
  /** ACCOUNT_TRANSFER, or the gateway payment's mode (null until paid). */
  paymentMode: string | null;
  /** The Payment Gateway order of a bill paid through the gateway (its last one), its captured transaction and the refund of it. */
  pgOrderId: string | null;
  pgTransactionId: string | null;
  pgRefundId: string | null;
  debitTransactionId: string | null;
  refundTransactionId: string | null;
  outcomeSequence: number;
  approvedAt: Date | null;
  paymentAt: Date | null;
  billpayAt: Date | null;
  refundAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Messages of the failure codes a payment can end with (`failureCode` → `failureReason`). */
const FAILURE_REASONS: Record<string, string> = {
  biller_unavailable: 'Biller is not available, please try again later',
  invalid_consumer_number: 'Consumer number is not valid for this biller',
  payment_rejected_by_biller: 'Payment rejected by the biller',
};

export function failureReason(code: string): string {
  return FAILURE_REASONS[code] ?? `Payment failed (${code})`;
}

/** Can a bill be approved by a checker? Only while its approval is pending (maker-checker, reference §4). */
export function awaitsApproval(p: Pick<UtilityPayment, 'approvalStatus' | 'paymentStatus'>): boolean {
  return p.approvalStatus === 'MAKER_APPROVAL_PENDING' && !pgPaymentOpen(p);
}

/** Is the Bharat Connect payment still open, waiting for the rail's outcome (sent, held, or failed at the agency and re-initiated)? */
export function awaitsOutcome(p: Pick<UtilityPayment, 'billpayStatus'>): boolean {
  return p.billpayStatus === 'IN_PROGRESS' || p.billpayStatus === 'ON_HOLD' || p.billpayStatus === 'AGENCY_FAILED' || p.billpayStatus === 'REINITIATE';
}

/** `2025-05-12T14:30:25`: an instant as IST wall time without a zone, as EnKash shows `createdDate` (reference §12). */
export function enkashDateTime(at: Date | null): string | null {
  return at === null ? null : new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 19);
}

/** The IST calendar day `[start, end)` that holds `at`: the window of the per-day velocity limits. */
export function istDay(at: Date): { start: Date; end: Date } {
  const ist = at.getTime() + IST_OFFSET_MS;
  const start = ist - (ist % 86_400_000) - IST_OFFSET_MS;
  return { start: new Date(start), end: new Date(start + 86_400_000) };
}

/** Which per-consumer daily limit a new bill would break, if any (reference §1.4: codes 36 and 37). */
export function velocityBreach(settings: BbpsSettings, today: { count: number; amountPaise: bigint }, amountPaise: bigint): 'count' | 'amount' | null {
  if (today.count + 1 > settings.maxBillsPerConsumerPerDay) return 'count';
  if (today.amountPaise + amountPaise > settings.maxAmountPerConsumerPerDayPaise) return 'amount';
  return null;
}
