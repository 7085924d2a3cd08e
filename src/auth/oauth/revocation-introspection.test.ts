import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { SANDBOX } from '../seed.js';
import { basic, SEED_BASIC } from '../../../test/support/oauth.js';

/**
 * OA-4 revocation (RFC 7009), OA-5 introspection (RFC 7662) and Spring's /oauth/check_token,
 * including the view of another company's client.
 */

const CLIENT_BAD_CREDENTIALS = 'Basic realm="oauth2/client", error="unauthorized", error_description="Bad credentials"';
const CLIENT_AUTH_REQUIRED = 'Basic realm="oauth2/client", error="unauthorized", error_description="Full authentication is required to access this resource"';
const START_S = Date.parse('2026-01-01T00:00:00.000Z') / 1000;

interface Tokens {
  access_token: string;
  refresh_token: string;
}

let t: TestApp;
/** A second company with its own client and user. */
let other: { id: string; basic: string; username: string; password: string };

function post(url: string, params: Record<string, string>, auth: string | null = SEED_BASIC): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...(auth === null ? {} : { authorization: auth }), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(params).toString(),
  });
}

const revoke = (token: string, auth: string | null = SEED_BASIC, hint?: string) =>
  post('/oauth/revoke', { token, ...(hint ? { token_type_hint: hint } : {}) }, auth);
const introspect = (token: string, auth: string | null = SEED_BASIC) => post('/oauth/introspect', { token }, auth);
const checkToken = (token: string, auth: string | null = SEED_BASIC) =>
  t.app.inject({ method: 'GET', url: `/oauth/check_token?token=${encodeURIComponent(token)}`, headers: auth === null ? {} : { authorization: auth } });
const me = (accessToken: string) => t.app.inject({ method: 'GET', url: '/api/v0/me', headers: { authorization: `Bearer ${accessToken}` } });

async function seedLogin(): Promise<Tokens> {
  const res = await post('/oauth/token', { grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function clientToken(auth = SEED_BASIC, scope?: string): Promise<string> {
  const res = await post('/oauth/token', { grant_type: 'client_credentials', ...(scope ? { scope } : {}) }, auth);
  expect(res.statusCode).toBe(200);
  return res.json().access_token;
}

function expectInactive(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(200);
  expect(res.body).toBe('{"active":false}');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['pragma']).toBe('no-cache');
}

function expectOAuthError(res: LightMyRequestResponse, status: number, body: Record<string, string>, challenge?: string) {
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status, body });
  expect(res.headers['www-authenticate']).toBe(challenge);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['pragma']).toBe('no-cache');
}

beforeAll(async () => {
  // The sandbox user logs in often here; its per-username window is not under test.
  t = await createTestApp({ oauth: { ratePerUsernamePerMinute: 1000 } });
  const company = await t.services.identity.createCompany({ name: 'Second Company' });
  const { secret } = await t.services.identity.createClient({ companyId: company.id, grantTypes: ['password', 'refresh_token', 'client_credentials'] });
  other = { id: company.id, basic: basic(company.id, secret), username: `ops-${randomUUID().slice(0, 8)}@second.example`, password: 'Second@Pass99' };
  await t.services.identity.createUser({ companyId: company.id, username: other.username, password: other.password });
});
afterAll(async () => t.close());

describe('client authentication of /oauth/revoke, /oauth/introspect and /oauth/check_token', () => {
  it('no client authentication is 401 with the Basic challenge, bad credentials too', async () => {
    const { access_token } = await seedLogin();
    const required = { error: 'unauthorized', error_description: 'Full authentication is required to access this resource' };
    const bad = { error: 'unauthorized', error_description: 'Bad credentials' };
    const wrong = basic(SANDBOX.companyId, 'not-the-secret');
    expectOAuthError(await revoke(access_token, null), 401, required, CLIENT_AUTH_REQUIRED);
    expectOAuthError(await revoke(access_token, wrong), 401, bad, CLIENT_BAD_CREDENTIALS);
    expectOAuthError(await introspect(access_token, null), 401, required, CLIENT_AUTH_REQUIRED);
    expectOAuthError(await introspect(access_token, wrong), 401, bad, CLIENT_BAD_CREDENTIALS);
    expectOAuthError(await checkToken(access_token, null), 401, required, CLIENT_AUTH_REQUIRED);
    expectOAuthError(await checkToken(access_token, wrong), 401, bad, CLIENT_BAD_CREDENTIALS);
    const badForm = await post('/oauth/revoke', { token: access_token, client_id: SANDBOX.companyId, client_secret: 'x' }, null);
    expectOAuthError(badForm, 401, bad, CLIENT_BAD_CREDENTIALS);
    // None of those did anything.
    expect((await me(access_token)).statusCode).toBe(200);
  });

  it('the token parameter is required', async () => {
    expectOAuthError(await post('/oauth/revoke', {}), 400, { error: 'invalid_request', error_description: 'Missing token parameter' });
    expectOAuthError(await post('/oauth/introspect', {}), 400, { error: 'invalid_request', error_description: 'Missing token parameter' });
  });
});

