/**
 * Fixed-window counters kept in this process. They exist to stop password guessing and token
 * floods before any argon2 work is done (RFC 6749 §4.3.2; reliability plan OA-6). The lockout
 * that EnKash documents is persisted in the database; these windows are a cheap first gate and
 * reset on restart, which an ADR records.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt for `key`; returns the seconds to wait when the window is already full. */
  take(key: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    let w = this.windows.get(key);
    if (!w || nowMs - w.startMs >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(nowMs);
      w = { startMs: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.startMs + this.windowMs - nowMs) / 1000)) };
    }
    w.count++;
    return { allowed: true };
  }

  private sweep(nowMs: number): void {
    for (const [key, w] of this.windows) if (nowMs - w.startMs >= this.windowMs) this.windows.delete(key);
  }
}
