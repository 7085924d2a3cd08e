import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors/app-error.js';
import {
  addMoney,
  allocate,
  compareMoney,
  subtractMoney,
  divide,
  formatAmount,
  formatAmountString,
  formatInr,
  formatRupees,
  InvalidAmountError,
  MAX_AMOUNT,
  MoneyInvariantError,
  parseAmount,
  parseRupees,
  percentage,
} from './money.js';

// PAY-13: amounts are integer minor units; every non-integer, unsafe or negative input is refused
// with a 4xx error, and arithmetic never loses a minor unit.

const paise = fc.bigInt({ min: 1n, max: MAX_AMOUNT });

function refused(value: unknown, options = {}): AppError {
  try {
    parseRupees(value as number, options);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidAmountError);
    expect((err as AppError).status).toBe(400);
    return err as AppError;
  }
  throw new Error(`${String(value)} was accepted`);
}

describe('parseRupees', () => {
  it('reads rupees with up to two decimals as paise', () => {
    expect(parseRupees(100)).toBe(10_000n);
    expect(parseRupees(100.5)).toBe(10_050n);
    expect(parseRupees(0.01)).toBe(1n);
    expect(parseRupees(1234.56)).toBe(123_456n);
    expect(parseRupees('100.50')).toBe(10_050n);
    expect(parseRupees('007.10')).toBe(710n);
    expect(parseRupees(9_999_999_999_999.99)).toBe(MAX_AMOUNT);
  });

  it('refuses a third decimal, also a zero one in a string; the JSON number 100.000 is already 100', () => {
    expect(refused(100.005).message).toBe('Invalid field amount: must be rupees with at most two decimals');
    refused('100.000');
    refused(0.001);
    expect(parseRupees(JSON.parse('{"a":100.000}').a)).toBe(10_000n);
  });

  it('refuses NaN, infinities, exponents, junk, and names the field', () => {
    for (const bad of [NaN, Infinity, -Infinity, 1e21, 1e-7, '1e3', '', ' ', 'abc', '1,000', '+1', '.5', '5.', null, undefined, true, {}, [], 10n])
      refused(bad);
    const err = refused('x', { field: 'payout.amount' });
    expect(err.param).toBe('payout.amount');
    expect(err.message).toContain('payout.amount');
  });

  it('refuses negatives and zero unless asked, and magnitudes above the wire range', () => {
    expect(refused(-1).message).toContain('must not be negative');
    expect(refused(0).message).toContain('greater than zero');
    expect(parseRupees(-1.5, { allowNegative: true })).toBe(-150n);
    expect(parseRupees(0, { allowZero: true })).toBe(0n);
    expect(refused(10_000_000_000_000).message).toContain('too large');
    expect(refused(Number.MAX_SAFE_INTEGER).message).toContain('too large');
    refused('99999999999999999999999');
    refused(`${'0'.repeat(40)}1`.slice(0, 20) + '9'.repeat(20));
  });

  it('property: every float with a sub-paisa part is refused', () => {
    fc.assert(
      fc.property(fc.double({ min: -9e12, max: 9e12, noNaN: true }), (x) => {
        const text = String(x);
        const decimals = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
        if (decimals > 2 || /e/.test(text) || x <= 0) expect(() => parseRupees(x)).toThrow(InvalidAmountError);
        else expect(parseRupees(x) > 0n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any paise amount survives wire and back exactly (number and string forms)', () => {
    fc.assert(
      fc.property(paise, (p) => {
        expect(parseRupees(formatRupees(p))).toBe(p);
        expect(parseRupees(formatAmountString(p, 'INR'))).toBe(p);
        expect(parseRupees(JSON.parse(JSON.stringify({ a: formatRupees(p) })).a)).toBe(p);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('formatAmount', () => {
  it('writes rupees with two decimals and points as integers', () => {
    expect(formatAmountString(10_050n, 'INR')).toBe('100.50');
    expect(formatAmountString(5n, 'INR')).toBe('0.05');
    expect(formatAmountString(-5n, 'INR')).toBe('-0.05');
    expect(formatRupees(10_050n)).toBe(100.5);
    expect(formatAmount(250n, 'PTS')).toBe(250);
    expect(parseAmount(250, 'PTS')).toBe(250n);
    expect(() => parseAmount(2.5, 'PTS')).toThrow(InvalidAmountError);
    expect(() => formatRupees(MAX_AMOUNT + 1n)).toThrow(MoneyInvariantError);
  });
});

describe('divide, percentage', () => {
  it('rounds exactly as asked', () => {
    expect(divide(5n, 2n, 'floor')).toBe(2n);
    expect(divide(5n, 2n, 'ceil')).toBe(3n);
    expect(divide(5n, 2n, 'half-up')).toBe(3n);
    expect(divide(5n, 2n, 'half-even')).toBe(2n);
    expect(divide(7n, 2n, 'half-even')).toBe(4n);
    expect(divide(-5n, 2n, 'floor')).toBe(-3n);
    expect(divide(-5n, 2n, 'ceil')).toBe(-2n);
    expect(divide(6n, 3n, 'ceil')).toBe(2n);
    // 2.90 % of ₹1,234.57 = 3580.253 paise.
    expect(percentage(123_457n, 290n, 'half-even')).toBe(3_580n);
    expect(percentage(123_457n, 290n, 'ceil')).toBe(3_581n);
    expect(() => divide(1n, 0n, 'floor')).toThrow(MoneyInvariantError);
  });

  it('property: floor ≤ exact ≤ ceil, within one unit, and half-* pick the nearer', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const lo = divide(n, d, 'floor');
        const hi = divide(n, d, 'ceil');
        expect(lo * d <= n && n <= hi * d).toBe(true);
        expect(hi - lo <= 1n).toBe(true);
        for (const mode of ['half-up', 'half-even'] as const) {
          const r = divide(n, d, mode);
          const distance = (r * d - n < 0n ? n - r * d : r * d - n) * 2n;
          expect(distance <= d).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('allocate', () => {
  it('gives the remainder to the first shares', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocate(5n, [0n, 1n, 1n])).toEqual([0n, 3n, 2n]);
    expect(allocate(0n, [3n, 7n])).toEqual([0n, 0n]);
    expect(() => allocate(10n, [0n, 0n])).toThrow(MoneyInvariantError);
    expect(() => allocate(-1n, [1n])).toThrow(MoneyInvariantError);
  });

  it('property: never loses or invents a paisa, and each share is within one of its exact part', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_AMOUNT }),
        fc.array(fc.bigInt({ min: 0n, max: 10_000n }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const shares = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
          shares.forEach((s, i) => {
            const exact = (total * weights[i]!) / sum;
            expect(s === exact || s === exact + 1n).toBe(true);
            if (weights[i] === 0n) expect(s).toBe(0n);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: a sum over a million random postings is exact', () => {
    let total = 0n;
    let check = 0n;
    const rng = fc.sample(paise, 1_000_000);
    for (const p of rng) total += parseRupees(formatAmountString(p, 'INR'));
    for (const p of rng) check += p;
    expect(total).toBe(check);
  });
});

describe('Money', () => {
  it('adds, subtracts and compares within one currency and refuses to mix them', () => {
    const inr = (amount: bigint) => ({ amount, currency: 'INR' as const });
    expect(addMoney(inr(150n), inr(50n))).toEqual(inr(200n));
    expect(subtractMoney(inr(150n), inr(200n))).toEqual(inr(-50n));
    expect(compareMoney(inr(1n), inr(2n))).toBe(-1);
    expect(compareMoney(inr(2n), inr(2n))).toBe(0);
    expect(compareMoney(inr(3n), inr(2n))).toBe(1);
    const pts = { amount: 1n, currency: 'PTS' as const };
    expect(() => addMoney(inr(1n), pts)).toThrow(MoneyInvariantError);
    expect(() => subtractMoney(inr(1n), pts)).toThrow(MoneyInvariantError);
    expect(() => compareMoney(inr(1n), pts)).toThrow(MoneyInvariantError);
  });
});

describe('formatInr', () => {
  it('groups digits the Indian way with two decimals, as customers read amounts', () => {
    expect(formatInr(14999900n)).toBe('₹1,49,999.00');
    expect(formatInr(25050n)).toBe('₹250.50');
    expect(formatInr(5n)).toBe('₹0.05');
  });
});
