import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { secretDigest } from '../../core/crypto/secrets.js';
import { SANDBOX } from '../seed.js';
import { TOKEN_PURPOSE } from './model.js';
import { oauthAccessTokens, oauthRefreshTokens } from './tables.js';

/**
 * OA-2: panva's oauth4webapi, an RFC-strict client, as the oracle. The app listens on a real port;
 * every success must pass the library's response checks and every error must surface as the
 * library's ResponseBodyError (or, for 401s with a challenge, WWWAuthenticateChallengeError),
 * never as an OperationProcessingError. Then 200 generated valid requests, and the tokens they
 * produce (OA-8's entropy and storage checks).
 */

const ALL_SCOPES = ['read', 'write', 'trust'] as const;
const opts = { [oauth.allowInsecureRequests]: true } as const;

let t: TestApp;
let as: oauth.AuthorizationServer;
let base: string;
const seedClient: oauth.Client = { client_id: SANDBOX.companyId };
const seedBasic = oauth.ClientSecretBasic(SANDBOX.clientSecret);
const seedPost = oauth.ClientSecretPost(SANDBOX.clientSecret);
/** A client created with the defaults: client_credentials and refresh_token, no password grant. */
let defaultsClient: { client: oauth.Client; auth: oauth.ClientAuth };
let shortRefresh: { client: oauth.Client; auth: oauth.ClientAuth; username: string; password: string };
/** Every token the oracle saw issued, with its kind. */
const issued: { kind: 'access' | 'refresh'; token: string }[] = [];

function remember(body: oauth.TokenEndpointResponse) {
  issued.push({ kind: 'access', token: body.access_token });
  if (body.refresh_token !== undefined) issued.push({ kind: 'refresh', token: body.refresh_token });
  return body;
}

async function passwordGrant(
  client = seedClient,
  auth = seedBasic,
  extra: Record<string, string> = {},
  user: { username: string; password: string } = { username: SANDBOX.username, password: SANDBOX.password },
) {
  const response = await oauth.genericTokenEndpointRequest(as, client, auth, 'password', { ...user, ...extra }, opts);
  return remember(await oauth.processGenericTokenEndpointResponse(as, client, response));
}

async function clientCredentials(client = seedClient, auth = seedBasic, parameters: Record<string, string> = {}) {
  const response = await oauth.clientCredentialsGrantRequest(as, client, auth, parameters, opts);
  return remember(await oauth.processClientCredentialsResponse(as, client, response));
}

async function refreshGrant(refreshToken: string, client = seedClient, auth = seedBasic, scope?: string) {
  const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
    ...opts,
    ...(scope === undefined ? {} : { additionalParameters: { scope } }),
  });
  return remember(await oauth.processRefreshTokenResponse(as, client, response));
}

async function introspect(token: string, client = seedClient, auth = seedBasic) {
  return oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, opts));
}

async function revoke(token: string, client = seedClient, auth = seedBasic) {
  return oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token, opts));
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail('expected the oracle to reject the response'),
    (err: unknown) => err,
  );
}

/** The error is the library's OAuth error-body error with this status and code, nothing else. */
async function expectBodyError(work: Promise<unknown>, status: number, error: string, description?: string) {
  const err = await rejection(work);
  expect(err).toBeInstanceOf(oauth.ResponseBodyError);
  expect(err).not.toBeInstanceOf(oauth.OperationProcessingError);
  const e = err as oauth.ResponseBodyError;
  expect({ status: e.status, error: e.error }).toEqual({ status, error });
  if (description !== undefined) expect(e.error_description).toBe(description);
  return e;
}

/** A 401 whose WWW-Authenticate the library parses: scheme and parameters as given. */
async function expectChallenge(work: Promise<unknown>, scheme: string, parameters: Record<string, string>) {
  const err = await rejection(work);
  expect(err).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  const e = err as oauth.WWWAuthenticateChallengeError;
  expect(e.status).toBe(401);
  expect(e.cause).toEqual([{ scheme, parameters }]);
  // The body under the challenge is still an OAuth error body.
  const body = (await e.response.json()) as Record<string, string>;
  expect(body).toEqual({ error: parameters['error'], error_description: parameters['error_description'] });
}

