import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { merchantAccessKeys, merchantTokens } from './tables.js';

export type AccessKeyRow = typeof merchantAccessKeys.$inferSelect;
export type TokenRow = typeof merchantTokens.$inferSelect;

export async function insertAccessKey(db: Executor, row: AccessKeyRow): Promise<void> {
  await db.insert(merchantAccessKeys).values(row);
}

export async function findAccessKey(db: Executor, accessKey: string): Promise<AccessKeyRow | undefined> {
  const [row] = await db.select().from(merchantAccessKeys).where(eq(merchantAccessKeys.accessKey, accessKey)).limit(1);
  return row;
}

export async function findCompanyAccessKey(db: Executor, companyId: string, accessKey: string): Promise<AccessKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(merchantAccessKeys)
    .where(and(eq(merchantAccessKeys.companyId, companyId), eq(merchantAccessKeys.accessKey, accessKey)))
    .limit(1);
  return row;
}

/** Every key's sealed secret, revoked keys included (the start checks that its key opens them all). */
export async function listSealedSecrets(db: Executor): Promise<{ accessKey: string; secretSealed: string }[]> {
  return db.select({ accessKey: merchantAccessKeys.accessKey, secretSealed: merchantAccessKeys.secretSealed }).from(merchantAccessKeys);
}

export async function listAccessKeys(db: Executor, companyId: string): Promise<AccessKeyRow[]> {
  return db.select().from(merchantAccessKeys).where(eq(merchantAccessKeys.companyId, companyId)).orderBy(merchantAccessKeys.createdAt, merchantAccessKeys.id);
}

/** Revokes a key and deletes its tokens at once: a revoked key's tokens stop working immediately. */
export async function revokeAccessKey(db: Executor, accessKey: string, at: Date): Promise<AccessKeyRow | undefined> {
  const [row] = await db
    .update(merchantAccessKeys)
    .set({ status: 'REVOKED', revokedAt: at })
    .where(and(eq(merchantAccessKeys.accessKey, accessKey), eq(merchantAccessKeys.status, 'ACTIVE')))
    .returning();
  if (row) await db.delete(merchantTokens).where(eq(merchantTokens.accessKeyId, row.id));
  return row;
}

export async function insertToken(db: Executor, row: TokenRow): Promise<void> {
  await db.insert(merchantTokens).values(row);
}

/** A token with its key, in one read (the guard runs on every gateway request). */
export async function findToken(db: Executor, tokenDigest: string): Promise<{ token: TokenRow; key: AccessKeyRow } | undefined> {
  const [row] = await db
    .select({ token: merchantTokens, key: merchantAccessKeys })
    .from(merchantTokens)
    .innerJoin(merchantAccessKeys, eq(merchantAccessKeys.id, merchantTokens.accessKeyId))
    .where(eq(merchantTokens.tokenDigest, tokenDigest))
    .limit(1);
  return row;
}

export async function pruneExpiredTokens(db: Executor, before: Date, limit: number): Promise<number> {
  const rows = await db
    .delete(merchantTokens)
    .where(sql`${merchantTokens.id} in (select id from merchant_tokens where ${lt(merchantTokens.expiresAt, before)} limit ${limit})`)
    .returning({ id: merchantTokens.id });
  return rows.length;
}
