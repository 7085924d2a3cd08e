import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One verification check (docs/api/verification.md): its input as masked text and a keyed hash
 * (never an Aadhaar number in clear), the consent given, the answer, and who asked from where.
 * `reference_id` is unique per company: a repeat replays the row.
 */
export const verificationChecks = pgTable(
  'verification_checks',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    referenceId: text('reference_id').notNull(),
    /** PAN, GSTIN, AADHAAR, CIN, LLPIN, NAME_MATCH, BANK_ACCOUNT, VPA. */
    checkType: text('check_type').notNull(),
    /** VALID, INVALID, NOT_FOUND, PENDING, FAILED. */
    status: text('status').notNull(),
    /** The input as it may be shown: a PAN or GSTIN as sent, an Aadhaar as `XXXX XXXX 1234`. */
    inputMasked: text('input_masked').notNull(),
    /** HMAC-SHA256 (keyed by the secrets key) of the check type, the normalised input and the name: tells a repeat from a reuse. */
    inputHash: text('input_hash').notNull(),
    /** The name given to match, if any. */
    name: text('name'),
    /** The check-specific answer (`result` on the wire); null while PENDING. */
    result: jsonb('result').$type<Record<string, unknown>>(),
    nameMatch: jsonb('name_match').$type<Record<string, unknown>>(),
    message: text('message').notNull(),
    consentPurpose: text('consent_purpose').notNull(),
    consentText: text('consent_text'),
    requestedBy: text('requested_by').notNull(),
    requestIp: text('request_ip'),
    dataVersion: text('data_version').notNull(),
    createdAt: ts('created_at').notNull(),
    completedAt: ts('completed_at'),
    /** When the result columns (result, name_match, name) were purged after the company's retention period (ADR 0044); the audit columns stay. */
    purgedAt: ts('purged_at'),
  },
  (t) => [
    unique('uq_verification_checks_reference').on(t.companyId, t.referenceId),
    index('ix_verification_checks_company_created').on(t.companyId, t.createdAt),
    check('ck_verification_checks_status', sql`${t.status} in ('VALID', 'INVALID', 'NOT_FOUND', 'PENDING', 'FAILED')`),
  ],
);

/** Per-company name-matching thresholds and result retention; a company without a row has the defaults (85 and 60, 180 days). */
export const verificationSettings = pgTable(
  'verification_settings',
  {
    companyId: text('company_id').primaryKey(),
    matchThreshold: integer('match_threshold').notNull(),
    partialThreshold: integer('partial_threshold').notNull(),
    /** Days a check's result is kept before the daily sweep purges it (ADR 0044). */
    resultRetentionDays: integer('result_retention_days').notNull().default(180),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    check(
      'ck_verification_settings_thresholds',
      sql`0 <= ${t.partialThreshold} and ${t.partialThreshold} <= ${t.matchThreshold} and ${t.matchThreshold} <= 100`,
    ),
    check('ck_verification_settings_retention', sql`${t.resultRetentionDays} between 1 and 3650`),
  ],
);
