import { describe, expect, it } from 'vitest';
import { amountDue, newLinkId, payableRange, statusAfterPayment, type PaymentLink } from './model.js';

const link = (over: Partial<PaymentLink>): PaymentLink =>
  ({ amountPaise: 100_000n, amountPaidPaise: 0n, partialPayment: false, minPartialPaise: null, ...over }) as PaymentLink;

describe('payment link rules', () => {
  it('charges exactly the amount due without partial payments', () => {
    expect(payableRange(link({}))).toEqual({ minPaise: 100_000n, maxPaise: 100_000n });
    expect(payableRange(link({ amountPaidPaise: 40_000n }))).toEqual({ minPaise: 60_000n, maxPaise: 60_000n });
  });

  it('with partial payments: from the minimum (or one paisa) to the amount due, the minimum capped at the amount due', () => {
    expect(payableRange(link({ partialPayment: true }))).toEqual({ minPaise: 1n, maxPaise: 100_000n });
    expect(payableRange(link({ partialPayment: true, minPartialPaise: 50_000n }))).toEqual({ minPaise: 50_000n, maxPaise: 100_000n });
    expect(payableRange(link({ partialPayment: true, minPartialPaise: 50_000n, amountPaidPaise: 70_000n }))).toEqual({ minPaise: 30_000n, maxPaise: 30_000n });
  });

  it('is PARTIALLY_PAID until payments reach the amount; nothing is due once paid, even when overpaid', () => {
    expect(statusAfterPayment({ amountPaise: 100n }, 99n)).toBe('PARTIALLY_PAID');
    expect(statusAfterPayment({ amountPaise: 100n }, 100n)).toBe('PAID');
    expect(amountDue({ amountPaise: 100n, amountPaidPaise: 130n })).toBe(0n);
  });

  it('ids are QC, the sandbox epoch milliseconds and six characters', () => {
    expect(newLinkId(new Date('2026-01-01T00:00:00Z'))).toMatch(/^QC1767225600000[A-Z0-9]{6}$/);
  });
});
