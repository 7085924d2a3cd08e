import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import { effectRoutes, type EffectControls } from './idempotency-fixture.js';
import { basic, postForm, seedPasswordGrant } from '../support/oauth.js';
import { SANDBOX } from '../../src/auth/seed.js';
import type { Database } from '../../src/core/db/engine.js';
import { queryRows, rawSql } from '../../src/core/db/transaction.js';
import { decryptPayload, derivePayloadKey, encryptPayload } from '../../src/core/crypto/payload-cipher.js';
import { legacyRequestFingerprint, pruneExpiredIdempotencyKeys } from '../../src/core/idempotency/index.js';

/**
 * PAY-1 (reliability-test-plan §2): the Idempotency-Key matrix through the real app and database.
 * The fixture routes have a real effect (a row in a scratch table), and every case checks how many
 * effects it made, not only what it answered.
 */

const HOUR = 3_600_000;

describe('Idempotency-Key (PAY-1)', () => {
  let database: Database;
  let t: TestApp;
  let token: string;
  let otherToken: string;
  let otherCompanyId: string;
  let otherSecret: string;
  /** The fixture routes' switches (idempotency-fixture.ts), reset before each test. */
  const c: EffectControls = { database: undefined as unknown as Database, failBeforeEffect: 0, failAfterCommit: 0, gate: null };

  beforeAll(async () => {
    database = await createTestDatabase();
    c.database = database;
    await database.db.execute(
      sql.raw(`create table idem_effects (
        id serial primary key, company_id text not null, route text not null, tag text not null, amount integer not null, order_id text,
        constraint uq_idem_effects_company_order unique (company_id, order_id))`),
    );
    t = await createTestApp({ database, registerApiRoutes: effectRoutes(c) });
    token = (await seedPasswordGrant(t.app)).json().access_token;
    const other = await t.services.identity.createCompany({ name: 'Other Company' });
    otherCompanyId = other.id;
    otherSecret = (await t.services.identity.createClient({ companyId: other.id, payloadEncryption: 'off' })).secret;
    await login();
  });

  /** Fresh tokens for both companies (after the manual clock jumped past their lifetime). */
  async function login(): Promise<void> {
    token = (await seedPasswordGrant(t.app)).json().access_token;
    otherToken = (await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }, basic(otherCompanyId, otherSecret))).json().access_token;
    expect(token).toBeTruthy();
    expect(otherToken).toBeTruthy();
  }
  afterAll(async () => {
    await t.close();
    await database.close();
  });
  beforeEach(() => {
    c.failBeforeEffect = 0;
    c.failAfterCommit = 0;
    c.gate = null;
  });

  function post(url: string, body: unknown, key: string | undefined, bearer = token): Promise<LightMyRequestResponse> {
    return t.app.inject({
      method: 'POST',
      url: `/api${url}`,
      headers: { authorization: `Bearer ${bearer}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: body as object,
    });
  }

  async function effects(tag: string, companyId: string = SANDBOX.companyId): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      rawSql('select count(*)::int as n from idem_effects where tag = $1 and company_id = $2', [tag, companyId]),
    );
    return row!.n;
  }

  async function storedRows(key: string): Promise<{ status: string; response_body: unknown; company_id: string }[]> {
    return queryRows(database.db, rawSql('select status, response_body, company_id from idempotency_keys where key = $1', [key]));
  }

  it('same key and body: the stored answer is replayed byte for byte with Idempotent-Replayed, one effect', async () => {
    const body = { tag: 'same', amount: 100, orderId: 'ORD-same' };
    const first = await post('/v0/test/effects/a', body, 'key-same');
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(first.json().payload).toMatchObject({ bucket: 'a', tag: 'same', amount: 100 });

    // Members in another order are the same request.
    const again = await post('/v0/test/effects/a', { orderId: 'ORD-same', amount: 100, tag: 'same' }, 'key-same');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['request-id']).not.toBe(first.headers['request-id']);
    expect(await effects('same')).toBe(1);
  });

  it('same key, another body (any field) → 422 idempotency_key_reused, no effect', async () => {
    const first = await post('/v0/test/effects/a', { tag: 'body', amount: 100 }, 'key-body');
    expect(first.statusCode).toBe(200);
    for (const changed of [
      { tag: 'body', amount: 101 },
      { tag: 'body', amount: 100, orderId: 'X' },
      { tag: 'body-2', amount: 100 },
    ]) {
      const res = await post('/v0/test/effects/a', changed, 'key-body');
      expect(res.statusCode).toBe(422);
      expect(res.headers['x-error-code']).toBe('idempotency_key_reused');
      expect(res.json()).toEqual({
        response_code: 422,
        response_message: 'Idempotency-Key was already used for a different request (method, path or body); send a new key for a new request',
        payload: null,
      });
    }
    expect(await effects('body')).toBe(1);
    expect(await effects('body-2')).toBe(0);
  });

  it('same key on another path (route or path parameter) → 422, no effect', async () => {
    const body = { tag: 'path', amount: 5 };
    expect((await post('/v0/test/effects/a', body, 'key-path')).statusCode).toBe(200);
    const otherParam = await post('/v0/test/effects/b', body, 'key-path');
    expect(otherParam.statusCode).toBe(422);
    const otherRoute = await post('/v0/test/required', body, 'key-path');
    expect(otherRoute.statusCode).toBe(422);
    expect(otherRoute.headers['x-error-code']).toBe('idempotency_key_reused');
    expect(await effects('path')).toBe(1);
  });

  it("another company's same key is an independent request, never the other's stored answer", async () => {
    const body = { tag: 'tenant', amount: 7 };
    const mine = await post('/v0/test/effects/a', body, 'key-tenant');
    const theirs = await post('/v0/test/effects/a', body, 'key-tenant', otherToken);
    expect(mine.statusCode).toBe(200);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().payload.effectId).not.toBe(mine.json().payload.effectId);
    // Even with another body, their key does not clash with ours.
    const theirsOther = await post('/v0/test/effects/a', { tag: 'tenant', amount: 8 }, 'key-tenant-2', otherToken);
    expect(theirsOther.statusCode).toBe(200);
    const theirReplay = await post('/v0/test/effects/a', body, 'key-tenant', otherToken);
    expect(theirReplay.rawPayload.equals(theirs.rawPayload)).toBe(true);
    expect(await effects('tenant')).toBe(1);
    expect(await effects('tenant', otherCompanyId)).toBe(2);
    expect((await storedRows('key-tenant')).map((r) => r.company_id).sort()).toEqual([SANDBOX.companyId, otherCompanyId].sort());
  });

  it('a key of 256 characters, an empty key or a control character → 400 naming the header, no effect; 255 printable characters are fine', async () => {
    const body = { tag: 'format', amount: 1 };
    for (const key of ['k'.repeat(256), '', 'tab\there', 'caf\u00e9']) {
      const res = await post('/v0/test/effects/a', body, key);
      expect(res.statusCode, JSON.stringify(key)).toBe(400);
      expect(res.headers['x-error-code']).toBe('idempotency_key_invalid');
      expect(res.json().response_message).toBe('Invalid header Idempotency-Key: must be 1 to 255 printable ASCII characters');
    }
    expect(await effects('format')).toBe(0);
    const longest = ' !~' + 'x'.repeat(250) + '"{';
    expect(longest).toHaveLength(255);
    expect((await post('/v0/test/effects/a', body, longest)).statusCode).toBe(200);
    expect((await post('/v0/test/effects/a', body, longest)).headers['idempotent-replayed']).toBe('true');
    expect(await effects('format')).toBe(1);
  });

  it('a request failing validation is not stored; the corrected retry with the same key is processed', async () => {
    const bad = await post('/v0/test/effects/a', { tag: 'invalid', amount: 'ten' }, 'key-invalid');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-error-code']).toBe('validation_failed');
    expect(await storedRows('key-invalid')).toEqual([]);
    const good = await post('/v0/test/effects/a', { tag: 'invalid', amount: 10 }, 'key-invalid');
    expect(good.statusCode).toBe(200);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects('invalid')).toBe(1);
  });

  it('a 5xx is not stored: the claim is released and the retry runs', async () => {
    c.failBeforeEffect = 1;
    const body = { tag: 'five', amount: 3 };
    const failed = await post('/v0/test/effects/a', body, 'key-5xx');
    expect(failed.statusCode).toBe(500);
    expect(await storedRows('key-5xx')).toEqual([]);
    expect(await effects('five')).toBe(0);
    const retry = await post('/v0/test/effects/a', body, 'key-5xx');
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects('five')).toBe(1);
  });

  it('a business 4xx is the answer: stored and replayed with its error code; a new key still gets the duplicate-merchant-id answer', async () => {
    const first = await post('/v0/test/effects/a', { tag: 'dup', amount: 1, orderId: 'ORD-dup' }, 'key-dup-1');
    expect(first.statusCode).toBe(200);
    // A new key does not bypass the product's own duplicate check on its merchant id.
    const duplicate = await post('/v0/test/effects/a', { tag: 'dup', amount: 1, orderId: 'ORD-dup' }, 'key-dup-2');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().response_message).toBe('Duplicate orderId ORD-dup');
    const replayed = await post('/v0/test/effects/a', { tag: 'dup', amount: 1, orderId: 'ORD-dup' }, 'key-dup-2');
    expect(replayed.statusCode).toBe(409);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers['x-error-code']).toBe('duplicate_order_id');
    expect(replayed.rawPayload.equals(duplicate.rawPayload)).toBe(true);
    // And the first key still replays the original success.
    const original = await post('/v0/test/effects/a', { tag: 'dup', amount: 1, orderId: 'ORD-dup' }, 'key-dup-1');
    expect(original.statusCode).toBe(200);
    expect(original.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(await effects('dup')).toBe(1);
  });

  it('keeps a key 24 hours (manual clock): replayed just before, processed anew once expired, and pruned', async () => {
    const body = { tag: 'expiry', amount: 9 };
    const first = await post('/v0/test/effects/a', body, 'key-expiry');
    expect(first.statusCode).toBe(200);
    t.clock.advance(24 * HOUR - 1);
    await login();
    const before = await post('/v0/test/effects/a', body, 'key-expiry');
    expect(before.headers['idempotent-replayed']).toBe('true');
    expect(await pruneExpiredIdempotencyKeys(database.db, t.clock.now(), 100)).toBe(0);
    t.clock.advance(1);
    await login();
    // Expired: even another body is a new request now.
    const anew = await post('/v0/test/effects/a', { tag: 'expiry', amount: 10 }, 'key-expiry');
    expect(anew.statusCode).toBe(200);
    expect(anew.headers['idempotent-replayed']).toBeUndefined();
    expect(anew.json().payload.effectId).not.toBe(first.json().payload.effectId);
    expect(await effects('expiry')).toBe(2);
    // The renewed key is kept another 24 hours.
    expect((await post('/v0/test/effects/a', { tag: 'expiry', amount: 10 }, 'key-expiry')).headers['idempotent-replayed']).toBe('true');

    // Every record made by the earlier tests is now past its retention; the renewed one is not.
    const stale = await queryRows<{ n: number }>(
      database.db,
      rawSql('select count(*)::int as n from idempotency_keys where expires_at <= $1', [t.clock.now().toISOString()]),
    );
    expect(stale[0]!.n).toBeGreaterThan(2);
    let pruned = 0;
    for (let n = -1; n !== 0;) pruned += n = await pruneExpiredIdempotencyKeys(database.db, t.clock.now(), 2);
    expect(pruned).toBe(stale[0]!.n);
    expect(await storedRows('key-expiry')).toHaveLength(1);
    expect(await storedRows('key-same')).toEqual([]);
    await expect(pruneExpiredIdempotencyKeys(database.db, t.clock.now(), 0)).rejects.toThrow(RangeError);
  });

  it('a request still in flight → 409 with Retry-After: 1; once it finishes the retry replays it; one effect', async () => {
    let open!: () => void;
    c.gate = new Promise((resolve) => (open = resolve));
    const body = { tag: 'flight', amount: 4 };
    const inFlight = post('/v0/test/effects/a', body, 'key-flight');
    // Let the first request reach its handler (its claim is committed before the handler runs).
    for (let i = 0; i < 50 && (await storedRows('key-flight')).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const conflict = await post('/v0/test/effects/a', body, 'key-flight');
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['retry-after']).toBe('1');
    expect(conflict.headers['x-error-code']).toBe('idempotency_request_in_progress');
    expect(conflict.json().response_message).toBe('A request with this Idempotency-Key is still being processed; retry it in a moment');
    // Another body is still a misuse of the key, even while the first runs.
    expect((await post('/v0/test/effects/a', { tag: 'flight', amount: 5 }, 'key-flight')).statusCode).toBe(422);
    open();
    c.gate = null;
    const first = await inFlight;
    expect(first.statusCode).toBe(200);
    const retry = await post('/v0/test/effects/a', body, 'key-flight');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(await effects('flight')).toBe(1);
  });

  it('hook-only path: a failure after the commit answers 500 and releases the key, so the retry runs the effect again (the documented window)', async () => {
    c.failAfterCommit = 1;
    const body = { tag: 'window', amount: 2 };
    expect((await post('/v0/test/effects/a', body, 'key-window')).statusCode).toBe(500);
    expect(await effects('window')).toBe(1);
    expect((await post('/v0/test/effects/a', body, 'key-window')).statusCode).toBe(200);
    expect(await effects('window')).toBe(2);
  });

  it('in-transaction path: a failure after the business commit still replays the stored answer; one effect', async () => {
    c.failAfterCommit = 1;
    const body = { tag: 'exactly', amount: 2 };
    const failed = await post('/v0/test/exactly-once', body, 'key-exactly');
    expect(failed.statusCode).toBe(500);
    expect(await effects('exactly')).toBe(1);
    const retry = await post('/v0/test/exactly-once', body, 'key-exactly');
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    // The stored answer is the one the route's response schema serializes (`internal` filtered out).
    expect(retry.json()).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { effectId: expect.any(Number), tag: 'exactly' } });
    expect(await effects('exactly')).toBe(1);

    // Without a failure, the answer sent and the answer replayed are the same bytes.
    const sent = await post('/v0/test/exactly-once', { tag: 'exactly-2', amount: 1 }, 'key-exactly-2');
    const replay = await post('/v0/test/exactly-once', { tag: 'exactly-2', amount: 1 }, 'key-exactly-2');
    expect(sent.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.rawPayload.equals(sent.rawPayload)).toBe(true);
    expect(replay.headers['content-type']).toBe(sent.headers['content-type']);
    expect(await effects('exactly-2')).toBe(1);
    // Without a key the in-transaction completion does nothing and the route works as usual.
    expect((await post('/v0/test/exactly-once', { tag: 'exactly-3', amount: 1 }, undefined)).statusCode).toBe(200);
  });

  it('in-transaction path: a request whose lease expired loses the key to its retry and rolls its effect back', async () => {
    let open!: () => void;
    c.gate = new Promise((resolve) => (open = resolve));
    const body = { tag: 'lease', amount: 6 };
    const slow = post('/v0/test/exactly-once', body, 'key-lease');
    for (let i = 0; i < 50 && (await storedRows('key-lease')).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await post('/v0/test/exactly-once', body, 'key-lease')).statusCode).toBe(409);
    // The first request's process is presumed dead once its lease has run out: a retry takes over.
    t.clock.advance(t.config.idempotency.leaseSeconds * 1000 + 1);
    c.gate = null;
    const retry = await post('/v0/test/exactly-once', body, 'key-lease');
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects('lease')).toBe(1);
    // The first request wakes up: its completion finds the claim gone, so its effect rolls back.
    open();
    const late = await slow;
    expect(late.statusCode).toBe(409);
    expect(late.json().response_message).toBe('Another request with this Idempotency-Key took over; retry it in a moment');
    const replay = await post('/v0/test/exactly-once', body, 'key-lease');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.rawPayload.equals(retry.rawPayload)).toBe(true);
    expect(await effects('lease')).toBe(1);
  });

  it('hook path: a claim whose lease ran out is taken over by the retry; the late first answer does not overwrite the stored one', async () => {
    let open!: () => void;
    c.gate = new Promise((resolve) => (open = resolve));
    const body = { tag: 'takeover', amount: 8 };
    const stuck = post('/v0/test/effects/a', body, 'key-takeover');
    for (let i = 0; i < 50 && (await storedRows('key-takeover')).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    t.clock.advance(t.config.idempotency.leaseSeconds * 1000 - 1);
    expect((await post('/v0/test/effects/a', body, 'key-takeover')).statusCode).toBe(409);
    t.clock.advance(2);
    c.gate = null;
    const retry = await post('/v0/test/effects/a', body, 'key-takeover');
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    open();
    const late = await stuck;
    expect(late.statusCode).toBe(200);
    expect(late.json().payload.effectId).not.toBe(retry.json().payload.effectId);
    // Without the in-transaction completion the stuck request's effect stays: the lease must outlast any request.
    expect(await effects('takeover')).toBe(2);
    const replay = await post('/v0/test/effects/a', body, 'key-takeover');
    expect(replay.rawPayload.equals(retry.rawPayload)).toBe(true);
    expect(t.logs.lines.some((l) => l.includes('idempotency claim taken over after its lease expired') && l.includes('key-takeover'))).toBe(true);
    expect(t.logs.lines.some((l) => l.includes('the claim was taken over after its lease expired') && l.includes('key-takeover'))).toBe(true);
  });

  it("idempotency: 'required' answers 400 without the header and changes nothing", async () => {
    const body = { tag: 'required', amount: 1 };
    const missing = await post('/v0/test/required', body, undefined);
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['x-error-code']).toBe('idempotency_key_missing');
    expect(missing.json().response_message).toBe('Missing required header Idempotency-Key');
    expect(await effects('required')).toBe(0);
    expect((await post('/v0/test/required', body, 'key-required')).statusCode).toBe(200);
    expect((await post('/v0/test/required', body, 'key-required')).headers['idempotent-replayed']).toBe('true');
    expect(await effects('required')).toBe(1);
  });

  it("idempotency: 'off' (answers holding secrets) never stores the answer; without a key an optional route runs every time", async () => {
    const body = { tag: 'secret', amount: 1 };
    const a = await post('/v0/test/secret', body, 'key-secret');
    const b = await post('/v0/test/secret', body, 'key-secret');
    expect(a.json().payload.token).not.toBe(b.json().payload.token);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(await storedRows('key-secret')).toEqual([]);
    expect(await effects('secret')).toBe(2);

    await post('/v0/test/effects/a', { tag: 'nokey', amount: 1 }, undefined);
    await post('/v0/test/effects/a', { tag: 'nokey', amount: 1 }, undefined);
    expect(await effects('nokey')).toBe(2);
  });

  it('the stored fingerprint is keyed (v2:, ADR 0047); a row written before, holding the unkeyed sha256, still compares during its retention', async () => {
    const body = { tag: 'legacy', amount: 7 };
    expect((await post('/v0/test/effects/a', body, 'key-legacy')).statusCode).toBe(200);
    const shape = { method: 'POST', route: '/api/v0/test/effects/:bucket', params: { bucket: 'a' }, query: {}, body };
    const legacy = legacyRequestFingerprint(shape);
    const fingerprintOf = async () =>
      (await queryRows<{ fingerprint: string }>(database.db, rawSql('select fingerprint from idempotency_keys where key = $1', ['key-legacy'])))[0]!
        .fingerprint;
    const stored = await fingerprintOf();
    expect(stored).toMatch(/^v2:[0-9a-f]{64}$/);
    expect(stored).not.toContain(legacy);

    // As a row written before the keyed fingerprint: the same request replays, another one is refused.
    await database.db.execute(rawSql('update idempotency_keys set fingerprint = $1 where key = $2', [legacy, 'key-legacy']));
    const replay = await post('/v0/test/effects/a', body, 'key-legacy');
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect((await post('/v0/test/effects/a', { ...body, amount: 8 }, 'key-legacy')).statusCode).toBe(422);
    expect(await effects('legacy')).toBe(1);
    expect(await fingerprintOf()).toBe(legacy);
  });

  it('AES wrapping: the fingerprint is over the decrypted body, the plain answer is stored, and a replay is wrapped again', async () => {
    const key = derivePayloadKey(SANDBOX.clientSecret);
    const plain = { tag: 'aes', amount: 12 };
    const wrapped = await post('/v0/test/effects/a', { request: encryptPayload(key, JSON.stringify(plain)) }, 'key-aes');
    expect(wrapped.statusCode).toBe(200);
    const answer = decryptPayload(key, wrapped.json().request)!;
    expect(JSON.parse(answer).payload).toMatchObject(plain);

    const [row] = await queryRows<{ response_body: Uint8Array }>(database.db, rawSql('select response_body from idempotency_keys where key = $1', ['key-aes']));
    expect(Buffer.from(row!.response_body).toString('utf8')).toBe(answer);

    const wrappedRetry = await post('/v0/test/effects/a', { request: encryptPayload(key, JSON.stringify(plain)) }, 'key-aes');
    expect(wrappedRetry.headers['idempotent-replayed']).toBe('true');
    expect(decryptPayload(key, wrappedRetry.json().request)).toBe(answer);
    // The same request sent in plain (the client is `optional`) is the same request: replayed in plain.
    const plainRetry = await post('/v0/test/effects/a', plain, 'key-aes');
    expect(plainRetry.headers['idempotent-replayed']).toBe('true');
    expect(plainRetry.payload).toBe(answer);
    expect(await effects('aes')).toBe(1);
  });

  it('only POST is concerned: a GET with the header is served and nothing is stored', async () => {
    const get = () =>
      t.app.inject({ method: 'GET', url: '/api/v0/test/effects/count', headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'key-get' } });
    const before = (await get()).json().payload.count;
    await post('/v0/test/effects/a', { tag: 'get', amount: 1 }, undefined);
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(res.json().payload.count).toBe(before + 1);
    expect(await storedRows('key-get')).toEqual([]);
  });

  it('documents the header on every POST in /openapi.json (required where required, absent where off)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const header = (path: string) =>
      (doc.paths[path]?.post?.parameters ?? []).find((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key');
    expect(header('/api/v0/test/effects/{bucket}')?.description).toMatch(/Optional\.$/);
    expect(header('/api/v0/test/required')?.description).toMatch(/Required on this route\.$/);
    expect(header('/api/v0/test/secret')).toBeUndefined();
    expect(header('/oauth/token')).toBeUndefined();
  });
});
