import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { postForm, seedBearer, seedPasswordGrant } from '../../../test/support/oauth.js';
import { countStatements } from '../../../test/support/statements.js';
import { SANDBOX } from '../seed.js';

/**
 * The statement budget of each grant of POST /oauth/token (DESIGN.md: the database is the cost;
 * ADR 0007 and 0031), BEGIN and COMMIT included. The client is authenticated once first, as it is
 * on a busy token endpoint (its lookup is cached briefly; that read is counted separately).
 */
describe(`statements per token grant (${backend})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
  });
  afterAll(() => t.close());

  const count = async (fn: () => ReturnType<typeof seedPasswordGrant>) => {
    const { result, statements } = await countStatements(t.database, fn);
    expect(result.statusCode, result.body).toBe(200);
    return { statements, body: result.json() as { access_token: string; refresh_token?: string } };
  };

  it('client_credentials: one statement (the token insert), and one more when the client is not cached', async () => {
    const cold = await count(() => postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }));
    expect(cold.statements).toBe(2);
    const warm = await count(() => postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }));
    expect(warm.statements).toBe(1);
    expect(warm.body.refresh_token).toBeUndefined();
  });

  it('password: two statements (the user, then the tokens)', async () => {
    await seedBearer(t.app);
    const { statements } = await count(() => seedPasswordGrant(t.app));
    expect(statements).toBe(2);
  });

  it('a wrong password costs what an unknown username costs: two statements (the read, the failed attempt), ADR 0047', async () => {
    await seedBearer(t.app);
    const attempt = (username: string) =>
      countStatements(t.database, () => postForm(t.app, '/oauth/token', { grant_type: 'password', username, password: 'Wrong@123456' }));
    const known = await attempt(SANDBOX.username);
    const unknown = await attempt('nobody.statements@example.com');
    for (const { result } of [known, unknown]) expect(result.json()).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
    expect([known.statements, unknown.statements]).toEqual([2, 2]);
    // The sandbox user's count back to 0 for the other tests.
    await t.services.identity.unlockUser(SANDBOX.username);
  });

  it('refresh_token: one statement (the rotation)', async () => {
    const first = (await seedPasswordGrant(t.app)).json() as { refresh_token: string };
    const { statements, body } = await count(() => postForm(t.app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }));
    expect(statements).toBe(1);
    expect(body.refresh_token).not.toBe(first.refresh_token);
  });

  it('a bearer request checks its token in one statement', async () => {
    const bearer = await seedBearer(t.app);
    const { result, statements } = await countStatements(t.database, () =>
      t.app.inject({ method: 'GET', url: '/api/v0/sandbox/clock', headers: { authorization: bearer } }),
    );
    expect(result.statusCode, result.body).toBe(200);
    // The token check, and the clock API's own read of the stored offset (plus its pending timers).
    expect(statements).toBe(3);
  });
});
