import { describe, expect, it } from 'vitest';
import { createWindowLimiter } from './rate-limit.js';

describe('createWindowLimiter', () => {
  it('takes `limit` hits per key and window, refuses the next, and starts again when the window ends', () => {
    let now = 1_000_000;
    const limiter = createWindowLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, true]);
    expect(limiter.exhausted('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    // Another key has its own window.
    expect(limiter.take('b')).toBe(true);
    now += 45_000;
    expect(limiter.retryAfterSeconds('a')).toBe(15);
    expect(limiter.take('a')).toBe(false);
    now += 15_000;
    expect(limiter.exhausted('a')).toBe(false);
    expect(limiter.take('a')).toBe(true);
  });
});
