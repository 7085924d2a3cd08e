import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { basic, postForm } from '../../../test/support/oauth.js';

// Issue 16 item 1: disabling a company and revoking its OAuth client end their live tokens at
// once, in the bearer check's one statement, and re-enabling revives none of them.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ background: { workers: false, timerPollMs: null } });
});
afterAll(async () => t?.close());

const PASSWORD = 'Session@123456';

async function companyWithTokens(username: string) {
  const company = await t.services.identity.createCompany({ name: `Sessions ${username}` });
  const { secret } = await t.services.identity.createClient({ companyId: company.id, grantTypes: ['password', 'refresh_token', 'client_credentials'] });
  await t.services.identity.createUser({ companyId: company.id, username, password: PASSWORD });
  const client = basic(company.id, secret);
  const token = async (params: Record<string, string>) => {
    const res = await postForm(t.app, '/oauth/token', params, client);
    return { status: res.statusCode, body: res.json() as { access_token: string; refresh_token?: string } };
  };
  const login = () => token({ grant_type: 'password', username, password: PASSWORD });
  const companyToken = () => token({ grant_type: 'client_credentials' });
  const user = await login();
  const own = await companyToken();
  expect([user.status, own.status]).toEqual([200, 200]);
  return { companyId: company.id, client, login, companyToken, user: user.body, own: own.body };
}

const status = async (token: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/v0/payout-account/balance', headers: { authorization: `Bearer ${token}` } })).statusCode;

describe(`ending sessions (${backend})`, () => {
  it("disabling a company refuses its own token and its users' tokens at once; enabling revives none of them", async () => {
    const c = await companyWithTokens('sessions.company@example.com');
    const other = await companyWithTokens('sessions.bystander@example.com');
    expect([await status(c.user.access_token), await status(c.own.access_token)]).toEqual([200, 200]);

    await t.services.identity.setCompanyEnabled(c.companyId, false);
    expect([await status(c.user.access_token), await status(c.own.access_token)]).toEqual([401, 401]);
    expect((await c.login()).status).toBe(401);
    expect((await c.companyToken()).status).toBe(401);
    const refresh = await postForm(t.app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: c.user.refresh_token! }, c.client);
    expect(refresh.statusCode).toBe(401);
    // Another company's tokens are untouched.
    expect([await status(other.user.access_token), await status(other.own.access_token)]).toEqual([200, 200]);

    await t.services.identity.setCompanyEnabled(c.companyId, true);
    expect([await status(c.user.access_token), await status(c.own.access_token)]).toEqual([401, 401]);
    const again = await c.login();
    expect(again.status).toBe(200);
    expect(await status(again.body.access_token)).toBe(200);
  });

  it('revoking a client refuses its tokens at once, and it issues no more', async () => {
    const c = await companyWithTokens('sessions.client@example.com');
    await t.services.identity.revokeClient(c.companyId);
    expect([await status(c.user.access_token), await status(c.own.access_token)]).toEqual([401, 401]);
    expect((await c.login()).status).toBe(401);
    expect((await c.companyToken()).status).toBe(401);
    const introspected = await postForm(t.app, '/oauth/introspect', { token: c.own.access_token }, c.client);
    expect(introspected.statusCode).toBe(401);
  });

  it('a user disabled and enabled again keeps its old token refused; a new login works', async () => {
    const c = await companyWithTokens('sessions.user@example.com');
    await t.services.identity.setUserEnabled('sessions.user@example.com', false);
    await t.services.identity.setUserEnabled('sessions.user@example.com', true);
    expect(await status(c.user.access_token)).toBe(401);
    // The company's own token is not the user's: it still works.
    expect(await status(c.own.access_token)).toBe(200);
    const again = await c.login();
    expect(again.status).toBe(200);
    expect(await status(again.body.access_token)).toBe(200);
  });

  it('unknown company or client: a clear error and nothing changes', async () => {
    await expect(t.services.identity.setCompanyEnabled('CEKNOSUCH1', false)).rejects.toMatchObject({ code: 'company_not_found' });
    await expect(t.services.identity.revokeClient('CEKNOSUCH1')).rejects.toMatchObject({ code: 'company_not_found' });
  });
});
