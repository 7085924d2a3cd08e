import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import { queryRows, rawSql, withTransaction } from '../db/transaction.js';
import { idempotencyKeys } from './tables.js';

export interface ClaimInput {
  companyId: string;
  key: string;
  /** The keyed fingerprint (`v2:…`), stored with a new claim. */
  fingerprint: string;
  /** The unkeyed sha256 a row written before ADR 0047 holds: compared, never stored. */
  legacyFingerprint: string;
  method: string;
  path: string;
  /** Fresh random token of this attempt; only its holder may complete or release the claim. */
  leaseToken: string;
  now: Date;
  leaseMs: number;
  retentionMs: number;
}

export type ClaimOutcome =
  | { kind: 'claimed'; takeover: 'none' | 'expired_key' | 'expired_lease'; recoveryPoint: Record<string, string> | null }
  | { kind: 'replay'; status: number; headers: Record<string, string>; body: Buffer }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

/**
 * Check-and-claim as one atomic step (Brandur, "Implementing Stripe-like Idempotency Keys in
 * Postgres"): `INSERT … ON CONFLICT DO NOTHING` wins or loses the key against any concurrent
 * request (PostgreSQL makes the loser wait for the winner's commit), and the loser re-reads the
 * winner's row under `FOR UPDATE` to decide: mismatch, replay, in progress, or take over a row
 * that expired (retention) or whose lease ran out (its process died mid-request). Runs in its own
 * short transaction so the claim is visible to other requests before the handler starts.
 */
export async function claimIdempotencyKey(db: Executor, input: ClaimInput): Promise<ClaimOutcome> {
  const fresh = {
    fingerprint: input.fingerprint,
    method: input.method,
    path: input.path,
    status: 'in_progress',
    leaseToken: input.leaseToken,
    leaseExpiresAt: new Date(input.now.getTime() + input.leaseMs),
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    recoveryPoint: null,
    createdAt: input.now,
    completedAt: null,
    expiresAt: new Date(input.now.getTime() + input.retentionMs),
  };
  // A row pruned between the failed insert and the re-read leaves nothing to read: insert again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = await withTransaction(db, async (tx): Promise<ClaimOutcome | null> => {
      const inserted = await tx
        .insert(idempotencyKeys)
        .values({ companyId: input.companyId, key: input.key, ...fresh })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length === 1) return { kind: 'claimed', takeover: 'none', recoveryPoint: null };

      const where = and(eq(idempotencyKeys.companyId, input.companyId), eq(idempotencyKeys.key, input.key));
      const [row] = await tx.select().from(idempotencyKeys).where(where).for('update');
      if (!row) return null;
      if (row.expiresAt.getTime() <= input.now.getTime()) {
        // Past retention the key is new again, whatever it was used for before.
        await tx.update(idempotencyKeys).set(fresh).where(where);
        return { kind: 'claimed', takeover: 'expired_key', recoveryPoint: null };
      }
      if (row.fingerprint !== input.fingerprint && row.fingerprint !== input.legacyFingerprint) return { kind: 'mismatch' };
      if (row.status === 'completed') {
        return { kind: 'replay', status: row.responseStatus!, headers: row.responseHeaders ?? {}, body: row.responseBody! };
      }
      if (row.leaseExpiresAt.getTime() > input.now.getTime()) return { kind: 'in_progress' };
      await tx.update(idempotencyKeys).set({ leaseToken: input.leaseToken, leaseExpiresAt: fresh.leaseExpiresAt }).where(where);
      // The process that held the key died mid-request: the retry carries on from its recovery point.
      return { kind: 'claimed', takeover: 'expired_lease', recoveryPoint: row.recoveryPoint ?? null };
    });
    if (outcome) return outcome;
  }
  throw new Error('idempotency claim: the row kept disappearing between insert and read');
}

export interface CompletionInput {
  companyId: string;
  key: string;
  leaseToken: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  now: Date;
}

/**
 * Stores the answer, if this attempt still holds the claim. Returns false when it does not (the
 * lease expired and a retry took the key over, or the record is already completed).
 */
export async function completeIdempotencyRecord(exec: Executor, input: CompletionInput): Promise<boolean> {
  const rows = await exec
    .update(idempotencyKeys)
    .set({ status: 'completed', responseStatus: input.status, responseHeaders: input.headers, responseBody: input.body, completedAt: input.now })
    .where(heldClaim(input))
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

/**
 * Records where this attempt's request stands (a recovery point), in the caller's transaction, if
 * this attempt still holds the claim. Returns false when it does not.
 */
export async function saveRecoveryPoint(
  exec: Executor,
  claim: { companyId: string; key: string; leaseToken: string },
  point: Record<string, string>,
): Promise<boolean> {
  const rows = await exec.update(idempotencyKeys).set({ recoveryPoint: point }).where(heldClaim(claim)).returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

/** The record of a claim still in progress and held by this attempt's lease token. */
function heldClaim(claim: { companyId: string; key: string; leaseToken: string }) {
  return and(
    eq(idempotencyKeys.companyId, claim.companyId),
    eq(idempotencyKeys.key, claim.key),
    eq(idempotencyKeys.leaseToken, claim.leaseToken),
    eq(idempotencyKeys.status, 'in_progress'),
  );
}

/**
 * Ends the lease of an unfinished claim held by this attempt, keeping its recovery point: a retry
 * takes the key over at once and resumes from that point (after a 5xx that followed a commit).
 */
export async function endIdempotencyLease(exec: Executor, claim: { companyId: string; key: string; leaseToken: string; now: Date }): Promise<boolean> {
  const rows = await exec.update(idempotencyKeys).set({ leaseExpiresAt: claim.now }).where(heldClaim(claim)).returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

/** Forgets an unfinished claim held by this attempt, so a retry runs anew (after a 5xx). */
export async function releaseIdempotencyClaim(exec: Executor, claim: { companyId: string; key: string; leaseToken: string }): Promise<boolean> {
  const rows = await exec.delete(idempotencyKeys).where(heldClaim(claim)).returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

/**
 * Deletes up to `batch` records whose retention ended by `now`; returns how many. Meant for a
 * periodic job that calls it until it returns less than `batch`. `SKIP LOCKED` lets it run beside
 * claims (and beside another pruner) without waiting; an expired row is ignored by claims anyway.
 */
export async function pruneExpiredIdempotencyKeys(db: Executor, now: Date, batch = 1000): Promise<number> {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('batch must be a positive integer');
  const rows = await queryRows<{ key: string }>(
    db,
    rawSql(
      `delete from idempotency_keys where (company_id, key) in (
         select company_id, key from idempotency_keys where expires_at <= $1 order by expires_at limit $2 for update skip locked
       ) returning key`,
      [now.toISOString(), batch],
    ),
  );
  return rows.length;
}
