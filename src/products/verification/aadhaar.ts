import { RailInputError } from '../../rails/errors.js';

/**
 * Aadhaar numbers (issue 20 part 8): 12 digits, the first neither 0 nor 1, the last a Verhoeff
 * check digit. There is no e-KYC: a well-formed number is VALID. The number is never kept: only
 * `XXXX XXXX 1234` and a keyed hash leave this module's callers.
 */

// Verhoeff's dihedral group D5: multiplication, permutation and inverse tables.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** The Verhoeff check digit to append to `digits`. */
export function verhoeffCheckDigit(digits: string): number {
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) c = D[c]![P[(i + 1) % 8]![Number(digits[n - 1 - i])]!]!;
  return INV[c]!;
}

/** True when the last digit of `digits` is its Verhoeff check digit. */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) c = D[c]![P[i % 8]![Number(digits[n - 1 - i])]!]!;
  return c === 0;
}

export const AADHAAR_PATTERN = /^[2-9][0-9]{11}$/;

/** Spaces and hyphens removed; 12 digits not starting with 0 or 1; the Verhoeff digit. The message never repeats the number. */
export function normalizeAadhaar(raw: string): string {
  const aadhaar = raw.replace(/[\s-]/g, '');
  const bad = (why: string) => new RailInputError(`Invalid field aadhaarNumber: ${why}`, { param: 'aadhaarNumber' });
  if (!AADHAAR_PATTERN.test(aadhaar)) throw bad('must be 12 digits, the first not 0 or 1');
  if (!verhoeffValid(aadhaar)) throw bad('the check digit (Verhoeff) does not match');
  return aadhaar;
}

export function maskAadhaar(aadhaar: string): string {
  return `XXXX XXXX ${aadhaar.slice(-4)}`;
}