describe('revocation (RFC 7009)', () => {
  it('revoking an access token: 200 with an empty body, and the token is dead in the same instant', async () => {
    const { access_token, refresh_token } = await seedLogin();
    const res = await revoke(access_token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
    expectInactive(await introspect(access_token));
    expect((await me(access_token)).json()).toEqual({ error: 'invalid_token', error_description: `Invalid access token: ${access_token}` });
    // The refresh token of the grant lives on.
    expect((await introspect(refresh_token)).json().active).toBe(true);
    // Revoking again is still 200.
    expect((await revoke(access_token)).statusCode).toBe(200);
  });

  it('revoking a refresh token revokes its family, whatever the hint says', async () => {
    const first = await seedLogin();
    const second = (await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token })).json() as Tokens;
    const unrelated = await seedLogin();
    expect((await revoke(second.refresh_token, SEED_BASIC, 'access_token')).statusCode).toBe(200);
    expectInactive(await introspect(second.refresh_token));
    expectInactive(await introspect(second.access_token));
    expect((await me(second.access_token)).statusCode).toBe(401);
    expect((await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token })).json()).toEqual({
      error: 'invalid_grant',
      error_description: `Invalid refresh token: ${second.refresh_token}`,
    });
    // The consumed first token no longer has a grace retry either.
    expect((await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token })).statusCode).toBe(400);
    expect((await introspect(unrelated.access_token)).json().active).toBe(true);
  });

  it('an access token revoked with the refresh_token hint is still found and revoked', async () => {
    const { access_token } = await seedLogin();
    expect((await revoke(access_token, SEED_BASIC, 'refresh_token')).statusCode).toBe(200);
    expectInactive(await introspect(access_token));
  });

  it('an unknown or garbage token is 200', async () => {
    for (const token of ['unknown-token', 'x'.repeat(500), '"\\<>']) {
      const res = await revoke(token);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
    }
  });

  it("another company's client revoking a token: 200, and the token stays active", async () => {
    const mine = await seedLogin();
    const mineClient = await clientToken();
    for (const token of [mine.access_token, mine.refresh_token, mineClient]) {
      const res = await revoke(token, other.basic);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
    }
    expect((await introspect(mine.access_token)).json().active).toBe(true);
    expect((await introspect(mine.refresh_token)).json().active).toBe(true);
    expect((await introspect(mineClient)).json().active).toBe(true);
    expect((await me(mine.access_token)).statusCode).toBe(200);
  });
});

