import { and, asc, count, desc, eq, gte, ilike, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { queryRows, uniqueViolation } from '../../core/db/transaction.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { PayoutBatchExistsError, PayoutBeneficiaryExistsError, PayoutSourceAccountExistsError, PayoutTransactionExistsError } from './errors.js';
import type { Batch, Beneficiary, FundLoad, SourceAccount, Transfer, TransferStatus } from './model.js';
import { payoutBatches, payoutBeneficiaries, payoutFundLoads, payoutSourceAccounts, payoutTransfers } from './tables.js';

// The only SQL of the payouts area. Every statement filters by company_id.

/**
 * Runs one statement of the payout hot path, with a narrow column list. It runs as is on the
 * caller's executor, inside or outside a transaction: when core/db offers a prepared statement
 * that can run in an open transaction, this function alone switches to it (`name` is the
 * statement's name then). ADR 0014, "Statement budget".
 */
function hotQuery<T>(exec: Executor, _name: string, query: SQL): Promise<T[]> {
  return queryRows<T>(exec, query);
}

function toBeneficiary(row: typeof payoutBeneficiaries.$inferSelect): Beneficiary {
  return row;
}

function toTransfer(row: typeof payoutTransfers.$inferSelect): Transfer {
  return { ...row, status: row.status as TransferStatus };
}

/** Runs an insert and turns the named unique violation into `error`. */
async function insertUnique(run: () => Promise<unknown>, constraint: string, error: () => Error): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (uniqueViolation(err) === constraint) throw error();
    throw err;
  }
}

// Beneficiaries

export async function insertBeneficiary(tx: Executor, b: Beneficiary): Promise<void> {
  await insertUnique(
    () => tx.insert(payoutBeneficiaries).values(b),
    'uq_payout_beneficiaries_company_beneficiary',
    () => new PayoutBeneficiaryExistsError(`Beneficiary ${b.beneficiaryId} already exists`, { param: 'beneficiaryId' }),
  );
}

/** Where a saved (not deleted) beneficiary is paid: the columns a transfer copies, nothing else. */
export async function findBeneficiaryDestination(
  exec: Executor,
  { companyId, beneficiaryId }: { companyId: string; beneficiaryId: string },
): Promise<Pick<Beneficiary, 'beneficiaryName' | 'accountNumber' | 'ifsc' | 'vpa'> | null> {
  const [row] = await hotQuery<Pick<Beneficiary, 'beneficiaryName' | 'accountNumber' | 'ifsc' | 'vpa'>>(
    exec,
    'payouts_beneficiary_destination',
    sql`select beneficiary_name as "beneficiaryName", account_number as "accountNumber", ifsc, vpa from payout_beneficiaries
        where company_id = ${companyId} and beneficiary_id = ${beneficiaryId} and deleted_at is null`,
  );
  return row ?? null;
}

export interface BeneficiaryFilters {
  beneficiaryId?: string;
  beneficiaryName?: string;
  beneficiaryAccountNumber?: string;
  beneficiaryIfsc?: string;
  vpaHandle?: string;
}

/** Case-insensitive substring of a user-supplied text, with LIKE's wildcards taken literally. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function searchBeneficiaries(
  exec: Executor,
  companyId: string,
  f: BeneficiaryFilters,
  page: PageRequest,
): Promise<{ rows: Beneficiary[]; total: number }> {
  const t = payoutBeneficiaries;
  const where = and(
    eq(t.companyId, companyId),
    isNull(t.deletedAt),
    f.beneficiaryId !== undefined ? eq(t.beneficiaryId, f.beneficiaryId) : undefined,
    f.beneficiaryName !== undefined ? ilike(t.beneficiaryName, contains(f.beneficiaryName)) : undefined,
    f.beneficiaryAccountNumber !== undefined ? eq(t.accountNumber, f.beneficiaryAccountNumber) : undefined,
    f.beneficiaryIfsc !== undefined ? eq(t.ifsc, f.beneficiaryIfsc.toUpperCase()) : undefined,
    f.vpaHandle !== undefined ? eq(t.vpa, f.vpaHandle.toLowerCase()) : undefined,
  );
  const rows = await exec.select().from(t).where(where).orderBy(asc(t.createdAt), asc(t.id)).limit(page.limit).offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(t).where(where);
  return { rows: rows.map(toBeneficiary), total: Number(total?.n ?? 0) };
}

export async function markBeneficiaryDeleted(tx: Executor, companyId: string, beneficiaryId: string, at: Date): Promise<Beneficiary | null> {
  const t = payoutBeneficiaries;
  const [row] = await tx
    .update(t)
    .set({ deletedAt: at })
    .where(and(eq(t.companyId, companyId), eq(t.beneficiaryId, beneficiaryId), isNull(t.deletedAt)))
    .returning();
  return row ? toBeneficiary(row) : null;
}

// Source bank accounts and fund loads

export async function insertSourceAccount(tx: Executor, a: SourceAccount): Promise<void> {
  await insertUnique(
    () => tx.insert(payoutSourceAccounts).values(a),
    'uq_payout_source_accounts_company_account',
    () => new PayoutSourceAccountExistsError(`Source bank account ${a.accountNumber} is already registered`, { param: 'accountNumber' }),
  );
}

export async function listSourceAccounts(exec: Executor, companyId: string): Promise<SourceAccount[]> {
  return exec
    .select()
    .from(payoutSourceAccounts)
    .where(eq(payoutSourceAccounts.companyId, companyId))
    .orderBy(asc(payoutSourceAccounts.createdAt), asc(payoutSourceAccounts.id));
}

export async function findSourceAccount(exec: Executor, companyId: string, accountNumber: string): Promise<SourceAccount | null> {
  const [row] = await exec
    .select()
    .from(payoutSourceAccounts)
    .where(and(eq(payoutSourceAccounts.companyId, companyId), eq(payoutSourceAccounts.accountNumber, accountNumber)));
  return row ?? null;
}

export async function hasFundLoad(exec: Executor, companyId: string): Promise<boolean> {
  const [row] = await exec.select({ id: payoutFundLoads.id }).from(payoutFundLoads).where(eq(payoutFundLoads.companyId, companyId)).limit(1);
  return row !== undefined;
}

/** Serialises the first-funding check of a company across processes (released at commit). */
export async function lockFundLoads(tx: Executor, companyId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payout_fund_loads:${companyId}`}))`);
}

