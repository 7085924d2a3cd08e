/**
 * A fixed-window counter per key (a client address): at most `limit` hits per `windowMs`. In
 * memory, per process: it slows one address down (guessing ids, ADR 0035) and is no quota; a
 * fleet of servers divides the budget between them. The map is cleared of past windows when it
 * grows, so an address that stops costs nothing.
 */
export interface WindowLimiter {
  /** Counts a hit of `key`; false when the key has used up its window (the hit is not counted). */
  take(key: string): boolean;
  /** Whether `key` has used up its window, without counting. */
  exhausted(key: string): boolean;
  /** Seconds until the window of `key` ends (for `Retry-After`). */
  retryAfterSeconds(key: string): number;
}

const MAX_KEYS = 50_000;

export function createWindowLimiter(options: { limit: number; windowMs: number; now?: () => number }): WindowLimiter {
  const { limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();

  function current(key: string): { start: number; count: number } {
    const t = now();
    let w = windows.get(key);
    if (w === undefined || t - w.start >= windowMs) {
      if (windows.size >= MAX_KEYS) for (const [k, old] of windows) if (t - old.start >= windowMs) windows.delete(k);
      // Still full of live windows: the oldest entry goes (Map keeps insertion order).
      if (windows.size >= MAX_KEYS) windows.delete(windows.keys().next().value!);
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    return w;
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
  };
}
