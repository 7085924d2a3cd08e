import { randomChars } from '../../../core/ids/ids.js';
import { IST_OFFSET_MS } from '../../../rails/ist.js';

/** Mandate statuses (reference §2.9): CREATED → ACTIVE | REJECTED | EXPIRED, then PAUSED | REVOKED | COMPLETED. */
export const MANDATE_STATUSES = ['CREATED', 'ACTIVE', 'REJECTED', 'EXPIRED', 'PAUSED', 'REVOKED', 'COMPLETED'] as const;
export type MandateStatus = (typeof MANDATE_STATUSES)[number];
export const AMOUNT_RULES = ['EXACT', 'MAX'] as const;
export type AmountRule = (typeof AMOUNT_RULES)[number];
/** NPCI UPI Autopay recurrence patterns. ASPRESENTED has no fixed cycle. */
export const RECURRENCE_PERIODS = ['DAILY', 'WEEKLY', 'FORTNIGHTLY', 'MONTHLY', 'BIMONTHLY', 'QUARTERLY', 'HALFYEARLY', 'YEARLY', 'ASPRESENTED'] as const;
export type RecurrencePeriod = (typeof RECURRENCE_PERIODS)[number];
export const RECURRENCE_RULES = ['ON', 'BEFORE', 'AFTER'] as const;
export type RecurrenceRule = (typeof RECURRENCE_RULES)[number];
export type DebitStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

/** NPCI: recurring debits up to ₹15,000 need no additional factor of authentication (AFA). */
export const NO_AFA_LIMIT_PAISE = 15_000_00n;
/** NPCI's ceiling on a UPI Autopay mandate amount (₹1,00,000, for the categories allowed it). */
export const MAX_MANDATE_PAISE = 1_00_000_00n;
/** NPCI: the pre-debit notification reaches the payer at least 24 hours before the debit. */
export const PRE_DEBIT_NOTICE_MS = 24 * 3600_000;
/** The PSP handle of the sandbox's Unique Mandate Numbers. */
export const UMN_PSP = 'enkash';

