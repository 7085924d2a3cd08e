import { defineError } from '../errors/app-error.js';

/**
 * Money inside Tijori is an integer number of minor units as a `bigint` (house style 2.7): paise
 * for INR, whole points for PTS. `bigint` makes `amount * 1.1` a compile error, so no float ever
 * touches an amount. Rupees exist only on the wire, and only this file converts between the two,
 * through strings, never through floating-point arithmetic.
 */
export type Currency = 'INR' | 'PTS';
export const CURRENCIES: readonly Currency[] = ['INR', 'PTS'];

/** Decimal places of the major unit on the wire: rupees have two (paise), points none. */
export const CURRENCY_EXPONENT: Readonly<Record<Currency, number>> = { INR: 2, PTS: 0 };

/**
 * The largest amount Tijori accepts, in minor units: 10^15 − 1 (₹9,999,999,999,999.99). A wire
 * amount is a JSON number, and an IEEE double keeps every decimal of at most 15 significant digits
 * exactly through parse and print; a larger amount could arrive altered by the client's JSON
 * library before we see it. It is far above any real payment.
 */
export const MAX_AMOUNT = 999_999_999_999_999n;

/** A wire amount Tijori cannot take as money; the message names the field. */
export const InvalidAmountError = defineError('invalid_request', 400, 'invalid_amount');

export type Rounding = 'floor' | 'ceil' | 'half-up' | 'half-even';

/** An amount with its currency, for code that handles more than one currency. */
export interface Money {
  readonly amount: bigint;
  readonly currency: Currency;
}

/**
 * JSON Schema of a rupee amount on the wire, for route schemas and the OpenAPI document. The
 * schema only bounds it; the handler parses it with `parseRupees` (ajv's `multipleOf` on floats
 * cannot tell 100.005 from 100.01 reliably), which refuses a third decimal.
 */
export const rupeesSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 9_999_999_999_999.99,
  description: 'Rupees with at most two decimals (100.50); a third decimal is refused',
  examples: [100.5],
} as const;

export interface ParseOptions {
  /** Field name for the error message and `param` (default "amount"). */
  field?: string;
  /** Accept a negative amount (default false: amounts on the wire are magnitudes). */
  allowNegative?: boolean;
  /** Accept zero (default false). */
  allowZero?: boolean;
}

/** A programmer error in money code: a broken precondition, not bad input. It becomes a 500. */
export class MoneyInvariantError extends Error {}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new MoneyInvariantError(message);
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Whether `text` is a plain decimal (`100`, `100.50`, `-3`): the only text a number field takes.
 * Not `0x10`, `0o17`, `0b11`, `1e3`, `Infinity`, `""` or padded text, which JavaScript's
 * `Number()` (and so schema coercion) would read as numbers. The edge's type guard
 * (core/http/strict-types.ts) asks this of every string sent for a number, amounts included;
 * `parseAmount` then reads an amount's digits.
 */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/**
 * Parses a wire amount of `currency` into minor units. Accepts a JSON number or a decimal string
 * (`"100.50"`); refuses NaN, infinities, exponent notation that hides sub-unit digits, more
 * decimals than the currency has (a third decimal of rupees is an error even when it is zero in a
 * string: `"100.000"`), negatives and zero unless allowed, and magnitudes above MAX_AMOUNT.
 *
 * A JSON number is read through its shortest round-trip text (`String(n)`), which is exactly what
 * the client wrote for every amount within MAX_AMOUNT; `100.000` in a JSON body has already become
 * the number 100 when the parser hands it over, so it is accepted as ₹100.00 (documented in
 * docs/ledger.md). `100.005` stays `100.005` and is refused.
 */
