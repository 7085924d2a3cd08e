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
    // A wrong password is answered before its failed attempt is written (the write still holds the
    // section, so the next attempt of this username reads it): a known username with a wrong
    // password then costs what an unknown one costs, a lookup and one hash, and the answer's time
    // does not tell which usernames exist (issue 16).
    let refuse!: (err: unknown) => void;
    const refused = new Promise<never>((_, reject) => (refuse = reject));
    const section = rt.loginMutex.run(username, async () => {
      const found = username === '' ? null : await rt.identity.findUserByUsername(username);
      // A user of another company is as unknown as a missing one; both still pay for a verify.
      if (!found || found.companyId !== client.companyId) {
        await burnPasswordVerify(password);
        throw oauthErrors.invalidGrant('Bad credentials');
      }
      const at = rt.clock.now(client.companyId);
      if (isLocked(found, at)) throw oauthErrors.invalidGrant('User account is locked');
      if (found.status === 'DISABLED') throw oauthErrors.invalidGrant('User is disabled');
      if (!(await verifyPassword(found.passwordHash, password))) {
        refuse(oauthErrors.invalidGrant('Bad credentials'));
        await rt.identity.recordFailedLogin(found, rt.settings.lockoutAttempts, rt.settings.lockoutMinutes);
        return null;
      }
      await rt.identity.clearLoginFailures(found);
      return found;
    });
    // The caller has its answer when the write of a failed attempt fails; the next attempt reads the database again.
    section.catch(() => undefined);
    const user = await Promise.race([section, refused]);
    if (!user) throw oauthErrors.invalidGrant('Bad credentials');
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
