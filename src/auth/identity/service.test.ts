import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { SANDBOX } from '../seed.js';

describe('identity service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('authenticateClient() never answers a wrong secret from its cache of recent successes', async () => {
    const { identity } = t.services;
    expect((await identity.authenticateClient(SANDBOX.companyId, SANDBOX.clientSecret))?.clientId).toBe(SANDBOX.companyId);
    expect(await identity.authenticateClient(SANDBOX.companyId, `${SANDBOX.clientSecret}0`)).toBeNull();
    expect(await identity.authenticateClient(SANDBOX.companyId, '')).toBeNull();
    expect(await identity.authenticateClient('CEK0000000', SANDBOX.clientSecret)).toBeNull();
    expect((await identity.authenticateClient(SANDBOX.companyId, SANDBOX.clientSecret))?.clientId).toBe(SANDBOX.companyId);
  });

  it('createCompany() refuses an id outside the EnKash pattern and a duplicate', async () => {
    await expect(t.services.identity.createCompany({ name: 'X', id: 'CEK12' })).rejects.toMatchObject({ code: 'invalid_identity_input', param: 'id' });
    await expect(t.services.identity.createCompany({ name: 'X', id: SANDBOX.companyId })).rejects.toMatchObject({ code: 'company_exists', status: 409 });
  });

  it('createUser() takes a mobile number or an email, normalises emails, and refuses a taken username', async () => {
    const company = await t.services.identity.createCompany({ name: 'Users Co' });
    await expect(t.services.identity.createUser({ companyId: company.id, username: '12345', password: 'Password@1' })).rejects.toMatchObject({
      code: 'invalid_identity_input',
      param: 'username',
    });
    await expect(t.services.identity.createUser({ companyId: company.id, username: 'a@b.co', password: 'short' })).rejects.toMatchObject({ param: 'password' });
    const user = await t.services.identity.createUser({ companyId: company.id, username: ' Ops@Users.Example ', password: 'Password@1' });
    expect(user.username).toBe('ops@users.example');
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(t.services.identity.createUser({ companyId: company.id, username: 'OPS@users.example', password: 'Password@1' })).rejects.toMatchObject({
      code: 'username_taken',
      status: 409,
    });
    await expect(t.services.identity.createUser({ companyId: 'CEK9999999', username: '9876543210', password: 'Password@1' })).rejects.toMatchObject({
      code: 'company_not_found',
    });
  });

  it('createClient() generates a 40-hex secret shown once, stores a digest, and defaults to no password grant', async () => {
    const company = await t.services.identity.createCompany({ name: 'Client Co' });
    const { client, secret } = await t.services.identity.createClient({ companyId: company.id });
    expect(secret).toMatch(/^[0-9a-f]{40}$/);
    expect(client).toMatchObject({
      clientId: company.id,
      grantTypes: ['client_credentials', 'refresh_token'],
      scopes: ['read', 'write', 'trust'],
      accessTokenTtlSeconds: 86400,
      // A new client speaks AES unless told otherwise (the seeded sandbox client stays `optional`).
      payloadEncryption: 'required',
    });
    expect(client.secretDigest).not.toContain(secret);
    await expect(t.services.identity.createClient({ companyId: company.id })).rejects.toMatchObject({ code: 'client_exists' });
    await expect(t.services.identity.createClient({ companyId: company.id, grantTypes: ['implicit' as never] })).rejects.toMatchObject({ param: 'grantTypes' });
  });
});
