import { randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, queryRows, type TestApp } from '../../../test/support/app.js';
import { SANDBOX } from '../seed.js';
import type { GrantType, NewClientInput } from '../identity/index.js';
import { basic, SEED_BASIC } from '../../../test/support/oauth.js';

/**
 * The password grant (EnKash's flow) and its brute-force defences (OA-6): the lockout EnKash
 * documents, and the client_credentials grant beside it (OA-9: the password grant is opt-in).
 *
 * "No hash while locked" is proven structurally: every argon2 verify in the app goes through
 * @node-rs/argon2's `verify`, which this file wraps in a counting spy that still does the work.
 */
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});
const argon2Verifies = () => vi.mocked(verify).mock.calls.length;

const ALL_GRANTS: GrantType[] = ['password', 'refresh_token', 'client_credentials'];
const BAD_CREDENTIALS = { error: 'invalid_grant', error_description: 'Bad credentials' };
const LOCKED = { error: 'invalid_grant', error_description: 'User account is locked' };

let t: TestApp;

function token(params: Record<string, string>, auth = SEED_BASIC): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(params).toString(),
  });
}

function login(user: { username: string }, password: string, auth = SEED_BASIC) {
  return token({ grant_type: 'password', username: user.username, password }, auth);
}

function expectError(res: LightMyRequestResponse, status: number, body: Record<string, string>) {
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status, body });
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['pragma']).toBe('no-cache');
}

async function newUser(companyId: string = SANDBOX.companyId) {
  const user = { username: `u-${randomUUID().slice(0, 12)}@example.com`, password: 'Pass@word123' };
  await t.services.identity.createUser({ companyId, ...user });
  return user;
}

async function newClient(input: Omit<NewClientInput, 'companyId'> = {}) {
  const company = await t.services.identity.createCompany({ name: `Company ${randomUUID().slice(0, 8)}` });
  const { client, secret } = await t.services.identity.createClient({ companyId: company.id, ...input });
  return { id: client.clientId, basic: basic(client.clientId, secret), client };
}

/** Three bad passwords: the third still says "Bad credentials" and locks the account. */
async function lockOut(user: { username: string }) {
  for (let i = 1; i <= 3; i++) expectError(await login(user, `wrong-${i}`), 400, BAD_CREDENTIALS);
  // The 3rd failure's write, which sets the lock, is done when it is answered (ADR 0047).
  expect((await t.services.identity.findUserByUsername(user.username))?.lockedUntil).not.toBeNull();
}

beforeAll(async () => {
  t = await createTestApp();
  expect(t.config.oauth.lockoutAttempts).toBe(3);
  expect(t.config.oauth.lockoutMinutes).toBe(30);
});
afterAll(async () => t.close());