beforeAll(async () => {
  // 200 generated requests from one client and user: the windows are not under test here.
  t = await createTestApp({ oauth: { ratePerClientPerMinute: 100_000, ratePerUsernamePerMinute: 100_000 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  base = `http://127.0.0.1:${address.port}`;
  as = {
    issuer: base,
    token_endpoint: `${base}/oauth/token`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
  };

  const identity = t.services.identity;
  const c1 = await identity.createCompany({ name: 'Defaults Company' });
  const d = await identity.createClient({ companyId: c1.id });
  defaultsClient = { client: { client_id: c1.id }, auth: oauth.ClientSecretBasic(d.secret) };
  const c2 = await identity.createCompany({ name: 'Short Refresh Company' });
  const s = await identity.createClient({ companyId: c2.id, grantTypes: ['password', 'refresh_token'], refreshTokenTtlSeconds: 600 });
  shortRefresh = {
    client: { client_id: c2.id },
    auth: oauth.ClientSecretPost(s.secret),
    username: `short-${randomUUID().slice(0, 8)}@example.com`,
    password: 'Pass@word123',
  };
  await identity.createUser({ companyId: c2.id, username: shortRefresh.username, password: shortRefresh.password });
});
afterAll(async () => t.close());

describe('successes pass the oracle', () => {
  it('client_credentials, Basic and form authentication', async () => {
    const viaBasic = await clientCredentials(seedClient, seedBasic, { scope: 'read write' });
    expect(viaBasic).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86400, scope: 'read write' });
    const viaPost = await clientCredentials(seedClient, seedPost);
    expect(viaPost.scope).toBe('read write trust');
    expect(viaPost.refresh_token).toBeUndefined();
    const response = await oauth.protectedResourceRequest(viaPost.access_token, 'GET', new URL(`${base}/api/v0/me`), undefined, undefined, opts);
    expect(response.status).toBe(200);
  });

  it("password (the seed request, with EnKash's clientId field), refresh, introspection and revocation", async () => {
    const first = await passwordGrant(seedClient, seedBasic, { clientId: SANDBOX.companyId });
    expect(first).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      refresh_token: expect.any(String),
      expires_in: 86400,
      scope: 'read write trust',
    });
    const second = await refreshGrant(first.refresh_token!, seedClient, seedPost, 'read');
    expect(second.scope).toBe('read');
    expect(second.refresh_token).not.toBe(first.refresh_token);

    expect(await introspect(second.access_token)).toMatchObject({ active: true, scope: 'read', username: SANDBOX.username, client_id: SANDBOX.companyId });
    expect(await introspect(first.access_token)).toEqual({ active: false });
    expect(await revoke(second.refresh_token!)).toBeUndefined();
    expect(await introspect(second.access_token, seedClient, seedPost)).toEqual({ active: false });
    expect(await revoke('not-a-token')).toBeUndefined();

    const err = await rejection(oauth.protectedResourceRequest(second.access_token, 'GET', new URL(`${base}/api/v0/me`), undefined, undefined, opts));
    expect(err).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect((err as oauth.WWWAuthenticateChallengeError).cause).toEqual([
      { scheme: 'bearer', parameters: { realm: 'oauth', error: 'invalid_token', error_description: `Invalid access token: ${second.access_token}` } },
    ]);
  });
});

