import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const paise = (name: string) => bigint(name, { mode: 'bigint' });

/**
 * An E-Collect virtual account (reference §2.11; ADR 0025): an account number, IFSC and VPA at the
 * sandbox collection bank, issued to one customer of the company. The account number and VPA are
 * unique across companies, as a bank's are; `referenceId` is the merchant's, unique per company.
 * `credited_paise` and `credit_count` are updated under the row lock taken by every credit.
 */
export const gatewayVirtualAccounts = pgTable(
  'gateway_virtual_accounts',
  {
    /** `VAC` + epoch ms + 5 letters/digits (the order id's style). */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    referenceId: text('reference_id').notNull(),
    accountNumber: text('account_number').notNull(),
    ifsc: text('ifsc').notNull(),
    vpa: text('vpa').notNull(),
    customerName: text('customer_name').notNull(),
    customerEmail: text('customer_email'),
    customerMobile: text('customer_mobile'),
    description: text('description'),
    amountRule: text('amount_rule').notNull(),
    amountPaise: paise('amount_paise'),
    minAmountPaise: paise('min_amount_paise'),
    maxAmountPaise: paise('max_amount_paise'),
    /** Payment modes the account accepts (`["NEFT","IMPS","RTGS","UPI"]` by default). */
    allowedModes: jsonb('allowed_modes').$type<string[]>().notNull(),
    /** Third-party validation: `[{accountNumber, ifsc}]`; empty means any remitter. */
    allowedRemitters: jsonb('allowed_remitters').$type<Array<{ accountNumber: string; ifsc: string }>>().notNull(),
    closeBy: ts('close_by'),
    notifyUrl: text('notify_url'),
    status: text('status').notNull(),
    closedAt: ts('closed_at'),
    creditedPaise: paise('credited_paise').notNull(),
    creditCount: integer('credit_count').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_virtual_accounts_company_reference').on(t.companyId, t.referenceId),
    unique('uq_gateway_virtual_accounts_account_number').on(t.accountNumber),
    unique('uq_gateway_virtual_accounts_vpa').on(t.vpa),
    index('ix_gateway_virtual_accounts_company_created').on(t.companyId, t.createdAt),
    check('ck_gateway_virtual_accounts_status', sql`${t.status} in ('ACTIVE', 'CLOSED')`),
    check('ck_gateway_virtual_accounts_amount_rule', sql`${t.amountRule} in ('ANY', 'EXACT', 'RANGE')`),
    check('ck_gateway_virtual_accounts_credited', sql`${t.creditedPaise} >= 0 and ${t.creditCount} >= 0`),
  ],
);

/**
 * An inward credit to a virtual account: CREDITED (posted to the ledger, notified) or REJECTED
 * (returned to the remitter with its reason; no money moved). The UTR is unique per company: the
 * same UTR again is the same bank transfer, recorded once.
 */
export const gatewayVirtualAccountCredits = pgTable(
  'gateway_virtual_account_credits',
  {
    /** `VCR` + epoch ms + 5 letters/digits. */
    id: text('id').primaryKey(),
    /** Arrival order: credits at one sandbox instant are common, and lists must not reorder them. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    companyId: text('company_id').notNull(),
    virtualAccountId: text('virtual_account_id').notNull(),
    utr: text('utr').notNull(),
    mode: text('mode').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    remitterName: text('remitter_name').notNull(),
    remitterAccount: text('remitter_account').notNull(),
    remitterIfsc: text('remitter_ifsc').notNull(),
    remitterVpa: text('remitter_vpa'),
    status: text('status').notNull(),
    rejectReason: text('reject_reason'),
    rejectMessage: text('reject_message'),
    /** The ledger transaction of a CREDITED credit. */
    ledgerTransactionId: text('ledger_transaction_id'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_virtual_account_credits_company_utr').on(t.companyId, t.utr),
    index('ix_gateway_virtual_account_credits_account').on(t.companyId, t.virtualAccountId, t.seq),
    check('ck_gateway_virtual_account_credits_status', sql`${t.status} in ('CREDITED', 'REJECTED')`),
    check('ck_gateway_virtual_account_credits_mode', sql`${t.mode} in ('NEFT', 'IMPS', 'RTGS', 'UPI')`),
    check('ck_gateway_virtual_account_credits_amount', sql`${t.amountPaise} > 0`),
  ],
);
