import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { railCardAuthentications } from './tables.js';

export type CardAuthenticationRow = typeof railCardAuthentications.$inferSelect;

export async function insertAuthentication(exec: Executor, row: typeof railCardAuthentications.$inferInsert): Promise<void> {
  await exec.insert(railCardAuthentications).values(row);
}

/** The session of this company, locked for the rest of the caller's transaction; another company's id is not found. */
export async function lockAuthentication(exec: Executor, companyId: string, id: string): Promise<CardAuthenticationRow | undefined> {
  const rows = await exec
    .select()
    .from(railCardAuthentications)
    .where(and(eq(railCardAuthentications.companyId, companyId), eq(railCardAuthentications.id, id)))
    .for('update');
  return rows[0];
}

export async function updateAuthentication(
  exec: Executor,
  companyId: string,
  id: string,
  change: { status?: 'succeeded' | 'failed'; otpAttempts?: number; otpResends?: number },
): Promise<void> {
  await exec
    .update(railCardAuthentications)
    .set(change)
    .where(and(eq(railCardAuthentications.companyId, companyId), eq(railCardAuthentications.id, id)));
}

export async function countAuthentications(exec: Executor, companyId: string): Promise<number> {
  const rows = await exec
    .select({ n: sql<number>`count(*)::int` })
    .from(railCardAuthentications)
    .where(eq(railCardAuthentications.companyId, companyId));
  return rows[0]?.n ?? 0;
}
