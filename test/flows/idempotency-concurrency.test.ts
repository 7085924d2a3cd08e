import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import { basic, postForm, seedPasswordGrant } from '../support/oauth.js';
import { SANDBOX } from '../../src/auth/seed.js';
import type { Database } from '../../src/core/db/engine.js';
import { queryRows, rawSql } from '../../src/core/db/transaction.js';

/**
 * PAY-2 (reliability-test-plan §2): 50 simultaneous POSTs with one Idempotency-Key, over real HTTP
 * (two app instances listening on 127.0.0.1 and sharing one database, as two API processes would),
 * for two companies at once with the same key. Per company: exactly one effect, one original
 * answer, and every other answer a byte-identical replay with `Idempotent-Replayed: true` or a
 * 409 `idempotency_request_in_progress` with `Retry-After: 1`.
 *
 * This file runs on both engines with the same assertions, nothing skipped. On PostgreSQL (CI's
 * TEST_DATABASE_URL run) the claims race for real on a pool of 20 connections and the unique key
 * of `INSERT … ON CONFLICT DO NOTHING` decides. On PGlite (one connection) the statements run one
 * at a time, but the requests still interleave at every await in the app (token check, claim,
 * the slow handler), so the test exercises the in-flight and replay paths of the same code; the
 * database-level race itself is only proven by the PostgreSQL run.
 */

const PER_COMPANY = 50;
const ROUNDS = 4;

describe('Idempotency-Key under concurrency (PAY-2)', () => {
  let database: Database;
  const apps: TestApp[] = [];
  const bases: string[] = [];
  const tokens: Record<string, string> = {};
  let otherCompanyId: string;

  function routes(api: FastifyInstance): void {
    api.post<{ Body: { tag: string; amount: number; slowMs: number } }>(
      '/v0/test/slow-effect',
      {
        config: { scope: 'write' },
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['tag', 'amount', 'slowMs'],
            properties: { tag: { type: 'string' }, amount: { type: 'integer' }, slowMs: { type: 'integer', minimum: 0, maximum: 1000 } },
          },
        },
      },
      async (request) => {
        // Slow enough that the other requests arrive while this one is in flight.
        await sleep(request.body.slowMs);
        const [row] = await queryRows<{ id: number }>(
          database.db,
          rawSql('insert into idem_effects (company_id, tag, amount) values ($1, $2, $3) returning id', [
            request.principal!.companyId,
            request.body.tag,
            request.body.amount,
          ]),
        );
        return { response_code: 0, response_message: 'SUCCESS', payload: { effectId: row!.id, tag: request.body.tag, amount: request.body.amount } };
      },
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase(20);
    await database.db.execute(
      sql.raw('create table idem_effects (id serial primary key, company_id text not null, tag text not null, amount integer not null)'),
    );
    for (let i = 0; i < 2; i++) {
      const t = await createTestApp({ database, registerApiRoutes: routes });
      apps.push(t);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      bases.push(`http://127.0.0.1:${address.port}`);
    }
    const a = apps[0]!;
    tokens[SANDBOX.companyId] = (await seedPasswordGrant(a.app)).json().access_token;
    const other = await a.services.identity.createCompany({ name: 'Concurrent Other' });
    otherCompanyId = other.id;
    const { secret } = await a.services.identity.createClient({ companyId: other.id, payloadEncryption: 'off' });
    tokens[other.id] = (await postForm(a.app, '/oauth/token', { grant_type: 'client_credentials' }, basic(other.id, secret))).json().access_token;
    expect(Object.values(tokens).every(Boolean)).toBe(true);
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    await database.close();
  });

  interface Answer {
    status: number;
    replayed: string | null;
    retryAfter: string | null;
    code: string | null;
    body: Buffer;
  }

  async function send(i: number, companyId: string, key: string, body: object): Promise<Answer> {
    const res = await fetch(`${bases[i % bases.length]}/api/v0/test/slow-effect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[companyId]}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed'),
      retryAfter: res.headers.get('retry-after'),
      code: res.headers.get('x-error-code'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  }

  async function effects(companyId: string, tag: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      rawSql('select count(*)::int as n from idem_effects where company_id = $1 and tag = $2', [companyId, tag]),
    );
    return row!.n;
  }

  it(`${PER_COMPANY} simultaneous POSTs per company with one key: one effect each, the rest replays or 409s (${ROUNDS} rounds)`, async () => {
    const companies = [SANDBOX.companyId, otherCompanyId];
    let conflicts = 0;
    let replays = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Even rounds: a slow handler (mostly 409s); odd rounds: an instant one (the claim race itself, more replays).
      const slowMs = round % 2 === 0 ? 150 : 0;
      const key = `pay-2-round-${round}`;
      const tag = `round-${round}`;
      const body = { tag, amount: 100 + round, slowMs };
      const answers = await Promise.all(
        companies.flatMap((companyId) => Array.from({ length: PER_COMPANY }, (_, i) => send(i, companyId, key, body).then((a) => ({ companyId, ...a })))),
      );

      for (const companyId of companies) {
        const mine = answers.filter((a) => a.companyId === companyId);
        expect(mine).toHaveLength(PER_COMPANY);
        expect(await effects(companyId, tag), `effects of ${companyId} in round ${round}`).toBe(1);
        const originals = mine.filter((a) => a.status === 200 && a.replayed === null);
        expect(originals, `originals of ${companyId} in round ${round}`).toHaveLength(1);
        const original = originals[0]!;
        expect(JSON.parse(original.body.toString()).payload).toMatchObject({ tag, amount: 100 + round });
        for (const a of mine) {
          if (a === original) continue;
          if (a.status === 200) {
            expect(a.replayed).toBe('true');
            expect(a.body.equals(original.body)).toBe(true);
            replays++;
          } else {
            expect(a.status).toBe(409);
            expect(a.code).toBe('idempotency_request_in_progress');
            expect(a.retryAfter).toBe('1');
            conflicts++;
          }
        }
        // Everyone who got a 409 and retries now gets the original answer.
        const retried = await send(0, companyId, key, body);
        expect(retried.replayed).toBe('true');
        expect(retried.body.equals(original.body)).toBe(true);
      }
      // The two companies' answers are their own.
      const [first, second] = companies.map((c) => answers.find((a) => a.companyId === c && a.status === 200 && a.replayed === null)!);
      expect(first!.body.equals(second!.body)).toBe(false);
    }
    expect(replays + conflicts).toBe(ROUNDS * companies.length * (PER_COMPANY - 1));
    // The slow rounds overlap for sure: most of their answers are 409s.
    expect(conflicts).toBeGreaterThan(PER_COMPANY);
    const [total] = await queryRows<{ n: number }>(database.db, rawSql('select count(*)::int as n from idem_effects'));
    expect(total!.n).toBe(ROUNDS * companies.length);
  });
});
