import { burnPasswordVerify, verifyPassword } from '../../../core/crypto/passwords.js';
import { newId } from '../../../core/ids/ids.js';
import { isLocked, normalizeUsername } from '../../identity/index.js';
import { oauthErrors } from '../errors.js';
import { parseScopes, tokenResponse } from '../model.js';
import type { Grant } from '../service.js';
import { grantedScopes } from './scopes.js';

/**
 * RFC 6749 §4.3, the grant EnKash uses (reference §1.2(b)). RFC 9700 §2.4 forbids it for new
 * designs, so it is off unless a client has it enabled. The order of checks is Spring's
 * AbstractUserDetailsAuthenticationProvider: locked, then disabled, then the password; the
 * per-username limit runs before any of them so that a flood computes no hash, and each attempt
 * is counted towards the lockout before its hash is computed.
 */
export const passwordGrant: Grant = {
  grantType: 'password',
  async handler(rt, client, params) {
    const username = normalizeUsername(params['username'] ?? '');
    const password = params['password'] ?? '';
    const now = rt.clock.now(client.companyId);
    const limit = rt.usernameLimiter.take(username, now.getTime());
    if (!limit.allowed) throw oauthErrors.tooManyRequests(limit.retryAfterSeconds, 'login attempts for this username');
    const scopes = grantedScopes(client, parseScopes(params['scope']));

    const user = username === '' ? null : await rt.identity.findUserByUsername(username);
    // A user of another company is as unknown as a missing one; both still pay for a verify.
    if (!user || user.companyId !== client.companyId) {
      await burnPasswordVerify(password);
      throw oauthErrors.invalidGrant('Bad credentials');
    }
    if (isLocked(user, now)) throw oauthErrors.invalidGrant('User account is locked');
    if (user.status === 'DISABLED') throw oauthErrors.invalidGrant('User is disabled');
    // The attempt is counted before the hash: parallel guesses against one unlocked snapshot
    // would otherwise all be evaluated before the first failure is recorded.
    const attempt = await rt.identity.reserveLoginAttempt(user, rt.settings.lockoutAttempts, rt.settings.lockoutMinutes);
    if (attempt === null) throw oauthErrors.invalidGrant('User account is locked');
    if (!(await verifyPassword(user.passwordHash, password))) throw oauthErrors.invalidGrant('Bad credentials');
    await rt.identity.clearLoginFailures(user);
    const issued = await rt.db.transaction((tx) =>
      rt.issue(tx, { client, userId: user.id, scopes, familyId: newId('fam', now), withRefreshToken: client.grantTypes.includes('refresh_token') }),
    );
    return tokenResponse(issued, rt.clock.now(client.companyId));
  },
};
