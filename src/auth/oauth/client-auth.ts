import { oauthErrors } from './errors.js';
import type { ClientCredentials } from './service.js';
import type { TokenParams } from './model.js';

/**
 * Client authentication as Spring's BasicAuthenticationFilter and (with
 * allowFormAuthenticationForClients) ClientCredentialsTokenEndpointFilter do it: the Basic header
 * first, else `client_id` + `client_secret` form fields. Using both at once is refused
 * (RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request").
 */
export function clientCredentialsFrom(authorization: string | undefined, params: TokenParams): ClientCredentials | null {
  const formId = params['client_id'];
  const formSecret = params['client_secret'];
  if (authorization !== undefined && /^basic /i.test(authorization.trimStart())) {
    const encoded = authorization.trim().slice(6).trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw oauthErrors.clientBadCredentials('Failed to decode basic authentication token');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw oauthErrors.clientBadCredentials('Invalid basic authentication token');
    const clientId = decoded.slice(0, colon);
    if (formSecret !== undefined) {
      throw oauthErrors.invalidRequest('Client credentials were sent in both the Authorization header and the request body');
    }
    if (formId !== undefined && formId !== clientId) throw oauthErrors.invalidRequest('client_id does not match the authenticated client');
    return { clientId, secret: decoded.slice(colon + 1) };
  }
  if (formId !== undefined && formSecret !== undefined) return { clientId: formId, secret: formSecret };
  return null;
}
