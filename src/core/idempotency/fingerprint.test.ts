import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../config.js';
import { IDEMPOTENCY_KEY_PATTERN, canonicalJson, legacyRequestFingerprint, requestFingerprint as keyedFingerprint, type RequestShape } from './fingerprint.js';

const digestUnder = (key: string) => (text: string) => createHmac('sha256', key).update(text).digest('hex');
const requestFingerprint = (shape: RequestShape) => keyedFingerprint(shape, digestUnder('server-key-1'));

/** Reorders the members of every object, at every depth. */
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffled(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const rotated = keys.map((_, i) => keys[(i + seed) % keys.length]!).reverse();
  return Object.fromEntries(rotated.map((k) => [k, shuffled((value as Record<string, unknown>)[k], seed + 1)]));
}

const shape = { method: 'POST', route: '/api/v0/orders/:id', params: { id: 'o1' }, query: {}, body: { amount: 100, currency: 'INR' } };

describe('request fingerprint', () => {
  it('canonical JSON does not depend on member order, at any depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(20), (value, seed) => {
        expect(canonicalJson(shuffled(value, seed))).toBe(canonicalJson(value));
        // And it still means the same value.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('two different JSON bodies never share a fingerprint', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(requestFingerprint({ ...shape, body: a })).not.toBe(requestFingerprint({ ...shape, body: b }));
      }),
    );
  });

  it('changes with the method, the route, a path parameter, the query or the body, and with nothing else', () => {
    const base = requestFingerprint(shape);
    expect(base).toMatch(/^v2:[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...shape, body: { currency: 'INR', amount: 100 } })).toBe(base);
    expect(requestFingerprint({ ...shape, method: 'post' })).toBe(base);
    for (const changed of [
      { ...shape, method: 'PUT' },
      { ...shape, route: '/api/v0/refunds/:id' },
      { ...shape, params: { id: 'o2' } },
      { ...shape, query: { dryRun: 'true' } },
      { ...shape, body: { amount: 100.01, currency: 'INR' } },
      { ...shape, body: { amount: 100, currency: 'INR', note: null } },
      { ...shape, body: undefined },
      { ...shape, body: null },
    ]) {
      expect(requestFingerprint(changed), JSON.stringify(changed)).not.toBe(base);
    }
    // A missing body and a null body are different requests.
    expect(requestFingerprint({ ...shape, body: undefined })).not.toBe(requestFingerprint({ ...shape, body: null }));
  });

  it('is keyed: another server key gives another fingerprint, and neither holds the unkeyed sha256 of the request (ADR 0047)', () => {
    const legacy = legacyRequestFingerprint(shape);
    expect(legacy).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint(shape)).not.toContain(legacy);
    expect(keyedFingerprint(shape, digestUnder('server-key-2'))).not.toBe(requestFingerprint(shape));
  });

  it('accepts 1 to 255 printable ASCII characters as a key', () => {
    expect(IDEMPOTENCY_KEY_PATTERN.test('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(true);
    expect(IDEMPOTENCY_KEY_PATTERN.test('~'.repeat(255))).toBe(true);
    for (const bad of ['', 'x'.repeat(256), 'a\nb', 'a\tb', 'caf\u00e9', '\u0000', 'a\u007f'])
      expect(IDEMPOTENCY_KEY_PATTERN.test(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('idempotency settings', () => {
  it('keep keys 24 hours with a 60-second lease by default', () => {
    expect(loadConfig({}, {}).idempotency).toEqual({ retentionHours: 24, leaseSeconds: 60 });
    expect(loadConfig({ 'idempotency-lease-seconds': '30' }, { TIJORI_IDEMPOTENCY_RETENTION_HOURS: '48' }).idempotency).toEqual({
      retentionHours: 48,
      leaseSeconds: 30,
    });
  });

  it('refuse a retention under 24 hours (clients rely on at least that) and a lease under 5 seconds', () => {
    expect(() => loadConfig({}, { TIJORI_IDEMPOTENCY_RETENTION_HOURS: '23' })).toThrow(
      new ConfigError('TIJORI_IDEMPOTENCY_RETENTION_HOURS must be a whole number from 24 to 8760 (got "23")'),
    );
    expect(() => loadConfig({}, { TIJORI_IDEMPOTENCY_LEASE_SECONDS: '1' })).toThrow(ConfigError);
  });
});
