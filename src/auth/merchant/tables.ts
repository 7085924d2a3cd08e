import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { companies } from '../identity/tables.js';

/**
 * Payment Gateway merchant keys (reference §1.2(a)). The secret key is kept twice, neither in
 * clear: a digest to check a token request in constant time, and sealed under the server key
 * (AES-256-GCM, as webhook secrets are) because Tijori signs the notify `checksum` with it.
 */
export const merchantAccessKeys = pgTable(
  'merchant_access_keys',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    accessKey: text('access_key').notNull(),
    secretDigest: text('secret_digest').notNull(),
    secretSealed: text('secret_sealed').notNull(),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    unique('uq_merchant_access_keys_access_key').on(t.accessKey),
    foreignKey({ name: 'fk_merchant_access_keys_company', columns: [t.companyId], foreignColumns: [companies.id] }),
    index('ix_merchant_access_keys_company').on(t.companyId),
    check('ck_merchant_access_keys_status', sql`${t.status} in ('ACTIVE', 'REVOKED')`),
  ],
);

/** Merchant tokens, stored only as digests like OAuth tokens (RFC 6819 §5.1.4.1.3). */
export const merchantTokens = pgTable(
  'merchant_tokens',
  {
    id: text('id').primaryKey(),
    tokenDigest: text('token_digest').notNull(),
    companyId: text('company_id').notNull(),
    accessKeyId: text('access_key_id').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    unique('uq_merchant_tokens_digest').on(t.tokenDigest),
    foreignKey({ name: 'fk_merchant_tokens_access_key', columns: [t.accessKeyId], foreignColumns: [merchantAccessKeys.id] }),
    index('ix_merchant_tokens_expires_at').on(t.expiresAt),
  ],
);
