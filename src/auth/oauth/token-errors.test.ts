import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { SANDBOX } from '../seed.js';
import type { GrantType, NewClientInput } from '../identity/index.js';
import { basic, SEED_BASIC } from '../../../test/support/oauth.js';

/**
 * OA-1: the token endpoint's error matrix. One test per row of reference §1.3 (status, the whole
 * body with Spring's key order, WWW-Authenticate, no-store), then the RFC 6749 cases where Tijori
 * is stricter than Spring (ADR 0005).
 */

const FORM = 'application/x-www-form-urlencoded';
const CLIENT_BAD_CREDENTIALS = 'Basic realm="oauth2/client", error="unauthorized", error_description="Bad credentials"';
const CLIENT_AUTH_REQUIRED = 'Basic realm="oauth2/client", error="unauthorized", error_description="Full authentication is required to access this resource"';
const DESCRIPTION_CHARSET = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

let t: TestApp;

interface Send {
  auth?: string | null;
  query?: string;
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE';
  contentType?: string | null;
  payload?: string;
}

/** A request to the token server; `auth: null` sends no Authorization header at all. */
function send(url: string, params: Record<string, string> = {}, opts: Send = {}): Promise<LightMyRequestResponse> {
  const auth = opts.auth === undefined ? SEED_BASIC : opts.auth;
  const contentType = opts.contentType === undefined ? FORM : opts.contentType;
  return t.app.inject({
    method: opts.method ?? 'POST',
    url: opts.query ? `${url}?${opts.query}` : url,
    headers: { ...(auth === null ? {} : { authorization: auth }), ...(contentType === null ? {} : { 'content-type': contentType }) },
    payload: opts.payload ?? new URLSearchParams(params).toString(),
  });
}

const token = (params: Record<string, string>, opts?: Send) => send('/oauth/token', params, opts);

function me(accessToken?: string) {
  return t.app.inject({ method: 'GET', url: '/api/v0/me', headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } });
}

/** Status, the whole body in its key order, the challenge (or its absence) and the no-cache headers. */
function expectOAuthError(res: LightMyRequestResponse, status: number, body: Record<string, string>, challenge?: string) {
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status, body });
  expect(Object.keys(res.json())).toEqual(Object.keys(body));
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['www-authenticate']).toBe(challenge);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['pragma']).toBe('no-cache');
}

async function newClient(input: Omit<NewClientInput, 'companyId'> = {}) {
  const company = await t.services.identity.createCompany({ name: `Company ${randomUUID().slice(0, 8)}` });
  const { client, secret } = await t.services.identity.createClient({ companyId: company.id, ...input });
  return { id: client.clientId, secret, basic: basic(client.clientId, secret) };
}

const ALL_GRANTS: GrantType[] = ['password', 'refresh_token', 'client_credentials'];

/** A user of the sandbox company (or `companyId`) with its own lockout and rate-limit state. */
async function newUser(companyId: string = SANDBOX.companyId, password = 'Pass@word123') {
  const username = `u-${randomUUID().slice(0, 12)}@example.com`;
  await t.services.identity.createUser({ companyId, username, password });
  return { username, password };
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the seed page request', () => {
  it("answers 200 with Spring's snake_case token in Spring's key order, not cacheable", async () => {
    const res = await token({ username: SANDBOX.username, password: SANDBOX.password, grant_type: 'password', clientId: SANDBOX.companyId });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope']);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'bearer',
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expires_in: 86400,
      scope: 'read write trust',
    });
    expect(body.refresh_token).not.toBe(body.access_token);
    const principal = await me(body.access_token);
    expect(principal.statusCode).toBe(200);
    expect(principal.json().payload).toEqual({
      companyId: SANDBOX.companyId,
      clientId: SANDBOX.companyId,
      username: SANDBOX.username,
      scopes: ['read', 'write', 'trust'],
    });
  });
});

