import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../errors/oauth-error.js';
import { sendOAuthError } from './oauth-errors.js';
import { toWireError } from './wire-error.js';

// The mapping of anything thrown to a status and code lives in wire-error.ts, shared with the
// OAuth mapper (oauth-errors.ts) without an import cycle; re-exported for existing callers.
export { toWireError, type WireError } from './wire-error.js';

/** The EnKash response envelope (reference §1.4, CONFIRMED): 0 = success. */
export interface Envelope<T> {
  response_code: number;
  response_message: string;
  payload: T;
}

export function envelope<T>(payload: T, message = 'SUCCESS'): Envelope<T> {
  return { response_code: 0, response_message: message, payload };
}

/** JSON Schema of a success envelope around `payload`, for a route's 200 response. */
export function envelopeSchema(payload: object, description?: string): object {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    required: ['response_code', 'response_message', 'payload'],
    properties: { response_code: { type: 'integer', examples: [0] }, response_message: { type: 'string', examples: ['SUCCESS'] }, payload },
  };
}

/** JSON Schema of an error envelope, for a route's 4xx responses. */
export const errorEnvelopeSchema = {
  type: 'object',
  description: 'EnKash envelope of an error: response_code is the HTTP status; the stable code is in the X-Error-Code header',
  required: ['response_code', 'response_message', 'payload'],
  properties: { response_code: { type: 'integer', examples: [404] }, response_message: { type: 'string' }, payload: { type: 'null' } },
} as const;

/** The envelope mapper, used for /api/** and every other path outside /oauth. */
export function envelopeErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  // Resource-server 401/403s keep Spring's OAuth2 shape even under /api (reference §1.3).
  if (err instanceof OAuthError) {
    request.log.info({ error: err.oauthError, status: err.status }, 'oauth error');
    sendOAuthError(reply, err);
    return;
  }
  const wire = toWireError(err, request.headers['content-type']);
  if (wire.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: wire.code, status: wire.status }, wire.message);
  void reply
    .code(wire.status)
    .headers(wire.headers)
    .header('x-error-code', wire.code)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ response_code: wire.status, response_message: wire.message, payload: null }));
}

export function envelopeNotFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .code(404)
    .header('x-error-code', 'route_not_found')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ response_code: 404, response_message: `No route for ${request.method} ${request.url.split('?')[0]}`, payload: null }));
}
