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
 * AbstractUserDetailsAuthenticationProvider: locked, then disabled, then the password. The
 * per-username limit runs before any of them, so a flood computes no hash.
 *
 * The checks of one username run one at a time in this process: a burst of parallel guesses is
 * then evaluated like a sequence (3 hashes, then "locked"), while parallel logins with the right
 * password all succeed. Across processes the count is still atomic in the database.
 */
export const passwordGrant: Grant = {
  grantType: 'password',
  async handler(rt, client, params) {
    const username = normalizeUsername(params['username'] ?? '');
    const password = params['password'] ?? '';
    const now = rt.clock.now(client.companyId);
    // Keyed by client too: another company's client cannot exhaust this company's user's window.
    const limit = rt.usernameLimiter.take(`${client.clientId}:${username}`, now.getTime());
    if (!limit.allowed) throw oauthErrors.tooManyRequests(limit.retryAfterSeconds, 'login attempts for this username');
    const scopes = grantedScopes(client, parseScopes(params['scope']));

    // The user is read inside the section, so every check sees what the previous attempt wrote.
    // A known username with a wrong password and an unknown one do the same work (issue 16 item 5,
    // ADR 0047): one read (the user, and the name's failures as an unknown name), one hash, one
    // write of the failed attempt (to the user, or to the name's keyed digest), then the answer.
    // The answer's time does not tell which usernames exist, and an unknown name locks as a user does.
    const user = await rt.loginMutex.run(username, async () => {
      const nameDigest = rt.nameDigest(client.companyId, username);
      const subject = await rt.identity.findLoginSubject(username, client.companyId, nameDigest);
      // A user of another company is as unknown as a missing one.
      const known = subject.user?.companyId === client.companyId ? subject.user : null;
      if (isLocked(known ?? subject.unknownName, rt.clock.now(client.companyId))) throw oauthErrors.invalidGrant('User account is locked');
      if (known?.status === 'DISABLED') throw oauthErrors.invalidGrant('User is disabled');
      if (known && (await verifyPassword(known.passwordHash, password))) {
        await rt.identity.clearLoginFailures(known);
        return known;
      }
      const { lockoutAttempts, lockoutMinutes } = rt.settings;
      if (known) await rt.identity.recordFailedLogin(known, lockoutAttempts, lockoutMinutes);
      else {
        await burnPasswordVerify(password);
        await rt.identity.recordUnknownLoginFailure(client.companyId, nameDigest, lockoutAttempts, lockoutMinutes);
      }
      throw oauthErrors.invalidGrant('Bad credentials');
    });
    const issued = await rt.issue({
      client,
      userId: user.id,
      scopes,
      familyId: newId('fam', now),
      withRefreshToken: client.grantTypes.includes('refresh_token'),
    });
    return tokenResponse(issued, rt.clock.now(client.companyId));
  },
};
