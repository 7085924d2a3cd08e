import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { definePrepared, toDate } from '../../core/db/prepared.js';
import type { PageRequest } from '../../core/http/pagination.js';
import type { CheckStatus, CheckType, NameMatchBlock, VerificationCheck } from './model.js';
import { DEFAULT_THRESHOLDS, type NameThresholds } from './name-match.js';
import { verificationChecks, verificationSettings } from './tables.js';

// Every statement filters by company (DESIGN.md): an id of another company finds nothing.

const COLUMNS = [
  'id',
  'company_id',
  'reference_id',
  'check_type',
  'status',
  'input_masked',
  'input_hash',
  'name',
  'result',
  'name_match',
  'message',
  'consent_purpose',
  'consent_text',
  'requested_by',
  'request_ip',
  'data_version',
  'created_at',
  'completed_at',
  'purged_at',
] as const;
const JSONB = new Set(['result', 'name_match']);
const TIMESTAMPS = new Set(['created_at', 'completed_at', 'purged_at']);
const SELECT = COLUMNS.join(', ');

interface CheckRow {
  id: string;
  company_id: string;
  reference_id: string;
  check_type: string;
  status: string;
  input_masked: string;
  input_hash: string;
  name: string | null;
  result: unknown;
  name_match: unknown;
  message: string;
  consent_purpose: string;
  consent_text: string | null;
  requested_by: string;
  request_ip: string | null;
  data_version: string;
  created_at: unknown;
  completed_at: unknown;
  purged_at: unknown;
}

const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));

/** PGlite gives jsonb parsed, pg too; a string (a driver without the parser) is parsed here. */
const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toCheck(row: CheckRow): VerificationCheck {
  return {
    id: row.id,
    companyId: row.company_id,
    referenceId: row.reference_id,
    checkType: row.check_type as CheckType,
    status: row.status as CheckStatus,
    inputMasked: row.input_masked,
    inputHash: row.input_hash,
    name: row.name,
    result: json<Record<string, unknown>>(row.result),
    nameMatch: json<NameMatchBlock>(row.name_match),
    message: row.message,
    consentPurpose: row.consent_purpose,
    consentText: row.consent_text,
    requestedBy: row.requested_by,
    requestIp: row.request_ip,
    dataVersion: row.data_version,
    createdAt: toDate(row.created_at),
    completedAt: dateOrNull(row.completed_at),
    purgedAt: dateOrNull(row.purged_at),
  };
}

/** The check's insert; a repeated referenceId inserts nothing and returns no row (ADR 0028: one named statement on the hot path). */
const insertStatement = definePrepared<CheckRow, unknown[]>(
  'verification_check_insert',
  `insert into verification_checks (${SELECT}) values (${COLUMNS.map((c, i) => `$${i + 1}${JSONB.has(c) ? '::jsonb' : TIMESTAMPS.has(c) ? '::timestamptz' : ''}`).join(', ')})
   on conflict (company_id, reference_id) do nothing returning ${SELECT}`,
);
const byReferenceStatement = definePrepared<CheckRow, [string, string]>(
  'verification_check_by_reference',
  `select ${SELECT} from verification_checks where company_id = $1 and reference_id = $2`,
);
const byIdStatement = definePrepared<CheckRow, [string, string]>(
  'verification_check_by_id',
  `select ${SELECT} from verification_checks where company_id = $1 and id = $2`,
);
const completeStatement = definePrepared<CheckRow, unknown[]>(
  'verification_check_complete',
  `update verification_checks set status = $3, result = $4::jsonb, name_match = $5::jsonb, message = $6, completed_at = $7::timestamptz
   where company_id = $1 and id = $2 and status = 'PENDING' returning ${SELECT}`,
);

function values(c: VerificationCheck): unknown[] {
  return [
    c.id,
    c.companyId,
    c.referenceId,
    c.checkType,
    c.status,
    c.inputMasked,
    c.inputHash,
    c.name,
    c.result === null ? null : JSON.stringify(c.result),
    c.nameMatch === null ? null : JSON.stringify(c.nameMatch),
    c.message,
    c.consentPurpose,
    c.consentText,
    c.requestedBy,
    c.requestIp,
    c.dataVersion,
    c.createdAt,
    c.completedAt,
    c.purgedAt,
  ];
}

/** Inserts the check, or returns null when the company already has its referenceId. */
export async function insertCheck(exec: Executor, check: VerificationCheck): Promise<VerificationCheck | null> {
  const row = await insertStatement.one(exec, values(check));
  return row ? toCheck(row) : null;
}

export async function findCheckByReference(exec: Executor, companyId: string, referenceId: string): Promise<VerificationCheck | null> {
  const row = await byReferenceStatement.one(exec, [companyId, referenceId]);
  return row ? toCheck(row) : null;
}

