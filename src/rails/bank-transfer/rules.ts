import { istParts } from '../ist.js';
import { randomDigits } from '../plan-runner.js';

export type TransferMode = 'IMPS' | 'NEFT' | 'RTGS' | 'UPI';
export const TRANSFER_MODES: readonly TransferMode[] = ['IMPS', 'NEFT', 'RTGS', 'UPI'];

/** Per-mode amount limits in paise; the defaults are the rails' published limits. */
export interface TransferLimits {
  /** IMPS: up to ₹5,00,000 per transfer (NPCI). */
  impsMaxPaise: bigint;
  /** UPI: up to ₹1,00,000 per transfer (NPCI's general limit). */
  upiMaxPaise: bigint;
  /** RTGS: at least ₹2,00,000 (RBI). */
  rtgsMinPaise: bigint;
}

export const DEFAULT_LIMITS: TransferLimits = {
  impsMaxPaise: 5_00_000_00n,
  upiMaxPaise: 1_00_000_00n,
  rtgsMinPaise: 2_00_000_00n,
};

/** NEFT settles in half-hourly batches, round the clock, every day (RBI, since 16 December 2019). */
export const NEFT_BATCH_MS = 30 * 60_000;

/**
 * The NEFT batch that carries a transfer submitted at `at`: the next half-hour boundary strictly
 * after it (a transfer submitted exactly at a boundary misses that batch). IST is UTC+05:30, so the
 * IST half-hours are the UTC ones.
 */
export function nextNeftBatch(at: Date): Date {
  return new Date((Math.floor(at.getTime() / NEFT_BATCH_MS) + 1) * NEFT_BATCH_MS);
}

/** The first NEFT batch at or after `at`. */
export function neftBatchAtOrAfter(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / NEFT_BATCH_MS) * NEFT_BATCH_MS);
}

/** EnKash's payout reject codes (reference §3, CONFIRMED) that a rail can decide. */
export type RejectCode = 'REJECT_TRF_AMT' | 'REJECT_TRF_MODE' | 'REJECT_BENEF_ACC' | 'REJECT_BENEF_IFSC';

/** The amount check of a mode; undefined when the amount is allowed. */
export function amountRejection(mode: TransferMode, amountPaise: bigint, limits: TransferLimits): string | undefined {
  if (amountPaise < 100n) return 'the amount must be at least ₹1.00';
  if (mode === 'IMPS' && amountPaise > limits.impsMaxPaise) return `IMPS allows at most ₹${rupees(limits.impsMaxPaise)}`;
  if (mode === 'UPI' && amountPaise > limits.upiMaxPaise) return `UPI allows at most ₹${rupees(limits.upiMaxPaise)}`;
  if (mode === 'RTGS' && amountPaise < limits.rtgsMinPaise) return `RTGS needs at least ₹${rupees(limits.rtgsMinPaise)}`;
  return undefined;
}

/** Whole rupees with Indian digit grouping: 500000 → "5,00,000.00". */
export function rupees(paise: bigint): string {
  const whole = (paise / 100n).toString();
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, ',');
  return `${rest ? `${rest},` : ''}${last3}.${(paise % 100n).toString().padStart(2, '0')}`;
}

/** Beneficiary account numbers: 9 to 18 digits (EnKash accepts 9–36 characters; Indian banks use up to 18 digits). */
export const ACCOUNT_NUMBER_PATTERN = /^[0-9]{9,18}$/;

/**
 * A UTR in the shape of each rail (its bank code is the remitter's IFSC prefix):
 * - NEFT: 16 characters, bank code, `N`, last digit of the year and day of year (IST), 7 digits;
 * - RTGS: 22 characters, bank code, `RC`, the IST date `yyyymmdd`, 8 digits;
 * - IMPS and UPI: the 12-digit RRN, last digit of the year, day of year, hour (IST), 6 digits.
 * The digits are random: a UTR identifies, it never decides an outcome.
 */
export function generateUtr(mode: TransferMode, at: Date, bankCode: string): string {
  const p = istParts(at);
  const doy = String(p.dayOfYear).padStart(3, '0');
  switch (mode) {
    case 'NEFT':
      return `${bankCode}N${p.year % 10}${doy}${randomDigits(7)}`;
    case 'RTGS':
      return `${bankCode}RC${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}${randomDigits(8)}`;
    case 'IMPS':
    case 'UPI':
      return `${p.year % 10}${doy}${String(p.hour).padStart(2, '0')}${randomDigits(6)}`;
  }
}
