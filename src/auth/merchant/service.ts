import type { Clock } from '../../core/clock/clock.js';
import type { Database } from '../../core/db/engine.js';
import { sqlState, uniqueViolation } from '../../core/db/transaction.js';
import { CompanyNotFoundError } from '../identity/errors.js';
import { SecretsKeyMismatchError, type SecretsKey } from '../../core/events/index.js';
import type { Principal } from '../../core/http/principal.js';
import { digestsEqual, newOpaqueToken, secretDigest } from '../../core/crypto/secrets.js';
import { newId, randomChars } from '../../core/ids/ids.js';
import { MerchantCredentialsError, MerchantKeyExistsError, MerchantKeyNotFoundError, MerchantTokenError } from './errors.js';
import * as repo from './repository.js';

const SECRET_PURPOSE = 'merchant_secret';
const TOKEN_PURPOSE = 'merchant_token';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** A digest no secret has, checked when the access key is unknown so that both paths cost the same. */
const ABSENT_DIGEST = secretDigest(SECRET_PURPOSE, 'absent');

/** The merchant key a gateway request was made with (set beside `request.principal`). */
export interface MerchantIdentity {
  accessKey: string;
  accessKeyId: string;
}

export interface MerchantKey {
  accessKey: string;
  companyId: string;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: Date;
  revokedAt: Date | null;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface MerchantService {
  /**
   * Creates a merchant key pair for a company; the secret is returned once. Explicit values are
   * for the sandbox company's documented keys. @throws merchant_key_exists, company_not_found
   */
  createKey(companyId: string, explicit?: { accessKey: string; secretKey: string }): Promise<{ key: MerchantKey; secretKey: string }>;
  findKey(accessKey: string): Promise<MerchantKey | undefined>;
  listKeys(companyId: string): Promise<MerchantKey[]>;
  /** @throws merchant_key_not_found (unknown or already revoked) */
  revokeKey(accessKey: string): Promise<MerchantKey>;
  /** `POST /api/v0/merchant/token`. @throws merchant_credentials_invalid */
  issueToken(accessKey: string, secretKey: string): Promise<IssuedToken>;
  /** The bearer token and `merchantAccessKey` header of a gateway call. @throws merchant_token_invalid */
  verify(token: string, accessKey: string): Promise<{ principal: Principal; merchant: MerchantIdentity }>;
  /** The secret key that signs the `checksum` of this key's orders. @throws merchant_key_not_found */
  secretFor(companyId: string, accessKey: string): Promise<string>;
  pruneExpiredTokens(limit: number): Promise<number>;
  /**
   * Refuses to run with a server key that cannot open every merchant secret of this database
   * (keys made by a `tijori` run with another key file): each of their payments would fail later.
   * @throws secrets_key_mismatch, naming how many keys and the first one
   */
  checkSecretsKey(): Promise<void>;
}

export interface MerchantDeps {
  database: Database;
  clock: Clock;
  secretsKey: SecretsKey;
  tokenTtlSeconds: number;
}

function toKey(row: repo.AccessKeyRow): MerchantKey {
  return {
    accessKey: row.accessKey,
    companyId: row.companyId,
    status: row.status as MerchantKey['status'],
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * How long this process trusts a token it has checked without reading it again (real time). A
 * revocation in this process drops its tokens from the cache at once; one made by another process
 * (`tijori merchant-key revoke` beside a running server) takes effect here within this time.
 */
export const TOKEN_CACHE_MS = 2_000;
/** Bounds of the in-process caches (oldest entry out first). */
const TOKEN_CACHE_ENTRIES = 10_000;
const SECRET_CACHE_ENTRIES = 1_000;

/** A Map that forgets its oldest entry past `max` entries. */
function bounded<K, V>(max: number) {
  const map = new Map<K, V>();
  return {
    map,
    set(key: K, value: V): void {
      map.delete(key);
      if (map.size >= max) map.delete(map.keys().next().value as K);
      map.set(key, value);
    },
  };
}

/** Sealed secrets are bound to their access key, so a row's secret cannot be moved to another row. */
const sealContext = (accessKey: string) => `merchant_access_key:${accessKey}`;

export function createMerchantService(deps: MerchantDeps): MerchantService {
  const { database, clock, secretsKey, tokenTtlSeconds } = deps;
  const db = database.db;
  const invalid = () => new MerchantTokenError('Invalid or expired token');
  // Checked tokens (by digest, with their key as read), so that a gateway call costs no query.
  const tokens = bounded<string, { found: { token: repo.TokenRow; key: repo.AccessKeyRow }; until: number }>(TOKEN_CACHE_ENTRIES);
  // Opened merchant secrets: a key's secret is sealed once, at its creation, and never changes.
  const secrets = bounded<string, string>(SECRET_CACHE_ENTRIES);

  async function findToken(tokenDigest: string, now: number) {
    const cached = tokens.map.get(tokenDigest);
    if (cached && cached.until > now) return cached.found;
    const found = await repo.findToken(db, tokenDigest);
    if (found) tokens.set(tokenDigest, { found, until: now + TOKEN_CACHE_MS });
    else tokens.map.delete(tokenDigest);
    return found;
  }

  return {
    async createKey(companyId, explicit) {
      const accessKey = explicit?.accessKey ?? `ak_${randomChars(KEY_ALPHABET, 20)}`;
      const secretKey = explicit?.secretKey ?? `sk_${newOpaqueToken()}`;
      const row: repo.AccessKeyRow = {
        id: newId('mak'),
        companyId,
        accessKey,
        secretDigest: secretDigest(SECRET_PURPOSE, secretKey),
        secretSealed: secretsKey.seal(secretKey, sealContext(accessKey)),
        status: 'ACTIVE',
        createdAt: clock.now(),
        revokedAt: null,
      };
      try {
        await repo.insertAccessKey(db, row);
      } catch (err) {
        if (uniqueViolation(err) === 'uq_merchant_access_keys_access_key') throw new MerchantKeyExistsError(`Access key ${accessKey} already exists`);
        if (sqlState(err) === '23503') throw new CompanyNotFoundError(`No company ${companyId}`);
        throw err;
      }
      return { key: toKey(row), secretKey };
    },

    async findKey(accessKey) {
      const row = await repo.findAccessKey(db, accessKey);
      return row && toKey(row);
    },

    async listKeys(companyId) {
      return (await repo.listAccessKeys(db, companyId)).map(toKey);
    },

    async revokeKey(accessKey) {
      const row = await repo.revokeAccessKey(db, accessKey, clock.now());
      if (!row) throw new MerchantKeyNotFoundError(`No active access key ${accessKey}`);
      for (const [digest, entry] of tokens.map) if (entry.found.key.id === row.id) tokens.map.delete(digest);
      return toKey(row);
    },

    async issueToken(accessKey, secretKey) {
      const row = await repo.findAccessKey(db, accessKey);
      const presented = secretDigest(SECRET_PURPOSE, secretKey);
      const matches = digestsEqual(presented, row?.secretDigest ?? ABSENT_DIGEST);
      if (!row || !matches || row.status !== 'ACTIVE') throw new MerchantCredentialsError('Invalid accessKey or secretKey');
      const token = newOpaqueToken();
      const issuedAt = clock.now();
      const expiresAt = new Date(issuedAt.getTime() + tokenTtlSeconds * 1000);
      await repo.insertToken(db, {
        id: newId('mtk'),
        tokenDigest: secretDigest(TOKEN_PURPOSE, token),
        companyId: row.companyId,
        accessKeyId: row.id,
        issuedAt,
        expiresAt,
      });
      return { token, expiresAt };
    },

    async verify(token, accessKey) {
      const now = clock.now().getTime();
      const found = await findToken(secretDigest(TOKEN_PURPOSE, token), now);
      if (!found || found.key.status !== 'ACTIVE' || found.token.expiresAt.getTime() <= now) throw invalid();
      // The header must name the key the token was issued to (reference §1.2(a): both are required).
      if (found.key.accessKey !== accessKey) throw new MerchantTokenError('merchantAccessKey does not match the token');
      return {
        principal: {
          companyId: found.token.companyId,
          clientId: found.key.accessKey,
          userId: null,
          username: null,
          scopes: ['read', 'write'],
          payloadEncryption: 'off',
          payloadKey: Buffer.alloc(0),
          // Gateway keys never reach the payout APIs (auth/merchant/guard.ts).
          payoutsEnabled: false,
        },
        merchant: { accessKey: found.key.accessKey, accessKeyId: found.key.id },
      };
    },

    async secretFor(companyId, accessKey) {
      const cacheKey = `${companyId}\u0000${accessKey}`;
      const cached = secrets.map.get(cacheKey);
      if (cached !== undefined) return cached;
      const row = await repo.findCompanyAccessKey(db, companyId, accessKey);
      if (!row) throw new MerchantKeyNotFoundError(`No access key ${accessKey} in company ${companyId}`);
      const secret = secretsKey.open(row.secretSealed, sealContext(row.accessKey));
      secrets.set(cacheKey, secret);
      return secret;
    },

    async checkSecretsKey() {
      const unopened = (await repo.listSealedSecrets(db)).filter((row) => {
        try {
          secretsKey.open(row.secretSealed, sealContext(row.accessKey));
          return false;
        } catch {
          return true;
        }
      });
      if (unopened.length === 0) return;
      throw new SecretsKeyMismatchError(
        `The server key cannot open the secrets of ${unopened.length} merchant key(s) stored in this database (${unopened[0]!.accessKey} first): ` +
          "start every process, the tijori CLI included, with the SECRETS_KEY (or the data folder's secrets.key) they were sealed with",
      );
    },

    pruneExpiredTokens(limit) {
      return repo.pruneExpiredTokens(db, clock.now(), limit);
    },
  };
}
