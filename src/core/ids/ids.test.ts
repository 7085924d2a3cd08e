import { describe, expect, it } from 'vitest';
import { COMPANY_ID_PATTERN, newCompanyId, newId, randomChars } from './ids.js';

describe('ids', () => {
  it('newCompanyId() matches the EnKash pattern CEK + 7 upper-case alphanumerics', () => {
    for (let i = 0; i < 200; i++) expect(newCompanyId()).toMatch(COMPANY_ID_PATTERN);
    expect(COMPANY_ID_PATTERN.test('CEK1GZBO6A')).toBe(true);
    expect(COMPANY_ID_PATTERN.test('CEK1gzbo6a')).toBe(false);
  });

  it('newId() is prefixed, 26 Crockford characters, and sorts by time', () => {
    const a = newId('usr', new Date('2026-01-01T00:00:00Z'));
    const b = newId('usr', new Date('2026-01-01T00:00:00.001Z'));
    expect(a).toMatch(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
  });

  it('randomChars() draws every symbol of the alphabet', () => {
    expect(new Set(randomChars('ABC', 300)).size).toBe(3);
  });
});
