import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one
 * request. Values keep JSON's meaning: `100.00` and `100` parse to the same number and so are the
 * same amount; `undefined` members are dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Buffer.isBuffer(value)) return JSON.stringify({ $bytes: value.toString('base64') });
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export interface RequestShape {
  method: string;
  /** The route pattern, e.g. `/api/v0/orders/:orderId`. */
  route: string;
  params: unknown;
  query: unknown;
  body: unknown;
}

/** A keyed digest (hex) of a request's canonical text: HMAC-SHA256 under a key of the server's (ADR 0047). */
export type FingerprintDigest = (canonicalText: string) => string;

/** The version prefix of a keyed fingerprint; a stored value without it is a legacy unkeyed sha256. */
export const FINGERPRINT_VERSION = 'v2:';

/**
 * What makes two requests "the same" for an Idempotency-Key (house style 2.9): method, route, its
 * path parameters, the query and the parsed (decrypted) body, each in canonical form. Parts are
 * JSON-encoded in one array, so no two different requests share an encoding.
 */
function canonicalRequest(shape: RequestShape): string {
  const parts = [shape.method.toUpperCase(), shape.route, canonicalJson(shape.params ?? {}), canonicalJson(shape.query ?? {}), canonicalJson(shape.body)];
  return JSON.stringify(parts);
}

/**
 * The stored fingerprint: `v2:` + a keyed digest of the canonical request. An unkeyed sha256 of a
 * body holding a 12-digit Aadhaar number can be brute-forced back to the number (10^12 guesses);
 * under a key the database does not hold it cannot (ADR 0047).
 */
export function requestFingerprint(shape: RequestShape, digest: FingerprintDigest): string {
  return `${FINGERPRINT_VERSION}${digest(canonicalRequest(shape))}`;
}

/**
 * The unkeyed sha256 (hex) that rows written before ADR 0047 hold. Compared with those rows until
 * they expire (the retention), never written.
 */
export function legacyRequestFingerprint(shape: RequestShape): string {
  return createHash('sha256').update(canonicalRequest(shape)).digest('hex');
}

/** IETF draft-ietf-httpapi-idempotency-key-header leaves the format open; Stripe allows up to 255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
