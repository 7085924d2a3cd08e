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

export const oauthErrors = {
  clientBadCredentials: (description = 'Bad credentials') => new OAuthError(401, 'unauthorized', description, { challenge: CLIENT_REALM }),
  clientAuthRequired: () => new OAuthError(401, 'unauthorized', FULL_AUTH_REQUIRED, { challenge: CLIENT_REALM }),
  invalidRequest: (description: string) => new OAuthError(400, 'invalid_request', description),
  duplicateParameter: (name: string) => new OAuthError(400, 'invalid_request', `Duplicate parameter: ${name}`),
  unsupportedGrantType: (grantType: string) => new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`),
  unauthorizedClient: (grantType: string) => new OAuthError(400, 'unauthorized_client', `Unauthorized grant type: ${grantType}`),
  invalidGrant: (description: string) => new OAuthError(400, 'invalid_grant', description),
  invalidScope: (description: string, allowed: string[]) => new OAuthError(400, 'invalid_scope', description, { extra: { scope: allowed.join(' ') } }),
  invalidToken: (description: string, challenge?: Challenge) => new OAuthError(401, 'invalid_token', description, challenge ? { challenge } : {}),
  resourceAuthRequired,
  accessDenied,
  tooManyRequests: (retryAfterSeconds: number, what: string) =>
    new OAuthError(429, 'too_many_requests', `Too many ${what}; retry in ${retryAfterSeconds} seconds`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
};
