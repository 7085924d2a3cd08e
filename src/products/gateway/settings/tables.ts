import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { companies } from '../../../auth/identity/tables.js';

/**
 * A company's gateway settings, written the first time it changes one (until then the defaults of
 * model.ts apply). Fee amounts are paise as decimal strings in `fee_rules` (JSON has no bigint).
 */
export const gatewaySettings = pgTable(
  'gateway_settings',
  {
    companyId: text('company_id').primaryKey(),
    /** Null: the company's name. */
    merchantName: text('merchant_name'),
    enabledModes: text('enabled_modes').array().notNull(),
    feeRules: jsonb('fee_rules').$type<Record<string, string>>().notNull(),
    surchargeGstPercent: integer('surcharge_gst_percent').notNull(),
    mdrBasisPoints: jsonb('mdr_basis_points').$type<Record<string, number>>().notNull(),
    mdrGstPercent: integer('mdr_gst_percent').notNull(),
    settlementDelayDays: integer('settlement_delay_days').notNull(),
    maxPaymentAttempts: integer('max_payment_attempts').notNull(),
    orderExpiryMinutes: integer('order_expiry_minutes').notNull(),
    upiCollectTimeoutMinutes: integer('upi_collect_timeout_minutes').notNull(),
    /** Null: DEFAULT_SETTLEMENT_ACCOUNT. */
    settlementAccountNumber: text('settlement_account_number'),
    settlementIfsc: text('settlement_ifsc'),
    /** Null: any origin for a sandbox company, none for another (ADR 0035). Lower-cased origins. */
    checkoutOrigins: text('checkout_origins').array(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    foreignKey({ name: 'fk_gateway_settings_company', columns: [t.companyId], foreignColumns: [companies.id] }),
    check('ck_gateway_settings_settlement_account', sql`(${t.settlementAccountNumber} is null) = (${t.settlementIfsc} is null)`),
    check('ck_gateway_settings_enabled_modes', sql`cardinality(${t.enabledModes}) > 0`),
    check('ck_gateway_settings_percents', sql`${t.surchargeGstPercent} between 0 and 100 and ${t.mdrGstPercent} between 0 and 100`),
    check(
      'ck_gateway_settings_limits',
      sql`${t.settlementDelayDays} between 0 and 30 and ${t.maxPaymentAttempts} between 1 and 20 and ${t.orderExpiryMinutes} between 1 and 43200 and ${t.upiCollectTimeoutMinutes} between 1 and 45`,
    ),
  ],
);
