import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromStoredSplit, gatewayId, merchantShare, splitShapeProblem, toStoredSplit } from './model.js';

describe('split details', () => {
  it('accepts distinct accounts with positive shares whose sum is at most the amount, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.array(fc.tuple(fc.constantFrom('SPA1', 'SPA2', 'SPA3', 'SPA4'), fc.bigInt({ min: -5n, max: 5_000_000n })), { maxLength: 5 }),
        (amount, pairs) => {
          const shares = pairs.map(([accountId, amountPaise]) => ({ accountId, amountPaise }));
          const valid =
            shares.every((s) => s.amountPaise > 0n) &&
            new Set(shares.map((s) => s.accountId)).size === shares.length &&
            shares.reduce((sum, s) => sum + s.amountPaise, 0n) <= amount;
          expect(splitShapeProblem(shares, amount) === null).toBe(valid);
          if (valid) expect(merchantShare(amount, shares) >= 0n).toBe(true);
        },
      ),
    );
  });

  it('names the problem', () => {
    expect(splitShapeProblem([{ accountId: 'A', amountPaise: 0n }], 100n)).toBe('splitDetails[0].amount must be positive');
    expect(
      splitShapeProblem(
        [
          { accountId: 'A', amountPaise: 1n },
          { accountId: 'A', amountPaise: 1n },
        ],
        100n,
      ),
    ).toBe('splitDetails[1].accountId A appears more than once');
    expect(
      splitShapeProblem(
        [
          { accountId: 'A', amountPaise: 60n },
          { accountId: 'B', amountPaise: 41n },
        ],
        100n,
      ),
    ).toBe('The split amounts add up to more than the payment amount');
    expect(
      splitShapeProblem(
        [
          { accountId: 'A', amountPaise: 60n },
          { accountId: 'B', amountPaise: 40n },
        ],
        100n,
      ),
    ).toBeNull();
  });

  it('stores shares as JSON with paise as digit strings, and reads them back', () => {
    const shares = [{ accountId: 'SPA1', amountPaise: 12_345_678_901_234n }];
    expect(toStoredSplit(shares)).toEqual([{ accountId: 'SPA1', amountPaise: '12345678901234' }]);
    expect(fromStoredSplit(JSON.parse(JSON.stringify(toStoredSplit(shares))))).toEqual(shares);
    expect(fromStoredSplit(null)).toEqual([]);
  });

  it("makes ids in the order id's style", () => {
    expect(gatewayId('SPA', new Date(1784195236818))).toMatch(/^SPA1784195236818[A-Za-z0-9]{5}$/);
  });
});
