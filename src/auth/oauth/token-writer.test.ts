import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, queryRows, type TestApp } from '../../../test/support/app.js';
import { SANDBOX } from '../seed.js';
import { createTokenWriter, type TokenRow } from './repository.js';

/** The group commit of issued tokens: batches form while a statement runs, and commit or fail whole. */
describe('createTokenWriter()', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  let n = 0;
  const row = (digest = `digest-${++n}`): TokenRow => ({
    id: `atk_test${++n}`,
    tokenDigest: digest,
    familyId: null,
    companyId: SANDBOX.companyId,
    clientId: SANDBOX.companyId,
    userId: null,
    scopes: ['read', 'write'],
    issuedAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2026-01-02T00:00:00Z'),
  });
  const stored = async (digests: string[]) =>
    (await queryRows<{ token_digest: string }>(t.database, sql`select token_digest from oauth_access_tokens`))
      .map((r) => r.token_digest)
      .filter((d) => digests.includes(d));

  it('stores a lone token at once, with its scopes', async () => {
    const writer = createTokenWriter(t.database, 1);
    const lone = row();
    await writer.write(lone, null);
    const [found] = await queryRows<{ scopes: string[] | string }>(
      t.database,
      sql`select scopes from oauth_access_tokens where token_digest = ${lone.tokenDigest}`,
    );
    expect(String(found?.scopes)).toMatch(/read.*write/);
  });

  it('groups the tokens that arrive while a statement runs into one statement that commits or fails whole', async () => {
    const writer = createTokenWriter(t.database, 1);
    const existing = row();
    await writer.write(existing, null);
    const first = row();
    const queued = [row(), row(), row(existing.tokenDigest), row()];
    const results = await Promise.allSettled([writer.write(first, null), ...queued.map((r) => writer.write(r, null))]);
    // The first went alone; the four queued behind it went together, and the duplicate digest
    // among them failed all four, leaving none of them stored.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected']);
    const fresh = queued.filter((q) => q.tokenDigest !== existing.tokenDigest).map((q) => q.tokenDigest);
    expect(fresh).toHaveLength(3);
    expect(await stored([first.tokenDigest, ...fresh])).toEqual([first.tokenDigest]);
    // The writer keeps working after a failed batch.
    const after = row();
    await writer.write(after, null);
    expect(await stored([after.tokenDigest])).toEqual([after.tokenDigest]);
  });
});
