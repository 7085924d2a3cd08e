import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.js';
import { SANDBOX, seedSandbox } from './seed.js';

describe('seedSandbox()', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(async () => t.close());

  it('seeds a fresh database once even when several seeders race (several processes starting on one PostgreSQL)', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => seedSandbox(t.services)));
    expect(results.some((r) => r.created)).toBe(true);
    expect(await seedSandbox(t.services)).toEqual({ created: false });
    expect(await t.services.identity.authenticateClient(SANDBOX.companyId, SANDBOX.clientSecret)).toMatchObject({
      grantTypes: ['password', 'refresh_token', 'client_credentials'],
      scopes: ['read', 'write', 'trust'],
    });
    expect(await t.services.identity.findUserByUsername(SANDBOX.username)).toMatchObject({ companyId: SANDBOX.companyId, status: 'ACTIVE' });
  });

  it('leaves a changed sandbox row as it is (a disabled sandbox user stays disabled)', async () => {
    await t.services.identity.setUserEnabled(SANDBOX.username, false);
    await seedSandbox(t.services);
    expect((await t.services.identity.findUserByUsername(SANDBOX.username))?.status).toBe('DISABLED');
  });
});
