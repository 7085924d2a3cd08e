import { randomChars } from '../../../core/ids/ids.js';
import { buildUpiUri } from '../../../rails/upi/index.js';

/** QR types and statuses (reference §2.8, INFERRED fields). */
export const QR_TYPES = ['STATIC', 'DYNAMIC'] as const;
export type QrType = (typeof QR_TYPES)[number];
export const QR_STATUSES = ['ACTIVE', 'CLOSED'] as const;
export type QrStatus = (typeof QR_STATUSES)[number];
/** Why a QR closed: its one payment (DYNAMIC), the merchant's cancel, or `closeBy`. */
export const QR_CLOSE_REASONS = ['PAID', 'CANCELLED', 'EXPIRED'] as const;
export type QrCloseReason = (typeof QR_CLOSE_REASONS)[number];
export type QrPaymentStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED';

/**
 * The merchant category code the `upi://pay` string carries (`mc`): 5399, "miscellaneous general
 * merchandise", until gateway settings hold the merchant's own (docs/api/gateway-upi-qr.md).
 */
export const DEFAULT_QR_MCC = '5399';

export interface QrCustomer {
  id: string;
  companyId: string;
  name: string;
  email: string | null;
  mobile: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface QrCode {
  id: string;
  companyId: string;
  customerId: string | null;
  qrType: QrType;
  amountPaise: bigint | null;
  description: string | null;
  closeBy: Date | null;
  notifyUrl: string | null;
  referenceId: string | null;
  accessKey: string | null;
  qrString: string;
  status: QrStatus;
  closeReason: QrCloseReason | null;
  paymentsCount: number;
  amountReceivedPaise: bigint;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface QrPayment {
  id: string;
  companyId: string;
  qrCodeId: string;
  orderId: string | null;
  transactionId: string | null;
  payerVpa: string;
  amountPaise: bigint;
  status: QrPaymentStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** A QR payment with what its gateway transaction says (status, RRN), when it has one. */
export interface QrPaymentView extends QrPayment {
  transactionStatus: string | null;
  bankTransactionId: string | null;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` + epoch ms (sandbox time) + 5 letters or digits, the order id's style; ≤ 35 characters, a valid UPI `tr`. */
export function newQrId(prefix: 'QR' | 'QRC' | 'QRP', at: Date): string {
  return `${prefix}${at.getTime()}${randomChars(ALNUM, 5)}`;
}

/**
 * The `upi://pay` string of a QR (NPCI UPI Linking Specification): the merchant's VPA and name,
 * the MCC, `tr` = the QR id (so a payment names its QR), `tn` = the description, `am` only for a
 * fixed amount, `cu=INR`; RFC 3986 percent-encoding (buildUpiUri).
 */
export function qrUpiString(qr: Pick<QrCode, 'id' | 'amountPaise' | 'description'>, payee: { vpa: string; name: string }): string {
  return buildUpiUri({
    pa: payee.vpa,
    pn: payee.name,
    mc: DEFAULT_QR_MCC,
    tr: qr.id,
    ...(qr.description === null ? {} : { tn: qr.description }),
    ...(qr.amountPaise === null ? {} : { amountPaise: qr.amountPaise }),
  });
}

/** Why a QR takes no payment at `now`, or null when it takes one. */
export function closedProblem(qr: Pick<QrCode, 'status' | 'closeReason' | 'closeBy'>, now: Date): string | null {
  if (qr.status === 'CLOSED') return `The QR code is closed (${qr.closeReason}) and takes no payment`;
  if (qr.closeBy !== null && now >= qr.closeBy) return `The QR code closed at ${qr.closeBy.toISOString()} and takes no payment`;
  return null;
}
