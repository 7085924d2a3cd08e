import { openWithSecret, sealWithSecret, secretDigest } from '../../../core/crypto/secrets.js';
import { isLocked } from '../../identity/index.js';
import { OAuthError, oauthErrors } from '../errors.js';
import { TOKEN_PURPOSE, parseScopes, tokenResponse, type IssuedTokens } from '../model.js';
import * as repo from '../repository.js';
import type { Grant } from '../service.js';

/** What a retry within the grace window gets back, sealed under the presented refresh token. */
interface SealedRotation {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  requestedScopes: string[];
}

/**
 * RFC 6749 §6 with rotation and reuse detection (RFC 9700 §4.14.2; ADR 0004). Each refresh
 * consumes the presented token and issues a successor. A retry with the consumed token within
 * the grace window gets the very same successor (FAPI 2.0's lost-response retry); a reuse after
 * it revokes the whole family. Spring's messages are kept (reference §1.3).
 *
 * The common case is one prepared statement (`repo.rotateRefreshToken`); when it declines, a
 * transaction locks the row and finds out why, answering the retry, the reuse or the precise error.
 */
export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  async handler(rt, client, params) {
    const presented = params['refresh_token'];
    if (presented === undefined || presented === '') throw oauthErrors.invalidRequest('Missing refresh_token parameter');
    const requested = parseScopes(params['scope']);
    const now = rt.clock.now(client.companyId);
    const minted = rt.mint(client, now, true);
    const sealed: SealedRotation = {
      accessToken: minted.accessToken,
      accessExpiresAt: minted.access.expiresAt.toISOString(),
      refreshToken: minted.refreshToken!,
      requestedScopes: requested,
    };
    const rotation: repo.Rotation = {
      presentedDigest: secretDigest(TOKEN_PURPOSE.refresh, presented),
      clientId: client.clientId,
      requestedScopes: requested,
      at: now,
      sealedRetryResponse: sealWithSecret(presented, JSON.stringify(sealed)),
      access: minted.access,
      refresh: minted.refresh!,
    };
    const issued = (scopes: string[], from: SealedRotation): IssuedTokens => ({
      accessToken: from.accessToken,
      accessExpiresAt: new Date(from.accessExpiresAt),
      refreshToken: from.refreshToken,
      scopes: from.requestedScopes.length > 0 ? from.requestedScopes : scopes,
    });

    // The common case is the one statement. When it declines, a transaction locks the row and
    // tells why; if it finds nothing wrong (a race with a change that has since settled), the
    // statement is tried once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      const scopes = await repo.rotateRefreshToken(rt.database, rotation);
      if (scopes) return tokenResponse(issued(scopes, sealed), rt.clock.now(client.companyId));
      const outcome = await rt.db.transaction(async (tx): Promise<IssuedTokens | OAuthError | 'rotatable'> => {
        const row = await repo.findRefreshToken(tx, rotation.presentedDigest, true);
        if (!row) return oauthErrors.invalidGrant(`Invalid refresh token: ${presented}`);
        if (row.clientId !== client.clientId) return oauthErrors.invalidGrant(`Wrong client for this refresh token: ${presented}`);
        if (row.revokedAt !== null) {
          // Disabling a user revokes its tokens (ADR 0038); while it is disabled, say so, as Spring does.
          const user = row.userId === null ? null : await rt.identity.findUserById(row.userId, tx);
          return oauthErrors.invalidGrant(user?.status === 'DISABLED' ? 'User is disabled' : `Invalid refresh token: ${presented}`);
        }
        if (row.expiresAt.getTime() <= now.getTime()) return oauthErrors.invalidToken(`Invalid refresh token (expired): ${presented}`);

        if (row.consumedAt !== null) {
          const withinGrace = now.getTime() - row.consumedAt.getTime() <= rt.settings.refreshReuseGraceSeconds * 1000;
          const prior = withinGrace && row.retryResponse ? openWithSecret(presented, row.retryResponse) : null;
          if (prior) return issued(row.scopes, JSON.parse(prior) as SealedRotation);
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
        return 'rotatable';
      });
      if (outcome === 'rotatable') continue;
      // A reuse verdict revoked the family inside the transaction; its error is raised after commit.
      if (outcome instanceof OAuthError) throw outcome;
      return tokenResponse(outcome, rt.clock.now(client.companyId));
    }
    throw oauthErrors.invalidGrant(`Invalid refresh token: ${presented}`);
  },
};
