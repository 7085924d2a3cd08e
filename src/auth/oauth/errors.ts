import {
  CLIENT_REALM,
  FULL_AUTH_REQUIRED,
  OAuthError,
  RESOURCE_REALM,
  accessDenied,
  resourceAuthRequired,
  type Challenge,
} from '../../core/errors/oauth-error.js';

export { OAuthError, RESOURCE_REALM };

/**
 * RFC 6749 §5.2: `error_description` MUST NOT contain characters outside %x20-21 / %x23-5B /
 * %x5D-7E. Spring echoes request values (grant type, scope, refresh token, parameter names) into
 * its messages; any other character of such a value is shown as `?`, so a hostile value can
 * neither break the rule nor a `WWW-Authenticate` challenge that quotes the description.
 */
export function printable(description: string): string {
  return description.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

export const oauthErrors = {
  clientBadCredentials: (description = 'Bad credentials') => new OAuthError(401, 'unauthorized', description, { challenge: CLIENT_REALM }),
  clientAuthRequired: () => new OAuthError(401, 'unauthorized', FULL_AUTH_REQUIRED, { challenge: CLIENT_REALM }),
  invalidRequest: (description: string) => new OAuthError(400, 'invalid_request', printable(description)),
  duplicateParameter: (name: string) => new OAuthError(400, 'invalid_request', printable(`Duplicate parameter: ${name}`)),
  unsupportedGrantType: (grantType: string) => new OAuthError(400, 'unsupported_grant_type', printable(`Unsupported grant type: ${grantType}`)),
  unauthorizedClient: (grantType: string) => new OAuthError(400, 'unauthorized_client', printable(`Unauthorized grant type: ${grantType}`)),
  invalidGrant: (description: string) => new OAuthError(400, 'invalid_grant', printable(description)),
  invalidScope: (description: string, allowed: string[]) =>
    new OAuthError(400, 'invalid_scope', printable(description), { extra: { scope: allowed.join(' ') } }),
  invalidToken: (description: string, challenge?: Challenge) =>
    new OAuthError(401, 'invalid_token', printable(description), challenge ? { challenge } : {}),
  resourceAuthRequired,
  accessDenied,
  tooManyRequests: (retryAfterSeconds: number, what: string) =>
    new OAuthError(429, 'too_many_requests', `Too many ${what}; retry in ${retryAfterSeconds} seconds`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
};