describe("errors surface as the oracle's OAuth errors", () => {
  it('grant errors are ResponseBodyErrors with the expected code', async () => {
    await expectBodyError(
      passwordGrant(seedClient, seedBasic, {}, { username: SANDBOX.username, password: 'wrong-password' }),
      400,
      'invalid_grant',
      'Bad credentials',
    );
    await expectBodyError(passwordGrant(seedClient, seedBasic, {}, { username: 'nobody@example.com', password: 'x' }), 400, 'invalid_grant', 'Bad credentials');
    const scopeError = await expectBodyError(clientCredentials(seedClient, seedBasic, { scope: 'foo' }), 400, 'invalid_scope', 'Invalid scope: foo');
    expect(scopeError.cause).toEqual({ error: 'invalid_scope', error_description: 'Invalid scope: foo', scope: 'read write trust' });
    await expectBodyError(
      oauth.genericTokenEndpointRequest(as, seedClient, seedBasic, 'foo', {}, opts).then((r) => oauth.processGenericTokenEndpointResponse(as, seedClient, r)),
      400,
      'unsupported_grant_type',
    );
    await expectBodyError(passwordGrant(defaultsClient.client, defaultsClient.auth), 400, 'unauthorized_client', 'Unauthorized grant type: password');
    await expectBodyError(passwordGrant(seedClient, seedBasic, { clientId: defaultsClient.client.client_id }), 400, 'invalid_request');
  });

  it('request-shape errors are ResponseBodyErrors with invalid_request', async () => {
    const duplicate = oauth
      .genericTokenEndpointRequest(
        as,
        seedClient,
        seedBasic,
        'client_credentials',
        [
          ['scope', 'read'],
          ['scope', 'write'],
        ],
        opts,
      )
      .then((r) => oauth.processGenericTokenEndpointResponse(as, seedClient, r));
    await expectBodyError(duplicate, 400, 'invalid_request', 'Duplicate parameter: scope');
    const twoMethods = oauth
      .genericTokenEndpointRequest(as, seedClient, seedBasic, 'client_credentials', { client_secret: SANDBOX.clientSecret }, opts)
      .then((r) => oauth.processGenericTokenEndpointResponse(as, seedClient, r));
    await expectBodyError(twoMethods, 400, 'invalid_request');
  });

  it('refresh errors: other client, narrowing beyond the grant, reuse after the grace window', async () => {
    const grant = await passwordGrant(seedClient, seedBasic, { scope: 'read' });
    const otherCompany = await t.services.identity.createCompany({ name: 'Oracle Other' });
    const o = await t.services.identity.createClient({ companyId: otherCompany.id, grantTypes: ['refresh_token'] });
    await expectBodyError(
      refreshGrant(grant.refresh_token!, { client_id: otherCompany.id }, oauth.ClientSecretBasic(o.secret)),
      400,
      'invalid_grant',
      `Wrong client for this refresh token: ${grant.refresh_token}`,
    );
    await expectBodyError(refreshGrant(grant.refresh_token!, seedClient, seedBasic, 'read write'), 400, 'invalid_scope');
    const next = await refreshGrant(grant.refresh_token!);
    t.clock.advance(11_000);
    await expectBodyError(refreshGrant(grant.refresh_token!), 400, 'invalid_grant', `Invalid refresh token: ${grant.refresh_token}`);
    expect(await introspect(next.refresh_token!)).toEqual({ active: false });
  });

  it('401s carry a challenge the oracle parses: bad client secret (Basic or form), no client auth, expired refresh token', async () => {
    const badCredentials = { realm: 'oauth2/client', error: 'unauthorized', error_description: 'Bad credentials' };
    await expectChallenge(clientCredentials(seedClient, oauth.ClientSecretBasic('not-the-secret')), 'basic', badCredentials);
    await expectChallenge(clientCredentials(seedClient, oauth.ClientSecretPost('not-the-secret')), 'basic', badCredentials);
    await expectChallenge(revoke('x', seedClient, oauth.ClientSecretBasic('not-the-secret')), 'basic', badCredentials);
    await expectChallenge(introspect('x', seedClient, oauth.None()), 'basic', {
      realm: 'oauth2/client',
      error: 'unauthorized',
      error_description: 'Full authentication is required to access this resource',
    });

    const { client, auth, username, password } = shortRefresh;
    const grant = await passwordGrant(client, auth, {}, { username, password });
    t.clock.advance(600_000);
    await expectChallenge(refreshGrant(grant.refresh_token!, client, auth), 'bearer', {
      error: 'invalid_token',
      error_description: `Invalid refresh token (expired): ${grant.refresh_token}`,
    });
  });
});

