import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allRbiIfscs, IFSC_DATA_VERSION, isRbiIfsc, rbiIfsc } from './ifsc-data.js';
import { IFSC_PATTERN } from './rules.js';

const codes = [...allRbiIfscs()];
const listed = new Set(codes);
const LETTER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${LETTER}0123456789`;

describe("RBI's IFSC directory (the ifsc package, issue 20 part 6)", () => {
  it('names its version', () => {
    expect(IFSC_DATA_VERSION).toBe('ifsc@2.0.50');
  });

  it('holds the whole list, and every code of it is well formed and found', () => {
    expect(codes.length).toBeGreaterThan(170_000);
    for (const code of codes) {
      if (!IFSC_PATTERN.test(code) || !isRbiIfsc(code)) expect.fail(`${code} of the list is not found`);
    }
  });

  it('finds no well-formed code outside the list', () => {
    const code = fc
      .tuple(
        fc.oneof(fc.constantFrom(...new Set(codes.map((c) => c.slice(0, 4)))), fc.stringMatching(/^[A-Z]{4}$/)),
        fc.oneof(fc.stringMatching(/^[0-9]{6}$/), fc.stringMatching(/^[A-Z0-9]{6}$/)),
      )
      .map(([bank, branch]) => `${bank}0${branch}`);
    fc.assert(
      fc.property(code, (c) => {
        expect(isRbiIfsc(c)).toBe(listed.has(c));
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses every single-character change that leaves the list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: codes.length - 1 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 35 }), (n, i, delta) => {
        const code = codes[n]!;
        if (i === 4) return;
        const alphabet = i < 4 ? LETTER : ALNUM;
        const changed = code.slice(0, i) + alphabet[(alphabet.indexOf(code[i]!) + delta) % alphabet.length] + code.slice(i + 1);
        expect(isRbiIfsc(changed)).toBe(listed.has(changed));
      }),
      { numRuns: 5_000 },
    );
  });

  it('answers the bank of a code, and the member bank of a sublet', () => {
    expect(rbiIfsc('ABHY0065001')).toEqual({
      ifsc: 'ABHY0065001',
      subletOf: null,
      micr: '400065001',
      bank: {
        code: 'ABHY',
        name: 'Abhyudaya Co-operative Bank',
        iin: '607261',
        type: 'S-UCB',
        upi: true,
        achCredit: true,
        achDebit: true,
        apbs: true,
        nachDebit: false,
      },
    });
    expect(rbiIfsc('ABHY0065002')).toMatchObject({ micr: null, bank: { code: 'ABHY' } });
    expect(rbiIfsc('APBL0001001')).toMatchObject({ subletOf: 'APBL', bank: { code: 'TSDX', name: 'District Co-operative Central Bank Srikakul' } });
    expect(rbiIfsc('ABHY0999998')).toBeNull();
  });
});