export async function insertFundLoad(tx: Executor, load: FundLoad): Promise<void> {
  await tx.insert(payoutFundLoads).values(load);
}

// Batches and transfers

export async function insertBatch(tx: Executor, batch: Batch): Promise<void> {
  await insertUnique(
    () => tx.insert(payoutBatches).values(batch),
    'uq_payout_batches_company_batch',
    () => new PayoutBatchExistsError(`Batch ${batch.batchTransactionId} already exists`, { param: 'batchTransactionId' }),
  );
}

export async function insertTransfer(tx: Executor, transfer: Transfer): Promise<void> {
  await insertUnique(
    () => tx.insert(payoutTransfers).values(transfer),
    'uq_payout_transfers_company_transaction',
    () => new PayoutTransactionExistsError(`transactionId ${transfer.transactionId} already exists`, { param: 'transactionId' }),
  );
}

/** Whether an attempt that is not REJECTED holds `transactionId` (the rows the partial unique index covers). */
export async function transactionIdInUse(exec: Executor, { companyId, transactionId }: { companyId: string; transactionId: string }): Promise<boolean> {
  const rows = await hotQuery(
    exec,
    'payouts_transaction_id_in_use',
    sql`select 1 as one from payout_transfers where company_id = ${companyId} and transaction_id = ${transactionId} and status <> 'REJECTED' limit 1`,
  );
  return rows.length > 0;
}

/** Locks a transfer row for a status change (FOR UPDATE), before any ledger row. */
export async function lockTransfer(tx: Executor, companyId: string, id: string): Promise<Transfer | null> {
  const t = payoutTransfers;
  const [row] = await tx
    .select()
    .from(t)
    .where(and(eq(t.companyId, companyId), eq(t.id, id)))
    .for('update');
  return row ? toTransfer(row) : null;
}

export type TransferPatch = Partial<Pick<Transfer, 'status' | 'statusCode' | 'statusMessage' | 'utr' | 'holdId' | 'lastOutcomeSequence' | 'updatedAt'>>;

/** Writes a locked transfer's changed columns (the caller holds its new state). */
export async function updateTransfer(tx: Executor, { companyId, id, patch }: { companyId: string; id: string; patch: TransferPatch }): Promise<void> {
  const t = payoutTransfers;
  const [row] = await tx
    .update(t)
    .set(patch)
    .where(and(eq(t.companyId, companyId), eq(t.id, id)))
    .returning({ id: t.id });
  if (!row) throw new Error(`payout transfer ${id} vanished while locked`);
}

/** The ids of a batch's transfers still PENDING, in the order they were sent. */
export async function pendingBatchTransferIds(exec: Executor, companyId: string, batchTransactionId: string): Promise<string[]> {
  const t = payoutTransfers;
  const rows = await exec
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.companyId, companyId), eq(t.batchTransactionId, batchTransactionId), eq(t.status, 'PENDING')))
    .orderBy(asc(t.createdAt), asc(t.id));
  return rows.map((r) => r.id);
}

export interface TransferFilters {
  transactionId?: string;
  batchTransactionId?: string;
  beneficiaryId?: string;
  transferStatus?: TransferStatus;
  transferMode?: string;
  utr?: string;
  from?: Date;
  to?: Date;
}

export async function searchTransfers(exec: Executor, companyId: string, f: TransferFilters, page: PageRequest): Promise<{ rows: Transfer[]; total: number }> {
  const t = payoutTransfers;
  const conditions: (SQL | undefined)[] = [
    eq(t.companyId, companyId),
    f.transactionId !== undefined ? eq(t.transactionId, f.transactionId) : undefined,
    f.batchTransactionId !== undefined ? eq(t.batchTransactionId, f.batchTransactionId) : undefined,
    f.beneficiaryId !== undefined ? eq(t.beneficiaryId, f.beneficiaryId) : undefined,
    f.transferStatus !== undefined ? eq(t.status, f.transferStatus) : undefined,
    f.transferMode !== undefined ? eq(t.transferMode, f.transferMode) : undefined,
    f.utr !== undefined ? eq(t.utr, f.utr) : undefined,
    f.from !== undefined ? gte(t.createdAt, f.from) : undefined,
    f.to !== undefined ? lt(t.createdAt, f.to) : undefined,
  ];
  const where = and(...conditions);
  // One statement: the page and the total (a window count). Only a page past the end, which
  // returns no row to carry the total, asks for the count again.
  const rows = await exec
    .select({ transfer: t, total: sql<string | number>`count(*) over ()` })
    .from(t)
    .where(where)
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(page.limit)
    .offset(page.offset);
  if (rows.length === 0 && page.offset > 0) {
    const [total] = await exec.select({ n: count() }).from(t).where(where);
    return { rows: [], total: Number(total?.n ?? 0) };
  }
  return { rows: rows.map((r) => toTransfer(r.transfer)), total: Number(rows[0]?.total ?? 0) };
}
