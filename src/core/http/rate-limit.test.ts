import { describe, expect, it } from 'vitest';
import { addressKey, createWindowLimiter } from './rate-limit.js';

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

  it('a full map never evicts a live window: new keys share one overflow window, and expired windows make room first (ADR 0047)', () => {
    let now = 1_000_000;
    const limiter = createWindowLimiter({ limit: 2, windowMs: 60_000, maxKeys: 3, now: () => now });
    expect([limiter.take('attacker'), limiter.take('attacker'), limiter.take('attacker')]).toEqual([true, true, false]);
    now += 30_000;
    expect([limiter.take('b'), limiter.take('c')]).toEqual([true, true]);
    // Full of live windows: a flood of new keys neither grows the map nor frees the attacker's window.
    const flood = Array.from({ length: 100 }, (_, i) => limiter.take(`new-${i}`));
    expect(flood.filter(Boolean)).toHaveLength(2);
    expect(limiter.size).toBe(3);
    expect(limiter.take('attacker')).toBe(false);
    expect(limiter.take('b')).toBe(true);
    // Once the attacker's window has expired, it is the one that makes room for a new key.
    now += 30_000;
    expect(limiter.take('d')).toBe(true);
    expect(limiter.size).toBe(3);
    expect([limiter.take('b'), limiter.take('c')]).toEqual([false, true]);
  });
});

describe('addressKey', () => {
  it('keeps an IPv4 address, reads an IPv4-mapped IPv6 address as its IPv4, and groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('2001:db8:1:3::a')).not.toBe(addressKey('2001:db8:1:2::a'));
    expect(addressKey('not an address')).toBe('not an address');
  });
});