describe('lockout after 3 consecutive bad passwords', () => {
  it('every password check costs one argon2 verify, an unknown user included (the spy sees them)', async () => {
    const user = await newUser();
    let before = argon2Verifies();
    expectError(await login(user, 'wrong-password'), 400, BAD_CREDENTIALS);
    expect(argon2Verifies() - before).toBe(1);
    before = argon2Verifies();
    expectError(await login({ username: 'nobody-here@example.com' }, 'wrong-password'), 400, BAD_CREDENTIALS);
    expect(argon2Verifies() - before).toBe(1);
    before = argon2Verifies();
    expect((await login(user, user.password)).statusCode).toBe(200);
    expect(argon2Verifies() - before).toBe(1);
  });

  it('the 3rd failure says "Bad credentials"; later attempts, even with the right password, say locked and compute no hash', async () => {
    const user = await newUser();
    await lockOut(user);
    const before = argon2Verifies();
    expectError(await login(user, user.password), 400, LOCKED);
    expectError(await login(user, 'wrong-again'), 400, LOCKED);
    expectError(await login({ username: user.username.toUpperCase() }, user.password), 400, LOCKED);
    expect(argon2Verifies() - before).toBe(0);
    const stored = await t.services.identity.findUserByUsername(user.username);
    expect(stored?.failedAttempts).toBe(3);
    expect(stored?.lockedUntil).toEqual(new Date(t.clock.now().getTime() + 30 * 60_000));
  });

  it('a parallel burst of guesses gets no more evaluated than a sequence: 3 hashes, then locked', async () => {
    const user = await newUser();
    const before = argon2Verifies();
    // 9 guesses and then the right password, all within the per-username window (30 a minute).
    const burst = await Promise.all(Array.from({ length: 9 }, (_, i) => login(user, `wrong-${i}`)));
    expect(argon2Verifies() - before).toBe(3);
    const descriptions = burst.map((r) => (r.json() as { error_description: string }).error_description).sort();
    expect(descriptions).toEqual([...Array(3).fill('Bad credentials'), ...Array(6).fill('User account is locked')]);
    expectError(await login(user, user.password), 400, LOCKED);
    // An hour of such bursts (one per lock period) gets 6 guesses evaluated: OA-6's bound is 10.
    t.clock.advance(30 * 60_000);
    await Promise.all(Array.from({ length: 10 }, (_, i) => login(user, `again-${i}`)));
    expect(argon2Verifies() - before).toBe(6);
  });

  it('parallel logins with the right password all succeed (an integration logging in from many threads is not locked out)', async () => {
    const user = await newUser();
    const responses = await Promise.all(Array.from({ length: 20 }, () => login(user, user.password)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.json().access_token)).size).toBe(20);
    expect(await t.services.identity.findUserByUsername(user.username)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('the right password in a parallel burst of guesses still logs in when it gets one of the 3 evaluations', async () => {
    const user = await newUser();
    const [first, ...rest] = await Promise.all([login(user, user.password), login(user, 'wrong-1'), login(user, 'wrong-2')]);
    expect(first!.statusCode).toBe(200);
    for (const res of rest) expect(res.json()).toEqual(BAD_CREDENTIALS);
  });

  it('an unknown username answers as a known one does: "Bad credentials" 3 times, then locked without a hash, until the lock lifts (ADR 0047)', async () => {
    const unknown = { username: `nobody-${randomUUID().slice(0, 12)}@example.com` };
    const known = await newUser();
    for (const who of [known, unknown]) {
      let before = argon2Verifies();
      for (let i = 1; i <= 3; i++) expectError(await login(who, `wrong-${i}`), 400, BAD_CREDENTIALS);
      expect(argon2Verifies() - before).toBe(3);
      before = argon2Verifies();
      expectError(await login(who, 'wrong-4'), 400, LOCKED);
      expect(argon2Verifies() - before).toBe(0);
    }
    // The unknown name's count is kept under a keyed digest: no table lists the name.
    const [row] = await queryRows<{ n: number }>(
      t.database,
      sql`select count(*)::int as n from unknown_login_attempts where company_id = ${SANDBOX.companyId} and failed_attempts = 3 and locked_until is not null`,
    );
    expect(row!.n).toBeGreaterThanOrEqual(1);
    const dump = await queryRows<{ t: string }>(t.database, sql`select string_agg(u::text, ' ') as t from unknown_login_attempts u`);
    expect(dump[0]!.t).not.toContain(unknown.username);
    // Housekeeping forgets the name once its lock has run out, which changes no answer: 3 more failures lock it again.
    t.clock.advance(30 * 60_000);
    expect(await t.services.identity.pruneExpiredUnknownLogins(1000)).toBeGreaterThanOrEqual(1);
    const [left] = await queryRows<{ n: number }>(
      t.database,
      sql`select count(*)::int as n from unknown_login_attempts where locked_until <= ${t.clock.now().toISOString()}::timestamptz`,
    );
    expect(left!.n).toBe(0);
    for (let i = 1; i <= 3; i++) expectError(await login(unknown, `again-${i}`), 400, BAD_CREDENTIALS);
    expectError(await login(unknown, 'again-4'), 400, LOCKED);
  });

  it('the lock lifts when lockoutMinutes have passed on the clock', async () => {
    const user = await newUser();
    await lockOut(user);
    t.clock.advance(30 * 60_000 - 1_000);
    expectError(await login(user, user.password), 400, LOCKED);
    t.clock.advance(1_000);
    const res = await login(user, user.password);
    expect(res.statusCode).toBe(200);
    const stored = await t.services.identity.findUserByUsername(user.username);
    expect(stored).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('after a lock has run out, a bad password starts a fresh count', async () => {
    const user = await newUser();
    await lockOut(user);
    t.clock.advance(30 * 60_000);
    expectError(await login(user, 'wrong-after-lock'), 400, BAD_CREDENTIALS);
    expect((await t.services.identity.findUserByUsername(user.username))?.failedAttempts).toBe(1);
    expect((await login(user, user.password)).statusCode).toBe(200);
    // And three new failures lock it again.
    await lockOut(user);
    expectError(await login(user, user.password), 400, LOCKED);
  });

  it('an administrator unlock lets the right password in at once', async () => {
    const user = await newUser();
    await lockOut(user);
    expectError(await login(user, user.password), 400, LOCKED);
    await t.services.identity.unlockUser(user.username);
    expect((await login(user, user.password)).statusCode).toBe(200);
    await expect(t.services.identity.unlockUser('nobody-here@example.com')).rejects.toMatchObject({ code: 'user_not_found' });
  });

  it('a good password resets the count: failures must be consecutive', async () => {
    const user = await newUser();
    for (let round = 0; round < 2; round++) {
      expectError(await login(user, 'wrong-1'), 400, BAD_CREDENTIALS);
      expectError(await login(user, 'wrong-2'), 400, BAD_CREDENTIALS);
      expect((await login(user, user.password)).statusCode).toBe(200);
    }
    expect((await t.services.identity.findUserByUsername(user.username))?.failedAttempts).toBe(0);
    await lockOut(user);
    expectError(await login(user, user.password), 400, LOCKED);
  });

  it('a locked user cannot refresh either', async () => {
    const user = await newUser();
    const issued = (await login(user, user.password)).json();
    await lockOut(user);
    const res = await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    expectError(res, 400, LOCKED);
    await t.services.identity.unlockUser(user.username);
    expect((await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token })).statusCode).toBe(200);
  });

  it("guesses through another company's client neither log in nor count towards the lock", async () => {
    const user = await newUser();
    const other = await newClient({ grantTypes: ALL_GRANTS });
    for (let i = 0; i < 2; i++) expectError(await login(user, `wrong-${i}`, other.basic), 400, BAD_CREDENTIALS);
    expectError(await login(user, user.password, other.basic), 400, BAD_CREDENTIALS);
    expect((await t.services.identity.findUserByUsername(user.username))?.failedAttempts).toBe(0);
    // There the name is an unknown one, locked after 3 failures like any (ADR 0047); its own company is untouched.
    expectError(await login(user, user.password, other.basic), 400, LOCKED);
    expect((await login(user, user.password)).statusCode).toBe(200);
  });
});

describe('disabled users', () => {
  it('a disabled user gets "User is disabled", with or without the right password and without a hash; re-enabled, it logs in', async () => {
    const user = await newUser();
    await t.services.identity.setUserEnabled(user.username, false);
    const before = argon2Verifies();
    expectError(await login(user, user.password), 400, { error: 'invalid_grant', error_description: 'User is disabled' });
    expectError(await login(user, 'wrong-password'), 400, { error: 'invalid_grant', error_description: 'User is disabled' });
    expect(argon2Verifies() - before).toBe(0);
    await t.services.identity.setUserEnabled(user.username, true);
    expect((await login(user, user.password)).statusCode).toBe(200);
  });

  it("a disabled user's refresh token stops working", async () => {
    const user = await newUser();
    const issued = (await login(user, user.password)).json();
    await t.services.identity.setUserEnabled(user.username, false);
    expectError(await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token }), 400, {
      error: 'invalid_grant',
      error_description: 'User is disabled',
    });
  });
});

