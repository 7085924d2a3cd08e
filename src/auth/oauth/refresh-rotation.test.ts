import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { secretDigest } from '../../core/crypto/secrets.js';
import { SANDBOX } from '../seed.js';
import { TOKEN_PURPOSE } from './model.js';
import { oauthAccessTokens, oauthRefreshTokens } from './tables.js';
import { basic, SEED_BASIC } from '../../../test/support/oauth.js';

/**
 * OA-3: refresh tokens rotate (ADR 0004). Sequential: rotation, the grace-window retry, reuse after
 * it revoking the family. Concurrent: parallel refreshes of one token make exactly one successor,
 * on PGlite (serialised) and on PostgreSQL (TEST_DATABASE_URL, a 10-connection pool).
 */

const GRACE_MS = 10_000;

interface Tokens {
  access_token: string;
  token_type: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
}

let t: TestApp;
let user: { username: string; password: string };

function post(url: string, params: Record<string, string>, auth = SEED_BASIC): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(params).toString(),
  });
}

const refresh = (refreshToken: string, extra: Record<string, string> = {}, auth = SEED_BASIC) =>
  post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, auth);

async function login(scope?: string): Promise<Tokens> {
  const res = await post('/oauth/token', { grant_type: 'password', username: user.username, password: user.password, ...(scope ? { scope } : {}) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function active(token: string): Promise<boolean> {
  const res = await post('/oauth/introspect', { token });
  expect(res.statusCode).toBe(200);
  return (res.json() as { active: boolean }).active;
}

function me(accessToken: string) {
  return t.app.inject({ method: 'GET', url: '/api/v0/me', headers: { authorization: `Bearer ${accessToken}` } });
}

async function familyOf(refreshToken: string): Promise<string> {
  const [row] = await t.database.db
    .select({ familyId: oauthRefreshTokens.familyId })
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenDigest, secretDigest(TOKEN_PURPOSE.refresh, refreshToken)));
  return row!.familyId;
}

async function familyRows(familyId: string) {
  const refreshRows = await t.database.db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.familyId, familyId));
  const accessRows = await t.database.db.select().from(oauthAccessTokens).where(eq(oauthAccessTokens.familyId, familyId));
  return { refreshRows, accessRows };
}

beforeAll(async () => {
  // Many logins of one user here: the per-username window is not under test in this file.
  t = await createTestApp({ oauth: { ratePerUsernamePerMinute: 1000 } });
  expect(t.config.oauth.refreshReuseGraceSeconds).toBe(10);
  user = { username: `rotation-${randomUUID().slice(0, 8)}@example.com`, password: 'Pass@word123' };
  await t.services.identity.createUser({ companyId: SANDBOX.companyId, ...user });
});
afterAll(async () => t.close());

