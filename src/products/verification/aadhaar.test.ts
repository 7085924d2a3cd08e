import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAadhaar, normalizeAadhaar, verhoeffCheckDigit, verhoeffValid } from './aadhaar.js';

/** Aadhaar's Verhoeff digit (issue 20 part 8): computed digits validate; every single-digit change and adjacent transposition is caught. */
const body = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }))
  .map(([first, rest]) => `${first}${rest.join('')}`);
const aadhaar = body.map((b) => `${b}${verhoeffCheckDigit(b)}`);

describe('Aadhaar check digit (Verhoeff)', () => {
  it('validates the published example 2363 and the sandbox number', () => {
    expect(verhoeffCheckDigit('236')).toBe(3);
    expect(verhoeffValid('2363')).toBe(true);
    expect(normalizeAadhaar('2341 2341 2346')).toBe('234123412346');
  });

  it('validates the check digit computed for any body', () => {
    fc.assert(fc.property(aadhaar, (a) => verhoeffValid(a) && normalizeAadhaar(a) === a));
  });

  it('refuses every single-digit change', () => {
    fc.assert(
      fc.property(aadhaar, fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (a, i, delta) => {
        const changed = a.slice(0, i) + String((Number(a[i]) + delta) % 10) + a.slice(i + 1);
        expect(verhoeffValid(changed)).toBe(false);
      }),
    );
  });

  it('refuses every adjacent transposition of two different digits', () => {
    fc.assert(
      fc.property(aadhaar, fc.integer({ min: 0, max: 10 }), (a, i) => {
        fc.pre(a[i] !== a[i + 1]);
        const swapped = a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2);
        expect(verhoeffValid(swapped)).toBe(false);
      }),
    );
  });

  it('refuses the wrong shape without repeating the number, and masks all but the last four digits', () => {
    for (const bad of ['034123412346', '134123412346', '23412341234', '2341234123467', '23412341234A']) {
      expect(() => normalizeAadhaar(bad), bad).toThrow('Invalid field aadhaarNumber: must be 12 digits, the first not 0 or 1');
    }
    expect(() => normalizeAadhaar('234123412347')).toThrow(/^Invalid field aadhaarNumber: the check digit \(Verhoeff\) does not match$/);
    expect(maskAadhaar('234123412346')).toBe('XXXX XXXX 2346');
  });
});
