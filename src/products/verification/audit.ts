import type { SandboxClock } from '../../core/clock/sandbox-clock.js';
import type { Database, Executor } from '../../core/db/engine.js';
import { afterCommit } from '../../core/db/transaction.js';
import { pageOf, toPage, type Page } from '../../core/http/pagination.js';
import type { Timers } from '../../core/jobs/types.js';
import * as audit from './audit-repository.js';
import type { AuditFilter, AuditRecord } from './audit-repository.js';
import { DEFAULT_RESULT_RETENTION_DAYS, type VerificationCheck } from './model.js';

/**
 * Consent and audit (issue 20 part 12, ADR 0044): the check row is the audit record; its audit
 * columns are immutable (a trigger refuses the rest), searchable and exported as CSV page by page;
 * its result columns are purged by a daily sweep on the company's sandbox clock once they are
 * `resultRetentionDays` old.
 */
export const PURGE_TIMER = 'verification.purge';
const DAY_MS = 86_400_000;
/** IST is UTC+05:30: sweeps run at 00:00 IST. */
const IST_MS = 330 * 60_000;
/** Rows purged per statement, and rows per page of the export. */
const PURGE_BATCH = 1000;
export const EXPORT_PAGE = 500;
/** The in-process memory of sweeps already scheduled (a dedupe key in the table backs it). */
const SCHEDULED_LIMIT = 10_000;

/** The first 00:00 IST strictly after `at`. */
export function nextSweepAt(at: Date): Date {
  return new Date(Math.floor((at.getTime() + IST_MS) / DAY_MS + 1) * DAY_MS - IST_MS);
}

export interface AuditDeps {
  db: Database['db'];
  clocks: Pick<SandboxClock, 'now'>;
  timers: Timers;
}

export interface AuditQuery {
  checkType?: AuditFilter['checkType'];
  status?: AuditFilter['status'];
  referenceId?: string;
  purpose?: string;
  createdBy?: string;
  fromDate?: string;
  toDate?: string;
}

const filterOf = (q: AuditQuery): AuditFilter => ({
  checkType: q.checkType,
  status: q.status,
  referenceId: q.referenceId,
  purpose: q.purpose,
  createdBy: q.createdBy,
  from: q.fromDate ? new Date(q.fromDate) : undefined,
  to: q.toDate ? new Date(q.toDate) : undefined,
});

export function createVerificationAudit(deps: AuditDeps) {
  const { db, clocks, timers } = deps;
  const scheduled = new Set<string>();

  const sweepKey = (companyId: string, dueAt: Date) => `${companyId}\u0000${PURGE_TIMER}:${dueAt.toISOString()}`;

  /** Schedules the company's sweep at `dueAt` (one per company and instant). */
  async function scheduleSweep(exec: Executor, companyId: string, dueAt: Date): Promise<void> {
    const dedupeKey = `${PURGE_TIMER}:${dueAt.toISOString()}`;
    const key = sweepKey(companyId, dueAt);
    if (scheduled.has(key)) return;
    await timers.schedule(exec, { companyId, dueAt, kind: PURGE_TIMER, payload: {}, dedupeKey });
    const remember = () => {
      if (scheduled.size >= SCHEDULED_LIMIT) scheduled.clear();
      scheduled.add(key);
    };
    if (exec === db) remember();
    else afterCommit(exec, remember);
  }

  async function retentionDays(companyId: string): Promise<number> {
    return (await audit.findRetentionDays(db, companyId)) ?? DEFAULT_RESULT_RETENTION_DAYS;
  }

  /**
   * The sweep: purges the results older than the retention period, then schedules the next sweep
   * for when the oldest result still kept falls due (none while nothing is kept: the next check
   * schedules one).
   */
  async function sweep(companyId: string): Promise<void> {
    const now = await clocks.now(companyId);
    const days = await retentionDays(companyId);
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    while ((await audit.purgeResults(db, companyId, cutoff, now, PURGE_BATCH)) === PURGE_BATCH);
    const oldest = await audit.oldestKept(db, companyId);
    if (oldest) await scheduleSweep(db, companyId, nextSweepAt(new Date(Math.max(oldest.getTime() + days * DAY_MS - 1, now.getTime()))));
  }
  timers.register(PURGE_TIMER, (timer) => sweep(timer.companyId));

  return {
    /**
     * A check was inserted (not replayed) with `exec`: the company's next sweep is scheduled, once a
     * day per process (the first check of the day costs one statement). Inside the caller's
     * transaction when there is one.
     */
    recorded: (exec: Executor, check: VerificationCheck) => scheduleSweep(exec, check.companyId, nextSweepAt(check.createdAt)),

    /** Whether recording `check` would schedule a sweep (a statement the check's insert must share a transaction with). */
    sweepPending: (check: VerificationCheck) => !scheduled.has(sweepKey(check.companyId, nextSweepAt(check.createdAt))),

    /** The retention period changed: sweep at the next 00:00 IST with it. */
    async retentionChanged(companyId: string): Promise<void> {
      await scheduleSweep(db, companyId, nextSweepAt(await clocks.now(companyId)));
    },

    retentionDays,

    async search(companyId: string, q: AuditQuery & { offset?: number; limit?: number }): Promise<Page<AuditRecord>> {
      const page = pageOf(q);
      const { rows, total } = await audit.searchAudit(db, companyId, filterOf(q), page);
      return toPage(rows, total, page);
    },

    /** Every matching audit record, oldest first, read EXPORT_PAGE at a time (keyset): never the whole set in memory. */
    async *records(companyId: string, q: AuditQuery): AsyncGenerator<AuditRecord[]> {
      const filter = filterOf(q);
      let after: { createdAt: Date; id: string } | null = null;
      for (;;) {
        const rows = await audit.auditAfter(db, companyId, filter, after, EXPORT_PAGE);
        if (rows.length > 0) yield rows;
        if (rows.length < EXPORT_PAGE) return;
        const last = rows[rows.length - 1]!;
        after = { createdAt: last.createdAt, id: last.id };
      }
    },
  };
}

export type VerificationAudit = ReturnType<typeof createVerificationAudit>;
