import { amountRejection, rupees, type TransferLimits, type TransferMode } from '../../../rails/bank-transfer/rules.js';
import { ECOLLECT_ACCOUNT_DIGITS, ECOLLECT_ACCOUNT_PREFIX, ECOLLECT_VPA_HANDLE } from './test-data.js';
import { randomChars } from '../../../core/ids/ids.js';

/** E-Collect virtual accounts (reference §2.11, INFERRED; ADR 0025). */
export const VIRTUAL_ACCOUNT_STATUSES = ['ACTIVE', 'CLOSED'] as const;
export type VirtualAccountStatus = (typeof VIRTUAL_ACCOUNT_STATUSES)[number];
export const AMOUNT_RULES = ['ANY', 'EXACT', 'RANGE'] as const;
export type AmountRule = (typeof AMOUNT_RULES)[number];
export const CREDIT_MODES = ['NEFT', 'IMPS', 'RTGS', 'UPI'] as const satisfies readonly TransferMode[];
export type CreditMode = (typeof CREDIT_MODES)[number];
export const CREDIT_STATUSES = ['CREDITED', 'REJECTED'] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

export interface AllowedRemitter {
  accountNumber: string;
  ifsc: string;
}

export interface VirtualAccount {
  id: string;
  companyId: string;
  referenceId: string;
  accountNumber: string;
  ifsc: string;
  vpa: string;
  customerName: string;
  customerEmail: string | null;
  customerMobile: string | null;
  description: string | null;
  amountRule: AmountRule;
  amountPaise: bigint | null;
  minAmountPaise: bigint | null;
  maxAmountPaise: bigint | null;
  allowedModes: CreditMode[];
  allowedRemitters: AllowedRemitter[];
  closeBy: Date | null;
  notifyUrl: string | null;
  /** ACTIVE until the merchant closes it; `closeBy` passing closes it too (effectiveStatus). */
  status: VirtualAccountStatus;
  closedAt: Date | null;
  creditedPaise: bigint;
  creditCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface VirtualAccountCredit {
  id: string;
  companyId: string;
  virtualAccountId: string;
  utr: string;
  mode: CreditMode;
  amountPaise: bigint;
  remitterName: string;
  remitterAccount: string;
  remitterIfsc: string;
  remitterVpa: string | null;
  status: CreditStatus;
  rejectReason: string | null;
  rejectMessage: string | null;
  ledgerTransactionId: string | null;
  createdAt: Date;
}

/** The amount rule of an account, in paise: EXACT needs `amount`; RANGE a minimum and/or a maximum; ANY none. */
export interface AmountRules {
  amountRule: AmountRule;
  amountPaise: bigint | null;
  minAmountPaise: bigint | null;
  maxAmountPaise: bigint | null;
}

/** Why an amount rule is malformed, with the field at fault; null when it is well formed. */
export function amountRulesProblem(r: AmountRules): { param: string; message: string } | null {
  if (r.amountRule === 'EXACT') {
    if (r.amountPaise === null) return { param: 'amount', message: 'Missing required field amount: amountRule EXACT needs it' };
    if (r.minAmountPaise !== null || r.maxAmountPaise !== null)
      return { param: 'minAmount', message: 'Invalid field minAmount: amountRule EXACT takes amount only' };
    return null;
  }
  if (r.amountPaise !== null) return { param: 'amount', message: `Invalid field amount: only amountRule EXACT takes it (${r.amountRule} given)` };
  if (r.amountRule === 'ANY') {
    if (r.minAmountPaise !== null || r.maxAmountPaise !== null)
      return { param: 'minAmount', message: 'Invalid field minAmount: amountRule ANY takes no amounts' };
    return null;
  }
  if (r.minAmountPaise === null && r.maxAmountPaise === null)
    return { param: 'minAmount', message: 'Missing required field minAmount or maxAmount: amountRule RANGE needs at least one' };
  if (r.minAmountPaise !== null && r.maxAmountPaise !== null && r.minAmountPaise > r.maxAmountPaise)
    return { param: 'maxAmount', message: 'Invalid field maxAmount: it is below minAmount' };
  return null;
}

/** ACTIVE unless closed by the merchant or past `closeBy` on the company's sandbox clock. */
export function effectiveStatus(a: Pick<VirtualAccount, 'status' | 'closeBy'>, now: Date): VirtualAccountStatus {
  return a.status === 'CLOSED' || (a.closeBy !== null && a.closeBy.getTime() <= now.getTime()) ? 'CLOSED' : 'ACTIVE';
}

export interface CreditAttempt {
  mode: CreditMode;
  amountPaise: bigint;
  remitterAccount: string;
  remitterIfsc: string;
}

/** Why the collection bank returns a credit to its remitter, first rule broken first; null when it is credited. */
export function creditRejection(a: VirtualAccount, c: CreditAttempt, now: Date, limits: TransferLimits): { reason: string; message: string } | null {
  if (a.status === 'CLOSED') return { reason: 'account_closed', message: `Virtual account ${a.accountNumber} is closed` };
  if (a.closeBy !== null && a.closeBy.getTime() <= now.getTime())
    return { reason: 'account_expired', message: `Virtual account ${a.accountNumber} closed by ${a.closeBy.toISOString()}` };
  if (!a.allowedModes.includes(c.mode))
    return { reason: 'mode_not_allowed', message: `${c.mode} credits are not allowed (allowed: ${a.allowedModes.join(', ')})` };
  const limit = amountRejection(c.mode, c.amountPaise, limits);
  if (limit) return { reason: 'mode_limit', message: limit.charAt(0).toUpperCase() + limit.slice(1) };
  if (a.amountRule === 'EXACT' && c.amountPaise !== a.amountPaise)
    return { reason: 'amount_mismatch', message: `The account expects exactly ₹${rupees(a.amountPaise!)}` };
  if (a.amountRule === 'RANGE' && a.minAmountPaise !== null && c.amountPaise < a.minAmountPaise)
    return { reason: 'amount_below_minimum', message: `The account takes at least ₹${rupees(a.minAmountPaise)}` };
  if (a.amountRule === 'RANGE' && a.maxAmountPaise !== null && c.amountPaise > a.maxAmountPaise)
    return { reason: 'amount_above_maximum', message: `The account takes at most ₹${rupees(a.maxAmountPaise)}` };
  if (a.allowedRemitters.length > 0 && !a.allowedRemitters.some((r) => r.accountNumber === c.remitterAccount && r.ifsc === c.remitterIfsc)) {
    return { reason: 'remitter_not_allowed', message: `Remitter account ${c.remitterAccount} (${c.remitterIfsc}) is not an allowed remitter of the account` };
  }
  return null;
}

/** A fresh account number at the sandbox collection bank: the documented prefix and random digits. */
export function newAccountNumber(): string {
  return `${ECOLLECT_ACCOUNT_PREFIX}${randomChars('0123456789', ECOLLECT_ACCOUNT_DIGITS)}`;
}

export function vpaOf(accountNumber: string): string {
  return `ecol.${accountNumber}@${ECOLLECT_VPA_HANDLE}`;
}

/** The clearing account of the rail a credit came by: UPI credits clear through UPI, the rest through bank transfers. */
export function clearingAccount(mode: CreditMode): string {
  return mode === 'UPI' ? 'clearing:upi' : 'clearing:bank_transfer';
}
