import { createHmac } from 'node:crypto';
import QRCode from 'qrcode';
import { randomChars } from '../../../core/ids/ids.js';
import { ID_SUFFIX_LENGTH } from '../orders/model.js';
import { formatAmountString, multiplyRatio, percentage } from '../../../core/money/index.js';
import { FEE_KEY_MODE, type FeeKind, type GatewaySettings, type PaymentMode } from '../settings/index.js';

/** Payment statuses (reference §2.2, CONFIRMED). The last two are set by refunds. */
export const PAYMENT_STATUSES = ['CREATED', 'AUTHORIZED', 'PENDING_WITH_BANK', 'SUCCESS', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * Where an attempt stands between calls (Tijori's, not on the wire): NEW (no mode yet), PROCESSING
 * (the rail is being called), OTP / CHALLENGE (awaiting the holder), BANK (awaiting the rail's later
 * outcome), DONE (final).
 */
export type PaymentStep = 'NEW' | 'PROCESSING' | 'OTP' | 'CHALLENGE' | 'BANK' | 'DONE';

export type GatewayRail = 'card' | 'upi' | 'netbanking' | 'wallet';
export type UpiFlow = 'COLLECT' | 'INTENT';

/** The rail of each mode; its clearing account is `clearing:<rail>` (gateway plan, ledger). */
export const RAIL_OF_MODE: Record<PaymentMode, GatewayRail> = {
  CREDIT_CARD: 'card',
  DEBIT_CARD: 'card',
  PREPAID_CARD: 'card',
  CORPORATE_CARD: 'card',
  UPI: 'upi',
  NET_BANKING: 'netbanking',
  WALLET: 'wallet',
  PAY_LATER: 'wallet',
};

/** The card type each card mode expects (BIN details `cardType`, reference §2.4). */
export const CARD_TYPE_OF_MODE: Partial<Record<PaymentMode, string>> = {
  CREDIT_CARD: 'CREDIT',
  DEBIT_CARD: 'DEBIT',
  PREPAID_CARD: 'PREPAID',
  CORPORATE_CARD: 'CORPORATE',
};

export function isCardMode(mode: PaymentMode): boolean {
  return RAIL_OF_MODE[mode] === 'card';
}

export interface Payment {
  id: string;
  companyId: string;
  orderId: string;
  status: PaymentStatus;
  paymentMode: PaymentMode | null;
  rail: GatewayRail | null;
  upiFlow: UpiFlow | null;
  step: PaymentStep;
  amountPaise: bigint;
  finalAmountPaise: bigint;
  surchargePaise: bigint;
  surchargeGstPaise: bigint;
  feeBreakdown: { surcharge: string; convenienceFee: string; platformFee: string } | null;
  mdrPaise: bigint;
  mdrGstPaise: bigint;
  refundedPaise: bigint;
  capturedAt: Date | null;
  splitDetails: unknown;
  settlementId: string | null;
  bankCode: string | null;
  bankName: string | null;
  uniqueTransactionId: string;
  bankTransactionId: string | null;
  publicIdentifierKey: string;
  cardToken: string | null;
  cardBin: string | null;
  cardLast4: string | null;
  cardScheme: string | null;
  cardType: string | null;
  cardHolderName: string | null;
  authenticationId: string | null;
  vpa: string | null;
  upiUri: string | null;
  resultCode: string;
  txnMsg: string;
  lateSuccess: boolean;
  lateSuccessReference: string | null;
  timeoutAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The attempt's state machine (ADR 0028): where each step may go. The payments service checks
 * every move of an attempt against it before writing (`assertMove`).
 */
const STEP_TRANSITIONS: Record<PaymentStep, readonly PaymentStep[]> = {
  // A mode chosen (submit, checkout, intent), or cancelled by a newer attempt, a cancel or a capture.
  NEW: ['PROCESSING', 'DONE'],
  // The rail answered: at once (DONE), waiting for the holder (OTP, CHALLENGE) or the bank (BANK).
  PROCESSING: ['OTP', 'CHALLENGE', 'BANK', 'DONE'],
  // A wrong OTP with attempts left keeps the step; the right one is answered at once or later.
  OTP: ['OTP', 'BANK', 'DONE'],
  // An answer repeated (rail outcomes are at-least-once) keeps the step.
  CHALLENGE: ['CHALLENGE', 'BANK', 'DONE'],
  BANK: ['BANK', 'DONE'],
  // A final attempt still takes a late success (captured, or recorded as owed back) and refunds.
  DONE: ['DONE'],
};

/** Wire statuses (reference §2.2) each status may move to. */
const STATUS_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  // CREATED stays CREATED while the holder is asked for an OTP or 3-D Secure.
  CREATED: ['CREATED', 'AUTHORIZED', 'PENDING_WITH_BANK', 'SUCCESS', 'FAILED', 'CANCELLED'],
  AUTHORIZED: ['SUCCESS', 'FAILED'],
  PENDING_WITH_BANK: ['SUCCESS', 'FAILED'],
  SUCCESS: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  REFUNDED: [],
  // The bank's success after a timeout, a failure or a cancel: captured while the order is payable (ADR 0016).
  FAILED: ['FAILED', 'SUCCESS'],
  CANCELLED: ['SUCCESS', 'FAILED'],
};

export function canMove(from: Pick<Payment, 'step' | 'status'>, to: Pick<Payment, 'step' | 'status'>): boolean {
  return STEP_TRANSITIONS[from.step].includes(to.step) && (from.status === to.status || STATUS_TRANSITIONS[from.status].includes(to.status));
}

/** @throws Error (a programming error, never a client's) when `to` is not a move of `from`. */
export function assertMove(from: Pick<Payment, 'id' | 'step' | 'status'>, to: Pick<Payment, 'step' | 'status'>): void {
  if (!canMove(from, to)) throw new Error(`payment ${from.id}: ${from.step}/${from.status} → ${to.step}/${to.status} is not a transition`);
}

/** An attempt the rail is working on or the holder is answering: at most one per order (ADR 0016). */
export function isInFlight(p: Pick<Payment, 'step' | 'timeoutAt'>, now?: Date): boolean {
  if (p.step === 'BANK') return true;
  // No timer waits on an attempt between its two transactions (ADR 0028): one whose process died
  // there stops blocking its order at its timeout, and is failed when it is next touched.
  return p.step === 'PROCESSING' && (now === undefined || p.timeoutAt === null || now < p.timeoutAt);
}

// ---------------------------------------------------------------------------------------------
// Fees (reference §2.4)

export interface FeeQuote {
  surchargePaise: bigint;
  convenienceFeePaise: bigint;
  /** Resolved (a `PF_` rule) but never charged to the payer (reference §2.4, CONFIRMED-SDK). */
  platformFeePaise: bigint;
  /** surcharge + convenience fee: the notify `surcharge`. */
  totalFeesPaise: bigint;
  /** GST on the fees charged (reference §2.4: "(surcharge + convenience fee) × surchargeGst / 100"). */
  gstPaise: bigint;
  /** amount + fees + GST. */
  finalAmountPaise: bigint;
  /** The rule key that set each fee, or null (no rule). */
  keys: Record<FeeKind, string | null>;
}

/**
 * The fee rule of one kind for a mode: the most specific key wins. The codes are tried in order
 * (a card's scheme, then its issuer's pgCode; a bank or wallet code), then `_DEFAULT`.
 */
export function feeRule(rules: Record<string, bigint>, kind: FeeKind, mode: PaymentMode, codes: readonly string[]): { key: string; paise: bigint } | null {
  for (const code of [...codes, 'DEFAULT']) {
    const key = `${kind}_${FEE_KEY_MODE[mode]}_${code.toUpperCase()}`;
    const paise = rules[key];
    if (paise !== undefined) return { key, paise };
  }
  return null;
}

/** Percent (18, 12.5) as basis points, exact for up to two decimals. */
function basisPoints(percent: number): bigint {
  return BigInt(Math.round(percent * 100));
}

/**
 * What the customer pays for `amountPaise` by `mode` (with the card scheme / bank / wallet code
 * when known): fees from the company's rules, GST on them rounded half up to the paisa.
 */
export function quoteFees(
  settings: Pick<GatewaySettings, 'feeRules' | 'surchargeGstPercent'>,
  amountPaise: bigint,
  mode: PaymentMode,
  codes: readonly string[] = [],
): FeeQuote {
  const sc = feeRule(settings.feeRules, 'SC', mode, codes);
  const cf = feeRule(settings.feeRules, 'CF', mode, codes);
  const pf = feeRule(settings.feeRules, 'PF', mode, codes);
  const surchargePaise = sc?.paise ?? 0n;
  const convenienceFeePaise = cf?.paise ?? 0n;
  const platformFeePaise = pf?.paise ?? 0n;
  // The platform fee (PF_) is resolved but never charged to the payer, and GST is on SC + CF only
  // (reference §2.4, CONFIRMED-SDK: the SDK quotes so, and a client's quote must be what is charged).
  const totalFeesPaise = surchargePaise + convenienceFeePaise;
  const gstPaise = multiplyRatio(totalFeesPaise, basisPoints(settings.surchargeGstPercent), 10_000n, 'half-up');
  return {
    surchargePaise,
    convenienceFeePaise,
    platformFeePaise,
    totalFeesPaise,
    gstPaise,
    finalAmountPaise: amountPaise + totalFeesPaise + gstPaise,
    keys: { SC: sc?.key ?? null, CF: cf?.key ?? null, PF: pf?.key ?? null },
  };
}

/**
 * The merchant's MDR on a captured payment and its GST (gateway plan): basis points of `amount`
 * rounded half up to the paisa; GST = `mdrGstPercent` of the MDR, rounded half up.
 */
export function computeMdr(
  settings: Pick<GatewaySettings, 'mdrBasisPoints' | 'mdrGstPercent'>,
  amountPaise: bigint,
  mode: PaymentMode,
): { mdrPaise: bigint; mdrGstPaise: bigint } {
  const mdrPaise = percentage(amountPaise, BigInt(settings.mdrBasisPoints[mode]), 'half-up');
  const mdrGstPaise = multiplyRatio(mdrPaise, basisPoints(settings.mdrGstPercent), 10_000n, 'half-up');
  return { mdrPaise, mdrGstPaise };
}

// ---------------------------------------------------------------------------------------------
// Ids

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `TXN` + epoch ms (sandbox time) + ID_SUFFIX_LENGTH letters or digits, in the style of the order id: the public checkout's capability (ADR 0035). */
export function newTransactionId(at: Date): string {
  return `TXN${at.getTime()}${randomChars(ALNUM, ID_SUFFIX_LENGTH)}`;
}

/** Whether a transaction id carries the full random suffix of newTransactionId, and so is a capability on its own. */
export function isCapabilityId(transactionId: string): boolean {
  return /^TXN\d{13}[A-Za-z0-9]+$/.test(transactionId) && transactionId.length >= 'TXN'.length + 13 + ID_SUFFIX_LENGTH;
}

/** `EK` + epoch ms + 8 upper-case letters or digits: the id the customer's bank and the SDK's `order_id` see. */
export function newUniqueTransactionId(at: Date): string {
  return `EK${at.getTime()}${randomChars(UPPER_ALNUM, 8)}`;
}

/** 32 random letters and digits: with the transaction id, the key of the public (browser) pages. */
export function newPublicIdentifierKey(): string {
  return randomChars(ALNUM, 32);
}

// ---------------------------------------------------------------------------------------------
// Notify (reference §2.3) and its checksum (reference §1.6, INFERRED recipe)

/** `amount` of the checksum: the wire string with two decimals (`100.00`). */
export function checksumMessage(fields: { orderId: string; transactionId: string; uniqueTransactionId: string; amountPaise: bigint; status: string }): string {
  return [fields.orderId, fields.transactionId, fields.uniqueTransactionId, formatAmountString(fields.amountPaise, 'INR'), fields.status].join('|');
}

/** `hex(HMAC-SHA256(secretKey, orderId|transactionId|uniqueTransactionId|amount|status))`, docs/api/gateway-payments.md. */
export function notifyChecksum(secretKey: string, fields: Parameters<typeof checksumMessage>[0]): string {
  return createHmac('sha256', secretKey).update(checksumMessage(fields), 'utf8').digest('hex');
}

/** A masked card number as the notify shows it: BIN, X's, last four (`411111XXXXXX1111`). */
export function maskCard(bin: string | null, last4: string | null): string | null {
  if (bin === null || last4 === null) return null;
  return `${bin}XXXXXX${last4}`;
}

// ---------------------------------------------------------------------------------------------
// Card input (checked before an attempt is spent; the card rail checks again)

/** The Luhn (mod 10) check of ISO/IEC 7812-1. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Why a card's number, expiry or CVV is malformed (param and message), or null when it is well formed. */
export function cardInputProblem(
  card: { cardNumber: string; expiry: string; cvv: string },
  network: string | undefined,
): { param: string; message: string } | null {
  const digits = card.cardNumber.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return { param: 'cardNumber', message: 'Invalid field cardNumber: must be 12 to 19 digits' };
  if (!luhnValid(digits)) return { param: 'cardNumber', message: 'Invalid field cardNumber: fails the Luhn check' };
  if (network === undefined) return { param: 'cardNumber', message: 'Invalid field cardNumber: unsupported card network' };
  const m = /^(\d{2})\/(\d{2})$/.exec(card.expiry.trim());
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return { param: 'expiry', message: 'Invalid field expiry: must be MM/YY' };
  const cvvLength = network === 'AMEX' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvvLength}}$`).test(card.cvv)) return { param: 'cvv', message: `Invalid field cvv: must be ${cvvLength} digits for ${network}` };
  return null;
}

/** The dynamic UPI QR of an intent link: a PNG (240 px, error correction M), base64 (reference §2.4 `qrcode`). */
export async function upiQrPng(uri: string): Promise<string> {
  return (await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 240 })).toString('base64');
}

/** The same QR as an SVG document (the static UPI QR's image, docs/api/gateway-upi-qr.md). */
export async function upiQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/**
 * The merchant as a UPI payee: in the sandbox its collecting VPA is the company id, lower-cased,
 * at `enkash` (docs/api/gateway-payments.md); the name is its gateway `merchantName`.
 */
export function merchantPayee(companyId: string, merchantName: string): { vpa: string; name: string } {
  return { vpa: `${companyId.toLowerCase()}@enkash`, name: merchantName.slice(0, 99) };
}

/** The note (`tn`) of an order's UPI intent and collect requests, at most 50 characters. */
export function upiNote(order: { merchantOrderId: string }): string {
  return `Order ${order.merchantOrderId}`.slice(0, 50);
}

/** The `upi://pay` link as each app's intent scheme (reference §2.4 `upi-detail`: gpay, phonepe, paytm, upi). */
export function upiAppLinks(uri: string): { gpay: string; phonepe: string; paytm: string; upi: string } {
  const query = uri.slice(uri.indexOf('?'));
  return { gpay: `tez://upi/pay${query}`, phonepe: `phonepe://pay${query}`, paytm: `paytmmp://pay${query}`, upi: uri };
}
