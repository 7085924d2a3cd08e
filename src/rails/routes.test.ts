import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.js';
import { seedBearer } from '../../test/support/oauth.js';
import { envelope } from '../core/http/envelope.js';
import { sandboxTestData } from '../sandbox-test-data.js';
import { formatScenario, scenarioFrom } from './scenario.js';

describe('GET /api/v0/sandbox/test-data', () => {
  let t: TestApp;
  let bearer: string;

  beforeAll(async () => {
    // A product-like route that reads the scenario the way products do.
    t = await createTestApp({
      registerApiRoutes: (api) =>
        api.post('/v0/test/scenario', async (request) => {
          const scenario = scenarioFrom(request);
          return envelope({ scenario: scenario ? formatScenario(scenario) : null });
        }),
    });
    bearer = await seedBearer(t.app);
  });
  afterAll(async () => t.close());

  const post = (headers: Record<string, string | string[]>) =>
    t.app.inject({ method: 'POST', url: '/api/v0/test/scenario', headers: { authorization: bearer, ...headers }, payload: {} });

  it('scenarioFrom(request) reads X-Tijori-Scenario; a bad one is a 400 envelope naming it', async () => {
    expect((await post({ 'x-tijori-scenario': 'succeed_after:PT90M' })).json().payload).toEqual({ scenario: 'succeed_after:PT1H30M' });
    expect((await post({})).json().payload).toEqual({ scenario: null });
    const bad = await post({ 'X-Tijori-Scenario': 'succeed_after:10m' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-error-code']).toBe('invalid_scenario');
    expect(bad.json()).toEqual({
      response_code: 400,
      response_message: "Invalid duration '10m' in scenario 'succeed_after:10m': expected an ISO-8601 duration such as PT10M, PT1H30M, P1D or P3DT4H",
      payload: null,
    });
    const twice = await post({ 'x-tijori-scenario': ['succeed', 'fail'] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().response_message).toBe('The X-Tijori-Scenario header may be sent only once');
  });

  it("answers every rail's magic values and scenarios in the envelope, the same data as docs/sandbox.md", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/sandbox/test-data', headers: { authorization: bearer } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.response_code).toBe(0);
    expect(body.response_message).toBe('SUCCESS');
    expect(body.payload).toEqual(JSON.parse(JSON.stringify(sandboxTestData())));
    expect(body.payload.rails.map((r: { rail: string }) => r.rail)).toEqual(['card', 'upi', 'netbanking', 'wallet', 'bank_transfer', 'registries', 'bbps']);
    const card = body.payload.rails[0];
    expect(card.magicValues).toContainEqual({
      kind: 'card number',
      value: '4000000000009995',
      operation: 'authorize',
      outcome: 'declined (insufficient_funds)',
      description: 'Visa, insufficient funds',
    });
    // Gateway refunds: each rail's delay and the scenarios that fail a refund (issue 4, part 9).
    expect(body.payload.products.map((p: { product: string }) => p.product)).toEqual([
      'gateway_refunds',
      'gateway_ecollect',
      'gateway_payment_links',
      'payouts',
      'verification',
    ]);
    expect(body.payload.products[0].magicValues).toContainEqual({
      kind: 'payment rail',
      value: 'card',
      operation: 'refund',
      outcome: 'created, then succeeded after P1D',
      description: "Cards (credit, debit, prepaid, corporate): the rail's refund delay",
    });
    expect(body.payload.scenarios.map((s: { name: string }) => s.name)).toEqual([
      'succeed',
      'decline',
      'fail',
      'timeout',
      'timeout_then_succeed',
      'succeed_after',
      'fail_after',
      'pending',
      'reverse_after',
      'webhook_duplicate',
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
