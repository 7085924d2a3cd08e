import { describe, expect, it } from 'vitest';
import { CHECK_SPECS } from './checks.js';

/**
 * A PENDING check is retried by its timer from what the check kept (`inputMasked`). For PAN,
 * GSTIN, CIN and LLPIN the kept text is the input; an Aadhaar check keeps only the masked number,
 * so it is never retried from it (ADR 0047): the masked number is not the number.
 */
const SAMPLES = {
  PAN: 'aajps2345q',
  GSTIN: '27AABCT1234E1ZS',
  CIN: 'U72900MH2017PTC123456',
  LLPIN: 'abc-0007',
  AADHAAR: '2341 2341 2346',
} as const;
const NOW = new Date('2026-12-08T00:00:00Z');

describe('retrying a PENDING check', () => {
  for (const [type, raw] of Object.entries(SAMPLES)) {
    const spec = CHECK_SPECS[type as keyof typeof SAMPLES];
    it(`${type}: the retry looks up ${type === 'AADHAAR' ? 'nothing (only the masked number is kept)' : 'the normalised input, from the kept text'}`, () => {
      const { normalised, masked } = spec.prepare(raw, NOW);
      if (type === 'AADHAAR') {
        expect(masked).toBe('XXXX XXXX 2346');
        expect(spec.retryInput(masked)).toBeNull();
      } else {
        expect(spec.retryInput(masked)).toBe(normalised);
      }
    });
  }

  it('an Aadhaar check never waits for a registry: even the timeout scenario answers at once', async () => {
    const outcome = await CHECK_SPECS.AADHAAR.lookup('234123412346', {
      registries: undefined as never,
      scenario: 'timeout' as never,
      now: NOW,
      name: null,
    });
    expect(outcome.kind).toBe('done');
  });
});