export async function findCheck(exec: Executor, companyId: string, id: string): Promise<VerificationCheck | null> {
  const row = await byIdStatement.one(exec, [companyId, id]);
  return row ? toCheck(row) : null;
}

/** Ends a PENDING check; null when it was not PENDING any more (another runner ended it). */
export async function completeCheck(
  exec: Executor,
  companyId: string,
  id: string,
  end: { status: CheckStatus; result: Record<string, unknown> | null; nameMatch: NameMatchBlock | null; message: string; at: Date },
): Promise<VerificationCheck | null> {
  const row = await completeStatement.one(exec, [
    companyId,
    id,
    end.status,
    end.result === null ? null : JSON.stringify(end.result),
    end.nameMatch === null ? null : JSON.stringify(end.nameMatch),
    end.message,
    end.at,
  ]);
  return row ? toCheck(row) : null;
}

export interface CheckFilter {
  checkType?: CheckType | undefined;
  status?: CheckStatus | undefined;
  referenceId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The conditions of a search of the company's checks (also the audit's, audit-repository.ts). */
export function checkConditions(companyId: string, filter: CheckFilter): SQL[] {
  const t = verificationChecks;
  const conditions: SQL[] = [eq(t.companyId, companyId)];
  if (filter.checkType) conditions.push(eq(t.checkType, filter.checkType));
  if (filter.status) conditions.push(eq(t.status, filter.status));
  if (filter.referenceId) conditions.push(eq(t.referenceId, filter.referenceId));
  if (filter.from) conditions.push(gte(t.createdAt, filter.from));
  if (filter.to) conditions.push(lt(t.createdAt, filter.to));
  return conditions;
}

/** A page of the company's checks, newest first, with the total. Not a hot path: Drizzle's builder. */
export async function searchChecks(
  exec: Executor,
  companyId: string,
  filter: CheckFilter,
  page: PageRequest,
): Promise<{ rows: VerificationCheck[]; total: number }> {
  const t = verificationChecks;
  const where = and(...checkConditions(companyId, filter));
  const [rows, [total]] = await Promise.all([
    exec.select().from(t).where(where).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset),
    exec.select({ n: count() }).from(t).where(where),
  ]);
  return {
    rows: rows.map((r) =>
      toCheck({
        id: r.id,
        company_id: r.companyId,
        reference_id: r.referenceId,
        check_type: r.checkType,
        status: r.status,
        input_masked: r.inputMasked,
        input_hash: r.inputHash,
        name: r.name,
        result: r.result,
        name_match: r.nameMatch,
        message: r.message,
        consent_purpose: r.consentPurpose,
        consent_text: r.consentText,
        requested_by: r.requestedBy,
        request_ip: r.requestIp,
        data_version: r.dataVersion,
        created_at: r.createdAt,
        completed_at: r.completedAt,
        purged_at: r.purgedAt,
      }),
    ),
    total: total?.n ?? 0,
  };
}

const thresholdsStatement = definePrepared<{ match_threshold: number; partial_threshold: number }, [string]>(
  'verification_settings_by_company',
  'select match_threshold, partial_threshold from verification_settings where company_id = $1',
);

export async function findThresholds(exec: Executor, companyId: string): Promise<NameThresholds | null> {
  const row = await thresholdsStatement.one(exec, [companyId]);
  return row ? { match: Number(row.match_threshold), partial: Number(row.partial_threshold) } : null;
}

export interface VerificationSettings {
  nameMatchThresholds: NameThresholds;
  resultRetentionDays: number;
}

/** Upserts the company's settings: the fields given, the defaults for a new row's others; returns the row. */
export async function saveSettings(exec: Executor, companyId: string, change: Partial<VerificationSettings>, now: Date): Promise<VerificationSettings> {
  const t = verificationSettings;
  const set = {
    ...(change.nameMatchThresholds ? { matchThreshold: change.nameMatchThresholds.match, partialThreshold: change.nameMatchThresholds.partial } : {}),
    ...(change.resultRetentionDays !== undefined ? { resultRetentionDays: change.resultRetentionDays } : {}),
    updatedAt: now,
  };
  const [row] = await exec
    .insert(t)
    .values({ companyId, matchThreshold: DEFAULT_THRESHOLDS.match, partialThreshold: DEFAULT_THRESHOLDS.partial, ...set })
    .onConflictDoUpdate({ target: t.companyId, set })
    .returning();
  return { nameMatchThresholds: { match: row!.matchThreshold, partial: row!.partialThreshold }, resultRetentionDays: row!.resultRetentionDays };
}
