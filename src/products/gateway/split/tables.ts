import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A split-settlement account (reference §2.7): a vendor's bank account that receives a share of
 * the company's payments at settlement. Deactivated accounts keep their shares already assigned,
 * but new split details may not name them.
 */
export const gatewaySplitAccounts = pgTable(
  'gateway_split_accounts',
  {
    /** `SPA` + epoch ms + 5 letters/digits (the order id's style). */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    name: text('name').notNull(),
    accountNumber: text('account_number').notNull(),
    ifsc: text('ifsc').notNull(),
    email: text('email'),
    mobile: text('mobile'),
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_split_accounts_company_bank_account').on(t.companyId, t.accountNumber, t.ifsc),
    index('ix_gateway_split_accounts_company_created').on(t.companyId, t.createdAt),
    check('ck_gateway_split_accounts_status', sql`${t.status} in ('ACTIVE', 'INACTIVE')`),
    check('ck_gateway_split_accounts_ifsc', sql`${t.ifsc} ~ '^[A-Z]{4}0[A-Z0-9]{6}$'`),
    check('ck_gateway_split_accounts_account_number', sql`${t.accountNumber} ~ '^[0-9]{9,18}$'`),
  ],
);

/**
 * A payment whose settlement the company deferred ("Edit Or Deferred Split Settlement", §2.7):
 * settlement runs skip it until the deferral is lifted. The row exists only while deferred.
 */
export const gatewaySettlementDeferrals = pgTable(
  'gateway_settlement_deferrals',
  {
    companyId: text('company_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    deferredAt: ts('deferred_at').notNull(),
  },
  (t) => [primaryKey({ name: 'pk_gateway_settlement_deferrals', columns: [t.companyId, t.transactionId] })],
);