export interface Mandate {
  id: string;
  companyId: string;
  referenceId: string;
  umn: string | null;
  status: MandateStatus;
  amountPaise: bigint;
  amountRule: AmountRule;
  mandateName: string;
  description: string | null;
  payerName: string | null;
  payerVpa: string;
  payerAccount: string | null;
  payerAccountValidation: boolean;
  payeeVpa: string;
  payeeName: string;
  payeeMcc: string;
  blockFund: boolean;
  revokeableByPayer: boolean;
  recurrencePeriod: RecurrencePeriod;
  recurrenceRule: RecurrenceRule | null;
  recurrenceValue: number | null;
  validityStartAt: Date;
  validityEndAt: Date;
  expireAt: Date;
  pauseStartAt: Date | null;
  pauseEndAt: Date | null;
  upiReferenceUrl: string | null;
  notifyUrl: string | null;
  reasonCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MandateNotification {
  id: string;
  companyId: string;
  mandateId: string;
  cycle: number;
  amountPaise: bigint;
  executionAt: Date;
  message: string;
  sentAt: Date;
}

export interface MandateDebit {
  id: string;
  companyId: string;
  mandateId: string;
  notificationId: string;
  cycle: number;
  referenceId: string;
  amountPaise: bigint;
  status: DebitStatus;
  orderId: string | null;
  transactionId: string | null;
  bankTransactionId: string | null;
  reasonCode: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export function mandateId(prefix: 'MND' | 'MDN' | 'MDB', at: Date): string {
  return `${prefix}${at.getTime()}${randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 5)}`;
}

/** The sandbox UMN: the mandate id, lower-cased, at the PSP handle (NPCI: `<id>@<psp>`). */
export function umnOf(id: string): string {
  return `${id.toLowerCase()}@${UMN_PSP}`;
}

const DAY_MS = 86_400_000;
const DAYS: Partial<Record<RecurrencePeriod, number>> = { DAILY: 1, WEEKLY: 7, FORTNIGHTLY: 14 };
const MONTHS: Partial<Record<RecurrencePeriod, number>> = { MONTHLY: 1, BIMONTHLY: 2, QUARTERLY: 3, HALFYEARLY: 6, YEARLY: 12 };

/** Adds calendar months in IST, keeping the time of day; a day past the month's end becomes its last day. */
function addMonthsIst(at: Date, months: number): Date {
  const ist = new Date(at.getTime() + IST_OFFSET_MS);
  const y = ist.getUTCFullYear();
  const m = ist.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const shifted = Date.UTC(y, m, Math.min(ist.getUTCDate(), last), ist.getUTCHours(), ist.getUTCMinutes(), ist.getUTCSeconds(), ist.getUTCMilliseconds());
  return new Date(shifted - IST_OFFSET_MS);
}

/** The start of recurrence cycle `k` (0 = the first, from validity.startAt). */
export function cycleStart(m: Pick<Mandate, 'recurrencePeriod' | 'validityStartAt'>, k: number): Date {
  const days = DAYS[m.recurrencePeriod];
  if (days !== undefined) return new Date(m.validityStartAt.getTime() + k * days * DAY_MS);
  return addMonthsIst(m.validityStartAt, k * (MONTHS[m.recurrencePeriod] ?? 1));
}

/** The cycle an instant falls in, or null before validity.startAt or for ASPRESENTED (no cycles). */
export function cycleOf(m: Pick<Mandate, 'recurrencePeriod' | 'validityStartAt'>, at: Date): number | null {
  if (m.recurrencePeriod === 'ASPRESENTED' || at < m.validityStartAt) return null;
  const days = DAYS[m.recurrencePeriod];
  if (days !== undefined) return Math.floor((at.getTime() - m.validityStartAt.getTime()) / (days * DAY_MS));
  let k = Math.max(0, Math.floor((at.getTime() - m.validityStartAt.getTime()) / (31 * DAY_MS * (MONTHS[m.recurrencePeriod] ?? 1))));
  while (cycleStart(m, k + 1) <= at) k++;
  return k;
}

/** Which rule values a period takes: day of week (1 = Monday … 7) or day of month (1 … 31); none for DAILY and ASPRESENTED. */
export function ruleValueRange(period: RecurrencePeriod): [number, number] | null {
  if (period === 'DAILY' || period === 'ASPRESENTED') return null;
  return DAYS[period] !== undefined ? [1, 7] : [1, 31];
}

/**
 * Whether the recurrence rule lets a debit happen on the IST day of `at`: ON the day `value`,
 * BEFORE (on or before it) or AFTER (on or after it); a day of month past the month's end is its
 * last day. No rule: any day of the cycle.
 */
export function ruleAllows(m: Pick<Mandate, 'recurrencePeriod' | 'recurrenceRule' | 'recurrenceValue'>, at: Date): boolean {
  if (m.recurrenceRule === null || m.recurrenceValue === null || ruleValueRange(m.recurrencePeriod) === null) return true;
  const ist = new Date(at.getTime() + IST_OFFSET_MS);
  let day: number;
  let value = m.recurrenceValue;
  if (DAYS[m.recurrencePeriod] !== undefined) {
    day = ((ist.getUTCDay() + 6) % 7) + 1;
  } else {
    day = ist.getUTCDate();
    value = Math.min(value, new Date(Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth() + 1, 0)).getUTCDate());
  }
  if (m.recurrenceRule === 'ON') return day === value;
  return m.recurrenceRule === 'BEFORE' ? day <= value : day >= value;
}

/** The start (00:00 IST) of the IST day of `at`. */
export function istDayStart(at: Date): Date {
  const ist = at.getTime() + IST_OFFSET_MS;
  return new Date(ist - (((ist % DAY_MS) + DAY_MS) % DAY_MS) - IST_OFFSET_MS);
}

/** Whether the mandate is paused at `at` (its pause period, inclusive of the start, exclusive of the end). */
export function isPausedAt(m: Pick<Mandate, 'pauseStartAt' | 'pauseEndAt'>, at: Date): boolean {
  return m.pauseStartAt !== null && m.pauseEndAt !== null && at >= m.pauseStartAt && at < m.pauseEndAt;
}

/**
 * Why a debit of `amountPaise` is refused by the amount rules, or null: EXACT takes the mandate
 * amount only, MAX up to it; above the mandate amount or NPCI's ₹15,000 no-AFA limit the payer
 * would have to authenticate, which a recurring debit cannot ask for.
 */
export function amountProblem(m: Pick<Mandate, 'amountPaise' | 'amountRule'>, amountPaise: bigint): { code: 'mismatch' | 'afa'; message: string } | null {
  if (amountPaise > m.amountPaise || amountPaise > NO_AFA_LIMIT_PAISE) {
    return {
      code: 'afa',
      message:
        amountPaise > m.amountPaise
          ? 'the amount is above the mandate limit'
          : 'the amount is above ₹15,000, the limit of a debit without additional authentication',
    };
  }
  if (m.amountRule === 'EXACT' && amountPaise !== m.amountPaise) return { code: 'mismatch', message: 'an EXACT mandate is debited its amount only' };
  return null;
}
