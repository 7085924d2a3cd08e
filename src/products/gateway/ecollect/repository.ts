import { and, asc, count, desc, eq, gt, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { VirtualAccount, VirtualAccountCredit, VirtualAccountStatus } from './model.js';
import { gatewayVirtualAccountCredits, gatewayVirtualAccounts } from './tables.js';

const accounts = gatewayVirtualAccounts;
const credits = gatewayVirtualAccountCredits;

export async function insertAccount(exec: Executor, row: VirtualAccount): Promise<void> {
  await exec.insert(accounts).values(row);
}

/** An account of the company by one unique column: its id, account number or VPA. */
export async function findAccountBy(
  exec: Executor,
  companyId: string,
  by: { id: string } | { accountNumber: string } | { vpa: string },
  forUpdate = false,
): Promise<VirtualAccount | null> {
  const column = 'id' in by ? eq(accounts.id, by.id) : 'accountNumber' in by ? eq(accounts.accountNumber, by.accountNumber) : eq(accounts.vpa, by.vpa);
  const query = exec
    .select()
    .from(accounts)
    .where(and(eq(accounts.companyId, companyId), column));
  const [row] = forUpdate ? await query.for('update') : await query;
  return (row as VirtualAccount | undefined) ?? null;
}

export async function updateAccount(exec: Executor, companyId: string, id: string, set: Partial<VirtualAccount>): Promise<VirtualAccount> {
  const [row] = await exec
    .update(accounts)
    .set(set)
    .where(and(eq(accounts.companyId, companyId), eq(accounts.id, id)))
    .returning();
  return row as VirtualAccount;
}

/** Adds a credited amount to the account's running totals (the caller holds the row lock). */
export async function addCredited(exec: Executor, companyId: string, id: string, amountPaise: bigint, at: Date): Promise<void> {
  await exec
    .update(accounts)
    .set({ creditedPaise: sql`${accounts.creditedPaise} + ${amountPaise}`, creditCount: sql`${accounts.creditCount} + 1`, updatedAt: at })
    .where(and(eq(accounts.companyId, companyId), eq(accounts.id, id)));
}

export interface AccountFilters {
  referenceId?: string;
  accountNumber?: string;
  customerMobile?: string;
  customerEmail?: string;
  /** The effective status at `now` (a passed closeBy counts as CLOSED). */
  status?: { value: VirtualAccountStatus; now: Date };
  createdFrom?: Date;
  createdTo?: Date;
}

const SORT = { created: accounts.createdAt, lastModified: accounts.updatedAt } as const;

export async function searchAccounts(
  exec: Executor,
  companyId: string,
  filters: AccountFilters,
  page: PageRequest & { orderBy: keyof typeof SORT; direction: 'ASC' | 'DESC' },
): Promise<{ rows: VirtualAccount[]; total: number }> {
  const where: Array<SQL | undefined> = [eq(accounts.companyId, companyId)];
  if (filters.referenceId !== undefined) where.push(eq(accounts.referenceId, filters.referenceId));
  if (filters.accountNumber !== undefined) where.push(eq(accounts.accountNumber, filters.accountNumber));
  if (filters.customerMobile !== undefined) where.push(eq(accounts.customerMobile, filters.customerMobile));
  if (filters.customerEmail !== undefined) where.push(eq(accounts.customerEmail, filters.customerEmail));
  if (filters.createdFrom !== undefined) where.push(gte(accounts.createdAt, filters.createdFrom));
  if (filters.createdTo !== undefined) where.push(lt(accounts.createdAt, filters.createdTo));
  if (filters.status !== undefined) {
    const { value, now } = filters.status;
    const open = and(eq(accounts.status, 'ACTIVE'), or(isNull(accounts.closeBy), gt(accounts.closeBy, now)));
    where.push(value === 'ACTIVE' ? open : or(eq(accounts.status, 'CLOSED'), lte(accounts.closeBy, now)));
  }
  const direction = page.direction === 'ASC' ? asc : desc;
  const rows = await exec
    .select()
    .from(accounts)
    .where(and(...where))
    .orderBy(direction(SORT[page.orderBy]), direction(accounts.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec
    .select({ n: count() })
    .from(accounts)
    .where(and(...where));
  return { rows: rows as VirtualAccount[], total: Number(total?.n ?? 0) };
}

export async function insertCredit(exec: Executor, row: VirtualAccountCredit): Promise<void> {
  await exec.insert(credits).values(row);
}

export async function findCreditByUtr(exec: Executor, companyId: string, utr: string): Promise<VirtualAccountCredit | null> {
  const [row] = await exec
    .select()
    .from(credits)
    .where(and(eq(credits.companyId, companyId), eq(credits.utr, utr)));
  return (row as VirtualAccountCredit | undefined) ?? null;
}

/** Credits of one account in arrival order (stable for paging). */
export async function listCredits(
  exec: Executor,
  companyId: string,
  virtualAccountId: string,
  page: PageRequest,
): Promise<{ rows: VirtualAccountCredit[]; total: number }> {
  const where = and(eq(credits.companyId, companyId), eq(credits.virtualAccountId, virtualAccountId));
  const rows = await exec.select().from(credits).where(where).orderBy(asc(credits.seq)).limit(page.limit).offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(credits).where(where);
  return { rows: rows as VirtualAccountCredit[], total: Number(total?.n ?? 0) };
}
