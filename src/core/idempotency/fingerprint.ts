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

/**
 * sha256 (hex) of what makes two requests "the same" for an Idempotency-Key (house style 2.9):
 * method, route, its path parameters, the query and the parsed (decrypted) body, each in canonical
 * form. Parts are JSON-encoded in one array, so no two different requests share an encoding.
 */
export function requestFingerprint(shape: RequestShape): string {
  const parts = [shape.method.toUpperCase(), shape.route, canonicalJson(shape.params ?? {}), canonicalJson(shape.query ?? {}), canonicalJson(shape.body)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** IETF draft-ietf-httpapi-idempotency-key-header leaves the format open; Stripe allows up to 255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