export function parseAmount(value: unknown, currency: Currency, options: ParseOptions = {}): bigint {
  const field = options.field ?? 'amount';
  const exponent = CURRENCY_EXPONENT[currency];
  const unit = currency === 'INR' ? 'rupees with at most two decimals' : 'a whole number of points';
  const fail = (why: string): never => {
    throw new InvalidAmountError(`Invalid field ${field}: ${why}`, { param: field });
  };
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('must be a finite number');
    text = String(value);
    // 1e21 and 1e-7 print in exponent form: both are out of range or below one paisa.
    if (/e/i.test(text)) fail(Math.abs(value) >= 1 ? 'is too large' : `must be ${unit}`);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return fail(`must be ${unit}`);
  }
  const match = DECIMAL.exec(text);
  if (!match) return fail(`must be ${unit}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) fail(`must be ${unit}`);
  // Leading zeros are harmless in value but would let a huge digit string through the length cap.
  const digits = (whole!.replace(/^0+(?=\d)/, '') + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) fail('is too large');
  let minor = BigInt(digits);
  if (sign === '-' && minor !== 0n) minor = -minor;
  if (minor > MAX_AMOUNT || -minor > MAX_AMOUNT) fail('is too large');
  if (minor < 0n && !options.allowNegative) fail('must not be negative');
  if (minor === 0n && !options.allowZero) fail('must be greater than zero');
  return minor;
}

/** `parseAmount(value, 'INR', options)`: rupees on the wire to paise. */
export function parseRupees(value: number | string, options: ParseOptions = {}): bigint {
  return parseAmount(value, 'INR', options);
}

/**
 * Minor units to the wire number: rupees with two decimals for INR (`10050n` → `100.5`, which
 * JSON prints as 100.5; the value is exact), whole points for PTS. Built from the decimal string,
 * so the number is the double closest to the exact decimal, and within MAX_AMOUNT it prints back
 * to the same digits.
 */
export function formatAmount(minor: bigint, currency: Currency): number {
  invariant(minor <= MAX_AMOUNT && -minor <= MAX_AMOUNT, `amount ${minor} is outside the wire range`);
  return Number(formatAmountString(minor, currency));
}

/** `formatAmount(paise, 'INR')`. */
export function formatRupees(paise: bigint): number {
  return formatAmount(paise, 'INR');
}

/** Minor units as a decimal string with exactly the currency's decimals: `10050n` → `"100.50"`. */
export function formatAmountString(minor: bigint, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** Sum of amounts of one currency; mixing currencies is a bug. */
export function addMoney(a: Money, b: Money): Money {
  invariant(a.currency === b.currency, `cannot add ${a.currency} and ${b.currency}`);
  return { amount: a.amount + b.amount, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  invariant(a.currency === b.currency, `cannot subtract ${b.currency} from ${a.currency}`);
  return { amount: a.amount - b.amount, currency: a.currency };
}

/** -1, 0 or 1; comparing across currencies is a bug. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  invariant(a.currency === b.currency, `cannot compare ${a.currency} with ${b.currency}`);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

/** `numerator / denominator` rounded as asked; the denominator must be positive. */
export function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  invariant(denominator > 0n, 'division by a non-positive denominator');
  // BigInt division truncates toward zero; derive floor first, then adjust.
  let quotient = numerator / denominator;
  let remainder = numerator % denominator;
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += denominator;
  }
  if (remainder === 0n) return quotient;
  switch (rounding) {
    case 'floor':
      return quotient;
    case 'ceil':
      return quotient + 1n;
    case 'half-up':
      return remainder * 2n >= denominator ? quotient + 1n : quotient;
    case 'half-even': {
      const twice = remainder * 2n;
      if (twice > denominator) return quotient + 1n;
      if (twice < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : quotient + 1n;
    }
  }
}

/** `amount × numerator / denominator`, rounded as asked (fees, prorations). */
export function multiplyRatio(amount: bigint, numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  return divide(amount * numerator, denominator, rounding);
}

/** `amount × basisPoints / 10 000` (290 bps = 2.90 %), rounded as asked: `percentage(capture, 290n, 'half-even')`. */
export function percentage(amount: bigint, basisPoints: bigint, rounding: Rounding): bigint {
  invariant(basisPoints >= 0n, 'basis points must not be negative');
  return divide(amount * basisPoints, 10_000n, rounding);
}

/**
 * Splits `total` in proportion to `weights` without losing a minor unit: each share is rounded
 * down, and the units left over go one each to the first shares, in order, so the split is
 * deterministic and `sum(shares) === total` always. Weights are non-negative with a positive sum;
 * a zero weight gets zero unless the remainder reaches it (it never does: the remainder is smaller
 * than the number of positive weights, and it goes to the first positive weights).
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  invariant(total >= 0n, 'allocate takes a non-negative total');
  invariant(weights.length > 0, 'allocate needs at least one weight');
  invariant(
    weights.every((w) => w >= 0n),
    'weights must not be negative',
  );
  const sum = weights.reduce((a, b) => a + b, 0n);
  invariant(sum > 0n, 'weights must not all be zero');
  const shares = weights.map((w) => (total * w) / sum);
  let left = total - shares.reduce((a, b) => a + b, 0n);
  for (let i = 0; left > 0n; i = (i + 1) % shares.length) {
    if (weights[i]! === 0n) continue;
    shares[i] = shares[i]! + 1n;
    left -= 1n;
  }
  return shares;
}

/** Paise as customers read them on a page or in a message: `₹1,49,999.00` (Indian digit grouping, two decimals). */
export function formatInr(paise: bigint): string {
  // From the exact decimal string, not a float: the whole rupees are grouped as a bigint.
  const [whole, fraction] = formatAmountString(paise < 0n ? -paise : paise, 'INR').split('.');
  return `₹${paise < 0n ? '-' : ''}${BigInt(whole!).toLocaleString('en-IN')}.${fraction}`;
}