describe('introspection (RFC 7662)', () => {
  it('an active user access token: active, scope, client_id, username, token_type, exp, iat, sub', async () => {
    const { access_token } = await seedLogin();
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const res = await introspect(access_token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      active: true,
      scope: 'read write trust',
      client_id: SANDBOX.companyId,
      username: SANDBOX.username,
      token_type: 'bearer',
      exp: now + 86400,
      iat: now,
      sub: SANDBOX.username,
    });
    expect(now).toBeGreaterThanOrEqual(START_S);
  });

  it('a client_credentials token has no username; its subject is the client', async () => {
    const token = await clientToken(SEED_BASIC, 'read');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    expect((await introspect(token)).json()).toEqual({
      active: true,
      scope: 'read',
      client_id: SANDBOX.companyId,
      token_type: 'bearer',
      exp: now + 86400,
      iat: now,
      sub: SANDBOX.companyId,
    });
  });

  it("a user's refresh token names the user too", async () => {
    const { refresh_token } = await seedLogin();
    const now = Math.floor(t.clock.now().getTime() / 1000);
    expect((await introspect(refresh_token)).json()).toEqual({
      active: true,
      scope: 'read write trust',
      client_id: SANDBOX.companyId,
      username: SANDBOX.username,
      token_type: 'refresh_token',
      exp: now + 2_592_000,
      iat: now,
      sub: SANDBOX.username,
    });
  });

  it('unknown, garbage, revoked and consumed tokens: exactly {"active":false}', async () => {
    expectInactive(await introspect('unknown-token'));
    expectInactive(await introspect('\u0000"\\'));
    // A NUL only makes a token that does not exist: revocation answers 200 as for any unknown token (RFC 7009 §2.2).
    expect((await revoke('\u0000x')).statusCode).toBe(200);
    const { access_token, refresh_token } = await seedLogin();
    await post('/oauth/token', { grant_type: 'refresh_token', refresh_token });
    expectInactive(await introspect(refresh_token));
    expectInactive(await introspect(access_token));
    const cc = await clientToken();
    await revoke(cc);
    expectInactive(await introspect(cc));
  });

  it('another company\'s client sees {"active":false} for tokens that are active for their own client', async () => {
    const mine = await seedLogin();
    const cc = await clientToken();
    for (const token of [mine.access_token, mine.refresh_token, cc]) {
      expectInactive(await introspect(token, other.basic));
      expect((await introspect(token)).json().active).toBe(true);
    }
    // And the other way round.
    const theirs = (await post('/oauth/token', { grant_type: 'password', username: other.username, password: other.password }, other.basic)).json() as Tokens;
    expectInactive(await introspect(theirs.access_token));
    expect((await introspect(theirs.access_token, other.basic)).json()).toMatchObject({ active: true, client_id: other.id, username: other.username });
  });

  it('an expired token is {"active":false}, judged by the clock', async () => {
    const company = await t.services.identity.createCompany({ name: 'Short Tokens' });
    const { secret } = await t.services.identity.createClient({ companyId: company.id, accessTokenTtlSeconds: 60 });
    const auth = basic(company.id, secret);
    const token = await clientToken(auth);
    t.clock.advance(59_000);
    expect((await introspect(token, auth)).json().active).toBe(true);
    t.clock.advance(1_000);
    expectInactive(await introspect(token, auth));
  });
});

describe("Spring's /oauth/check_token", () => {
  it("a live user token: Spring's map with scope as a list, by GET or POST", async () => {
    const { access_token } = await seedLogin();
    const exp = Math.floor(t.clock.now().getTime() / 1000) + 86400;
    const expected = {
      user_name: SANDBOX.username,
      scope: ['read', 'write', 'trust'],
      active: true,
      exp,
      authorities: ['ROLE_USER'],
      client_id: SANDBOX.companyId,
    };
    const get = await checkToken(access_token);
    expect(get.statusCode).toBe(200);
    expect(get.headers['cache-control']).toBe('no-store');
    expect(get.json()).toEqual(expected);
    const viaPost = await post('/oauth/check_token', { token: access_token });
    expect(viaPost.json()).toEqual(expected);
  });

  it('a client token has no user_name', async () => {
    const token = await clientToken(SEED_BASIC, 'read write');
    expect((await checkToken(token)).json()).toEqual({
      scope: ['read', 'write'],
      active: true,
      exp: Math.floor(t.clock.now().getTime() / 1000) + 86400,
      authorities: ['ROLE_CLIENT'],
      client_id: SANDBOX.companyId,
    });
  });

  it('unknown, revoked, refresh and other clients\' tokens: 400 invalid_token "Token was not recognised", no challenge', async () => {
    const notRecognised = { error: 'invalid_token', error_description: 'Token was not recognised' };
    expectOAuthError(await checkToken('unknown-token'), 400, notRecognised);
    const { access_token, refresh_token } = await seedLogin();
    expectOAuthError(await checkToken(refresh_token), 400, notRecognised);
    expectOAuthError(await checkToken(access_token, other.basic), 400, notRecognised);
    await revoke(access_token);
    expectOAuthError(await checkToken(access_token), 400, notRecognised);
  });

  it('an expired token: 400 invalid_token "Token has expired"', async () => {
    const company = await t.services.identity.createCompany({ name: 'Short Tokens Two' });
    const { secret } = await t.services.identity.createClient({ companyId: company.id, accessTokenTtlSeconds: 120 });
    const auth = basic(company.id, secret);
    const token = await clientToken(auth);
    t.clock.advance(120_000);
    expectOAuthError(await checkToken(token, auth), 400, { error: 'invalid_token', error_description: 'Token has expired' });
  });
});
