import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const paise = (name: string) => bigint(name, { mode: 'bigint' });

/**
 * Per-company Bill Payments settings (docs/api/bbps.md "Settings"). A company without a row has
 * the defaults of model.ts; `tijori bbps settings` writes the row.
 */
export const bbpsSettings = pgTable(
  'bbps_settings',
  {
    companyId: text('company_id').primaryKey(),
    /** Debit the balance when a bill is created, without maker-checker approval (reference §4). */
    autoDebit: boolean('auto_debit').notNull(),
    maxBillsPerConsumerPerDay: integer('max_bills_per_consumer_per_day').notNull(),
    maxAmountPerConsumerPerDayPaise: paise('max_amount_per_consumer_per_day_paise').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    check('ck_bbps_settings_max_bills', sql`${t.maxBillsPerConsumerPerDay} > 0`),
    check('ck_bbps_settings_max_amount', sql`${t.maxAmountPerConsumerPerDayPaise} > 0`),
  ],
);

/**
 * A consumer of a biller registered by a company (`companyBillerId`), created by the first fetch
 * (`fetchOrAddBill`) or bill without fetch, with the last bill the biller answered.
 */
export const bbpsCompanyBillers = pgTable(
  'bbps_company_billers',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    billerId: integer('biller_id').notNull(),
    circle: text('circle'),
    consumerNumber: text('consumer_number').notNull(),
    billParams: jsonb('bill_params').$type<Record<string, string>>().notNull(),
    /** `addBiller`: the consumer is marked active for automatic bill fetch. */
    autoFetch: boolean('auto_fetch').notNull(),
    remarks: text('remarks'),
    keyContactEmail: text('key_contact_email'),
    /** The last fetched bill (BillFetchResponse fields, amounts as paise strings), or null. */
    lastFetch: jsonb('last_fetch').$type<Record<string, string | null>>(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('uq_bbps_company_billers_consumer').on(t.companyId, t.billerId, t.consumerNumber)],
);

/** A utility bill payment (`utilityEnkashId`): its bill, maker-checker approval, debit and Bharat Connect payment. */
export const bbpsUtilityPayments = pgTable(
  'bbps_utility_payments',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    referenceId: text('reference_id'),
    companyBillerId: text('company_biller_id').notNull(),
    billerId: integer('biller_id').notNull(),
    circle: text('circle'),
    consumerNumber: text('consumer_number').notNull(),
    consumerName: text('consumer_name'),
    /** FETCH (created after a bill fetch) or DIRECT (without fetch). */
    source: text('source').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    billAmountPaise: paise('bill_amount_paise').notNull(),
    earlyPaymentAmountPaise: paise('early_payment_amount_paise'),
    latePaymentAmountPaise: paise('late_payment_amount_paise'),
    billDate: text('bill_date'),
    billDueDate: text('bill_due_date'),
    earlyPaymentDate: text('early_payment_date'),
    actualDueDate: text('actual_due_date'),
    billStartDate: text('bill_start_date'),
    billEndDate: text('bill_end_date'),
    billNumber: text('bill_number'),
    validationId: text('validation_id'),
    billId: text('bill_id'),
    remarks: text('remarks'),
    keyContactEmail: text('key_contact_email'),
    approvalStatus: text('approval_status').notNull(),
    approvalRemarks: text('approval_remarks'),
    paymentStatus: text('payment_status').notNull(),
    billpayStatus: text('billpay_status').notNull(),
    failureReason: text('failure_reason'),
    failureCode: text('failure_code'),
    /** The Bharat Connect transaction reference of a paid bill. */
    billReferenceId: text('bill_reference_id'),
    /** ACCOUNT_TRANSFER (balance debit) or the Payment Gateway payment's mode; null until paid. */
    paymentMode: text('payment_mode'),
    /** A bill paid through the Payment Gateway (ADR 0045): its last order, the captured transaction and the refund of it. */
    pgOrderId: text('pg_order_id'),
    pgTransactionId: text('pg_transaction_id'),
    pgRefundId: text('pg_refund_id'),
    /** The ledger transaction of the debit, and of its refund. */
    debitTransactionId: text('debit_transaction_id'),
    refundTransactionId: text('refund_transaction_id'),
    /** The last rail outcome applied (its sequence), so a repeated timer changes nothing. */
    outcomeSequence: integer('outcome_sequence').notNull().default(0),
    approvedAt: ts('approved_at'),
    paymentAt: ts('payment_at'),
    billpayAt: ts('billpay_at'),
    refundAt: ts('refund_at'),
    /** Sandbox time of the company. */
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('uq_bbps_utility_payments_company_reference').on(t.companyId, t.referenceId),
    index('ix_bbps_utility_payments_company_created').on(t.companyId, t.createdAt, t.id),
    index('ix_bbps_utility_payments_consumer').on(t.companyId, t.billerId, t.consumerNumber, t.createdAt),
    check('ck_bbps_utility_payments_amount', sql`${t.amountPaise} > 0`),
    check('ck_bbps_utility_payments_source', sql`${t.source} in ('FETCH', 'DIRECT')`),
    check('ck_bbps_utility_payments_approval', sql`${t.approvalStatus} in ('MAKER_APPROVAL_PENDING', 'CHECKER_APPROVED', 'AUTO_APPROVED')`),
    check(
      'ck_bbps_utility_payments_payment',
      sql`${t.paymentStatus} in ('PENDING', 'INIT', 'IN_PROCESS', 'SUCCESS', 'FAILED', 'EXPIRED', 'CANCELLED', 'REFUNDED')`,
    ),
    index('ix_bbps_utility_payments_pg_order').on(t.companyId, t.pgOrderId),
    check(
      'ck_bbps_utility_payments_billpay',
      sql`${t.billpayStatus} in ('PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'ON_HOLD', 'REINITIATE', 'AGENCY_FAILED')`,
    ),
  ],
);
