import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { gatewayHeaders } from '../../../test/support/gateway.js';
import { seedBearer } from '../../../test/support/oauth.js';
import { nonFiniteAt } from './finite-numbers.js';

describe('numbers that overflow to Infinity', () => {
  it('finds the path of the first non-finite number', () => {
    expect(nonFiniteAt({ a: 1, b: { c: [2, Infinity] } })).toEqual(['b', 'c', '1']);
    expect(nonFiniteAt({ a: -Infinity })).toEqual(['a']);
    expect(nonFiniteAt({ a: 1, b: 'Infinity', c: null })).toBeUndefined();
  });

  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('answers 400 naming the field on a query (`limit=1e309`); a JSON body’s `1e309` is refused by its schema', async () => {
    const auth = await seedBearer(t.app);
    for (const query of ['limit=1e309', 'offset=1e309']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v0/ledger/accounts?${query}`, headers: { authorization: auth } });
      expect(res.statusCode).toBe(400);
      // The strict-types guard (ADR 0038) refuses the exponent form before the schema coerces it to Infinity.
      expect(res.json()).toEqual({
        response_code: 400,
        response_message: `Invalid query parameter ${query.split('=')[0]}: must be a JSON number or a plain decimal string`,
        payload: null,
      });
    }
    const before = (await t.app.inject({ method: 'GET', url: '/api/v0/merchant/settings', headers: { authorization: auth } })).body;
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v0/merchant/settings',
      headers: { ...(await gatewayHeaders(t.app)), 'content-type': 'application/json' },
      payload: '{"feeRules":{"SC_CC_DEFAULT":1e309}}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().response_message).toBe('Invalid field feeRules.SC_CC_DEFAULT: must be number');
    expect((await t.app.inject({ method: 'GET', url: '/api/v0/merchant/settings', headers: { authorization: auth } })).body).toBe(before);
  });
});
