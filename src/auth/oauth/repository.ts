import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../core/db/engine.js';
import { oauthClients, users } from '../identity/tables.js';
import { oauthAccessTokens, oauthRefreshTokens } from './tables.js';

export type AccessTokenRow = typeof oauthAccessTokens.$inferSelect;
export type RefreshTokenRow = typeof oauthRefreshTokens.$inferSelect;

export async function insertAccessToken(db: Executor, row: typeof oauthAccessTokens.$inferInsert): Promise<void> {
  await db.insert(oauthAccessTokens).values(row);
}

export async function insertRefreshToken(db: Executor, row: typeof oauthRefreshTokens.$inferInsert): Promise<void> {
  await db.insert(oauthRefreshTokens).values(row);
}

/** An access token with what a resource request needs to know about its client and user. */
export interface AccessTokenView {
  token: AccessTokenRow;
  username: string | null;
  payloadEncryption: string;
  payloadKey: string;
}

export async function findAccessToken(db: Executor, digest: string): Promise<AccessTokenView | null> {
  const [row] = await db
    .select({
      token: oauthAccessTokens,
      username: users.username,
      payloadEncryption: oauthClients.payloadEncryption,
      payloadKey: oauthClients.payloadKey,
    })
    .from(oauthAccessTokens)
    .innerJoin(oauthClients, eq(oauthClients.clientId, oauthAccessTokens.clientId))
    .leftJoin(users, eq(users.id, oauthAccessTokens.userId))
    .where(eq(oauthAccessTokens.tokenDigest, digest));
  return row ?? null;
}

export async function findRefreshToken(db: Executor, digest: string, forUpdate = false): Promise<RefreshTokenRow | null> {
  const query = db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenDigest, digest));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function markRefreshConsumed(db: Executor, id: string, at: Date, retryResponse: string): Promise<void> {
  await db.update(oauthRefreshTokens).set({ consumedAt: at, retryResponse }).where(eq(oauthRefreshTokens.id, id));
}

/** Revokes every live access token of a family (the ones issued before a rotation). */
export async function revokeFamilyAccessTokens(db: Executor, familyId: string, at: Date): Promise<void> {
  await db
    .update(oauthAccessTokens)
    .set({ revokedAt: at })
    .where(and(eq(oauthAccessTokens.familyId, familyId), isNull(oauthAccessTokens.revokedAt)));
}

/** Revokes a whole family: all its refresh tokens (dropping sealed retry responses) and access tokens. */
export async function revokeFamily(db: Executor, familyId: string, at: Date): Promise<void> {
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: sql`coalesce(${oauthRefreshTokens.revokedAt}, ${at.toISOString()}::timestamptz)`, retryResponse: null })
    .where(eq(oauthRefreshTokens.familyId, familyId));
  await revokeFamilyAccessTokens(db, familyId, at);
}

export async function revokeAccessToken(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .update(oauthAccessTokens)
    .set({ revokedAt: at })
    .where(and(eq(oauthAccessTokens.id, id), isNull(oauthAccessTokens.revokedAt)));
}
