import { openWithSecret, sealWithSecret, secretDigest } from '../../../core/crypto/secrets.js';
import { isLocked } from '../../identity/index.js';
import { OAuthError, oauthErrors } from '../errors.js';
import { TOKEN_PURPOSE, parseScopes, tokenResponse, type IssuedTokens } from '../model.js';
import * as repo from '../repository.js';
import type { Grant } from '../service.js';

interface SealedRotation {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  scopes: string[];
}

/**
 * RFC 6749 §6 with rotation and reuse detection (RFC 9700 §4.14.2; ADR 0004). Each refresh
 * consumes the presented token and issues a successor. A retry with the consumed token within
 * the grace window gets the very same successor (FAPI 2.0's lost-response retry); a reuse after
 * it revokes the whole family. Spring's messages are kept (reference §1.3).
 */
export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  async handler(rt, client, params) {
    const presented = params['refresh_token'];
    if (presented === undefined || presented === '') throw oauthErrors.invalidRequest('Missing refresh_token parameter');
    const requested = parseScopes(params['scope']);

    const outcome = await rt.db.transaction(async (tx): Promise<IssuedTokens | OAuthError> => {
      const row = await repo.findRefreshToken(tx, secretDigest(TOKEN_PURPOSE.refresh, presented), true);
      if (!row) return oauthErrors.invalidGrant(`Invalid refresh token: ${presented}`);
      if (row.clientId !== client.clientId) return oauthErrors.invalidGrant(`Wrong client for this refresh token: ${presented}`);
      if (row.revokedAt !== null) return oauthErrors.invalidGrant(`Invalid refresh token: ${presented}`);
      const now = rt.clock.now(client.companyId);
      if (row.expiresAt.getTime() <= now.getTime()) return oauthErrors.invalidToken(`Invalid refresh token (expired): ${presented}`);

      if (row.consumedAt !== null) {
        const withinGrace = now.getTime() - row.consumedAt.getTime() <= rt.settings.refreshReuseGraceSeconds * 1000;
        const sealed = withinGrace && row.retryResponse ? openWithSecret(presented, row.retryResponse) : null;
        if (sealed) {
          const prior = JSON.parse(sealed) as SealedRotation;
          return { ...prior, accessExpiresAt: new Date(prior.accessExpiresAt) };
        }
        // Reuse after rotation: either party may be the thief, so the whole grant ends.
        await repo.revokeFamily(tx, row.familyId, now);
        return oauthErrors.invalidGrant(`Invalid refresh token: ${presented}`);
      }

      for (const scope of requested) {
        if (!row.scopes.includes(scope)) {
          return oauthErrors.invalidScope(`Unable to narrow the scope of the client authentication to [${requested.join(', ')}].`, row.scopes);
        }
      }
      if (row.userId !== null) {
        const user = await rt.identity.findUserById(row.userId, tx);
        if (user && isLocked(user, now)) return oauthErrors.invalidGrant('User account is locked');
        if (user && user.status === 'DISABLED') return oauthErrors.invalidGrant('User is disabled');
      }

      await repo.revokeFamilyAccessTokens(tx, row.familyId, now);
      // RFC 6749 §6: the new refresh token's scope MUST equal the presented one's; only the access
      // token is narrowed (as Spring, which keeps the original authorization's scope).
      const issued = await rt.issue(tx, {
        client,
        userId: row.userId,
        scopes: requested.length > 0 ? requested : row.scopes,
        refreshScopes: row.scopes,
        familyId: row.familyId,
        withRefreshToken: true,
      });
      const sealedRotation: SealedRotation = {
        accessToken: issued.accessToken,
        accessExpiresAt: issued.accessExpiresAt.toISOString(),
        refreshToken: issued.refreshToken!,
        scopes: issued.scopes,
      };
      await repo.markRefreshConsumed(tx, row.id, now, sealWithSecret(presented, JSON.stringify(sealedRotation)));
      return issued;
    });

    // The reuse verdict revoked the family inside the transaction; its error is raised after commit.
    if (outcome instanceof OAuthError) throw outcome;
    return tokenResponse(outcome, rt.clock.now(client.companyId));
  },
};
