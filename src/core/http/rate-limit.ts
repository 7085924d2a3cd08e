import { isIPv4, isIPv6 } from 'node:net';

/**
 * A fixed-window counter per key (a client address): at most `limit` hits per `windowMs`. In
 * memory, per process: it slows one address down (guessing ids, ADR 0035) and is no quota; a
 * fleet of servers divides the budget between them.
 *
 * Memory is bounded by `maxKeys`, and a live window is never evicted (ADR 0047): evicting one
 * would hand a fresh budget to the address that filled the map. Windows are kept in the order
 * they started, so the expired ones are at the front and are dropped as new ones come (amortised
 * O(1), never a scan of live windows). When the map holds `maxKeys` live windows, an address
 * without one shares a single overflow window with every other such address until windows
 * expire: the addresses already counted keep their own budgets, new ones are slowed together.
 */
export interface WindowLimiter {
  /** Counts a hit of `key`; false when the key has used up its window (the hit is not counted). */
  take(key: string): boolean;
  /** Whether `key` has used up its window, without counting. */
  exhausted(key: string): boolean;
  /** Seconds until the window of `key` ends (for `Retry-After`). */
  retryAfterSeconds(key: string): number;
  /** How many addresses have a window of their own (for tests: memory stays bounded). */
  readonly size: number;
}

interface Window {
  start: number;
  count: number;
}

export function createWindowLimiter(options: { limit: number; windowMs: number; maxKeys?: number; now?: () => number }): WindowLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  let overflow: Window = { start: -Infinity, count: 0 };

  function current(key: string): Window {
    const t = now();
    const w = windows.get(key);
    if (w !== undefined && t - w.start < windowMs) return w;
    if (w !== undefined) windows.delete(key);
    // The oldest windows are first: drop the expired ones, stop at the first live one.
    for (const [k, old] of windows) {
      if (t - old.start < windowMs) break;
      windows.delete(k);
    }
    if (windows.size >= maxKeys) {
      if (t - overflow.start >= windowMs) overflow = { start: t, count: 0 };
      return overflow;
    }
    const fresh = { start: t, count: 0 };
    windows.set(key, fresh);
    return fresh;
  }

  return {
    take(key) {
      const w = current(key);
      if (w.count >= limit) return false;
      w.count += 1;
      return true;
    },
    exhausted(key) {
      return current(key).count >= limit;
    },
    retryAfterSeconds(key) {
      return Math.max(1, Math.ceil((current(key).start + windowMs - now()) / 1000));
    },
    get size() {
      return windows.size;
    },
  };
}

/**
 * The key a client address is limited under: an IPv4 address as it is (an IPv4-mapped IPv6
 * address `::ffff:a.b.c.d` as its IPv4), an IPv6 address by its /64 prefix. One IPv6 host
 * usually holds a whole /64 (SLAAC, privacy addresses), so a per-address limit would give it 2^64
 * budgets (ADR 0047).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return ip;
  const [head = '', tail = ''] = bare.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = bare.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  // An embedded IPv4 tail (a.b.c.d) is two groups; it never reaches the /64 prefix but counts for the length.
  const groups = (parts: string[]) => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const missing = 8 - groups(headParts) - groups(tailParts);
  const all = [...headParts, ...Array<string>(bare.includes('::') ? missing : 0).fill('0'), ...tailParts];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
