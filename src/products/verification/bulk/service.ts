import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Clock } from '../../../core/clock/clock.js';
import type { SandboxClock } from '../../../core/clock/sandbox-clock.js';
import type { Database, Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import { AppError } from '../../../core/errors/app-error.js';
import type { EventsService, SecretsKey } from '../../../core/events/index.js';
import { newId } from '../../../core/ids/ids.js';
import type { JobQueue } from '../../../core/jobs/types.js';
import { CHECK_SPECS } from '../checks.js';
import type { CheckRequest } from '../model.js';
import { requireConsent, type VerificationService } from '../service.js';
import { csvLine, CsvSyntaxError, parseCsv } from './csv.js';
import { BulkJobEndedError, BulkJobNotFoundError, BulkReferenceConflictError, InvalidBulkFileError } from './errors.js';
import { VERIFICATION_BULK_COMPLETED } from './events.js';
import * as repo from './repository.js';
import { BULK_TYPES, prepareRow } from './rows.js';
import type { BulkJobPayload, BulkQuery } from './schemas.js';

/**
 * Bulk verification jobs (issue 20 part 11; docs/api/verification.md "Bulk jobs"; ADR 0043): a
 * CSV becomes a job and its rows in one transaction with the queue job that runs them; the
 * runner claims small batches of rows (SKIP LOCKED: two runners never run one row), runs each as
 * the single check would (its referenceId makes a re-run a replay, never a second rupee), and
 * ends the batch's rows and the job's counters in one transaction, which also publishes
 * VERIFICATION_BULK_COMPLETED when the last row ends.
 */

export const BULK_JOB = 'verification.bulk';
export const MAX_ROWS = 10_000;
/** Rows a runner claims at once; between batches it yields to the event loop so live checks keep their latency. */
export const BATCH_ROWS = 50;
/** A queue job runs batches for this long, then queues the next job (the queue's expiry stays far away). */
const SLICE_MS = 500;
/** A claim older than this is taken as its runner's death (the queue's own expiry is 60 s). */
const LEASE_MS = 60_000;
const ROW_REFERENCE = /^[A-Za-z0-9._:-]{1,64}$/;

export interface BulkDeps {
  db: Database['db'];
  /** The platform clock: claims and their lease are real time (a sandbox clock may jump). */
  clock: Clock;
  clocks: Pick<SandboxClock, 'now'>;
  jobs: JobQueue;
  events: Pick<EventsService, 'publish'>;
  secretsKey: SecretsKey;
  verification: VerificationService;
}

/** Who uploads: the job's checks are recorded as theirs. */
export interface Uploader {
  companyId: string;
  requestedBy: string;
  clientId: string;
  requestIp: string | null;
}

export function toJobPayload(j: repo.BulkJob): BulkJobPayload {
  return {
    jobId: j.id,
    referenceId: j.referenceId,
    checkType: j.checkType,
    status: j.status,
    rowsTotal: j.rowsTotal,
    rowsDone: j.rowsDone,
    rowsFailed: j.rowsFailed,
    purpose: j.consentPurpose,
    createdOn: j.createdAt.toISOString(),
    startedOn: j.startedAt?.toISOString() ?? null,
    completedOn: j.completedAt?.toISOString() ?? null,
  };
}

/** The header's columns for the check type. @throws invalid_bulk_file (422) */
function columnsOf(type: BulkQuery['checkType'], header: string[]): string[] {
  const { required, optional } = BULK_TYPES[type];
  const known = [...required, ...optional];
  const columns = header.map((c) => c.trim());
  for (const c of columns) {
    if (!known.includes(c)) {
      throw new InvalidBulkFileError(`Invalid file: unknown column "${c}" in the header line; the columns of ${type} are ${known.join(', ')}`, {
        param: 'file',
      });
    }
    if (columns.indexOf(c) !== columns.lastIndexOf(c)) throw new InvalidBulkFileError(`Invalid file: column "${c}" appears twice`, { param: 'file' });
  }
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new InvalidBulkFileError(`Invalid file: the header line has no column ${missing.join(', ')}`, { param: 'file' });
  return columns;
}

export function createBulkService(deps: BulkDeps) {
  const { db, clock, clocks, jobs, events, secretsKey, verification } = deps;

  async function get(companyId: string, id: string): Promise<repo.BulkJob> {
    const job = await repo.findJob(db, companyId, id);
    if (!job) throw new BulkJobNotFoundError(`No bulk job ${id}`, { param: 'jobId' });
    return job;
  }

  const publishCompleted = (tx: Executor, job: repo.BulkJob) =>
    events.publish(tx, job.companyId, { type: VERIFICATION_BULK_COMPLETED.type, payload: { event: VERIFICATION_BULK_COMPLETED.type, ...toJobPayload(job) } });

  /** A CSV upload becomes a job (or replays the job of its referenceId). @throws consent_required, invalid_bulk_file, bulk_reference_conflict */
  async function upload(query: BulkQuery, text: string, who: Uploader): Promise<{ job: repo.BulkJob; replayed: boolean }> {
    const { purpose } = requireConsent(query);
    const type = query.checkType;
    let records;
    try {
      records = parseCsv(text);
    } catch (err) {
      if (err instanceof CsvSyntaxError) throw new InvalidBulkFileError(err.message, { param: 'file' });
      throw err;
    }
    if (records.length === 0) throw new InvalidBulkFileError('Invalid file: no header line', { param: 'file' });
    const columns = columnsOf(type, records[0]!.fields);
    const data = records.slice(1);
    if (data.length === 0) throw new InvalidBulkFileError('Invalid file: no row after the header line', { param: 'file' });
    if (data.length > MAX_ROWS) throw new InvalidBulkFileError(`Invalid file: ${data.length} rows; a job takes at most ${MAX_ROWS}`, { param: 'file' });

    const now = await clocks.now(who.companyId);
    const rows: repo.BulkRow[] = data.map((record, i) => {
      const rowNo = i + 1;
      const values = Object.fromEntries(columns.map((c, k) => [c, record.fields[k] ?? '']));
      const referenceId = values['referenceId']?.trim() || `${query.referenceId}-${rowNo}`;
      const failed = (masked: string, reason: string): repo.BulkRow => ({
        rowNo,
        referenceId: referenceId.slice(0, 64),
        input: null,
        inputMasked: masked,
        inputHash: null,
        status: 'FAILED',
        checkStatus: null,
        verificationId: null,
        reason,
      });
      if (record.fields.length !== columns.length)
        return failed('', `Line ${record.line} has ${record.fields.length} fields; the header has ${columns.length}`);
      const p = prepareRow(type, values, now, verification);
      if (!ROW_REFERENCE.test(referenceId)) return failed(p.masked, 'Invalid field referenceId: 1 to 64 letters, digits, . _ : -');
      if (!p.ok) return failed(p.masked, p.reason);
      return {
        rowNo,
        referenceId,
        input: p.input,
        inputMasked: p.masked,
        inputHash: p.hash,
        status: 'QUEUED',
        checkStatus: null,
        verificationId: null,
        reason: null,
      };
    });
    const failedRows = rows.filter((r) => r.status === 'FAILED').length;
    const allFailed = failedRows === rows.length;
    const draft: repo.BulkJob = {
      id: newId('VBJ', now),
      companyId: who.companyId,
      referenceId: query.referenceId,
      checkType: type,
      status: allFailed ? 'COMPLETED' : 'QUEUED',
      fileHash: secretsKey.digest(`${type}\u0000${text}`, 'verification-bulk-file'),
      rowsTotal: rows.length,
      rowsDone: failedRows,
      rowsFailed: failedRows,
      consentPurpose: purpose,
      requestedBy: who.requestedBy,
      clientId: who.clientId,
      requestIp: who.requestIp,
      createdAt: now,
      startedAt: null,
      completedAt: allFailed ? now : null,
    };
    const result = await withTransaction(db, async (tx) => {
      const job = await repo.insertJob(tx, draft);
      if (!job) {
        const first = await repo.findJobByReference(tx, who.companyId, query.referenceId);
        if (!first) throw new Error(`bulk job ${query.referenceId}: the insert conflicted but no job has the referenceId`);
        if (first.checkType !== type || first.fileHash !== draft.fileHash) {
          throw new BulkReferenceConflictError(`referenceId ${query.referenceId} was used for another bulk job`, { param: 'referenceId' });
        }
        return { job: first, replayed: true };
      }
      await repo.insertRows(tx, job, rows);
      if (allFailed) await publishCompleted(tx, job);
      else await jobs.enqueue(tx, BULK_JOB, { companyId: job.companyId, jobId: job.id });
      return { job, replayed: false };
    });
    if (!result.replayed && !allFailed) jobs.wake(BULK_JOB);
    return result;
  }

  /** Runs one row as its single check would; a refused input or a business failure is a FAILED row with its reason. */
  async function runRow(job: repo.BulkJob, row: repo.BulkRow, exec: Executor): Promise<repo.RowEnd> {
    const request: CheckRequest = {
      companyId: job.companyId,
      referenceId: row.referenceId,
      consent: { purpose: job.consentPurpose, text: null },
      requestedBy: job.requestedBy,
      requestIp: job.requestIp,
      scenario: undefined,
    };
    const input = row.input ?? [];
    try {
      const { check } =
        job.checkType === 'BANK_ACCOUNT'
          ? await verification.bankAccount(
              { accountNumber: input[0]!, ifsc: input[1]!, name: input[2] ?? null, pennyLess: false },
              { ...request, clientId: job.clientId },
            )
          : job.checkType === 'NAME_MATCH'
            ? await verification.nameMatch({ name1: input[0]!, name2: input[1]! }, request)
            : await verification.runPrepared(
                CHECK_SPECS[job.checkType],
                { normalised: input[0]!, masked: row.inputMasked, hash: row.inputHash! },
                input[1] ?? null,
                request,
                exec,
              );
      return {
        rowNo: row.rowNo,
        status: check.status === 'FAILED' ? 'FAILED' : 'DONE',
        checkStatus: check.status,
        verificationId: check.id,
        reason: check.message,
      };
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const reason =
        err.code === 'verification_insufficient_balance' ? 'Insufficient balance: the payout balance cannot pay the ₹1.00 penny drop' : err.message;
      return { rowNo: row.rowNo, status: 'FAILED', checkStatus: null, verificationId: null, reason };
    }
  }

  /**
   * One batch: claims up to `limit` rows, runs them, then ends them and the job's counters
   * (COMPLETED and its webhook when no row is left). Registry checks run in the batch's one
   * transaction with its end (one commit per batch; a failure runs the whole batch again after the
   * lease); penny drops and name matches commit row by row (a penny drop is its own payout), then
   * the end. Answers how many rows it claimed.
   */
  async function runBatch(companyId: string, jobId: string, limit = BATCH_ROWS): Promise<number> {
    const job = await repo.findJob(db, companyId, jobId);
    if (!job || (job.status !== 'QUEUED' && job.status !== 'RUNNING')) return 0;
    const worker = randomUUID();
    const now = clock.now();
    const claimed = await repo.claimRows(db, { companyId, jobId, worker, now, leaseBefore: new Date(now.getTime() - LEASE_MS), limit });
    if (claimed.length === 0) return 0;
    if (job.checkType !== 'BANK_ACCOUNT' && job.checkType !== 'NAME_MATCH') {
      await withTransaction(db, async (tx) => {
        const ends: repo.RowEnd[] = [];
        for (const row of claimed) ends.push(await runRow(job, row, tx));
        await endBatch(tx, job, worker, ends);
      });
      return claimed.length;
    }
    const ends: repo.RowEnd[] = [];
    try {
      for (const row of claimed) ends.push(await runRow(job, row, db));
    } finally {
      // The rows that ran are ended even when one threw (its error retries the queue job; the rest wait for the lease).
      if (ends.length > 0) await withTransaction(db, (tx) => endBatch(tx, job, worker, ends));
    }
    return claimed.length;
  }

  async function endBatch(tx: Executor, job: repo.BulkJob, worker: string, ends: repo.RowEnd[]): Promise<void> {
    const now = await clocks.now(job.companyId);
    await repo.lockJob(tx, job.companyId, job.id);
    await repo.endRows(tx, job.companyId, job.id, worker, ends, now);
    const completed = await repo.completeJob(tx, job.companyId, job.id, now);
    if (completed) await publishCompleted(tx, completed);
  }

  /** The queue job: batches for a slice of time, yielding between them, then the next queue job if rows are left. */
  async function work(data: { companyId: string; jobId: string }): Promise<void> {
    const until = performance.now() + SLICE_MS;
    for (;;) {
      const claimed = await runBatch(data.companyId, data.jobId);
      if (claimed < BATCH_ROWS) return;
      await yieldToIo();
      if (performance.now() >= until) {
        await withTransaction(db, (tx) => jobs.enqueue(tx, BULK_JOB, data));
        jobs.wake(BULK_JOB);
        return;
      }
    }
  }

  return {
    /** Registers the runner with the queue (workers of this process run it once the queue starts). */
    start: () => jobs.work<{ companyId: string; jobId: string }>(BULK_JOB, work),
    upload,
    get,
    runBatch,

    async cancel(companyId: string, id: string): Promise<repo.BulkJob> {
      await get(companyId, id);
      const cancelled = await repo.cancelJob(db, companyId, id, await clocks.now(companyId));
      if (!cancelled) throw new BulkJobEndedError(`Bulk job ${id} has ended; only a QUEUED or RUNNING job can be cancelled`, { param: 'jobId' });
      return cancelled;
    },

    /** The result CSV: every row with its input as shown, its status (the check's, or FAILED, QUEUED, CANCELLED), verificationId and reason. */
    async resultCsv(companyId: string, id: string): Promise<string> {
      await get(companyId, id);
      const parts = [csvLine(['row', 'referenceId', 'input', 'status', 'verificationId', 'reason'])];
      for (let after = 0; ;) {
        const page = await repo.rowsAfter(db, companyId, id, after, 1000);
        for (const r of page) {
          const status = r.status === 'DONE' ? r.checkStatus : r.status === 'FAILED' ? 'FAILED' : r.status;
          parts.push(csvLine([r.rowNo, r.referenceId, r.inputMasked, status, r.verificationId, r.reason]));
        }
        if (page.length < 1000) break;
        after = page.at(-1)!.rowNo;
      }
      return parts.join('');
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;
