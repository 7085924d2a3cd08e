import { describe, expect, it } from 'vitest';
import { randomBytesPooled } from './random.js';

describe('randomBytesPooled()', () => {
  it('never hands out the same bytes twice, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(randomBytesPooled(32).toString('hex'));
    expect(seen.size).toBe(2000);
  });

  it('returns copies that later draws do not overwrite', () => {
    const first = randomBytesPooled(16);
    const snapshot = Buffer.from(first);
    for (let i = 0; i < 1000; i++) randomBytesPooled(32);
    expect(first.equals(snapshot)).toBe(true);
  });

  it('serves sizes larger than the pool and spreads bytes over the whole range', () => {
    const big = randomBytesPooled(20_000);
    expect(big.length).toBe(20_000);
    expect(new Set(big).size).toBe(256);
  });
});
