import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A bulk verification job (docs/api/verification.md "Bulk jobs", ADR 0043): a CSV upload of one
 * check type, run row by row by the job queue. `reference_id` is unique per company: a re-upload
 * with it replays the job. Counters are written by the runner's batch transaction only.
 */
export const verificationBulkJobs = pgTable(
  'verification_bulk_jobs',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    referenceId: text('reference_id').notNull(),
    /** PAN, GSTIN, AADHAAR, CIN, LLPIN, BANK_ACCOUNT, NAME_MATCH. */
    checkType: text('check_type').notNull(),
    /** QUEUED, RUNNING, COMPLETED, CANCELLED. */
    status: text('status').notNull(),
    /** Keyed hash (the secrets key) of the check type and the file: tells a replay from a reuse of the referenceId. */
    fileHash: text('file_hash').notNull(),
    rowsTotal: integer('rows_total').notNull(),
    rowsDone: integer('rows_done').notNull(),
    rowsFailed: integer('rows_failed').notNull(),
    consentPurpose: text('consent_purpose').notNull(),
    requestedBy: text('requested_by').notNull(),
    clientId: text('client_id').notNull(),
    requestIp: text('request_ip'),
    createdAt: ts('created_at').notNull(),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
  },
  (t) => [
    unique('uq_verification_bulk_jobs_reference').on(t.companyId, t.referenceId),
    index('ix_verification_bulk_jobs_company_created').on(t.companyId, t.createdAt),
    check('ck_verification_bulk_jobs_status', sql`${t.status} in ('QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED')`),
  ],
);

/**
 * One row of a bulk job: its input as the check needs it (never an Aadhaar number: the masked form
 * and the keyed hash computed at upload), then its outcome. A row is claimed by a runner
 * (`claimed_by`, `attempts`) before it runs; a claim older than the lease may be taken again.
 */
export const verificationBulkRows = pgTable(
  'verification_bulk_rows',
  {
    jobId: text('job_id').notNull(),
    rowNo: integer('row_no').notNull(),
    companyId: text('company_id').notNull(),
    /** The row's check referenceId: its `referenceId` column, else `<job referenceId>-<row>`. */
    referenceId: text('reference_id').notNull(),
    /** The values the check runs on (normalised; an Aadhaar as `XXXX XXXX 1234`); null for a row refused at upload. */
    input: text('input').array(),
    /** The input as the result CSV shows it. */
    inputMasked: text('input_masked').notNull(),
    /** The keyed hash of the check's input (as a single check computes it); null for a refused row. */
    inputHash: text('input_hash'),
    /** QUEUED, DONE, FAILED, CANCELLED. */
    status: text('status').notNull(),
    /** The check's status (VALID, INVALID, NOT_FOUND, PENDING, FAILED) once it ran. */
    checkStatus: text('check_status'),
    verificationId: text('verification_id'),
    reason: text('reason'),
    claimedBy: text('claimed_by'),
    claimedAt: ts('claimed_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'pk_verification_bulk_rows', columns: [t.jobId, t.rowNo] }),
    index('ix_verification_bulk_rows_queued')
      .on(t.jobId, t.rowNo)
      .where(sql`${t.status} = 'QUEUED'`),
    check('ck_verification_bulk_rows_status', sql`${t.status} in ('QUEUED', 'DONE', 'FAILED', 'CANCELLED')`),
  ],
);