describe('client_credentials and the opt-in password grant (OA-9)', () => {
  it("client_credentials answers without a refresh token, in Spring's key order", async () => {
    const res = await token({ grant_type: 'client_credentials' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
    expect(res.json()).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'bearer',
      expires_in: 86400,
      scope: 'read write trust',
    });
    const principal = await t.app.inject({ method: 'GET', url: '/api/v0/me', headers: { authorization: `Bearer ${res.json().access_token}` } });
    expect(principal.json().payload).toEqual({ companyId: SANDBOX.companyId, clientId: SANDBOX.companyId, username: null, scopes: ['read', 'write', 'trust'] });
  });

  it('a client created with defaults has client_credentials and refresh_token but not password', async () => {
    const defaults = await newClient();
    expect(defaults.client.grantTypes).toEqual(['client_credentials', 'refresh_token']);
    const user = await newUser(defaults.id);
    const before = argon2Verifies();
    expectError(await login(user, user.password, defaults.basic), 400, {
      error: 'unauthorized_client',
      error_description: 'Unauthorized grant type: password',
    });
    expect(argon2Verifies() - before).toBe(0);
    const cc = await token({ grant_type: 'client_credentials' }, defaults.basic);
    expect(cc.statusCode).toBe(200);
    expect(cc.json().refresh_token).toBeUndefined();
  });

  it('a client without client_credentials gets unauthorized_client for it', async () => {
    const passwordOnly = await newClient({ grantTypes: ['password'] });
    expectError(await token({ grant_type: 'client_credentials' }, passwordOnly.basic), 400, {
      error: 'unauthorized_client',
      error_description: 'Unauthorized grant type: client_credentials',
    });
  });

  it('a password client without the refresh_token grant gets no refresh token', async () => {
    const passwordOnly = await newClient({ grantTypes: ['password'] });
    const user = await newUser(passwordOnly.id);
    const res = await login(user, user.password, passwordOnly.basic);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
  });

  it("the access-token lifetime is the client's, and scopes default to all of the client's", async () => {
    const short = await newClient({ grantTypes: ALL_GRANTS, accessTokenTtlSeconds: 300, scopes: ['read', 'payouts'] });
    const user = await newUser(short.id);
    const res = await login(user, user.password, short.basic);
    expect(res.json()).toMatchObject({ expires_in: 300, scope: 'read payouts' });
    const narrowed = await token({ grant_type: 'password', username: user.username, password: user.password, scope: 'payouts' }, short.basic);
    expect(narrowed.json()).toMatchObject({ expires_in: 300, scope: 'payouts' });
    const commas = await token({ grant_type: 'client_credentials', scope: 'payouts,read' }, short.basic);
    expect(commas.json()).toMatchObject({ scope: 'payouts read' });
  });

  it('usernames are matched as registered: emails case-insensitively', async () => {
    const user = await newUser();
    expect((await login({ username: user.username.toUpperCase() }, user.password)).statusCode).toBe(200);
    expect((await login({ username: ` ${user.username} ` }, user.password)).statusCode).toBe(200);
  });
});
