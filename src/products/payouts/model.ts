import { createHash } from 'node:crypto';
import { IFSC_PATTERN } from '../../rails/registries/index.js';
import { TRANSFER_MODES, type TransferMode } from '../../rails/bank-transfer/index.js';

/** Transfer statuses (reference §3): PENDING only in a batch; FAILED and REVERSED return the money. */
export const TRANSFER_STATUSES = ['PENDING', 'REJECTED', 'PROCESSING', 'SUCCESS', 'FAILED', 'REVERSED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/**
 * EnKash's reject codes (reference §3, CONFIRMED), plus one of Tijori's: a batch transfer that
 * finds the float short when its turn comes is rejected (and may be re-initiated) rather than failed.
 */
export const REJECT_CODES = [
  'REJECT_BENEF_ID',
  'REJECT_TXN_ID',
  'REJECT_TRF_AMT',
  'REJECT_TRF_MODE',
  'REJECT_TRF_RMK',
  'REJECT_FND_SRC_ID',
  'REJECT_BENEF_DET_ID',
  'REJECT_BENEF_NAME',
  'REJECT_BENEF_ACC',
  'REJECT_BENEF_IFSC',
  'REJECT_BENEF_EMAIL',
  'REJECT_CHKSUM',
  'REJECT_INSUFFICIENT_BALANCE',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export interface Rejection {
  code: RejectCode;
  message: string;
}

/** Where a payout goes: an account and IFSC, or a VPA. */
export type Destination = { accountNumber: string; ifsc: string } | { vpa: string };

export interface Beneficiary {
  id: string;
  companyId: string;
  beneficiaryId: string;
  beneficiaryName: string;
  accountNumber: string | null;
  ifsc: string | null;
  vpa: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  pincode: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export interface Transfer {
  id: string;
  companyId: string;
  transactionId: string;
  batchTransactionId: string | null;
  beneficiaryId: string | null;
  beneficiaryName: string | null;
  accountNumber: string | null;
  ifsc: string | null;
  vpa: string | null;
  amountPaise: bigint;
  transferMode: string;
  transferRemark: string | null;
  reference: string | null;
  fundSourceId: string | null;
  debitAccountNumber: string | null;
  status: TransferStatus;
  statusCode: string | null;
  statusMessage: string | null;
  utr: string | null;
  holdId: string | null;
  scenario: string | null;
  lastOutcomeSequence: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface SourceAccount {
  id: string;
  companyId: string;
  accountNumber: string;
  ifsc: string;
  accountHolderName: string;
  bankName: string;
  createdAt: Date;
}

export interface FundLoad {
  id: string;
  companyId: string;
  amountPaise: bigint;
  sourceAccountNumber: string | null;
  utr: string;
  reference: string | null;
  ledgerTransactionId: string;
  createdAt: Date;
}

export interface Batch {
  id: string;
  companyId: string;
  batchTransactionId: string;
  transferCount: number;
  createdAt: Date;
}

/** Which statuses each status may move to; anything else is refused (no event, no ledger change). */
const TRANSITIONS: Record<TransferStatus, readonly TransferStatus[]> = {
  PENDING: ['PROCESSING', 'SUCCESS', 'FAILED', 'REJECTED'],
  // REJECTED: the rail refused it (its own rules) in the transaction that accepted it.
  PROCESSING: ['SUCCESS', 'FAILED', 'REJECTED'],
  SUCCESS: ['REVERSED'],
  REJECTED: [],
  FAILED: [],
  REVERSED: [],
};

export function canMove(from: TransferStatus, to: TransferStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

// Field rules (reference §3 "Create Beneficiary", CONFIRMED patterns; INFERRED lengths marked).
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9]{1,50}$/; // beneficiaryId: "your alphanumeric id"; 50 is Tijori's bound
export const TRANSACTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,50}$/; // INFERRED
export const NAME_PATTERN = /^[A-Za-z ]{1,100}$/;
export const BENEFICIARY_IFSC_PATTERN = /^[A-Za-z]{4}0[A-Z0-9a-z]{6}$/;
export const ACCOUNT_NUMBER_PATTERN = /^[0-9]{9,18}$/;
export const VPA_PATTERN = /^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$/;
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
export const PHONE_PATTERN = /^((\+|00)(\d{1,3})[\s-]?)?(\d{10})$/;
export const PINCODE_PATTERN = /^\d{1,6}$/;
/** transferRemark: INFERRED, what Indian banks carry in a narration: 50 letters, digits, spaces and . , - / */
export const REMARK_PATTERN = /^[A-Za-z0-9 .,\-/]{1,50}$/;

export interface BeneficiaryFields {
  beneficiaryName?: string | undefined;
  beneficiaryAccountNumber?: string | undefined;
  beneficiaryIfsc?: string | undefined;
  vpaHandle?: string | undefined;
  beneficiaryEmail?: string | undefined;
  beneficiaryPhone?: string | undefined;
  beneficiaryPincode?: string | undefined;
}

const present = (v: string | undefined | null): v is string => v !== undefined && v !== null && v !== '';

/**
 * The destination of a beneficiary's details, or the first rule they break. `both`/`neither`
 * is the 412 of reference §3 ("account+IFSC or VPA, not both"); the rest map to reject codes.
 */
export function checkBeneficiaryFields(
  b: BeneficiaryFields,
): { ok: true; destination: Destination } | { ok: false; kind: 'destination' | 'field'; rejection: Rejection; param: string } {
  const fail = (code: RejectCode, message: string, param: string, kind: 'destination' | 'field' = 'field') => ({
    ok: false as const,
    kind,
    rejection: { code, message },
    param,
  });
  if (!present(b.beneficiaryName) || !NAME_PATTERN.test(b.beneficiaryName) || b.beneficiaryName.trim() === '') {
    return fail('REJECT_BENEF_NAME', 'Please provide a valid Beneficiary Name (letters and spaces, at most 100)', 'beneficiaryName');
  }
  const hasAccount = present(b.beneficiaryAccountNumber) || present(b.beneficiaryIfsc);
  const hasVpa = present(b.vpaHandle);
  if (hasAccount && hasVpa)
    return fail('REJECT_BENEF_ACC', 'Provide either beneficiaryAccountNumber and beneficiaryIfsc, or vpaHandle, not both', 'vpaHandle', 'destination');
  if (!hasAccount && !hasVpa)
    return fail('REJECT_BENEF_ACC', 'Provide beneficiaryAccountNumber and beneficiaryIfsc, or vpaHandle', 'beneficiaryAccountNumber', 'destination');
  if (present(b.beneficiaryEmail) && (b.beneficiaryEmail.length > 200 || !EMAIL_PATTERN.test(b.beneficiaryEmail))) {
    return fail('REJECT_BENEF_EMAIL', 'Please provide a valid Beneficiary Email', 'beneficiaryEmail');
  }
  if (present(b.beneficiaryPhone) && !PHONE_PATTERN.test(b.beneficiaryPhone)) {
    return fail('REJECT_BENEF_DET_ID', 'Please provide a valid Beneficiary Phone', 'beneficiaryPhone');
  }
  if (present(b.beneficiaryPincode) && !PINCODE_PATTERN.test(b.beneficiaryPincode)) {
    return fail('REJECT_BENEF_DET_ID', 'Please provide a valid Beneficiary Pincode (at most 6 digits)', 'beneficiaryPincode');
  }
  if (hasVpa) {
    if (!VPA_PATTERN.test(b.vpaHandle!)) return fail('REJECT_BENEF_ACC', 'Please provide a valid VPA (handle@psp)', 'vpaHandle');
    return { ok: true, destination: { vpa: b.vpaHandle!.toLowerCase() } };
  }
  if (!present(b.beneficiaryAccountNumber) || !ACCOUNT_NUMBER_PATTERN.test(b.beneficiaryAccountNumber)) {
    return fail('REJECT_BENEF_ACC', 'Please provide a valid Beneficiary Account Number (9 to 18 digits)', 'beneficiaryAccountNumber');
  }
  if (!present(b.beneficiaryIfsc) || !BENEFICIARY_IFSC_PATTERN.test(b.beneficiaryIfsc) || !IFSC_PATTERN.test(b.beneficiaryIfsc.toUpperCase())) {
    return fail('REJECT_BENEF_IFSC', 'Please provide a valid Beneficiary IFSC', 'beneficiaryIfsc');
  }
  return { ok: true, destination: { accountNumber: b.beneficiaryAccountNumber, ifsc: b.beneficiaryIfsc.toUpperCase() } };
}

export function isTransferMode(mode: string): mode is TransferMode {
  return (TRANSFER_MODES as readonly string[]).includes(mode);
}

/** Lowest paise of a transfer (reference §3: `transferAmount` ≥ 1.00). */
export const MIN_TRANSFER_PAISE = 100n;

/** Rupees with exactly two decimals, as the checksum recipe writes an amount: 1500 → "1500.00". */
export function checksumAmount(paise: bigint): string {
  return `${paise / 100n}.${(paise % 100n).toString().padStart(2, '0')}`;
}

/**
 * The request checksum (reference §1.6: INFERRED recipe, docs/api/payouts.md): lowercase hex
 * SHA-256 of the key fields joined by `|`, then `|`, then the client's checksum key, which is the
 * hex of the first 16 bytes of SHA-256(client secret), the same derivation as the §1.5 AES key.
 * An absent field is the empty string.
 */
export function computeChecksum(fields: readonly (string | undefined | null)[], checksumKey: Buffer): string {
  return createHash('sha256')
    .update([...fields.map((f) => f ?? ''), checksumKey.toString('hex')].join('|'), 'utf8')
    .digest('hex');
}

/** The fields of a beneficiary's checksum, in order. */
export function beneficiaryChecksumFields(b: { beneficiaryId?: string | undefined } & BeneficiaryFields): (string | undefined)[] {
  return [b.beneficiaryId, b.beneficiaryName, b.beneficiaryAccountNumber, b.beneficiaryIfsc, b.vpaHandle];
}

/** The fields of a transfer's checksum, in order (transferMode as sent, NEFT when absent). */
export function transferChecksumFields(
  t: { transactionId: string; beneficiaryId?: string | undefined; transferMode?: string | undefined },
  amountPaise: bigint,
): string[] {
  return [t.transactionId, t.beneficiaryId ?? '', checksumAmount(amountPaise), t.transferMode ?? 'NEFT'];
}

export type ChecksumVerdict = 'valid' | 'invalid' | 'missing';

export function verifyChecksum(presented: string | undefined, expected: string): ChecksumVerdict {
  if (presented === undefined || presented === '') return 'missing';
  return presented.toLowerCase() === expected ? 'valid' : 'invalid';
}

/** The fund source id of a company's payout float (one per company in Tijori). */
export function fundSourceIdOf(companyId: string): string {
  return `FS${companyId}`;
}

/**
 * The virtual account a company credits to load its payout float (INFERRED: shown by "Retrieve
 * Bank Account Details"). Tijori's shape: EnKash's bank's collection IFSC and a per-company number.
 */
export function virtualAccountOf(companyId: string): { accountNumber: string; ifsc: string; bankName: string; accountName: string } {
  return { accountNumber: `ENKASH${companyId}`, ifsc: 'YESB0CMSNOC', bankName: 'YES Bank', accountName: 'EnKash Payout Nodal Account' };
}