describe('reference §1.3 table', () => {
  it('wrong user password: 400 invalid_grant "Bad credentials"', async () => {
    const user = await newUser();
    const res = await token({ grant_type: 'password', username: user.username, password: 'wrong-password' });
    expectOAuthError(res, 400, { error: 'invalid_grant', error_description: 'Bad credentials' });
  });

  it('account locked after 3 failures: 400 invalid_grant "User account is locked"', async () => {
    const user = await newUser();
    for (let i = 0; i < 3; i++) {
      expectOAuthError(await token({ grant_type: 'password', username: user.username, password: `wrong-${i}` }), 400, {
        error: 'invalid_grant',
        error_description: 'Bad credentials',
      });
    }
    const res = await token({ grant_type: 'password', username: user.username, password: user.password });
    expectOAuthError(res, 400, { error: 'invalid_grant', error_description: 'User account is locked' });
  });

  it('disabled user: 400 invalid_grant "User is disabled"', async () => {
    const user = await newUser();
    await t.services.identity.setUserEnabled(user.username, false);
    const res = await token({ grant_type: 'password', username: user.username, password: user.password });
    expectOAuthError(res, 400, { error: 'invalid_grant', error_description: 'User is disabled' });
  });

  it('wrong client secret in the Basic header: 401 unauthorized with the Basic oauth2/client challenge', async () => {
    const res = await token({ grant_type: 'client_credentials' }, { auth: basic(SANDBOX.companyId, 'not-the-secret') });
    expectOAuthError(res, 401, { error: 'unauthorized', error_description: 'Bad credentials' }, CLIENT_BAD_CREDENTIALS);
  });

  it('no Basic header: 401 unauthorized "Full authentication is required to access this resource"', async () => {
    const res = await token({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password }, { auth: null });
    expectOAuthError(res, 401, { error: 'unauthorized', error_description: 'Full authentication is required to access this resource' }, CLIENT_AUTH_REQUIRED);
  });

  it('missing grant_type: 400 invalid_request "Missing grant type"', async () => {
    expectOAuthError(await token({ username: SANDBOX.username }), 400, { error: 'invalid_request', error_description: 'Missing grant type' });
    expectOAuthError(await token({ grant_type: '' }), 400, { error: 'invalid_request', error_description: 'Missing grant type' });
  });

  it('unknown grant_type: 400 unsupported_grant_type "Unsupported grant type: foo"', async () => {
    const res = await token({ grant_type: 'foo' });
    expectOAuthError(res, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: foo' });
  });

  it("requested scope not allowed: 400 invalid_scope with the allowed scope member, in Spring's key order", async () => {
    const res = await token({ grant_type: 'client_credentials', scope: 'read foo' });
    expectOAuthError(res, 400, { error: 'invalid_scope', error_description: 'Invalid scope: foo', scope: 'read write trust' });
    const pw = await token({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password, scope: 'foo' });
    expectOAuthError(pw, 400, { error: 'invalid_scope', error_description: 'Invalid scope: foo', scope: 'read write trust' });
  });

  it('resource call without a token: 401 unauthorized with the Bearer oauth realm', async () => {
    const res = await me();
    expectOAuthError(
      res,
      401,
      { error: 'unauthorized', error_description: 'Full authentication is required to access this resource' },
      'Bearer realm="oauth", error="unauthorized", error_description="Full authentication is required to access this resource"',
    );
  });

  it('unknown access token: 401 invalid_token "Invalid access token: <tok>"', async () => {
    const res = await me('GZ0fmS3uNE2ncSrJlPBbNQmbpcjVTBXQvOHdxd7-ztM');
    const description = 'Invalid access token: GZ0fmS3uNE2ncSrJlPBbNQmbpcjVTBXQvOHdxd7-ztM';
    expectOAuthError(
      res,
      401,
      { error: 'invalid_token', error_description: description },
      `Bearer realm="oauth", error="invalid_token", error_description="${description}"`,
    );
  });

  it('expired access token (by the clock): 401 invalid_token "Access token expired: <tok>"', async () => {
    const client = await newClient({ accessTokenTtlSeconds: 300 });
    const issued = await token({ grant_type: 'client_credentials' }, { auth: client.basic });
    expect(issued.json().expires_in).toBe(300);
    const accessToken = issued.json().access_token as string;
    t.clock.advance(299_000);
    expect((await me(accessToken)).statusCode).toBe(200);
    t.clock.advance(1_000);
    const description = `Access token expired: ${accessToken}`;
    expectOAuthError(
      await me(accessToken),
      401,
      { error: 'invalid_token', error_description: description },
      `Bearer realm="oauth", error="invalid_token", error_description="${description}"`,
    );
  });

  it('insufficient scope: 403 access_denied "Access is denied"', async () => {
    const issued = await token({ grant_type: 'client_credentials', scope: 'write' });
    expect(issued.json().scope).toBe('write');
    expectOAuthError(await me(issued.json().access_token), 403, { error: 'access_denied', error_description: 'Access is denied' });
  });
});

describe('reference §1.3 refresh grant rows', () => {
  it('unknown refresh token: 400 invalid_grant "Invalid refresh token: <rt>"', async () => {
    const res = await token({ grant_type: 'refresh_token', refresh_token: 'nNpUvUYcWm2vTfqTNUDI3Dmc_Nwhlop6nAuJ9AyAK6M' });
    expectOAuthError(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token: nNpUvUYcWm2vTfqTNUDI3Dmc_Nwhlop6nAuJ9AyAK6M' });
  });

  it('expired refresh token: 401 invalid_token "Invalid refresh token (expired): <rt>" with a realm-less Bearer challenge', async () => {
    const client = await newClient({ grantTypes: ALL_GRANTS, refreshTokenTtlSeconds: 600 });
    const user = await newUser(client.id);
    const issued = (await token({ grant_type: 'password', username: user.username, password: user.password }, { auth: client.basic })).json();
    t.clock.advance(600_000);
    const res = await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token }, { auth: client.basic });
    const description = `Invalid refresh token (expired): ${issued.refresh_token}`;
    expectOAuthError(res, 401, { error: 'invalid_token', error_description: description }, `Bearer error="invalid_token", error_description="${description}"`);
  });

  it('a refresh token issued to another client: 400 invalid_grant "Wrong client for this refresh token: <rt>"', async () => {
    const issued = (await token({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password })).json();
    const other = await newClient({ grantTypes: ALL_GRANTS });
    const res = await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token }, { auth: other.basic });
    expectOAuthError(res, 400, { error: 'invalid_grant', error_description: `Wrong client for this refresh token: ${issued.refresh_token}` });
  });

  it('a refresh asking for more scope than granted: 400 invalid_scope "Unable to narrow …" with the granted scope', async () => {
    const issued = (await token({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password, scope: 'read' })).json();
    expect(issued.scope).toBe('read');
    const res = await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token, scope: 'read write' });
    expectOAuthError(res, 400, {
      error: 'invalid_scope',
      error_description: 'Unable to narrow the scope of the client authentication to [read, write].',
      scope: 'read',
    });
  });
});

