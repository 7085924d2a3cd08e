import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../errors/oauth-error.js';
import { toWireError } from './wire-error.js';

/** RFC 6749 §5.1/§5.2: token responses and their errors must not be cached. */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

export function sendOAuthError(reply: FastifyReply, err: OAuthError): void {
  const challenge = err.wwwAuthenticate();
  if (challenge) reply.header('www-authenticate', challenge);
  void noStore(reply).code(err.status).headers(err.headers).type('application/json;charset=UTF-8').send(JSON.stringify(err.body()));
}

/** Framework and generic errors seen under /oauth, mapped to the nearest RFC 6749 §5.2 code. */
function toOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  const wire = toWireError(err);
  if (wire.status === 415) return new OAuthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  if (wire.status >= 500) return new OAuthError(500, 'server_error', 'Internal server error');
  if (wire.status === 404) return new OAuthError(404, 'not_found', wire.message);
  if (wire.status === 429) return new OAuthError(429, 'too_many_requests', wire.message, { headers: wire.headers });
  return new OAuthError(wire.status, 'invalid_request', wire.message, { headers: wire.headers });
}

/** The OAuth mapper: the error handler of the /oauth scope. */
export function oauthErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const oauthError = toOAuthError(err);
  if (oauthError.status >= 500) request.log.error({ err }, 'oauth request failed');
  else request.log.info({ error: oauthError.oauthError, status: oauthError.status }, 'oauth error');
  sendOAuthError(reply, oauthError);
}

export function oauthNotFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  sendOAuthError(reply, new OAuthError(404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
}
