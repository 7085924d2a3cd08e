import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

export const companies = pgTable(
  'companies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Sandbox companies may send webhooks to private and loopback targets (core/events/ssrf-guard.ts). */
    sandboxMode: boolean('sandbox_mode').notNull().default(true),
    /** A DISABLED company's clients authenticate no more and its tokens are refused (`tijori company disable`). */
    status: text('status').notNull().default('ACTIVE'),
  },
  (t) => [check('ck_companies_id', sql`${t.id} ~ '^CEK[A-Z0-9]{7}$'`), check('ck_companies_status', sql`${t.status} in ('ACTIVE', 'DISABLED')`)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    status: text('status').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    unique('uq_users_username').on(t.username),
    foreignKey({ name: 'fk_users_company', columns: [t.companyId], foreignColumns: [companies.id] }),
    index('ix_users_company').on(t.companyId),
    check('ck_users_status', sql`${t.status} in ('ACTIVE', 'DISABLED')`),
    check('ck_users_password_hash', sql`${t.passwordHash} like '$argon2id$%'`),
  ],
);

export const oauthClients = pgTable(
  'oauth_clients',
  {
    /** EnKash uses the company id as the OAuth client id (reference §1.2(b)). */
    clientId: text('client_id').primaryKey(),
    companyId: text('company_id').notNull(),
    secretDigest: text('secret_digest').notNull(),
    /** AES-128 key of the §1.5 payload wrapping, derived from the secret (hex). Never the secret. */
    payloadKey: text('payload_key').notNull(),
    payloadEncryption: text('payload_encryption').notNull(),
    /** Payout request checksum verification: off | lenient | strict (docs/api/payouts.md). */
    payoutChecksum: text('payout_checksum').notNull().default('off'),
    /**
     * Whether the client may call the payout APIs; off, they answer EnKash's 403 "APIs not enabled"
     * (docs/api/payouts.md). Existing clients and new ones are enabled.
     */
    payoutsEnabled: boolean('payouts_enabled').notNull().default(true),
    grantTypes: text('grant_types').array().notNull(),
    scopes: text('scopes').array().notNull(),
    accessTokenTtlSeconds: integer('access_token_ttl_seconds').notNull(),
    refreshTokenTtlSeconds: integer('refresh_token_ttl_seconds').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** A revoked client authenticates no more and its tokens are refused (`tijori client revoke`); it is not reinstated. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    unique('uq_oauth_clients_company').on(t.companyId),
    foreignKey({ name: 'fk_oauth_clients_company', columns: [t.companyId], foreignColumns: [companies.id] }),
    check('ck_oauth_clients_payload_encryption', sql`${t.payloadEncryption} in ('required', 'optional', 'off')`),
    check('ck_oauth_clients_payout_checksum', sql`${t.payoutChecksum} in ('off', 'lenient', 'strict')`),
    check('ck_oauth_clients_ttl', sql`${t.accessTokenTtlSeconds} > 0 and ${t.refreshTokenTtlSeconds} > 0`),
  ],
);

/**
 * Failed password attempts on a username that is no user of the client's company (issue 16 item 5,
 * ADR 0047), counted and locked as a user's are. The name is kept only as a keyed digest
 * (HMAC-SHA256 under a key derived from the secrets key): the table lists no usernames. A failed
 * attempt writes here when the name is unknown and to `users` when it is known, so both answers
 * cost the same work, and an unknown name locks after as many failures as a known one.
 */
export const unknownLoginAttempts = pgTable(
  'unknown_login_attempts',
  {
    companyId: text('company_id').notNull(),
    nameDigest: text('name_digest').notNull(),
    failedAttempts: integer('failed_attempts').notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'pk_unknown_login_attempts', columns: [t.companyId, t.nameDigest] }),
    foreignKey({ name: 'fk_unknown_login_attempts_company', columns: [t.companyId], foreignColumns: [companies.id] }),
  ],
);
