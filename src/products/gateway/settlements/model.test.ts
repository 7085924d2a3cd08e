import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertBalanced } from '../../../core/ledger/model.js';
import {
  batchCutoff,
  batchDateForCapture,
  batchRunAt,
  computeSettlement,
  istDate,
  nextBatchDate,
  settlementPostings,
  type SettlementPayment,
  type SettlementRefund,
} from './model.js';

const paise = (max: bigint) => fc.bigInt({ min: 1n, max });

const payment: fc.Arbitrary<SettlementPayment> = paise(10_000_000n).chain((amount) =>
  fc.record({
    transactionId: fc.uuid(),
    amountPaise: fc.constant(amount),
    mdrPaise: fc.bigInt({ min: 0n, max: amount / 10n }),
    mdrGstPaise: fc.bigInt({ min: 0n, max: amount / 50n }),
    splits: fc.array(fc.tuple(fc.constantFrom('SPA1', 'SPA2', 'SPA3'), fc.bigInt({ min: 1n, max: amount })), { maxLength: 3 }).map((pairs) => {
      // Distinct accounts whose shares never exceed the amount.
      let left = amount;
      const seen = new Set<string>();
      return pairs.flatMap(([accountId, want]) => {
        if (seen.has(accountId) || left === 0n) return [];
        seen.add(accountId);
        const share = want > left ? left : want;
        left -= share;
        return [{ accountId, amountPaise: share }];
      });
    }),
  }),
);
const refund: fc.Arbitrary<SettlementRefund> = fc.record({ refundId: fc.uuid(), amountPaise: paise(5_000_000n), paymentSettledEarlier: fc.boolean() });

describe('settlement arithmetic', () => {
  it('pays sales less splits, refunds, MDR, GST and the carry-in, or carries the shortfall forward', () => {
    fc.assert(
      fc.property(
        fc.array(payment, { maxLength: 8 }),
        fc.array(refund, { maxLength: 4 }),
        fc.bigInt({ min: 0n, max: 5_000_000n }),
        (payments, refunds, carryIn) => {
          const { merchant: m, shares } = computeSettlement(payments, refunds, carryIn);
          expect(m.totalSettlementPaise >= 0n && m.carryForwardPaise >= 0n).toBe(true);
          expect(m.totalSettlementPaise === 0n || m.carryForwardPaise === 0n).toBe(true);
          expect(m.totalSettlementPaise - m.carryForwardPaise).toBe(
            m.totalSalePaise - m.splitPaise - m.totalRefundPaise - m.totalChargesPaise - m.totalGstPaise - m.adjustmentPaise,
          );
          expect([...shares.values()].reduce((a, b) => a + b, 0n)).toBe(m.splitPaise);
          expect(m.splitPaise <= m.totalSalePaise).toBe(true);
          expect(m.refundChargebackPaise <= m.totalRefundPaise).toBe(true);
        },
      ),
    );
  });

  it('posts a balanced transaction that moves exactly the sales out of pending settlement', () => {
    fc.assert(
      fc.property(
        fc.array(payment, { maxLength: 8 }),
        fc.array(refund, { maxLength: 4 }),
        fc.bigInt({ min: 0n, max: 5_000_000n }),
        (payments, refunds, carryIn) => {
          const c = computeSettlement(payments, refunds, carryIn);
          const postings = settlementPostings(c);
          if (postings.length === 0) {
            expect(c.merchant.totalSalePaise).toBe(0n);
            return;
          }
          assertBalanced(postings.map((p) => ({ accountId: String(p.account), direction: p.direction, amount: p.amount, currency: 'INR' })));
          const net = (account: string) =>
            postings.filter((p) => p.account === account).reduce((s, p) => s + (p.direction === 'debit' ? p.amount : -p.amount), 0n);
          expect(net('merchant_pending_settlement')).toBe(c.merchant.totalSalePaise);
          expect(-net('merchant_available')).toBe(c.merchant.totalSettlementPaise);
          expect(net('merchant_settlement_receivable')).toBe(c.merchant.carryForwardPaise - c.merchant.totalRefundPaise - c.merchant.adjustmentPaise);
        },
      ),
    );
  });

  it("a refund larger than the day's sales carries the difference forward, and the next batch recovers it", () => {
    const first = computeSettlement(
      [{ transactionId: 'p1', amountPaise: 10_000n, mdrPaise: 180n, mdrGstPaise: 33n, splits: [] }],
      [{ refundId: 'r1', amountPaise: 50_000n, paymentSettledEarlier: true }],
      0n,
    );
    expect(first.merchant).toEqual({
      totalSalePaise: 10_000n,
      splitPaise: 0n,
      totalRefundPaise: 50_000n,
      refundChargebackPaise: 50_000n,
      totalChargesPaise: 180n,
      totalGstPaise: 33n,
      adjustmentPaise: 0n,
      carryForwardPaise: 40_213n,
      totalSettlementPaise: 0n,
    });
    const second = computeSettlement(
      [{ transactionId: 'p2', amountPaise: 100_000n, mdrPaise: 0n, mdrGstPaise: 0n, splits: [] }],
      [],
      first.merchant.carryForwardPaise,
    );
    expect(second.merchant).toMatchObject({ adjustmentPaise: 40_213n, carryForwardPaise: 0n, totalSettlementPaise: 59_787n });
  });
});

describe('batch dates (IST calendar days on the sandbox clock)', () => {
  it('settles T+N: a capture late on an IST day belongs to that day, whatever the UTC date', () => {
    // 2026-03-01T20:00Z is 2026-03-02 01:30 IST.
    expect(istDate(new Date('2026-03-01T20:00:00Z'))).toBe('2026-03-02');
    expect(batchDateForCapture(new Date('2026-03-01T20:00:00Z'), 1)).toBe('2026-03-03');
    expect(batchDateForCapture(new Date('2026-03-01T18:29:59Z'), 2)).toBe('2026-03-03');
    expect(batchRunAt('2026-03-03').toISOString()).toBe('2026-03-03T04:30:00.000Z');
    expect(batchCutoff('2026-03-03', 1).toISOString()).toBe('2026-03-02T18:30:00.000Z');
    expect(batchCutoff('2026-03-03', 2).toISOString()).toBe('2026-03-01T18:30:00.000Z');
  });

  it('T+0: a capture after that day’s 10:00 IST batch goes to the next day’s batch, not to the one that already ran', () => {
    expect(batchDateForCapture(new Date('2026-03-02T04:00:00Z'), 0)).toBe('2026-03-02'); // 09:30 IST
    expect(batchDateForCapture(new Date('2026-03-02T06:30:00Z'), 0)).toBe('2026-03-03'); // 12:00 IST
  });

  it("a capture is always before its batch's cutoff, and the next batch after any instant runs at or after it", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 7 }), (at, delay) => {
        const date = batchDateForCapture(at, delay);
        expect(at.getTime() < batchCutoff(date, delay).getTime()).toBe(true);
        // Its batch has not run yet when it is captured, and is the first such batch T + N allows.
        expect(batchRunAt(date).getTime() >= at.getTime()).toBe(true);
        expect(date === nextBatchDate(at) || at.getTime() >= batchCutoff(date, delay).getTime() - 86_400_000).toBe(true);
        expect(batchRunAt(nextBatchDate(at)).getTime() >= at.getTime()).toBe(true);
        expect(batchRunAt(nextBatchDate(at)).getTime() - at.getTime() <= 86_400_000).toBe(true);
      }),
    );
  });
});
