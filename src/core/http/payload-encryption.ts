import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidEncryptedRequestError } from '../errors/app-error.js';
import { decryptPayload, encryptPayload } from '../crypto/payload-cipher.js';

const encryptedExchanges = new WeakSet<FastifyRequest>();

/** What Fastify's JSON body parser throws for a prototype key; the error handlers answer it 400 malformed_body. */
class PrototypeKeyError extends SyntaxError {
  readonly code = 'FST_ERR_CTP_INVALID_JSON_BODY';
  readonly statusCode = 400;
  constructor() {
    super('Object contains forbidden prototype property');
  }
}

/**
 * JSON.parse refusing what Fastify's body parser refuses in plain JSON (its defaults
 * `onProtoPoisoning` and `onConstructorPoisoning`: "error"): a `__proto__` key, or a
 * `constructor` object with a `prototype` key, at any depth (PrototypeKeyError).
 */
function parseJsonRefusingPrototypeKeys(text: string): unknown {
  return JSON.parse(text, function (key, value: unknown) {
    if (key === '__proto__') throw new PrototypeKeyError();
    if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) throw new PrototypeKeyError();
    return value;
  });
}

function wrappedCiphertext(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const keys = Object.keys(body);
  const value = (body as Record<string, unknown>)['request'];
  return keys.length === 1 && typeof value === 'string' ? value : undefined;
}

/**
 * The reference §1.5 wrapping as hooks for routes with `config.payloadEncryption`: per client,
 * `required` accepts only `{"request": "<AES-128-ECB base64>"}`, `optional` accepts it or plain
 * JSON, `off` takes plain JSON. A request that came wrapped, and every request of a `required`
 * client once it is past the unwrapping (a GET or DELETE has no body to unwrap), gets every
 * answer wrapped the same way (`{"request": ...}`, mirroring the documented key): successes and
 * the envelope errors of validation, idempotency and the handler alike (reference §3: "every
 * request and response body is AES-encrypted"). Refusals that come before it stay plain: the
 * bearer check's Spring errors, and the 422 "Invalid encrypted request" of a body that could not
 * be unwrapped (docs/api/payouts.md "Payload encryption", ADR 0036).
 */
export function registerPayloadEncryption(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (!request.routeOptions.config.payloadEncryption || !request.principal) return;
    const { payloadEncryption: mode, payloadKey } = request.principal;
    if (mode === 'off') return;
    const ciphertext = wrappedCiphertext(request.body);
    if (ciphertext === undefined) {
      // A request without a body (a GET) has nothing to unwrap; under `required` its answer is wrapped.
      if (mode === 'required' && request.body !== undefined) {
        throw new InvalidEncryptedRequestError('Invalid encrypted request', { param: 'request' });
      }
      if (mode === 'required') encryptedExchanges.add(request);
      return;
    }
    const plaintext = decryptPayload(payloadKey, ciphertext);
    if (plaintext === null) throw new InvalidEncryptedRequestError('Invalid encrypted request', { param: 'request' });
    let parsed: unknown;
    try {
      parsed = parseJsonRefusingPrototypeKeys(plaintext);
    } catch (err) {
      // A prototype key is refused as the same plain body is; other text is not a request.
      if (err instanceof PrototypeKeyError) throw err;
      throw new InvalidEncryptedRequestError('Invalid encrypted request', { param: 'request' });
    }
    request.body = parsed;
    encryptedExchanges.add(request);
  });

  // After serialization, so the route's response schema has already filtered the fields; error
  // envelopes too (the one envelope mapper sends them as JSON text).
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!encryptedExchanges.has(request) || !request.principal || typeof payload !== 'string') return payload;
    return JSON.stringify({ request: encryptPayload(request.principal.payloadKey, payload) });
  });
}