describe('OA-1: request shape and client authentication (RFC 6749 where Spring is lax)', () => {
  it('a grant not enabled for the client: 400 unauthorized_client', async () => {
    const ccOnly = await newClient({ grantTypes: ['client_credentials'] });
    expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: 'x' }, { auth: ccOnly.basic }), 400, {
      error: 'unauthorized_client',
      error_description: 'Unauthorized grant type: refresh_token',
    });
    const userOnly = await newClient({ grantTypes: ['password'] });
    expectOAuthError(await token({ grant_type: 'client_credentials' }, { auth: userOnly.basic }), 400, {
      error: 'unauthorized_client',
      error_description: 'Unauthorized grant type: client_credentials',
    });
  });

  it('a parameter sent twice in the body, in the query, or across both: 400 invalid_request "Duplicate parameter: <name>"', async () => {
    const dup = { error: 'invalid_request', error_description: 'Duplicate parameter: grant_type' };
    expectOAuthError(await token({}, { payload: 'grant_type=client_credentials&grant_type=client_credentials' }), 400, dup);
    expectOAuthError(await token({ grant_type: 'client_credentials' }, { query: 'grant_type=client_credentials' }), 400, dup);
    expectOAuthError(await token({}, { query: 'grant_type=client_credentials&grant_type=password', payload: '' }), 400, dup);
    expectOAuthError(await token({}, { payload: 'grant_type=client_credentials&scope=read&scope=write' }), 400, {
      error: 'invalid_request',
      error_description: 'Duplicate parameter: scope',
    });
  });

  it('parameters named like Object.prototype members are ordinary parameters', async () => {
    const ok = await token({ grant_type: 'client_credentials', toString: 'x', constructor: 'y', hasOwnProperty: 'z' });
    expect(ok.statusCode).toBe(200);
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expectOAuthError(await token({ grant_type: name }), 400, { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${name}` });
    }
  });

  it('client credentials in both the Basic header and the body: 400 invalid_request', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: SANDBOX.companyId, client_secret: SANDBOX.clientSecret });
    expectOAuthError(res, 400, {
      error: 'invalid_request',
      error_description: 'Client credentials were sent in both the Authorization header and the request body',
    });
  });

  it('a non-form body, well-formed or not: 400 invalid_request', async () => {
    const expected = { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' };
    expectOAuthError(await token({}, { contentType: 'application/json', payload: '{"grant_type":"client_credentials"}' }), 400, expected);
    expectOAuthError(await token({}, { contentType: 'application/json', payload: '{"grant_type":' }), 400, expected);
    expectOAuthError(await token({}, { contentType: 'text/plain', payload: 'grant_type=client_credentials' }), 400, expected);
    expectOAuthError(await token({}, { contentType: 'application/xml', payload: '<grant_type/>' }), 400, expected);
    expectOAuthError(
      await token(
        {},
        {
          contentType: 'multipart/form-data; boundary=x',
          payload: '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--',
        },
      ),
      400,
      expected,
    );
    expectOAuthError(await token({}, { contentType: null, payload: 'grant_type=client_credentials' }), 400, expected);
    // A charset parameter on the form type is fine (oauth4webapi sends one).
    expect((await token({ grant_type: 'client_credentials' }, { contentType: `${FORM};charset=UTF-8` })).statusCode).toBe(200);
  });

  it('GET and other methods: 405 method_not_allowed with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: '/oauth/token?grant_type=client_credentials', headers: { authorization: SEED_BASIC } });
      expectOAuthError(res, 405, { error: 'method_not_allowed', error_description: `Request method '${method}' not supported` });
      expect(res.headers['allow']).toBe('POST');
    }
  });

  it('form client authentication (client_id and client_secret fields) works', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: SANDBOX.companyId, client_secret: SANDBOX.clientSecret }, { auth: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86400, scope: 'read write trust' });
    const pw = await token(
      { grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password, client_id: SANDBOX.companyId, client_secret: SANDBOX.clientSecret },
      { auth: null },
    );
    expect(pw.statusCode).toBe(200);
    expect(pw.json().refresh_token).toEqual(expect.any(String));
  });

  it('a bad secret in the body: 401 Bad credentials, like a bad Basic header', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: SANDBOX.companyId, client_secret: 'not-the-secret' }, { auth: null });
    expectOAuthError(res, 401, { error: 'unauthorized', error_description: 'Bad credentials' }, CLIENT_BAD_CREDENTIALS);
  });

  it('an unknown client answers exactly like a wrong secret', async () => {
    const unknownBasic = await token({ grant_type: 'client_credentials' }, { auth: basic('CEKZZZZZZZ', SANDBOX.clientSecret) });
    expectOAuthError(unknownBasic, 401, { error: 'unauthorized', error_description: 'Bad credentials' }, CLIENT_BAD_CREDENTIALS);
    const unknownForm = await token({ grant_type: 'client_credentials', client_id: 'CEKZZZZZZZ', client_secret: 'x' }, { auth: null });
    expectOAuthError(unknownForm, 401, { error: 'unauthorized', error_description: 'Bad credentials' }, CLIENT_BAD_CREDENTIALS);
  });

  it("a client_id field alone, or EnKash's clientId field alone, is no authentication", async () => {
    const expected = { error: 'unauthorized', error_description: 'Full authentication is required to access this resource' };
    expectOAuthError(await token({ grant_type: 'client_credentials', client_id: SANDBOX.companyId }, { auth: null }), 401, expected, CLIENT_AUTH_REQUIRED);
    expectOAuthError(await token({ grant_type: 'client_credentials', clientId: SANDBOX.companyId }, { auth: null }), 401, expected, CLIENT_AUTH_REQUIRED);
  });

  it("EnKash's clientId field naming another client: 400 invalid_request; naming this one: accepted", async () => {
    const other = await newClient({ grantTypes: ALL_GRANTS });
    const mismatch = await token({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password, clientId: other.id });
    expectOAuthError(mismatch, 400, { error: 'invalid_request', error_description: 'clientId does not match the authenticated client' });
    const cc = await token({ grant_type: 'client_credentials', clientId: other.id });
    expectOAuthError(cc, 400, { error: 'invalid_request', error_description: 'clientId does not match the authenticated client' });
    const match = await token({ grant_type: 'client_credentials', clientId: SANDBOX.companyId });
    expect(match.statusCode).toBe(200);
  });

  it('a wrong password and an unknown user get byte-identical answers', async () => {
    const user = await newUser();
    const wrong = await token({ grant_type: 'password', username: user.username, password: 'wrong-password' });
    const unknown = await token({ grant_type: 'password', username: 'nobody-here@example.com', password: 'wrong-password' });
    const missing = await token({ grant_type: 'password' });
    for (const res of [wrong, unknown, missing]) expectOAuthError(res, 400, { error: 'invalid_grant', error_description: 'Bad credentials' });
    expect(unknown.body).toBe(wrong.body);
    expect(missing.body).toBe(wrong.body);
  });

  it('a user of another company is unknown to this client', async () => {
    const other = await newClient({ grantTypes: ALL_GRANTS });
    const res = await token({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password }, { auth: other.basic });
    expectOAuthError(res, 400, { error: 'invalid_grant', error_description: 'Bad credentials' });
  });

  it("error_description stays within RFC 6749 §5.2's charset whatever the request echoes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('grant_type', 'scope', 'refresh_token', 'name'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
        async (where, value) => {
          const params: Record<string, string> =
            where === 'grant_type'
              ? { grant_type: `x${value}` }
              : where === 'scope'
                ? { grant_type: 'client_credentials', scope: `x${value}` }
                : where === 'refresh_token'
                  ? { grant_type: 'refresh_token', refresh_token: value }
                  : {};
          const entries: [string, string][] =
            where === 'name'
              ? [
                  ['grant_type', 'client_credentials'],
                  [value, '1'],
                  [value, '2'],
                ]
              : Object.entries(params);
          const payload = new URLSearchParams(entries).toString();
          const res = await token({}, { payload });
          expect(res.statusCode).toBe(400);
          const body = res.json() as { error: string; error_description: string };
          expect(body.error_description).toMatch(DESCRIPTION_CHARSET);
          expect(res.headers['www-authenticate']).toBeUndefined();
        },
      ),
      { numRuns: 120 },
    );
    const hostile = await token({ grant_type: 'fo"o\\ é\n' });
    expectOAuthError(hostile, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: fo?o? ??' });
  });
});
