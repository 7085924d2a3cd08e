import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../core/clock/clock.js';
import type { Database, Executor } from '../../core/db/engine.js';
import { queryRows, rawSql, withTransaction } from '../../core/db/transaction.js';
import { derivePayloadKey } from '../../core/crypto/payload-cipher.js';
import { hashPassword } from '../../core/crypto/passwords.js';
import { digestsEqual, secretDigest } from '../../core/crypto/secrets.js';
import { COMPANY_ID_PATTERN, newCompanyId, newId } from '../../core/ids/ids.js';
import { ClientExistsError, CompanyExistsError, CompanyNotFoundError, InvalidIdentityInputError, UserNotFoundError, UsernameTakenError } from './errors.js';
import {
  DEFAULT_PAYLOAD_ENCRYPTION,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
  DEFAULT_SCOPES,
  GRANT_TYPES,
  PAYLOAD_ENCRYPTION_MODES,
  PAYOUT_CHECKSUM_MODES,
  SCOPE_TOKEN,
  isValidUsername,
  normalizeUsername,
  type Company,
  type GrantType,
  type LoginSubject,
  type OAuthClient,
  type PayloadEncryptionMode,
  type PayoutChecksumMode,
  type User,
} from './model.js';
import { endSessions } from '../oauth/repository.js';
import * as repo from './repository.js';

export const CLIENT_SECRET_PURPOSE = 'client-secret';

