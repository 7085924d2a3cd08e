import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import type { PageRequest } from '../../core/http/pagination.js';
import type { Notice, NoticeFilters } from './model.js';
import { sandboxNotices } from './tables.js';

export async function insertNotice(exec: Executor, notice: Notice): Promise<void> {
  await exec.insert(sandboxNotices).values(notice);
}

/** A company's notices, newest first (creation time, then id: a stable order for paging). */
export async function listNotices(exec: Executor, companyId: string, filters: NoticeFilters, page: PageRequest): Promise<{ rows: Notice[]; total: number }> {
  const where: SQL[] = [eq(sandboxNotices.companyId, companyId)];
  if (filters.channel !== undefined) where.push(eq(sandboxNotices.channel, filters.channel));
  if (filters.relatedId !== undefined) where.push(eq(sandboxNotices.relatedId, filters.relatedId));
  if (filters.recipient !== undefined) where.push(eq(sandboxNotices.recipient, filters.recipient));
  if (filters.template !== undefined) where.push(eq(sandboxNotices.template, filters.template));
  const condition = and(...where);
  const rows = await exec
    .select()
    .from(sandboxNotices)
    .where(condition)
    .orderBy(desc(sandboxNotices.createdAt), desc(sandboxNotices.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await exec.select({ n: count() }).from(sandboxNotices).where(condition);
  return { rows: rows as Notice[], total: Number(total?.n ?? 0) };
}