describe('sequential rotation', () => {
  it('a refresh returns a new refresh token and access token and retires the old ones', async () => {
    const first = await login();
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const second = res.json() as Tokens;
    expect(Object.keys(second)).toEqual(['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope']);
    expect(second).toMatchObject({ token_type: 'bearer', expires_in: 86400, scope: 'read write trust' });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    expect(await active(first.access_token)).toBe(false);
    expect(await active(first.refresh_token)).toBe(false);
    expect(await active(second.access_token)).toBe(true);
    expect(await active(second.refresh_token)).toBe(true);
    expect((await me(first.access_token)).json()).toEqual({ error: 'invalid_token', error_description: `Invalid access token: ${first.access_token}` });
    expect((await me(second.access_token)).statusCode).toBe(200);
    expect((await me(second.access_token)).json().payload.username).toBe(user.username);
  });

  it('a retry with the consumed token within the grace window returns the very same successor', async () => {
    const first = await login();
    const original = await refresh(first.refresh_token);
    const retry = await refresh(first.refresh_token);
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toBe(original.body);

    // Later in the window: the same tokens; expires_in is what is left now.
    t.clock.advance(4_000);
    const later = await refresh(first.refresh_token);
    expect(later.json()).toEqual({ ...original.json(), expires_in: 86396 });
    t.clock.advance(GRACE_MS - 4_000);
    expect((await refresh(first.refresh_token)).json()).toEqual({ ...original.json(), expires_in: 86390 });
    expect(await active(original.json().access_token)).toBe(true);
    expect(await active(original.json().refresh_token)).toBe(true);
  });

  it("only the newest consumed token keeps its sealed retry response; an older one's retry then fails as reuse", async () => {
    const first = await login();
    const second = (await refresh(first.refresh_token)).json() as Tokens;
    await refresh(second.refresh_token);
    const { refreshRows } = await familyRows(await familyOf(first.refresh_token));
    const digest = (token: string) => secretDigest(TOKEN_PURPOSE.refresh, token);
    const sealed = Object.fromEntries(refreshRows.map((r) => [r.tokenDigest, r.retryResponse !== null]));
    expect(sealed[digest(first.refresh_token)]).toBe(false);
    expect(sealed[digest(second.refresh_token)]).toBe(true);
    // Within the window, but its successor has moved on: nothing to return, so it is a reuse.
    expect((await refresh(first.refresh_token)).json()).toEqual({ error: 'invalid_grant', error_description: `Invalid refresh token: ${first.refresh_token}` });
  });

  it('reuse after the grace window is invalid_grant and revokes the whole family', async () => {
    const first = await login();
    const second = (await refresh(first.refresh_token)).json() as Tokens;
    const third = (await refresh(second.refresh_token)).json() as Tokens;
    const bystander = await login(); // another grant of the same user and client
    t.clock.advance(GRACE_MS + 1_000);

    const reuse = await refresh(second.refresh_token);
    expect({ status: reuse.statusCode, body: reuse.json() }).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: `Invalid refresh token: ${second.refresh_token}` },
    });
    // The successor and its access token die in the same request.
    expect(await active(third.refresh_token)).toBe(false);
    expect(await active(third.access_token)).toBe(false);
    expect((await me(third.access_token)).json()).toEqual({ error: 'invalid_token', error_description: `Invalid access token: ${third.access_token}` });
    expect((await refresh(third.refresh_token)).json()).toEqual({ error: 'invalid_grant', error_description: `Invalid refresh token: ${third.refresh_token}` });
    // Every member of the family is revoked in the database, and nothing else is.
    const { refreshRows, accessRows } = await familyRows(await familyOf(first.refresh_token));
    expect(refreshRows).toHaveLength(3);
    expect(accessRows).toHaveLength(3);
    for (const row of [...refreshRows, ...accessRows]) expect(row.revokedAt).not.toBeNull();
    for (const row of refreshRows) expect(row.retryResponse).toBeNull();
    expect(await active(bystander.access_token)).toBe(true);
    expect(await active(bystander.refresh_token)).toBe(true);
    // Nor does a grace retry of the first token bring the family back.
    expect((await refresh(first.refresh_token)).statusCode).toBe(400);
  });

  it('the first reuse after the window revokes the family even with no retries before it', async () => {
    const first = await login();
    const second = (await refresh(first.refresh_token)).json() as Tokens;
    t.clock.advance(GRACE_MS + 1);
    expect((await refresh(first.refresh_token)).statusCode).toBe(400);
    expect(await active(second.refresh_token)).toBe(false);
    expect(await active(second.access_token)).toBe(false);
  });

  it('a refresh token of another client is invalid_grant "Wrong client …" and stays usable by its own client', async () => {
    const first = await login();
    const company = await t.services.identity.createCompany({ name: 'Other Company' });
    const { secret } = await t.services.identity.createClient({ companyId: company.id, grantTypes: ['password', 'refresh_token'] });
    const res = await refresh(first.refresh_token, {}, basic(company.id, secret));
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: `Wrong client for this refresh token: ${first.refresh_token}` });
    expect(res.statusCode).toBe(400);
    expect(await active(first.refresh_token)).toBe(true);
    expect((await refresh(first.refresh_token)).statusCode).toBe(200);
  });

  it('an unknown or missing refresh token is refused', async () => {
    expect((await refresh('bm90LWEtcmVhbC1yZWZyZXNoLXRva2VuLWF0LWFsbC0x')).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token: bm90LWEtcmVhbC1yZWZyZXNoLXRva2VuLWF0LWFsbC0x',
    });
    const missing = await post('/oauth/token', { grant_type: 'refresh_token' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toBe('invalid_request');
    // An access token is not a refresh token.
    const first = await login();
    expect((await refresh(first.access_token)).json()).toEqual({ error: 'invalid_grant', error_description: `Invalid refresh token: ${first.access_token}` });
  });
});

