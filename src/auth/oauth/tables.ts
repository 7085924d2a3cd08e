import { index, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * Tokens are stored only as digests (RFC 6819 §5.1.4.1.3). A family is everything issued from one
 * password grant through its chain of refreshes, so that reuse of a rotated refresh token can
 * revoke the lot (RFC 9700 §4.14.2).
 */
export const oauthRefreshTokens = pgTable(
  'oauth_refresh_tokens',
  {
    id: text('id').primaryKey(),
    tokenDigest: text('token_digest').notNull(),
    familyId: text('family_id').notNull(),
    companyId: text('company_id').notNull(),
    clientId: text('client_id').notNull(),
    userId: text('user_id'),
    scopes: text('scopes').array().notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true, mode: 'date' }),
    /** The rotation response, sealed under a key only the presenter of this token can derive. */
    retryResponse: text('retry_response'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [unique('uq_oauth_refresh_tokens_digest').on(t.tokenDigest), index('ix_oauth_refresh_tokens_family').on(t.familyId)],
);

export const oauthAccessTokens = pgTable(
  'oauth_access_tokens',
  {
    id: text('id').primaryKey(),
    tokenDigest: text('token_digest').notNull(),
    familyId: text('family_id'),
    companyId: text('company_id').notNull(),
    clientId: text('client_id').notNull(),
    userId: text('user_id'),
    scopes: text('scopes').array().notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [unique('uq_oauth_access_tokens_digest').on(t.tokenDigest), index('ix_oauth_access_tokens_family').on(t.familyId)],
);
