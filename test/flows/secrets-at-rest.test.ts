import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { SEED_BASIC, basic, postForm, seedPasswordGrant } from '../support/oauth.js';

/**
 * OA-8: after a workload that issues, refreshes, introspects and revokes every kind of token,
 * dump every table and every captured log line and search them for each credential in clear.
 * Runs on whichever store the suite runs on (PostgreSQL in CI's second pass).
 */
describe(`secrets at rest and in logs (${backend})`, () => {
  let t: TestApp;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    secrets.push(SANDBOX.clientSecret, SANDBOX.password, SEED_BASIC.slice(6));

    const first = (await seedPasswordGrant(t.app)).json();
    const refreshed = (await postForm(t.app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token })).json();
    const cc = (await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' })).json();
    secrets.push(first.access_token, first.refresh_token, refreshed.access_token, refreshed.refresh_token, cc.access_token);
    await seedPasswordGrant(t.app, { password: 'Wrong@password1' });
    secrets.push('Wrong@password1');

    const company = await t.services.identity.createCompany({ name: 'Second Co' });
    const { secret } = await t.services.identity.createClient({ companyId: company.id, grantTypes: ['password', 'refresh_token'] });
    await t.services.identity.createUser({ companyId: company.id, username: 'ops@second.example', password: 'Second@Pass99' });
    const second = (
      await postForm(t.app, '/oauth/token', { grant_type: 'password', username: 'ops@second.example', password: 'Second@Pass99' }, basic(company.id, secret))
    ).json();
    secrets.push(secret, 'Second@Pass99', second.access_token, second.refresh_token, basic(company.id, secret).slice(6));

    await t.app.inject({ method: 'GET', url: '/api/v0/me', headers: { authorization: `Bearer ${refreshed.access_token}` } });
    await t.app.inject({ method: 'GET', url: `/oauth/check_token?token=${encodeURIComponent(cc.access_token)}`, headers: { authorization: SEED_BASIC } });
    await postForm(t.app, '/oauth/introspect', { token: refreshed.access_token });
    await postForm(t.app, '/oauth/revoke', { token: refreshed.refresh_token, token_type_hint: 'refresh_token' });
    // Form client authentication puts the secret in the body, which must not be logged either.
    await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials', client_id: SANDBOX.companyId, client_secret: SANDBOX.clientSecret }, undefined);
  });
  afterAll(async () => t.close());

  it('the workload issued what it meant to', () => {
    expect(secrets.filter((s) => s === undefined)).toEqual([]);
    expect(secrets.length).toBeGreaterThanOrEqual(14);
  });

  it('no table holds a token, client secret or password in clear', async () => {
    const tables = await queryRows<{ table_name: string }>(
      t.database,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const names = tables.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['companies', 'users', 'oauth_clients', 'oauth_access_tokens', 'oauth_refresh_tokens']));
    let dump = '';
    for (const name of names) {
      const rows = await queryRows<{ j: string }>(t.database, sql`select row_to_json(x)::text as j from ${sql.identifier(name)} x`);
      dump += rows.map((r) => r.j).join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(dump, 'a credential is stored in clear').not.toContain(secret);
    // Passwords are argon2id at OWASP's minimum or stronger.
    expect(dump).toContain('$argon2id$v=19$m=19456,t=2,p=1$');
  });

  it('no captured log line holds a token, client secret, password or Authorization value', () => {
    const log = t.logs.lines.join('\n');
    expect(t.logs.lines.length).toBeGreaterThan(20);
    expect(log).toContain('/oauth/check_token?token=[Redacted]');
    for (const secret of secrets) expect(log, 'a credential reached the log').not.toContain(secret);
  });
});