describe('scope on refresh', () => {
  it("narrows the access token, keeps the refresh token's scope (RFC 6749 §6), and refuses more than granted", async () => {
    const first = await login();
    const narrowed = await refresh(first.refresh_token, { scope: 'read' });
    expect(narrowed.statusCode).toBe(200);
    const second = narrowed.json() as Tokens;
    expect(second.scope).toBe('read');
    expect((await post('/oauth/introspect', { token: second.access_token })).json().scope).toBe('read');
    expect((await post('/oauth/introspect', { token: second.refresh_token })).json().scope).toBe('read write trust');
    expect((await me(second.access_token)).json().payload.scopes).toEqual(['read']);

    // The successor still carries the original grant: a later refresh may ask for any part of it.
    const widened = await refresh(second.refresh_token, { scope: 'read write' });
    expect(widened.json()).toMatchObject({ scope: 'read write' });
    const third = widened.json() as Tokens;
    const full = (await refresh(third.refresh_token)).json() as Tokens;
    expect(full.scope).toBe('read write trust');

    const tooMuch = await refresh(full.refresh_token, { scope: 'read foo' });
    expect({ status: tooMuch.statusCode, body: tooMuch.json() }).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'Unable to narrow the scope of the client authentication to [read, foo].', scope: 'read write trust' },
    });
    // A refused narrowing consumes nothing.
    expect(await active(full.refresh_token)).toBe(true);
    expect((await refresh(full.refresh_token)).statusCode).toBe(200);
  });

  it('a grant made with fewer scopes cannot be widened by a refresh', async () => {
    const first = await login('read trust');
    expect(first.scope).toBe('read trust');
    const res = await refresh(first.refresh_token, { scope: 'read write' });
    expect(res.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'Unable to narrow the scope of the client authentication to [read, write].',
      scope: 'read trust',
    });
    expect((await refresh(first.refresh_token, { scope: 'trust' })).json().scope).toBe('trust');
  });
});

describe(`concurrent refreshes of one token (${backend})`, () => {
  it('20 parallel refreshes: all 200 and byte-identical, exactly one successor, other families untouched (3 rounds)', async () => {
    const bystander = await login();
    for (let round = 0; round < 3; round++) {
      const first = await login();
      const family = await familyOf(first.refresh_token);
      const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(first.refresh_token)));
      expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
      expect(new Set(responses.map((r) => r.body)).size).toBe(1);
      const successor = responses[0]!.json() as Tokens;

      const { refreshRows, accessRows } = await familyRows(family);
      expect(refreshRows).toHaveLength(2);
      expect(accessRows).toHaveLength(2);
      const liveRefresh = refreshRows.filter((r) => r.consumedAt === null && r.revokedAt === null);
      expect(liveRefresh.map((r) => r.tokenDigest)).toEqual([secretDigest(TOKEN_PURPOSE.refresh, successor.refresh_token)]);
      const liveAccess = accessRows.filter((r) => r.revokedAt === null);
      expect(liveAccess.map((r) => r.tokenDigest)).toEqual([secretDigest(TOKEN_PURPOSE.access, successor.access_token)]);

      expect((await me(successor.access_token)).statusCode).toBe(200);
      expect(await active(bystander.access_token)).toBe(true);
      expect(await active(bystander.refresh_token)).toBe(true);
      // The successor rotates normally afterwards.
      expect((await refresh(successor.refresh_token)).statusCode).toBe(200);
    }
  });
});