export interface NewClientInput {
  companyId: string;
  grantTypes?: GrantType[];
  scopes?: string[];
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** `required` by default (DEFAULT_PAYLOAD_ENCRYPTION). */
  payloadEncryption?: PayloadEncryptionMode;
  /** Payout request checksum verification; `off` by default. */
  payoutChecksum?: PayoutChecksumMode;
  /** Whether the payout APIs answer; true by default (off: 403 "APIs not enabled"). */
  payoutsEnabled?: boolean;
  /** Only the sandbox seed passes a fixed secret; everything else gets a generated one. */
  secret?: string;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

function assertPayloadEncryptionMode(mode: string): asserts mode is PayloadEncryptionMode {
  if (!(PAYLOAD_ENCRYPTION_MODES as readonly string[]).includes(mode)) {
    throw new InvalidIdentityInputError(`payload encryption must be one of ${PAYLOAD_ENCRYPTION_MODES.join(', ')}`, { param: 'payloadEncryption' });
  }
}

function assertPayoutChecksumMode(mode: string): asserts mode is PayoutChecksumMode {
  if (!(PAYOUT_CHECKSUM_MODES as readonly string[]).includes(mode)) {
    throw new InvalidIdentityInputError(`payout checksum must be one of ${PAYOUT_CHECKSUM_MODES.join(', ')}`, { param: 'payoutChecksum' });
  }
}

/** How long an authenticated client is remembered; an admin change reaches every process within it. */
const CLIENT_CACHE_MS = 5_000;
const CLIENT_CACHE_MAX = 10_000;

export function createIdentityService(deps: { db: Executor; clock: Clock; database?: Pick<Database, 'prepared'> }) {
  const { db, clock, database } = deps;
  // Without the Database (CLI and ledger tests), the prepared read runs as a plain query.
  const preparedOn: Pick<Database, 'prepared'> = database ?? { prepared: (_name, text, params) => queryRows(db, rawSql(text, params)) };
  const clientCache = new Map<string, { client: OAuthClient; untilMs: number }>();
  /** An operator's change of a client setting; the remembered client authentications are dropped. */
  async function updateSettings(clientId: string, settings: repo.ClientSettings): Promise<void> {
    if (!(await repo.updateClientSettings(db, clientId, settings))) throw new CompanyNotFoundError(`company ${clientId} has no OAuth client`);
    clientCache.clear();
  }

  return {
    /** Creates a company. Throws invalid_identity_input, company_exists. */
    async createCompany(input: { name: string; id?: string }): Promise<Company> {
      const name = input.name.trim();
      if (name.length === 0 || name.length > 200) throw new InvalidIdentityInputError('name must be 1 to 200 characters', { param: 'name' });
      const id = input.id ?? newCompanyId();
      if (!COMPANY_ID_PATTERN.test(id)) {
        throw new InvalidIdentityInputError('company id must be CEK followed by 7 upper-case letters or digits', { param: 'id' });
      }
      const company = { id, name, createdAt: clock.now() };
      try {
        await repo.insertCompany(db, company);
      } catch (err) {
        if (repo.uniqueViolation(err)) throw new CompanyExistsError(`company ${id} already exists`, { param: 'id' });
        throw err;
      }
      return company;
    },

    /** `exec`: read in the caller's open transaction (a listener inside one cannot wait for another connection on PGlite). */
    async findCompany(id: string, exec: Executor = db): Promise<Company | null> {
      return repo.findCompany(exec, id);
    },

    /** Whether the company is in sandbox mode (the default: webhooks may target private addresses); null when unknown. */
    async isSandboxCompany(id: string, exec: Executor = db): Promise<boolean | null> {
      return repo.findCompanySandboxMode(exec, id);
    },

    /** Switches a company between sandbox and live mode. Throws company_not_found. */
    async setSandboxMode(id: string, sandbox: boolean): Promise<void> {
      if (!(await repo.setCompanySandboxMode(db, id, sandbox))) throw new CompanyNotFoundError(`company ${id} does not exist`);
    },

    /** Creates a user with an argon2id password hash. Throws invalid_identity_input, company_not_found, username_taken. */
    async createUser(input: { companyId: string; username: string; password: string }): Promise<User> {
      const username = normalizeUsername(input.username);
      if (!isValidUsername(username)) {
        throw new InvalidIdentityInputError('username must be a 10-digit Indian mobile number or an email address', { param: 'username' });
      }
      if (input.password.length < 8 || input.password.length > 128) {
        throw new InvalidIdentityInputError('password must be 8 to 128 characters', { param: 'password' });
      }
      if (!(await repo.findCompany(db, input.companyId))) throw new CompanyNotFoundError(`company ${input.companyId} does not exist`);
      const now = clock.now();
      const user: User = {
        id: newId('usr', now),
        companyId: input.companyId,
        username,
        passwordHash: await hashPassword(input.password),
        status: 'ACTIVE',
        failedAttempts: 0,
        lockedUntil: null,
      };
      try {
        await repo.insertUser(db, user, now);
      } catch (err) {
        if (repo.uniqueViolation(err)) throw new UsernameTakenError(`username ${username} is already registered`, { param: 'username' });
        throw err;
      }
      return user;
    },

    /**
     * Creates the OAuth client of a company and returns its secret, which is shown once and
     * stored only as a digest. Throws invalid_identity_input, company_not_found, client_exists.
     */
    async createClient(input: NewClientInput): Promise<{ client: OAuthClient; secret: string }> {
      const grantTypes = input.grantTypes ?? ['client_credentials', 'refresh_token'];
      for (const g of grantTypes) {
        if (!(GRANT_TYPES as readonly string[]).includes(g)) {
          throw new InvalidIdentityInputError(`grant type must be one of ${GRANT_TYPES.join(', ')} (got ${g})`, { param: 'grantTypes' });
        }
      }
      const scopes = input.scopes ?? DEFAULT_SCOPES;
      if (scopes.length === 0 || !scopes.every((s) => SCOPE_TOKEN.test(s))) {
        throw new InvalidIdentityInputError('scopes must be one or more RFC 6749 scope tokens', { param: 'scopes' });
      }
      const mode = input.payloadEncryption ?? DEFAULT_PAYLOAD_ENCRYPTION;
      assertPayloadEncryptionMode(mode);
      const payoutChecksum = input.payoutChecksum ?? 'off';
      assertPayoutChecksumMode(payoutChecksum);
      const ttl = (v: number | undefined, fallback: number, param: string) => {
        const value = v ?? fallback;
        if (!Number.isInteger(value) || value < 1 || value > 315_360_000) {
          throw new InvalidIdentityInputError(`${param} must be a whole number of seconds from 1 to 315360000`, { param });
        }
        return value;
      };
      const accessTokenTtlSeconds = ttl(input.accessTokenTtlSeconds, DEFAULT_ACCESS_TOKEN_TTL_SECONDS, 'accessTokenTtlSeconds');
      const refreshTokenTtlSeconds = ttl(input.refreshTokenTtlSeconds, DEFAULT_REFRESH_TOKEN_TTL_SECONDS, 'refreshTokenTtlSeconds');
      if (!(await repo.findCompany(db, input.companyId))) throw new CompanyNotFoundError(`company ${input.companyId} does not exist`);

      // 160 bits as 40 hex characters: the shape of EnKash's own client secrets.
      const secret = input.secret ?? randomBytes(20).toString('hex');
      const client: OAuthClient = {
        clientId: input.companyId,
        companyId: input.companyId,
        secretDigest: secretDigest(CLIENT_SECRET_PURPOSE, secret),
        payloadKey: derivePayloadKey(secret),
        payloadEncryption: mode,
        payoutChecksum,
        payoutsEnabled: input.payoutsEnabled ?? true,
        grantTypes: [...new Set(grantTypes)],
        scopes: [...new Set(scopes)],
        accessTokenTtlSeconds,
        refreshTokenTtlSeconds,
      };
      try {
        await repo.insertClient(db, client, clock.now());
      } catch (err) {
        if (repo.uniqueViolation(err)) throw new ClientExistsError(`company ${input.companyId} already has an OAuth client`, { param: 'companyId' });
        throw err;
      }
      return { client, secret };
    },

    async findClient(clientId: string): Promise<OAuthClient | null> {
      return repo.findClient(db, clientId);
    },

    /**
     * Switches the client's AES payload wrapping (reference §1.5). Tokens read the mode on every
     * request, so it applies to the next call. Throws invalid_identity_input, company_not_found.
     */
    async setPayloadEncryption(clientId: string, mode: PayloadEncryptionMode): Promise<void> {
      assertPayloadEncryptionMode(mode);
      await updateSettings(clientId, { payloadEncryption: mode });
    },

    /** Switches the client's payout checksum verification. Throws invalid_identity_input, company_not_found. */
    async setPayoutChecksum(clientId: string, mode: PayoutChecksumMode): Promise<void> {
      assertPayoutChecksumMode(mode);
      await updateSettings(clientId, { payoutChecksum: mode });
    },

    /**
     * Turns the client's payout APIs on or off (off: EnKash's 403 "APIs not enabled" on every payout
     * route). The token lookup reads it on every request, so it applies to the next call. Throws
     * company_not_found.
     */
    async setPayoutsEnabled(clientId: string, enabled: boolean): Promise<void> {
      await updateSettings(clientId, { payoutsEnabled: enabled });
    },

    /**
     * Client authentication. Unknown client and wrong secret take the same path and the same
     * time: the digest of the presented secret is always computed and compared. A success is
     * remembered for a few seconds under the client id *and* the presented secret's digest, which
     * takes a database round trip off every token request (ADR 0007); a wrong secret is never
     * served from memory.
     */
    async authenticateClient(clientId: string, secret: string): Promise<OAuthClient | null> {
      const presented = secretDigest(CLIENT_SECRET_PURPOSE, secret);
      const key = `${clientId}\u0000${presented}`;
      const cached = clientCache.get(key);
      if (cached && cached.untilMs > performance.now()) return cached.client;
      const client = await repo.findActiveClient(db, clientId);
      const ok = digestsEqual(client?.secretDigest ?? '0'.repeat(64), presented);
      if (!client || !ok) return null;
      if (clientCache.size >= CLIENT_CACHE_MAX) clientCache.clear();
      clientCache.set(key, { client, untilMs: performance.now() + CLIENT_CACHE_MS });
      return client;
    },

    async findUserByUsername(username: string): Promise<User | null> {
      return repo.findUserByUsername(db, normalizeUsername(username));
    },

    /** `exec` lets a caller read inside its own transaction (PGlite has a single connection). */
    async findUserById(id: string, exec: Executor = db): Promise<User | null> {
      return repo.findUser(exec, id);
    },

    /**
     * Counts one bad password and locks the account for `lockMinutes` when `threshold`
     * consecutive ones are reached (EnKash: "after 3 consecutive failed attempts, the account
     * will be locked"). Returns the new count, or null when it was already locked.
     */
    async recordFailedLogin(user: User, threshold: number, lockMinutes: number): Promise<number | null> {
      const now = clock.now(user.companyId);
      return repo.recordFailedLogin(db, user.id, threshold, new Date(now.getTime() + lockMinutes * 60_000), now);
    },

    /**
     * The password grant's read, one statement: the user named `username` (normalised) and the
     * failures of that name as an unknown name of `companyId` (its `nameDigest`, a keyed digest).
     */
    async findLoginSubject(username: string, companyId: string, nameDigest: string): Promise<LoginSubject> {
      return repo.findLoginSubject(preparedOn, username, companyId, nameDigest);
    },

    /** `recordFailedLogin` for a name that is no user of the company, kept under its digest (ADR 0047). */
    async recordUnknownLoginFailure(companyId: string, nameDigest: string, threshold: number, lockMinutes: number): Promise<number | null> {
      const now = clock.now(companyId);
      return repo.recordUnknownLoginFailure(db, { companyId, nameDigest }, threshold, new Date(now.getTime() + lockMinutes * 60_000), now);
    },

    /** Housekeeping: forgets up to `limit` unknown names whose lock has run out (their next failure starts afresh anyway). */
    async pruneExpiredUnknownLogins(limit: number): Promise<number> {
      return repo.pruneExpiredUnknownLogins(db, clock.now(), limit);
    },

    /** Clears the consecutive-failure count and an expired lock after a good password. */
    async clearLoginFailures(user: User): Promise<void> {
      if (user.failedAttempts === 0 && user.lockedUntil === null) return;
      await repo.updateUserLoginState(db, user.id, { failedAttempts: 0, lockedUntil: null }, clock.now(user.companyId));
    },

    /** Clears the bad-password count and any lock. Throws user_not_found. */
    async unlockUser(username: string): Promise<void> {
      if (!(await repo.unlockUser(db, normalizeUsername(username), clock.now()))) throw new UserNotFoundError(`no user ${username}`);
    },

    /**
     * Disabling ends the user's sessions in the same transaction (its tokens are revoked, so
     * enabling revives none of them); enabling lets the user log in again. Throws user_not_found.
     */
    async setUserEnabled(username: string, enabled: boolean): Promise<void> {
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        const userId = await repo.setUserStatus(tx, normalizeUsername(username), enabled ? 'ACTIVE' : 'DISABLED', now);
        if (!userId) throw new UserNotFoundError(`no user ${username}`);
        if (!enabled) await endSessions(tx, { userId }, now);
      });
    },

    /**
     * Disabling a company refuses its client's authentication and ends every token of its users
     * and client in the same transaction; enabling lets them log in again. Throws company_not_found.
     */
    async setCompanyEnabled(companyId: string, enabled: boolean): Promise<void> {
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        if (!(await repo.setCompanyStatus(tx, companyId, enabled ? 'ACTIVE' : 'DISABLED')))
          throw new CompanyNotFoundError(`company ${companyId} does not exist`);
        if (!enabled) await endSessions(tx, { companyId }, now);
      });
      clientCache.clear();
    },

    /** Revokes the company's OAuth client for good and ends its tokens in the same transaction. Throws company_not_found. */
    async revokeClient(clientId: string): Promise<void> {
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        if (!(await repo.revokeClient(tx, clientId, now))) throw new CompanyNotFoundError(`company ${clientId} has no OAuth client`);
        await endSessions(tx, { clientId }, now);
      });
      clientCache.clear();
    },
  };
}
