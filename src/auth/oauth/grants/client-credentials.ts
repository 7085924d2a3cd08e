import { parseScopes, tokenResponse } from '../model.js';
import type { Grant } from '../service.js';
import { grantedScopes } from './scopes.js';

/** RFC 6749 §4.4: an access token for the client itself, without a refresh token (as Spring). */
export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  async handler(rt, client, params) {
    const scopes = grantedScopes(client, parseScopes(params['scope']));
    const issued = await rt.issue({ client, userId: null, scopes, familyId: null, withRefreshToken: false });
    return tokenResponse(issued, rt.clock.now(client.companyId));
  },
};
