import type { Executor } from '../../../core/db/engine.js';
import { definePrepared, toDate } from '../../../core/db/prepared.js';
import type { BulkCheckType } from './rows.js';

// Every statement filters by company (DESIGN.md): another company's job id finds nothing.

export type JobStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'CANCELLED';
export type RowStatus = 'QUEUED' | 'DONE' | 'FAILED' | 'CANCELLED';

export interface BulkJob {
  id: string;
  companyId: string;
  referenceId: string;
  checkType: BulkCheckType;
  status: JobStatus;
  fileHash: string;
  rowsTotal: number;
  rowsDone: number;
  rowsFailed: number;
  consentPurpose: string;
  requestedBy: string;
  clientId: string;
  requestIp: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

export interface BulkRow {
  rowNo: number;
  referenceId: string;
  input: string[] | null;
  inputMasked: string;
  inputHash: string | null;
  status: RowStatus;
  checkStatus: string | null;
  verificationId: string | null;
  reason: string | null;
}

/** A row's end, written by the runner. */
export interface RowEnd {
  rowNo: number;
  status: 'DONE' | 'FAILED';
  checkStatus: string | null;
  verificationId: string | null;
  reason: string | null;
}

const JOB_COLUMNS =
  'id, company_id, reference_id, check_type, status, file_hash, rows_total, rows_done, rows_failed, consent_purpose, requested_by, client_id, request_ip, created_at, started_at, completed_at';
const JOB_COLUMNS_J = JOB_COLUMNS.split(', ')
  .map((c) => `j.${c}`)
  .join(', ');
type JobRow = Record<string, unknown>;

const optionalDate = (v: unknown) => (v === null || v === undefined ? null : toDate(v));
function toJob(r: JobRow): BulkJob {
  return {
    id: r['id'] as string,
    companyId: r['company_id'] as string,
    referenceId: r['reference_id'] as string,
    checkType: r['check_type'] as BulkCheckType,
    status: r['status'] as JobStatus,
    fileHash: r['file_hash'] as string,
    rowsTotal: Number(r['rows_total']),
    rowsDone: Number(r['rows_done']),
    rowsFailed: Number(r['rows_failed']),
    consentPurpose: r['consent_purpose'] as string,
    requestedBy: r['requested_by'] as string,
    clientId: r['client_id'] as string,
    requestIp: (r['request_ip'] as string | null) ?? null,
    createdAt: toDate(r['created_at']),
    startedAt: optionalDate(r['started_at']),
    completedAt: optionalDate(r['completed_at']),
  };
}

const insertJobStatement = definePrepared<JobRow, unknown[]>(
  'verification_bulk_job_insert',
  `insert into verification_bulk_jobs (${JOB_COLUMNS})
   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::timestamptz, null, $15::timestamptz)
   on conflict (company_id, reference_id) do nothing returning ${JOB_COLUMNS}`,
);
const jobByIdStatement = definePrepared<JobRow, [string, string]>(
  'verification_bulk_job_by_id',
  `select ${JOB_COLUMNS} from verification_bulk_jobs where company_id = $1 and id = $2`,
);
const jobByReferenceStatement = definePrepared<JobRow, [string, string]>(
  'verification_bulk_job_by_reference',
  `select ${JOB_COLUMNS} from verification_bulk_jobs where company_id = $1 and reference_id = $2`,
);
// The rows' inputs travel as JSON texts: a text[] of text[] would be flattened by unnest.
const insertRowsStatement = definePrepared<never, unknown[]>(
  'verification_bulk_rows_insert',
  `insert into verification_bulk_rows (job_id, company_id, row_no, reference_id, input, input_masked, input_hash, status, reason, attempts)
   select $1, $2, v.row_no, v.reference_id,
          case when v.input is null then null else array(select json_array_elements_text(v.input::json)) end,
          v.input_masked, v.input_hash, v.status, v.reason, 0
   from unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
        as v(row_no, reference_id, input, input_masked, input_hash, status, reason)`,
);

export async function insertJob(exec: Executor, job: BulkJob): Promise<BulkJob | null> {
  const row = await insertJobStatement.one(exec, [
    job.id,
    job.companyId,
    job.referenceId,
    job.checkType,
    job.status,
    job.fileHash,
    job.rowsTotal,
    job.rowsDone,
    job.rowsFailed,
    job.consentPurpose,
    job.requestedBy,
    job.clientId,
    job.requestIp,
    job.createdAt,
    job.completedAt,
  ]);
  return row ? toJob(row) : null;
}

export async function insertRows(exec: Executor, job: BulkJob, rows: BulkRow[]): Promise<void> {
  await insertRowsStatement.rows(exec, [
    job.id,
    job.companyId,
    rows.map((r) => r.rowNo),
    rows.map((r) => r.referenceId),
    rows.map((r) => (r.input === null ? null : JSON.stringify(r.input))),
    rows.map((r) => r.inputMasked),
    rows.map((r) => r.inputHash),
    rows.map((r) => r.status),
    rows.map((r) => r.reason),
  ]);
}

export async function findJob(exec: Executor, companyId: string, id: string): Promise<BulkJob | null> {
  const row = await jobByIdStatement.one(exec, [companyId, id]);
  return row ? toJob(row) : null;
}

export async function findJobByReference(exec: Executor, companyId: string, referenceId: string): Promise<BulkJob | null> {
  const row = await jobByReferenceStatement.one(exec, [companyId, referenceId]);
  return row ? toJob(row) : null;
}

/**
 * Claims up to `limit` QUEUED rows of a QUEUED or RUNNING job for `worker` (rows whose claim is
 * older than the lease may be taken again: their runner died). SKIP LOCKED: two runners never claim
 * one row; a row under another runner's claim transaction is passed over.
 */
const claimStatement = definePrepared<Record<string, unknown>, unknown[]>(
  'verification_bulk_rows_claim',
  `update verification_bulk_rows r set claimed_by = $3, claimed_at = $4::timestamptz, attempts = r.attempts + 1
   where (r.job_id, r.row_no) in (
     select q.job_id, q.row_no from verification_bulk_rows q
     join verification_bulk_jobs j on j.id = q.job_id and j.company_id = q.company_id
     where q.company_id = $1 and q.job_id = $2 and q.status = 'QUEUED' and j.status in ('QUEUED', 'RUNNING')
       and (q.claimed_at is null or q.claimed_at < $5::timestamptz)
     order by q.row_no limit $6 for update of q skip locked)
   returning r.row_no, r.reference_id, r.input, r.input_masked, r.input_hash`,
);

export async function claimRows(
  exec: Executor,
  o: { companyId: string; jobId: string; worker: string; now: Date; leaseBefore: Date; limit: number },
): Promise<BulkRow[]> {
  const rows = await claimStatement.rows(exec, [o.companyId, o.jobId, o.worker, o.now, o.leaseBefore, o.limit]);
  return rows
    .map((r) => ({
      rowNo: Number(r['row_no']),
      referenceId: r['reference_id'] as string,
      input: (r['input'] as string[] | null) ?? null,
      inputMasked: r['input_masked'] as string,
      inputHash: (r['input_hash'] as string | null) ?? null,
      status: 'QUEUED' as const,
      checkStatus: null,
      verificationId: null,
      reason: null,
    }))
    .sort((a, b) => a.rowNo - b.rowNo);
}

const lockJobStatement = definePrepared<{ status: string }, [string, string]>(
  'verification_bulk_job_lock',
  'select status from verification_bulk_jobs where company_id = $1 and id = $2 for update',
);
/** The runner's ends of its claimed rows, and the job's counters by as many, in one statement (the job row locked before). */
const endRowsStatement = definePrepared<JobRow, unknown[]>(
  'verification_bulk_rows_end',
  `with ended as (
     update verification_bulk_rows r set status = v.status, check_status = v.check_status, verification_id = v.verification_id, reason = v.reason
     from unnest($4::int[], $5::text[], $6::text[], $7::text[], $8::text[]) as v(row_no, status, check_status, verification_id, reason)
     where r.company_id = $1 and r.job_id = $2 and r.row_no = v.row_no and r.status = 'QUEUED' and r.claimed_by = $3
     returning r.status)
   update verification_bulk_jobs j set
     rows_done = j.rows_done + (select count(*) from ended),
     rows_failed = j.rows_failed + (select count(*) from ended where status = 'FAILED'),
     status = case when j.status = 'QUEUED' then 'RUNNING' else j.status end,
     started_at = coalesce(j.started_at, $9::timestamptz)
   where j.company_id = $1 and j.id = $2 returning ${JOB_COLUMNS_J}`,
);
/** COMPLETED once no row is QUEUED (a statement of its own: it must see the rows just ended). */
const completeJobStatement = definePrepared<JobRow, [string, string, Date]>(
  'verification_bulk_job_complete',
  `update verification_bulk_jobs j set status = 'COMPLETED', completed_at = $3::timestamptz
   where j.company_id = $1 and j.id = $2 and j.status in ('QUEUED', 'RUNNING')
     and not exists (select 1 from verification_bulk_rows r where r.job_id = $2 and r.status = 'QUEUED')
   returning ${JOB_COLUMNS_J}`,
);

/** Locks the job row: the ends of two runners' batches are written one after the other, so one of them sees the last row ended. */
export async function lockJob(exec: Executor, companyId: string, jobId: string): Promise<void> {
  await lockJobStatement.rows(exec, [companyId, jobId]);
}

export async function endRows(exec: Executor, companyId: string, jobId: string, worker: string, ends: RowEnd[], now: Date): Promise<BulkJob | null> {
  const row = await endRowsStatement.one(exec, [
    companyId,
    jobId,
    worker,
    ends.map((e) => e.rowNo),
    ends.map((e) => e.status),
    ends.map((e) => e.checkStatus),
    ends.map((e) => e.verificationId),
    ends.map((e) => e.reason),
    now,
  ]);
  return row ? toJob(row) : null;
}

export async function completeJob(exec: Executor, companyId: string, jobId: string, now: Date): Promise<BulkJob | null> {
  const row = await completeJobStatement.one(exec, [companyId, jobId, now]);
  return row ? toJob(row) : null;
}

const cancelStatement = definePrepared<JobRow, [string, string, Date]>(
  'verification_bulk_job_cancel',
  `with rows as (
     update verification_bulk_rows set status = 'CANCELLED'
     where company_id = $1 and job_id = $2 and status = 'QUEUED' and claimed_by is null
     returning row_no)
   update verification_bulk_jobs j set status = 'CANCELLED', completed_at = $3::timestamptz
   where j.company_id = $1 and j.id = $2 and j.status in ('QUEUED', 'RUNNING') returning ${JOB_COLUMNS_J}`,
);

/** Cancels a QUEUED or RUNNING job: its unclaimed rows are CANCELLED, a batch under way ends its rows. Null when it had ended. */
export async function cancelJob(exec: Executor, companyId: string, jobId: string, now: Date): Promise<BulkJob | null> {
  const row = await cancelStatement.one(exec, [companyId, jobId, now]);
  return row ? toJob(row) : null;
}

const rowsStatement = definePrepared<Record<string, unknown>, [string, string, number, number]>(
  'verification_bulk_rows_page',
  `select row_no, reference_id, input_masked, status, check_status, verification_id, reason from verification_bulk_rows
   where company_id = $1 and job_id = $2 and row_no > $3 order by row_no limit $4`,
);

/** The job's rows after `afterRow`, in order: the result CSV is written page by page. */
export async function rowsAfter(exec: Executor, companyId: string, jobId: string, afterRow: number, limit: number): Promise<BulkRow[]> {
  const rows = await rowsStatement.rows(exec, [companyId, jobId, afterRow, limit]);
  return rows.map((r) => ({
    rowNo: Number(r['row_no']),
    referenceId: r['reference_id'] as string,
    input: null,
    inputMasked: r['input_masked'] as string,
    inputHash: null,
    status: r['status'] as RowStatus,
    checkStatus: (r['check_status'] as string | null) ?? null,
    verificationId: (r['verification_id'] as string | null) ?? null,
    reason: (r['reason'] as string | null) ?? null,
  }));
}
