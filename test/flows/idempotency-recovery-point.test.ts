import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { claimIdempotencyKey, completeIdempotencyRecord, saveRecoveryPoint } from '../../src/core/idempotency/repository.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';

/**
 * The recovery point's lease fencing (ADR 0026) on a real database: a process whose lease ran out
 * and whose key a retry took over can neither overwrite the retry's recovery point nor complete
 * the key; the retry reads the point the dead run left, and a key past its retention starts
 * with none.
 */
describe(`idempotency recovery points (${backend})`, () => {
  let t: TestApp;
  const companyId = SANDBOX.companyId;
  const T0 = new Date('2026-03-01T10:00:00Z');
  const LEASE_MS = 5_000;
  const claim = (key: string, leaseToken: string, now: Date, fingerprint = 'fp-1') =>
    claimIdempotencyKey(t.database.db, {
      companyId,
      key,
      fingerprint,
      legacyFingerprint: `legacy-${fingerprint}`,
      method: 'POST',
      path: '/api/v0/payment/submit',
      leaseToken,
      now,
      leaseMs: LEASE_MS,
      retentionMs: 24 * 3600_000,
    });
  const later = (ms: number) => new Date(T0.getTime() + ms);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("fences a stale holder out: its point and its answer are refused after a takeover, the retry resumes from the dead run's point", async () => {
    expect(await claim('rp-1', 'stale', T0)).toEqual({ kind: 'claimed', takeover: 'none', recoveryPoint: null });
    expect(await saveRecoveryPoint(t.database.db, { companyId, key: 'rp-1', leaseToken: 'stale' }, { transactionId: 'TXN-A' })).toBe(true);
    // Within the lease a retry waits.
    expect((await claim('rp-1', 'retry', later(LEASE_MS - 1))).kind).toBe('in_progress');
    // After it, the retry takes over and reads where the first run stood.
    expect(await claim('rp-1', 'retry', later(LEASE_MS + 1))).toEqual({
      kind: 'claimed',
      takeover: 'expired_lease',
      recoveryPoint: { transactionId: 'TXN-A' },
    });
    // The first process, still alive, can no longer move the point nor store an answer.
    expect(await saveRecoveryPoint(t.database.db, { companyId, key: 'rp-1', leaseToken: 'stale' }, { transactionId: 'TXN-B' })).toBe(false);
    const answer = { status: 200, headers: {}, body: Buffer.from('{"from":"stale"}'), now: later(LEASE_MS + 2) };
    expect(await completeIdempotencyRecord(t.database.db, { companyId, key: 'rp-1', leaseToken: 'stale', ...answer })).toBe(false);
    // A third run after the retry's lease still finds the first point, untouched by the stale write.
    expect(await claim('rp-1', 'third', later(3 * LEASE_MS))).toEqual({
      kind: 'claimed',
      takeover: 'expired_lease',
      recoveryPoint: { transactionId: 'TXN-A' },
    });
    expect(
      await completeIdempotencyRecord(t.database.db, { companyId, key: 'rp-1', leaseToken: 'third', ...answer, body: Buffer.from('{"from":"third"}') }),
    ).toBe(true);
    const replay = await claim('rp-1', 'fourth', later(4 * LEASE_MS));
    expect(replay.kind === 'replay' && replay.body.toString()).toBe('{"from":"third"}');
  });

  it('a key past its retention starts anew without the old point; another request with the key is a mismatch', async () => {
    expect((await claim('rp-2', 'first', T0)).kind).toBe('claimed');
    await saveRecoveryPoint(t.database.db, { companyId, key: 'rp-2', leaseToken: 'first' }, { transactionId: 'TXN-OLD' });
    expect(await claim('rp-2', 'other', later(LEASE_MS + 1), 'fp-2')).toEqual({ kind: 'mismatch' });
    expect(await claim('rp-2', 'late', later(24 * 3600_000))).toEqual({ kind: 'claimed', takeover: 'expired_key', recoveryPoint: null });
  });
});