describe('200 generated valid requests (fast-check)', () => {
  it('every grant with every subset of scopes succeeds with the right shape and an active token', async () => {
    let current = (await passwordGrant()).refresh_token!;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('client_credentials', 'password', 'refresh_token'),
        fc.subarray([...ALL_SCOPES]),
        fc.constantFrom('basic', 'post'),
        async (grant, scopes, method) => {
          const auth = method === 'basic' ? seedBasic : seedPost;
          const scope: Record<string, string> = scopes.length > 0 ? { scope: scopes.join(' ') } : {};
          let body: oauth.TokenEndpointResponse;
          if (grant === 'client_credentials') body = await clientCredentials(seedClient, auth, scope);
          else if (grant === 'password') body = await passwordGrant(seedClient, auth, scope);
          else {
            body = await refreshGrant(current, seedClient, auth, scope['scope']);
            current = body.refresh_token!;
          }
          const expectedScope = (scopes.length > 0 ? scopes : ALL_SCOPES).join(' ');
          expect(Object.keys(body)).toEqual(
            grant === 'client_credentials'
              ? ['access_token', 'token_type', 'expires_in', 'scope']
              : ['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope'],
          );
          expect(body).toMatchObject({ token_type: 'bearer', expires_in: 86400, scope: expectedScope });
          const view = await introspect(body.access_token, seedClient, auth);
          expect(view).toMatchObject({ active: true, scope: expectedScope, client_id: SANDBOX.companyId, token_type: 'bearer' });
          expect(view.username).toBe(grant === 'client_credentials' ? undefined : SANDBOX.username);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('issued tokens (OA-8, RFC 6749 §10.10)', () => {
  it('carry at least 160 random bits each (256: 32 bytes in base64url) and never repeat', async () => {
    // Its own batch of every kind, checked together with everything the file issued before.
    const before = issued.length;
    for (let i = 0; i < 20; i++) await clientCredentials();
    let rt = (await passwordGrant()).refresh_token!;
    for (let i = 0; i < 10; i++) rt = (await refreshGrant(rt)).refresh_token!;
    expect(issued.length - before).toBe(20 + 2 + 20);
    for (const { token } of issued) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const bytes = Buffer.from(token, 'base64url');
      expect(bytes.length * 8).toBeGreaterThanOrEqual(160);
      expect(bytes.toString('base64url')).toBe(token);
    }
    expect(new Set(issued.map((i) => i.token)).size).toBe(issued.length);
  });

  it('two password grants of one user and client get different tokens', async () => {
    const a = await passwordGrant();
    const b = await passwordGrant();
    expect(b.access_token).not.toBe(a.access_token);
    expect(b.refresh_token).not.toBe(a.refresh_token);
  });

  it('are stored only as their SHA-256 digests', async () => {
    await passwordGrant();
    await clientCredentials();
    expect(issued.length).toBeGreaterThanOrEqual(3);
    const access = await t.database.db.select().from(oauthAccessTokens);
    const refresh = await t.database.db.select().from(oauthRefreshTokens);
    const digests = { access: new Set(access.map((r) => r.tokenDigest)), refresh: new Set(refresh.map((r) => r.tokenDigest)) };
    const dump = JSON.stringify([access, refresh]);
    for (const { kind, token } of issued) {
      expect(digests[kind].has(secretDigest(TOKEN_PURPOSE[kind], token))).toBe(true);
      expect(dump.includes(token)).toBe(false);
    }
  });
});
