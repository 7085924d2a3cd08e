import type { OAuthClient } from '../../identity/index.js';
import { oauthErrors } from '../errors.js';

/**
 * Spring's DefaultOAuth2RequestFactory: no requested scope means all of the client's scopes; any
 * requested scope outside them is `invalid_scope` "Invalid scope: <s>" with the allowed set.
 */
export function grantedScopes(client: OAuthClient, requested: string[]): string[] {
  if (requested.length === 0) return client.scopes;
  for (const scope of requested) {
    if (!client.scopes.includes(scope)) throw oauthErrors.invalidScope(`Invalid scope: ${scope}`, client.scopes);
  }
  return requested;
}
