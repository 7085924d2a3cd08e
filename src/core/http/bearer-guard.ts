import type { FastifyRequest } from 'fastify';
import { accessDenied, resourceAuthRequired } from '../errors/oauth-error.js';
import type { TokenVerifier } from './principal.js';

// Any single credential after the scheme is looked up; an unknown one is Spring's invalid_token.
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The onRequest hook of /api/**: a bearer token is required, resolved to a principal, and the
 * route's declared scope checked. Errors keep Spring's OAuth2 shape (reference §1.3).
 */
export function bearerGuard(verifier: TokenVerifier) {
  return async function guard(request: FastifyRequest): Promise<void> {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw resourceAuthRequired();
    request.principal = await verifier.verifyAccessToken(match[1]!);
    const scope = request.routeOptions.config.scope;
    if (scope !== undefined && !request.principal.scopes.includes(scope)) throw accessDenied();
  };
}
