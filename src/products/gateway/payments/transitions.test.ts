import { describe, expect, it } from 'vitest';
import { PAYMENT_STATUSES, assertMove, canMove, type PaymentStatus, type PaymentStep } from './model.js';

const at = (step: PaymentStep, status: PaymentStatus) => ({ step, status });

/** The payment state machine (ADR 0028): every move the service makes is one of its transitions. */
describe('payment transitions', () => {
  it('allows the moves of a submit: NEW or PROCESSING, then at once, via the holder, or via the bank', () => {
    expect(canMove(at('NEW', 'CREATED'), at('PROCESSING', 'CREATED'))).toBe(true);
    expect(canMove(at('PROCESSING', 'CREATED'), at('DONE', 'SUCCESS'))).toBe(true);
    expect(canMove(at('PROCESSING', 'CREATED'), at('DONE', 'FAILED'))).toBe(true);
    expect(canMove(at('PROCESSING', 'CREATED'), at('OTP', 'CREATED'))).toBe(true);
    expect(canMove(at('OTP', 'CREATED'), at('BANK', 'AUTHORIZED'))).toBe(true);
    expect(canMove(at('PROCESSING', 'CREATED'), at('BANK', 'PENDING_WITH_BANK'))).toBe(true);
    expect(canMove(at('BANK', 'PENDING_WITH_BANK'), at('DONE', 'SUCCESS'))).toBe(true);
    expect(canMove(at('NEW', 'CREATED'), at('DONE', 'CANCELLED'))).toBe(true);
  });

  it('takes a repeated answer and a late success, and refunds after a capture', () => {
    expect(canMove(at('BANK', 'PENDING_WITH_BANK'), at('BANK', 'PENDING_WITH_BANK'))).toBe(true);
    expect(canMove(at('DONE', 'FAILED'), at('DONE', 'SUCCESS'))).toBe(true);
    expect(canMove(at('DONE', 'CANCELLED'), at('DONE', 'SUCCESS'))).toBe(true);
    expect(canMove(at('DONE', 'SUCCESS'), at('DONE', 'PARTIALLY_REFUNDED'))).toBe(true);
    expect(canMove(at('DONE', 'PARTIALLY_REFUNDED'), at('DONE', 'REFUNDED'))).toBe(true);
  });

  it('refuses going back, leaving DONE, and any move out of REFUNDED', () => {
    expect(canMove(at('PROCESSING', 'CREATED'), at('NEW', 'CREATED'))).toBe(false);
    expect(canMove(at('BANK', 'PENDING_WITH_BANK'), at('OTP', 'CREATED'))).toBe(false);
    expect(canMove(at('DONE', 'FAILED'), at('BANK', 'PENDING_WITH_BANK'))).toBe(false);
    expect(canMove(at('DONE', 'SUCCESS'), at('DONE', 'FAILED'))).toBe(false);
    expect(canMove(at('DONE', 'REFUNDED'), at('DONE', 'PARTIALLY_REFUNDED'))).toBe(false);
    expect(canMove(at('PROCESSING', 'CREATED'), at('DONE', 'REFUNDED'))).toBe(false);
    expect(() => assertMove({ id: 'TXN1', ...at('DONE', 'SUCCESS') }, at('BANK', 'PENDING_WITH_BANK'))).toThrow(
      'payment TXN1: DONE/SUCCESS → BANK/PENDING_WITH_BANK is not a transition',
    );
  });

  it('has a row for every status, and no status but REFUNDED is a dead end', () => {
    for (const status of PAYMENT_STATUSES) {
      const onward = PAYMENT_STATUSES.filter(
        (to) => to !== status && (canMove(at('DONE', status), at('DONE', to)) || canMove(at('BANK', status), at('DONE', to))),
      );
      if (status === 'REFUNDED') expect(onward).toEqual([]);
      else expect(onward.length, status).toBeGreaterThan(0);
    }
  });
});
