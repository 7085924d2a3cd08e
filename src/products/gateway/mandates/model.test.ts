import { describe, expect, it } from 'vitest';
import { amountProblem, cycleOf, cycleStart, isPausedAt, istDayStart, ruleAllows, umnOf } from './model.js';

const ist = (y: number, m: number, d: number, h = 0) => new Date(Date.UTC(y, m - 1, d, h) - 330 * 60_000);

describe('mandate cycles and rules (ADR 0024)', () => {
  it('counts monthly cycles in IST calendar months, clamping to the month end', () => {
    const m = { recurrencePeriod: 'MONTHLY' as const, validityStartAt: ist(2026, 1, 31) };
    expect(cycleStart(m, 1)).toEqual(ist(2026, 2, 28));
    expect(cycleStart(m, 2)).toEqual(ist(2026, 3, 31));
    expect(cycleOf(m, ist(2026, 1, 30))).toBeNull();
    expect(cycleOf(m, ist(2026, 2, 27, 23))).toBe(0);
    expect(cycleOf(m, ist(2026, 2, 28))).toBe(1);
    expect(cycleOf(m, ist(2027, 1, 31))).toBe(12);
    expect(cycleOf({ recurrencePeriod: 'QUARTERLY', validityStartAt: ist(2026, 1, 1) }, ist(2026, 7, 1))).toBe(2);
  });

  it('counts fixed-length cycles, and none for ASPRESENTED', () => {
    expect(cycleOf({ recurrencePeriod: 'WEEKLY', validityStartAt: ist(2026, 1, 1) }, ist(2026, 1, 15))).toBe(2);
    expect(cycleOf({ recurrencePeriod: 'DAILY', validityStartAt: ist(2026, 1, 1) }, ist(2026, 1, 15, 23))).toBe(14);
    expect(cycleOf({ recurrencePeriod: 'ASPRESENTED', validityStartAt: ist(2026, 1, 1) }, ist(2026, 1, 15))).toBeNull();
  });

  it('applies ON, BEFORE and AFTER to the IST day of month or week', () => {
    const monthly = (rule: 'ON' | 'BEFORE' | 'AFTER', value: number) => ({
      recurrencePeriod: 'MONTHLY' as const,
      recurrenceRule: rule,
      recurrenceValue: value,
    });
    expect(ruleAllows(monthly('ON', 10), ist(2026, 3, 10, 23))).toBe(true);
    // 10 March 00:30 IST is still 9 March in UTC: the rule reads the IST day.
    expect(ruleAllows(monthly('ON', 10), new Date('2026-03-09T19:00:00Z'))).toBe(true);
    expect(ruleAllows(monthly('ON', 10), ist(2026, 3, 11))).toBe(false);
    expect(ruleAllows(monthly('BEFORE', 10), ist(2026, 3, 3))).toBe(true);
    expect(ruleAllows(monthly('AFTER', 10), ist(2026, 3, 3))).toBe(false);
    expect(ruleAllows(monthly('ON', 31), ist(2026, 2, 28))).toBe(true);
    // 2026-01-05 is a Monday.
    expect(ruleAllows({ recurrencePeriod: 'WEEKLY', recurrenceRule: 'ON', recurrenceValue: 1 }, ist(2026, 1, 5, 12))).toBe(true);
    expect(ruleAllows({ recurrencePeriod: 'WEEKLY', recurrenceRule: 'ON', recurrenceValue: 1 }, ist(2026, 1, 6, 12))).toBe(false);
    expect(ruleAllows({ recurrencePeriod: 'DAILY', recurrenceRule: null, recurrenceValue: null }, ist(2026, 1, 6))).toBe(true);
  });

  it('refuses amounts by EXACT, MAX, the mandate limit and the ₹15,000 no-AFA limit', () => {
    expect(amountProblem({ amountPaise: 300_00n, amountRule: 'EXACT' }, 300_00n)).toBeNull();
    expect(amountProblem({ amountPaise: 300_00n, amountRule: 'EXACT' }, 299_99n)?.code).toBe('mismatch');
    expect(amountProblem({ amountPaise: 500_00n, amountRule: 'MAX' }, 1n)).toBeNull();
    expect(amountProblem({ amountPaise: 500_00n, amountRule: 'MAX' }, 500_01n)?.code).toBe('afa');
    expect(amountProblem({ amountPaise: 20_000_00n, amountRule: 'MAX' }, 15_000_00n)).toBeNull();
    expect(amountProblem({ amountPaise: 20_000_00n, amountRule: 'MAX' }, 15_000_01n)?.code).toBe('afa');
  });

  it('pauses from the start, inclusive, to the end, exclusive; forms the UMN', () => {
    const p = { pauseStartAt: ist(2026, 6, 1), pauseEndAt: ist(2026, 7, 1) };
    expect([isPausedAt(p, ist(2026, 6, 1)), isPausedAt(p, ist(2026, 7, 1)), isPausedAt({ pauseStartAt: null, pauseEndAt: null }, ist(2026, 6, 2))]).toEqual([
      true,
      false,
      false,
    ]);
    expect(umnOf('MND1767225600000abCde')).toBe('mnd1767225600000abcde@enkash');
  });

  it("finds the start of an instant's IST day", () => {
    expect(istDayStart(ist(2026, 3, 5, 23))).toEqual(ist(2026, 3, 5));
    expect(istDayStart(ist(2026, 3, 5))).toEqual(ist(2026, 3, 5));
    // 20:00 UTC is already the next day in IST.
    expect(istDayStart(new Date(Date.UTC(2026, 2, 4, 20)))).toEqual(ist(2026, 3, 5));
  });
});
