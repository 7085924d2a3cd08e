import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { seedPasswordGrant } from '../../../test/support/oauth.js';

describe('POST /oauth/token (seed page request)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('answers 200 with a bearer token, a refresh token and the client scopes', async () => {
    const res = await seedPasswordGrant(t.app);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope']);
    expect(body.token_type).toBe('bearer');
    expect(body.scope).toBe('read write trust');
    expect(body.expires_in).toBe(86400);
  });
});
