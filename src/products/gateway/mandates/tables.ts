import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const paise = (name: string) => bigint(name, { mode: 'bigint' });

/**
 * A UPI Autopay mandate (reference §2.9; ADR 0024). `referenceId` is the merchant's and unique per
 * company. The payer's approval comes from the UPI rail; debits are gateway payments.
 */
export const gatewayMandates = pgTable(
  'gateway_mandates',
  {
    /** `MND` + epoch ms + 5 letters/digits. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    referenceId: text('reference_id').notNull(),
    /** Unique Mandate Number, given on approval. */
    umn: text('umn'),
    status: text('status').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    amountRule: text('amount_rule').notNull(),
    mandateName: text('mandate_name').notNull(),
    description: text('description'),
    payerName: text('payer_name'),
    payerVpa: text('payer_vpa').notNull(),
    payerAccount: text('payer_account'),
    payerAccountValidation: boolean('payer_account_validation').notNull(),
    payeeVpa: text('payee_vpa').notNull(),
    payeeName: text('payee_name').notNull(),
    payeeMcc: text('payee_mcc').notNull(),
    blockFund: boolean('block_fund').notNull(),
    revokeableByPayer: boolean('revokeable_by_payer').notNull(),
    recurrencePeriod: text('recurrence_period').notNull(),
    recurrenceRule: text('recurrence_rule'),
    recurrenceValue: integer('recurrence_value'),
    validityStartAt: ts('validity_start_at').notNull(),
    validityEndAt: ts('validity_end_at').notNull(),
    /** The payer must answer by then, or the mandate is EXPIRED. */
    expireAt: ts('expire_at').notNull(),
    pauseStartAt: ts('pause_start_at'),
    pauseEndAt: ts('pause_end_at'),
    upiReferenceUrl: text('upi_reference_url'),
    notifyUrl: text('notify_url'),
    reasonCode: text('reason_code'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('uq_gateway_mandates_company_reference_id').on(t.companyId, t.referenceId),
    check('ck_gateway_mandates_status', sql`${t.status} in ('CREATED', 'ACTIVE', 'REJECTED', 'EXPIRED', 'PAUSED', 'REVOKED', 'COMPLETED')`),
    check('ck_gateway_mandates_amount', sql`${t.amountPaise} > 0`),
  ],
);

/** A pre-debit notification sent to the payer (NPCI: at least 24 hours before the debit). */
export const gatewayMandateNotifications = pgTable(
  'gateway_mandate_notifications',
  {
    /** `MDN` + epoch ms + 5 letters/digits. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    mandateId: text('mandate_id').notNull(),
    /** The recurrence cycle of `executionAt` (0 = the first), or a sequence for ASPRESENTED. */
    cycle: integer('cycle').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    executionAt: ts('execution_at').notNull(),
    /** What the payer was told (the simulated message). */
    message: text('message').notNull(),
    sentAt: ts('sent_at').notNull(),
  },
  (t) => [
    uniqueIndex('uq_gateway_mandate_notifications_cycle').on(t.companyId, t.mandateId, t.cycle),
    check('ck_gateway_mandate_notifications_amount', sql`${t.amountPaise} > 0`),
  ],
);

/** An execution of a mandate: one gateway order and UPI payment. */
export const gatewayMandateDebits = pgTable(
  'gateway_mandate_debits',
  {
    /** `MDB` + epoch ms + 5 letters/digits; also the gateway order's merchantOrderId. */
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    mandateId: text('mandate_id').notNull(),
    notificationId: text('notification_id').notNull(),
    cycle: integer('cycle').notNull(),
    referenceId: text('reference_id').notNull(),
    amountPaise: paise('amount_paise').notNull(),
    status: text('status').notNull(),
    orderId: text('order_id'),
    transactionId: text('transaction_id'),
    bankTransactionId: text('bank_transaction_id'),
    reasonCode: text('reason_code'),
    createdAt: ts('created_at').notNull(),
    completedAt: ts('completed_at'),
  },
  (t) => [
    unique('uq_gateway_mandate_debits_company_reference_id').on(t.companyId, t.referenceId),
    // One debit per cycle, unless it failed (NPCI: one debit per recurrence cycle).
    uniqueIndex('uq_gateway_mandate_debits_cycle')
      .on(t.companyId, t.mandateId, t.cycle)
      .where(sql`${t.status} <> 'FAILED'`),
    index('ix_gateway_mandate_debits_company_mandate').on(t.companyId, t.mandateId),
    check('ck_gateway_mandate_debits_status', sql`${t.status} in ('PENDING', 'SUCCESS', 'FAILED')`),
  ],
);
