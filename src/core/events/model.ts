import { createHash } from 'node:crypto';

/** Delivery statuses. PENDING waits for an attempt (now or on a timer); SENDING is leased to one worker. */
export type DeliveryStatus = 'PENDING' | 'SENDING' | 'SUCCEEDED' | 'FAILED';

/**
 * Delays before each retry, after Standard Webhooks' example schedule: 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 14 h, 20 h, 24 h (≈ 75.6 h, a little over 3 days), on the company's sandbox clock.
 * The first attempt is immediate, so a delivery gets at most 10 attempts.
 */
export const RETRY_DELAYS_MS = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1000);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Jitter is ±10 %: spreads retries of a burst without making the schedule unrecognisable. */
export const JITTER = 0.1;
/** The longest `Retry-After` honoured; a longer one is capped so one answer cannot park a delivery for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Jitter factor in [1 − JITTER, 1 + JITTER), derived from the event id and attempt number rather
 * than Math.random: a sandbox run is reproducible, and every process computes the same time.
 */
export function jitterFactor(eventId: string, attempt: number): number {
  const digest = createHash('sha256').update(`${eventId}:${attempt}`).digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  return 1 - JITTER + 2 * JITTER * unit;
}

/**
 * Milliseconds from a failed attempt to the next one, or null when `attemptsMade` used up the
 * schedule. A `Retry-After` (429/503) later than the schedule is honoured, up to MAX_RETRY_AFTER_MS.
 */
export function retryDelayMs(eventId: string, attemptsMade: number, retryAfterMs: number | null = null): number | null {
  if (attemptsMade >= MAX_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[attemptsMade - 1];
  if (base === undefined) return null;
  const scheduled = Math.round(base * jitterFactor(eventId, attemptsMade));
  return retryAfterMs === null ? scheduled : Math.max(scheduled, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * Header names a configuration may not set: Tijori sets them on every delivery (signature, body
 * type, sender, event type), and a static header of the same name would be silently overwritten.
 */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('webhook-') ||
    ['content-type', 'content-length', 'host', 'user-agent', 'transfer-encoding', 'connection', 'x-tijori-event-type'].includes(lower)
  );
}

/** Truncates a body for the delivery log, at a character boundary, marking the cut. */
export function truncateBody(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const cut = Buffer.from(text, 'utf8')
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}…[truncated]`;
}
