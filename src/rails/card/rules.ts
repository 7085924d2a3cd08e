import { istParts } from '../ist.js';
import { RailInputError } from '../errors.js';

export type CardNetwork = 'VISA' | 'MASTERCARD' | 'RUPAY' | 'AMEX' | 'DINERS';
/** EnKash's card types (reference §2.4, `/api/v0/bin/details` → cardType). */
export type CardType = 'CREDIT' | 'DEBIT' | 'PREPAID' | 'CORPORATE';

export interface BinInfo {
  bin: string;
  network: CardNetwork;
  cardType: CardType;
  issuer: string;
  /** The issuer's bank code (IFSC prefix), EnKash's `pgCode`. */
  bankCode: string;
}

/**
 * The sandbox BIN table: the BINs of the test cards, with the issuing banks they simulate. The
 * issuers are sandbox assignments, not the real owners of these BINs.
 */
export const BIN_TABLE: readonly BinInfo[] = [
  { bin: '411111', network: 'VISA', cardType: 'CREDIT', issuer: 'HDFC Bank', bankCode: 'HDFC' },
  { bin: '400000', network: 'VISA', cardType: 'CREDIT', issuer: 'Axis Bank', bankCode: 'UTIB' },
  { bin: '455701', network: 'VISA', cardType: 'CORPORATE', issuer: 'Yes Bank', bankCode: 'YESB' },
  { bin: '555555', network: 'MASTERCARD', cardType: 'CREDIT', issuer: 'ICICI Bank', bankCode: 'ICIC' },
  { bin: '510510', network: 'MASTERCARD', cardType: 'DEBIT', issuer: 'Kotak Mahindra Bank', bankCode: 'KKBK' },
  { bin: '522222', network: 'MASTERCARD', cardType: 'PREPAID', issuer: 'IndusInd Bank', bankCode: 'INDB' },
  { bin: '652155', network: 'RUPAY', cardType: 'DEBIT', issuer: 'State Bank of India', bankCode: 'SBIN' },
  { bin: '652200', network: 'RUPAY', cardType: 'CREDIT', issuer: 'Punjab National Bank', bankCode: 'PUNB' },
  { bin: '607100', network: 'RUPAY', cardType: 'PREPAID', issuer: 'Bank of Baroda', bankCode: 'BARB' },
  { bin: '378282', network: 'AMEX', cardType: 'CREDIT', issuer: 'American Express Banking Corp', bankCode: 'AMEX' },
  { bin: '362272', network: 'DINERS', cardType: 'CREDIT', issuer: 'HDFC Bank', bankCode: 'HDFC' },
];

/** The Luhn (mod 10) check of ISO/IEC 7812-1. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The network from the IIN ranges the schemes publish, for a card outside the BIN table. */
export function networkOf(digits: string): CardNetwork | undefined {
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (p2 === 34 || p2 === 37) return 'AMEX';
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) return 'DINERS';
  // RuPay: 60, 65, 81, 82 and 508 (NPCI); checked before Visa/Mastercard, whose ranges do not overlap these.
  if (p2 === 60 || p2 === 65 || p2 === 81 || p2 === 82 || p3 === 508) return 'RUPAY';
  if (digits.startsWith('4')) return 'VISA';
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return 'MASTERCARD';
  return undefined;
}

/** BIN details for a card number or a BIN prefix of at least 6 digits. */
export function binDetails(prefix: string): BinInfo | undefined {
  const digits = prefix.replace(/[\s-]/g, '');
  if (!/^\d{6,19}$/.test(digits)) return undefined;
  const known = BIN_TABLE.find((b) => digits.startsWith(b.bin));
  if (known) return known;
  const network = networkOf(digits);
  return network && { bin: digits.slice(0, 6), network, cardType: 'CREDIT', issuer: 'Unknown issuer', bankCode: 'UNKN' };
}

/** A card's number without spaces or dashes, checked for length (12–19) and Luhn. @throws invalid_rail_input */
export function normalizeCardNumber(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '');
  // The message never repeats the number: a PAN must not reach a log line or a response.
  if (!/^\d{12,19}$/.test(digits)) throw new RailInputError('Invalid field cardNumber: must be 12 to 19 digits', { param: 'cardNumber' });
  if (!luhnValid(digits)) throw new RailInputError('Invalid field cardNumber: fails the Luhn check', { param: 'cardNumber' });
  return digits;
}

/** Parses `MM/YY`. @throws invalid_rail_input */
export function parseExpiry(raw: string): { month: number; year: number } {
  const m = /^(\d{2})\/(\d{2})$/.exec(raw.trim());
  const month = m ? Number(m[1]) : 0;
  if (!m || month < 1 || month > 12) throw new RailInputError('Invalid field expiry: must be MM/YY', { param: 'expiry' });
  return { month, year: 2000 + Number(m[2]) };
}

/** A card is valid through the last day of its expiry month, in IST. */
export function isExpired(expiry: { month: number; year: number }, now: Date): boolean {
  const { year, month } = istParts(now);
  return expiry.year < year || (expiry.year === year && expiry.month < month);
}

/** Three digits, four on American Express. @throws invalid_rail_input */
export function checkCvv(cvv: string, network: CardNetwork): void {
  const length = network === 'AMEX' ? 4 : 3;
  if (!new RegExp(`^\\d{${length}}$`).test(cvv)) {
    throw new RailInputError(`Invalid field cvv: must be ${length} digits for ${network}`, { param: 'cvv' });
  }
}
