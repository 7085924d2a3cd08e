import { describe, expect, it } from 'vitest';
import {
  JITTER,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  RETRY_DELAYS_MS,
  isReservedHeader,
  jitterFactor,
  parseRetryAfter,
  retryDelayMs,
  truncateBody,
} from './model.js';

describe('retry schedule (WH-5)', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h within ±10 %, then stops', () => {
    const eventId = 'evt_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX';
    const delays: number[] = [];
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) delays.push(retryDelayMs(eventId, attempts)!);
    expect(delays).toHaveLength(9);
    delays.forEach((d, i) => {
      const base = RETRY_DELAYS_MS[i]!;
      expect(d).toBeGreaterThanOrEqual(base * (1 - JITTER));
      expect(d).toBeLessThanOrEqual(base * (1 + JITTER));
    });
    expect(retryDelayMs(eventId, MAX_ATTEMPTS)).toBeNull();
    const totalHours = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(72);
    expect(totalHours).toBeLessThan(76);
  });

  it('derives jitter from the event id: the same every time, different across events', () => {
    expect(jitterFactor('evt_A', 3)).toBe(jitterFactor('evt_A', 3));
    const factors = new Set(Array.from({ length: 50 }, (_, i) => jitterFactor(`evt_${i}`, 1)));
    expect(factors.size).toBe(50);
    for (const f of factors) expect(Math.abs(f - 1)).toBeLessThanOrEqual(JITTER);
  });

  it('honours a later Retry-After (seconds or HTTP-date), capped at 24 h, and never shortens the schedule', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(retryDelayMs('evt_A', 1, 600_000)).toBe(600_000);
    expect(retryDelayMs('evt_A', 2, 1_000)).toBe(retryDelayMs('evt_A', 2));
    expect(retryDelayMs('evt_A', 1, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('delivery rules', () => {
  it('reserves the signature, body-type and transport headers', () => {
    for (const h of [
      'webhook-id',
      'Webhook-Signature',
      'WEBHOOK-TIMESTAMP',
      'webhook-anything',
      'Content-Type',
      'host',
      'User-Agent',
      'content-length',
      'x-tijori-event-type',
      'X-Tijori-Event-Type',
    ])
      expect(isReservedHeader(h), h).toBe(true);
    for (const h of ['x-api-key', 'authorization', 'x-enkash-token']) expect(isReservedHeader(h), h).toBe(false);
  });

  it('truncates logged bodies at a character boundary and marks the cut', () => {
    expect(truncateBody('short', 10)).toBe('short');
    expect(truncateBody('x'.repeat(5000), 4096)).toBe(`${'x'.repeat(4096)}…[truncated]`);
    const cut = truncateBody('€'.repeat(10), 7);
    expect(cut).toBe('€€…[truncated]');
  });
});
