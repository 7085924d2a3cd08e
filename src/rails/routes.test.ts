import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.js';
import { seedBearer } from '../../test/support/oauth.js';
import { sandboxTestData } from './registry.js';

describe('GET /api/v0/sandbox/test-data', () => {
  let t: TestApp;
  let bearer: string;

  beforeAll(async () => {
    t = await createTestApp();
    bearer = await seedBearer(t.app);
  });
  afterAll(async () => t.close());

  it('answers every rail\'s magic values and scenarios in the envelope, the same data as docs/sandbox.md', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/sandbox/test-data', headers: { authorization: bearer } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.response_code).toBe(0);
    expect(body.response_message).toBe('SUCCESS');
    expect(body.payload).toEqual(JSON.parse(JSON.stringify(sandboxTestData())));
    expect(body.payload.rails.map((r: { rail: string }) => r.rail)).toEqual(['card', 'upi', 'netbanking', 'wallet', 'bank_transfer', 'registries']);
    const card = body.payload.rails[0];
    expect(card.magicValues).toContainEqual({
      kind: 'card number',
      value: '4000000000009995',
      operation: 'authorize',
      outcome: 'declined (insufficient_funds)',
      description: 'Visa, insufficient funds',
    });
    expect(body.payload.scenarios.map((s: { name: string }) => s.name)).toEqual([
      'succeed', 'decline', 'fail', 'timeout', 'timeout_then_succeed', 'succeed_after', 'fail_after', 'pending', 'reverse_after', 'webhook_duplicate',
    ]);
  });

  it('is bearer-guarded like every /api route (Spring OAuth2 401)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/sandbox/test-data' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/api/v0/sandbox/test-data'].get;
    expect(op.operationId).toBe('sandbox.testData');
    expect(op.summary).toBeTruthy();
  });
});
