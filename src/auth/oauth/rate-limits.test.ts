import { randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import type { GrantType } from '../identity/index.js';
import { basic } from '../../../test/support/oauth.js';

/**
 * OA-6's rate limits: fixed one-minute windows on the app's clock, per authenticated client and
 * per username, applied before any password hash (counted through a spy on argon2's verify).
 */
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});
const argon2Verifies = () => vi.mocked(verify).mock.calls.length;

const PER_CLIENT = 6;
const PER_USERNAME = 3;
const ALL_GRANTS: GrantType[] = ['password', 'refresh_token', 'client_credentials'];

let t: TestApp;

function token(params: Record<string, string>, auth: string): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(params).toString(),
  });
}

async function newClient() {
  const company = await t.services.identity.createCompany({ name: `Company ${randomUUID().slice(0, 8)}` });
  const { secret } = await t.services.identity.createClient({ companyId: company.id, grantTypes: ALL_GRANTS });
  return { id: company.id, secret, basic: basic(company.id, secret) };
}

async function newUser(companyId: string) {
  const user = { username: `u-${randomUUID().slice(0, 12)}@example.com`, password: 'Pass@word123' };
  await t.services.identity.createUser({ companyId, ...user });
  return user;
}

function expectTooMany(res: LightMyRequestResponse, what: string, retryAfter: number) {
  expect({ status: res.statusCode, body: res.json() }).toEqual({
    status: 429,
    body: { error: 'too_many_requests', error_description: `Too many ${what}; retry in ${retryAfter} seconds` },
  });
  expect(res.headers['retry-after']).toBe(String(retryAfter));
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['pragma']).toBe('no-cache');
}

beforeAll(async () => {
  // A lockout far away, so that only the windows are at work here.
  t = await createTestApp({ oauth: { ratePerClientPerMinute: PER_CLIENT, ratePerUsernamePerMinute: PER_USERNAME, lockoutAttempts: 1000 } });
});
afterAll(async () => t.close());

describe('per-username window (password grant)', () => {
  it('the attempt over the limit is 429 with Retry-After, computes no hash, and the window resets after 60 s on the clock', async () => {
    const client = await newClient();
    const user = await newUser(client.id);
    const answers = [];
    for (const password of ['wrong-1', user.password, 'wrong-2'])
      answers.push((await token({ grant_type: 'password', username: user.username, password }, client.basic)).statusCode);
    expect(answers).toEqual([400, 200, 400]);

    const before = argon2Verifies();
    expectTooMany(
      await token({ grant_type: 'password', username: user.username, password: user.password }, client.basic),
      'login attempts for this username',
      60,
    );
    expect(argon2Verifies() - before).toBe(0);

    // Another username through the same client is not limited.
    const other = await newUser(client.id);
    expect((await token({ grant_type: 'password', username: other.username, password: other.password }, client.basic)).statusCode).toBe(200);

    t.clock.advance(59_000);
    expectTooMany(
      await token({ grant_type: 'password', username: user.username, password: user.password }, client.basic),
      'login attempts for this username',
      1,
    );
    t.clock.advance(1_000);
    expect((await token({ grant_type: 'password', username: user.username, password: user.password }, client.basic)).statusCode).toBe(200);
  });

  it("the window is per client and username: guesses through another company's client do not lock the owner out of it", async () => {
    const home = await newClient();
    const elsewhere = await newClient();
    const user = await newUser(home.id);
    for (let i = 0; i < PER_USERNAME; i++) {
      const res = await token({ grant_type: 'password', username: user.username, password: `wrong-${i}` }, elsewhere.basic);
      expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
    }
    expectTooMany(
      await token({ grant_type: 'password', username: user.username.toUpperCase(), password: 'x' }, elsewhere.basic),
      'login attempts for this username',
      60,
    );
    // The guesses were evaluated as "unknown user" for the foreign client: no lockout either.
    expect((await token({ grant_type: 'password', username: user.username.toUpperCase(), password: user.password }, home.basic)).statusCode).toBe(200);
  });
});

describe('per-client window (every token request after client authentication)', () => {
  it('the request over the limit is 429 with Retry-After; other clients are unaffected; it resets after 60 s', async () => {
    const busy = await newClient();
    const quiet = await newClient();
    const user = await newUser(busy.id);
    // Successes and failures of every grant count alike.
    const mix: Record<string, string>[] = [
      { grant_type: 'client_credentials' },
      { grant_type: 'foo' },
      { grant_type: 'password', username: user.username, password: user.password },
      { grant_type: 'refresh_token', refresh_token: 'unknown' },
      { grant_type: 'client_credentials', scope: 'nope' },
      { grant_type: 'client_credentials' },
    ];
    expect(mix).toHaveLength(PER_CLIENT);
    const statuses = [];
    for (const params of mix) statuses.push((await token(params, busy.basic)).statusCode);
    expect(statuses).toEqual([200, 400, 200, 400, 400, 200]);

    const before = argon2Verifies();
    expectTooMany(await token({ grant_type: 'client_credentials' }, busy.basic), 'token requests for this client', 60);
    expectTooMany(await token({ grant_type: 'password', username: user.username, password: user.password }, busy.basic), 'token requests for this client', 60);
    expect(argon2Verifies() - before).toBe(0);
    // Client authentication still comes first: a wrong secret is 401, not 429.
    expect((await token({ grant_type: 'client_credentials' }, basic(busy.id, 'not-the-secret'))).statusCode).toBe(401);

    expect((await token({ grant_type: 'client_credentials' }, quiet.basic)).statusCode).toBe(200);

    t.clock.advance(30_000);
    expectTooMany(await token({ grant_type: 'client_credentials' }, busy.basic), 'token requests for this client', 30);
    t.clock.advance(30_000);
    expect((await token({ grant_type: 'client_credentials' }, busy.basic)).statusCode).toBe(200);
  });
});
