import { and, asc, count, desc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { definePrepared, toDate } from '../../core/db/prepared.js';
import type { PageRequest } from '../../core/http/pagination.js';
import type { CheckStatus, CheckType, VerificationCheck } from './model.js';
import { checkConditions, type CheckFilter } from './repository.js';
import { verificationChecks, verificationSettings } from './tables.js';

/**
 * The audit side of `verification_checks` (ADR 0044): the columns that are never purged, read for
 * the audit search and the CSV export, and the purge of the result columns. Every statement
 * filters by company.
 */

/** The audit record of a check: who, from where, when, why, with which consent, on what input, with which outcome. */
export type AuditRecord = Pick<
  VerificationCheck,
  | 'id'
  | 'referenceId'
  | 'checkType'
  | 'status'
  | 'message'
  | 'inputMasked'
  | 'consentPurpose'
  | 'consentText'
  | 'requestedBy'
  | 'requestIp'
  | 'dataVersion'
  | 'createdAt'
  | 'completedAt'
  | 'purgedAt'
>;

export interface AuditFilter extends CheckFilter {
  purpose?: string | undefined;
  createdBy?: string | undefined;
}

const t = verificationChecks;
/** The audit columns only: the result columns (`result`, `name_match`, `name`) are never read here. */
const AUDIT_COLUMNS = {
  id: t.id,
  referenceId: t.referenceId,
  checkType: t.checkType,
  status: t.status,
  message: t.message,
  inputMasked: t.inputMasked,
  consentPurpose: t.consentPurpose,
  consentText: t.consentText,
  requestedBy: t.requestedBy,
  requestIp: t.requestIp,
  dataVersion: t.dataVersion,
  createdAt: t.createdAt,
  completedAt: t.completedAt,
  purgedAt: t.purgedAt,
};

type AuditRow = { [K in keyof typeof AUDIT_COLUMNS]: (typeof AUDIT_COLUMNS)[K]['_']['data'] | null };

function toRecord(r: AuditRow): AuditRecord {
  return {
    ...(r as Omit<AuditRecord, 'checkType' | 'status'>),
    checkType: r.checkType as CheckType,
    status: r.status as CheckStatus,
    createdAt: toDate(r.createdAt),
    completedAt: r.completedAt === null ? null : toDate(r.completedAt),
    purgedAt: r.purgedAt === null ? null : toDate(r.purgedAt),
  };
}

function where(companyId: string, f: AuditFilter): SQL[] {
  const conditions = checkConditions(companyId, f);
  if (f.purpose) conditions.push(eq(t.consentPurpose, f.purpose));
  if (f.createdBy) conditions.push(eq(t.requestedBy, f.createdBy));
  return conditions;
}

/** A page of the company's audit records, newest first, with the total. */
export async function searchAudit(exec: Executor, companyId: string, filter: AuditFilter, page: PageRequest): Promise<{ rows: AuditRecord[]; total: number }> {
  const condition = and(...where(companyId, filter));
  const [rows, [total]] = await Promise.all([
    exec.select(AUDIT_COLUMNS).from(t).where(condition).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset),
    exec.select({ n: count() }).from(t).where(condition),
  ]);
  return { rows: rows.map(toRecord), total: total?.n ?? 0 };
}

/** The next `limit` audit records after `after` (keyset on creation time and id), oldest first: one page of the export. */
export async function auditAfter(
  exec: Executor,
  companyId: string,
  filter: AuditFilter,
  after: { createdAt: Date; id: string } | null,
  limit: number,
): Promise<AuditRecord[]> {
  const conditions = where(companyId, filter);
  if (after) conditions.push(or(gt(t.createdAt, after.createdAt), and(eq(t.createdAt, after.createdAt), gt(t.id, after.id)))!);
  const rows = await exec
    .select(AUDIT_COLUMNS)
    .from(t)
    .where(and(...conditions))
    .orderBy(asc(t.createdAt), asc(t.id))
    .limit(limit);
  return rows.map(toRecord);
}

/**
 * Nulls the result columns of up to `batch` ended checks created at or before `cutoff` and not yet
 * purged; returns how many. The table's trigger allows exactly this change of an ended check.
 */
const purgeStatement = definePrepared<{ id: string }, [string, Date, Date, number]>(
  'verification_checks_purge',
  `update verification_checks set result = null, name_match = null, name = null, purged_at = $3::timestamptz
   where company_id = $1 and id in (
     select id from verification_checks
     where company_id = $1 and purged_at is null and status <> 'PENDING' and created_at <= $2::timestamptz
     order by created_at limit $4)
   returning id`,
);

export async function purgeResults(exec: Executor, companyId: string, cutoff: Date, now: Date, batch: number): Promise<number> {
  return (await purgeStatement.rows(exec, [companyId, cutoff, now, batch])).length;
}

/** The creation time of the company's oldest check whose result is still kept, or null. */
const oldestKeptStatement = definePrepared<{ created_at: unknown }, [string]>(
  'verification_checks_oldest_kept',
  'select min(created_at) as created_at from verification_checks where company_id = $1 and purged_at is null',
);

export async function oldestKept(exec: Executor, companyId: string): Promise<Date | null> {
  const row = await oldestKeptStatement.one(exec, [companyId]);
  return row?.created_at === null || row?.created_at === undefined ? null : toDate(row.created_at);
}

export async function findRetentionDays(exec: Executor, companyId: string): Promise<number | null> {
  const [row] = await exec
    .select({ days: verificationSettings.resultRetentionDays })
    .from(verificationSettings)
    .where(eq(verificationSettings.companyId, companyId));
  return row ? Number(row.days) : null;
}
